"""The watch on the sources, against a local HTTP server: check-sources reports a
changed status and date, a moved and a vanished page, and nothing on a second
run of an unchanged page; fetching is conditional; check-quotes confirms quotes
against the saved pages; the law page shows the last check."""

from __future__ import annotations

import sqlite3
import threading
import types
from collections.abc import Iterator
from contextlib import closing
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ingest.build.database import build
from ingest.cli.main import main
from ingest.importers import registry
from ingest.importers.model import Draft
from ingest.importers.page import Page
from tests.helpers import law, make_root, write, write_law

PAGE = """<html><head><title>{title}</title></head><body>
<h1 class="law">{title}</h1><p>Number <span class="number">No. 7 of 2020</span>.
Status: <span class="status">{status}</span>. In force on <time class="in-force">{in_force}</time>.</p>
<p>Section 6. Electronic records are not denied legal effect solely because they are electronic.</p>
<p>{filler}</p></body></html>"""


class Site:
    """Pages by path; counts requests and answers conditional ones."""

    def __init__(self) -> None:
        self.pages: dict[str, str] = {}
        self.redirects: dict[str, str] = {}
        self.requests: list[tuple[str, str | None]] = []

    def page(self, path: str, title: str = "Example Act 2020", status: str = "in-force", in_force: str = "2020-01-01") -> None:
        self.pages[path] = PAGE.format(title=title, status=status, in_force=in_force, filler="Lorem ipsum. " * 40)


@pytest.fixture
def site() -> Iterator[tuple[Site, str]]:
    state = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - the standard library's name
            state.requests.append((self.path, self.headers.get("If-None-Match")))
            if self.path in state.redirects:
                self.send_response(301)
                self.send_header("Location", state.redirects[self.path])
                self.end_headers()
                return
            body = state.pages.get(self.path)
            if body is None:
                self.send_response(404)
                self.end_headers()
                return
            etag = f'"{abs(hash(body))}"'
            if self.headers.get("If-None-Match") == etag:
                self.send_response(304)
                self.end_headers()
                return
            data = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.send_header("ETag", etag)
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state, f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def _detect(page: Page) -> bool:
    return page.soup.select_one("h1.law") is not None


def _parse(page: Page) -> Draft:
    return Draft(
        source="testpage",
        title=page.find_text("h1.law"),
        number=page.find_text(".number"),
        status=page.find_text(".status"),
        dates={"in_force": page.find_text("time.in-force") or ""},
        instrument_type="act",
    )


@pytest.fixture(autouse=True)
def test_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    """A parser for the test site's pages, in place of the real ones."""
    module = types.ModuleType("testpage")
    module.NAME, module.PRIORITY, module.detect, module.parse = "testpage", 1, _detect, _parse  # type: ignore[attr-defined]
    monkeypatch.setattr(registry, "parsers", lambda: {"testpage": module})


def laws_root(tmp: Path, base: str, quote: str | None = None) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    root = make_root(tmp)
    hosts = yaml.safe_load((root / "sources" / "official-hosts.yml").read_text(encoding="utf-8"))
    hosts["entries"].append({"prefix": "127.0.0.1", "kind": "government", "label": "The test site"})
    write(root / "sources" / "official-hosts.yml", hosts)
    rec = law(
        id="sg-example-act-2020",
        title="Example Act 2020",
        number="No. 7 of 2020",
        dates={"adopted": "2019-12-01", "in_force": "2020-01-01"},
        links=[{"url": f"{base}/law", "kind": "text", "language": "en", "official": True}],
    )
    if quote:
        rec["provisions"][0]["quote"] = {"text": quote, "lang": "en", "url": f"{base}/law"}
    write_law(root, rec)
    return root


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_check_sources_reports_changes_once(site: tuple[Site, str], tmp_path: Path) -> None:
    state, base = site
    state.page("/law")
    root = laws_root(tmp_path, base)
    cache = tmp_path / "cache"
    args = ("check-sources", "--laws", str(root), "--cache", str(cache), "--today", "2026-12-06")

    first = run(*args)
    assert first.exit_code == 0, first.output
    assert first.stdout == "" and "1 page(s) checked: 1 unchanged; nothing new." in first.stderr
    saved = yaml.safe_load((root / "source-checks" / "sg.yml").read_text(encoding="utf-8"))
    check = saved["checks"][0]
    assert check["result"] == "unchanged" and check["parser"] == "testpage" and len(check["sha256"]) == 64
    assert check["facts"]["status"] == "in-force" and check["facts"]["dates.in_force"] == "2020-01-01"

    state.page("/law", status="repealed", in_force="2020-02-01")
    second = run(*args)
    assert second.exit_code == 1
    record = str(root / "sg" / "example-act-2020.yml")
    assert f"{record}: status: in-force → now at source repealed" in second.stdout
    assert f"{record}: dates.in_force: 2020-01-01 → now at source 2020-02-01" in second.stdout

    third = run(*args)  # the same page again: nothing new to report
    assert third.exit_code == 0 and third.stdout == ""
    etags = [etag for path, etag in state.requests if path == "/law"]
    assert etags[0] is None and etags[-1] is not None  # later requests are conditional


def test_moved_and_vanished_pages(site: tuple[Site, str], tmp_path: Path) -> None:
    state, base = site
    state.page("/new")
    state.redirects["/law"] = f"{base}/new"
    root = laws_root(tmp_path, base)
    args = ("check-sources", "--laws", str(root), "--cache", str(tmp_path / "cache"), "--report", str(tmp_path / "r.txt"))
    moved = run(*args)
    assert moved.exit_code == 1 and f"links: {base}/law → moved to {base}/new" in moved.stdout
    assert f"moved to {base}/new" in (tmp_path / "r.txt").read_text(encoding="utf-8")
    del state.redirects["/law"]
    gone = run(*args)
    assert gone.exit_code == 1 and f"links: {base}/law: {base}/law answered 404 Not Found" in gone.stdout
    assert run(*args).exit_code == 0  # still gone, already reported


