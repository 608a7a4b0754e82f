"""`lawrepo serve` serves the whole site on any corpus and any database name:
another laws folder (`--laws`), another file name (`--db`), a corpus without
a codebook; a missing page answers 404 quickly and logs one line."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.synthetic import make_corpus
from ingest.build.database import build
from ingest.cli.main import main
from tests.helpers import ROOT, free_port, make_datasette, wait_until_up

PAGES = [
    "/",
    "/countries",
    "/law/th-synthetic-law-8",
    "/country/TH",
    "/area/data-protection",
    "/compare",
    "/compare/data-protection",
    "/side-by-side?c=TH&c=VN",
    "/side-by-side?c=TH&c=VN&area=data-protection",
    "/codebook",
    "/progress",
    "/freshness",
    "/exports",
    "/other-corpus/laws",
    "/other-corpus/laws_in_force?country=TH",
]


@pytest.fixture(scope="module")
def other(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A synthetic laws folder (no codebook, no answers) and its database under another name."""
    folder = tmp_path_factory.mktemp("other")
    laws = make_corpus(folder, 300)
    db = folder / "other-corpus.db"
    corpus, counts = build(laws, db)
    assert corpus.problems == [] and counts
    return laws, db


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=30) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.read().decode("utf-8", "replace")


@pytest.fixture(scope="module")
def server(other: tuple[Path, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    laws, db = other
    log = tmp_path_factory.mktemp("log") / "server.log"
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("LAWREPO_BASE_URL", None)
    args = [sys.executable, "-m", "ingest", "serve", "--laws", str(laws), "--db", str(db), "--port", str(port)]
    with open(log, "wb") as out:
        process = subprocess.Popen(args, cwd=laws.parent, stdout=out, stderr=subprocess.STDOUT, env=env)
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process)
        yield f"http://127.0.0.1:{port}", log
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_the_dry_run_serves_this_projects_site_on_another_corpus(other: tuple[Path, Path]) -> None:
    laws, db = other
    result = CliRunner().invoke(main, ["serve", "--laws", str(laws), "--db", str(db), "--dry-run"])
    assert result.exit_code == 0, result.output
    words = result.output.split()
    for flag, name in (("--template-dir", "templates"), ("--plugins-dir", "plugins")):
        assert words[words.index(flag) + 1] == str(ROOT / name)
    assert f"assets:{ROOT / 'static'}" in words
    # the metadata and configuration describe the database under its own name
    for flag in ("--metadata", "--config"):
        described = Path(words[words.index(flag) + 1])
        assert described.parent == db.parent and '"other-corpus"' in described.read_text(encoding="utf-8")


def test_every_page_of_another_corpus_under_another_name_answers(server: tuple[str, Path]) -> None:
    base, _ = server
    for path in PAGES:
        status, body = get(base + path)
        assert status == 200, (path, status, body[:500])
    status, home = get(base + "/")
    assert 'href="/other-corpus/laws"' in home and "/other-corpus.db" in home and "/laws/laws" not in home
    # the table descriptions and stored queries apply under the other name
    status, table = get(base + "/other-corpus/laws")
    assert status == 200 and "One row per law record" in table
    status, query = get(base + "/other-corpus/laws_in_force?country=TH")
    assert status == 200 and "Laws in force in a country" in query


def test_a_corpus_without_a_codebook_says_so(server: tuple[str, Path]) -> None:
    base, _ = server
    for path in ("/compare/data-protection", "/side-by-side?c=TH&c=VN&area=data-protection", "/codebook", "/country/TH"):
        status, body = get(base + path)
        assert status == 200 and "This corpus has no codebook" in body, path
    status, home = get(base + "/")
    assert "This corpus has no codebook yet" in home


def test_a_missing_law_is_a_quick_404_logged_in_one_line(server: tuple[str, Path]) -> None:
    base, log = server
    get(base + "/law/th-synthetic-law-8")
    time.sleep(0.5)
    before = log.read_text(errors="replace").splitlines()
    started = time.perf_counter()
    status, body = get(base + "/law/no-such-law")
    elapsed = time.perf_counter() - started
    time.sleep(0.5)
    after = log.read_text(errors="replace").splitlines()
    assert status == 404 and "No law record has the id no-such-law" in body
    added = after[len(before) :]
    assert len(added) == 1 and "404" in added[0], added
    assert elapsed < 5  # not a measurement: a traceback written with its locals took seconds


@pytest.mark.asyncio
async def test_side_by_side_on_an_area_without_questions_answers(built_db: Path) -> None:
    ds = make_datasette(built_db)
    page = await ds.client.get("/side-by-side?c=TH&c=VN&area=cybersecurity")
    assert page.status_code == 200
    assert "The codebook of this corpus asks no questions on cybersecurity" in page.text