def test_checks_are_built_and_shown_on_the_law_page(site: tuple[Site, str], tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    from tests.helpers import make_datasette

    state, base = site
    state.page("/law", status="repealed")
    root = laws_root(tmp_path, base)
    assert run("check-sources", "--laws", str(root), "--cache", str(tmp_path / "cache"), "--today", "2026-12-06").exit_code == 1
    corpus, _ = build(root, tmp_path / "laws.db")
    assert not corpus.problems
    with closing(sqlite3.connect(tmp_path / "laws.db")) as conn:
        assert conn.execute("SELECT result, checked FROM source_checks").fetchall() == [("differs", "2026-12-06")]

    async def page() -> str:
        return (await make_datasette(tmp_path / "laws.db").client.get("/law/sg-example-act-2020")).text

    import asyncio

    watch = BeautifulSoup(asyncio.run(page()), "html.parser").select_one(".source-watch")
    assert "last checked 6 December 2026" in watch.get_text(" ", strip=True)
    assert "status: recorded in-force, the page now says repealed" in watch.get_text(" ", strip=True)


def test_a_check_of_another_country_or_an_unknown_law_is_refused(tmp_path: Path) -> None:
    from ingest.rules.corpus import validate

    root = laws_root(tmp_path, "http://127.0.0.1:9")
    write(
        root / "source-checks" / "sg.yml",
        {
            "country": "SG",
            "checks": [
                {"law": "sg-no-such-act", "url": "http://127.0.0.1:9/law", "checked": "2026-12-06", "result": "unchanged"}
            ],
        },
    )
    assert any("checks[0].law: no law record has the id 'sg-no-such-act'" in str(p) for p in validate(root).problems)


def test_check_quotes(site: tuple[Site, str], tmp_path: Path) -> None:
    state, base = site
    state.page("/law")
    words = "Electronic records are not denied legal effect solely because they are electronic."
    root = laws_root(tmp_path, base, quote=words)
    cache = tmp_path / "cache"
    before = run("check-quotes", "--laws", str(root), "--cache", str(cache))
    assert before.exit_code == 0 and "0 quote(s) confirmed, 0 not found, 1 without a saved page." in before.stderr
    run("check-sources", "--laws", str(root), "--cache", str(cache))
    assert "1 quote(s) confirmed" in run("check-quotes", "--laws", str(root), "--cache", str(cache)).stderr
    joined = "Electronic records are not denied … because they are electronic."
    root2 = laws_root(tmp_path / "two", base, quote=joined)
    assert run("check-quotes", "--laws", str(root2), "--cache", str(cache)).exit_code == 0
    root3 = laws_root(tmp_path / "three", base, quote="Electronic records are denied legal effect.")
    bad = run("check-quotes", "--laws", str(root3), "--cache", str(cache))
    assert bad.exit_code == 1
    assert (
        "example-act-2020.yml:" in bad.stdout
        and f"provisions[0].quote.text: not found in the saved text of {base}/law" in bad.stdout
    )


def test_the_freshness_page_lists_the_source_watch(site: tuple[Site, str], tmp_path: Path) -> None:
    import asyncio

    from bs4 import BeautifulSoup

    from tests.helpers import make_datasette

    state, base = site
    state.page("/law", status="repealed")
    root = laws_root(tmp_path, base)
    run("check-sources", "--laws", str(root), "--cache", str(tmp_path / "cache"), "--today", "2026-12-06")
    build(root, tmp_path / "laws.db")

    async def page() -> str:
        return (await make_datasette(tmp_path / "laws.db").client.get("/freshness")).text

    soup = BeautifulSoup(asyncio.run(page()), "html.parser")
    heading = soup.find("h2", id="source-watch")
    assert "(1 official pages checked)" in heading.get_text()
    assert "1 differs; the latest on 6 December 2026" in heading.find_next("p").get_text(" ", strip=True)
    row = soup.select_one("table.source-watch tr[data-law='sg-example-act-2020']")
    assert row is not None and "differs" in row.get_text()


def test_fetching_is_polite_and_capped(site: tuple[Site, str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import time as clock

    from ingest.importers import fetch
    from ingest.importers.fetch import USER_AGENT, Fetcher
    from ingest.importers.model import Refusal

    state, base = site
    state.page("/a")
    state.page("/b")
    state.page("/a?large")
    seen: list[tuple[float, str | None]] = []
    original = fetch.httpx.Client.stream

    def stream(self: Any, method: str, url: str, **kw: Any) -> Any:
        seen.append((clock.monotonic(), self.headers.get("User-Agent")))
        return original(self, method, url, **kw)

    monkeypatch.setattr(fetch.httpx.Client, "stream", stream)
    with Fetcher(cache_dir=tmp_path / "cache") as fetcher:
        fetcher.get(f"{base}/a")
        fetcher.get(f"{base}/b")  # the same host: waits its turn
        assert seen[1][0] - seen[0][0] >= 0.95 and seen[0][1] == USER_AGENT
        monkeypatch.setattr(fetch, "MAX_BYTES", 100)
        with pytest.raises(Refusal, match="more than 0 MB; stopped reading|is 0 MB"):
            fetcher.get(f"{base}/a?large")  # the body is over the (lowered) cap
        with pytest.raises(Refusal, match="is not an http"):
            fetcher.get("file:///etc/passwd")
