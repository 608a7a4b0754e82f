"""Open exports (`lawrepo export` and /exports on the site) and record times."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import xml.etree.ElementTree as ET
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ingest.build import timestamps
from ingest.build.database import build
from ingest.cli.export import command
from ingest.exports import atom as export_atom
from ingest.exports import atr as export_atr
from ingest.exports import datapackage as export_datapackage
from ingest.exports import writer as export
from tests.helpers import LAWS, law, make_datasette, make_root, write_law

BASE = "https://laws.example.org"
# the base_url of datasette.yaml: the site's links start with it, whatever the request's Host
CONFIGURED = "http://127.0.0.1:8001"
PDPA = "th-personal-data-protection-act-2019"
A = "{http://www.w3.org/2005/Atom}"
HAS_GIT = shutil.which("git") is not None


def run_export(*args: str) -> Any:
    result = CliRunner().invoke(command, list(args), catch_exceptions=False)
    return result


def db_rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return conn.execute(sql, params).fetchall()


def read_csv(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def parse_feed(data: bytes) -> ET.Element:
    root = ET.fromstring(data)
    assert root.tag == f"{A}feed"
    return root


def entries(feed: ET.Element) -> list[dict[str, str]]:
    out = []
    for e in feed.findall(f"{A}entry"):
        link = e.find(f"{A}link[@rel='alternate']")
        out.append(
            {
                "id": e.findtext(f"{A}id"),
                "title": e.findtext(f"{A}title"),
                "updated": e.findtext(f"{A}updated"),
                "published": e.findtext(f"{A}published"),
                "summary": e.findtext(f"{A}summary"),
                "link": link.get("href") if link is not None else None,
            }
        )
    return out


@pytest.fixture(scope="module")
def plain_laws(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the shipped records outside any git work tree."""
    dst = tmp_path_factory.mktemp("plain") / "laws"
    shutil.copytree(LAWS, dst)
    return dst


@pytest.fixture(scope="module")
def exported(built_db: Path, plain_laws: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("exports") / "out"
    result = run_export("--db", str(built_db), "--out", str(out), "--laws", str(plain_laws), "--base-url", BASE)
    assert result.exit_code == 0, result.output
    return out


# --- the command ----------------------------------------------------------------


def test_export_writes_every_format(exported: Path, built_db: Path) -> None:
    with closing(sqlite3.connect(f"file:{built_db}?mode=ro", uri=True)) as conn:
        tables = export_datapackage.content_tables(conn)
    names = {p.name for p in exported.iterdir()}
    assert names == {"datapackage.json", "laws.atom", export_atr.FILE, *(f"{t}.csv" for t in tables)}
    assert "files" not in tables and not any("_fts" in t for t in tables)
    assert {"laws", "countries", "law_areas", "provisions", "answers"} <= set(tables)


def test_export_one_format_only(built_db: Path, tmp_path: Path) -> None:
    result = run_export(
        "--db",
        str(built_db),
        "--out",
        str(tmp_path / "o"),
        "--laws",
        str(tmp_path / "none"),
        "--format",
        "atr",
        "--base-url",
        BASE,
    )
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "o").iterdir()] == [export_atr.FILE]


def test_missing_database_is_a_clear_error(tmp_path: Path) -> None:
    result = run_export("--db", str(tmp_path / "nothere.db"), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert f"{tmp_path / 'nothere.db'} does not exist: run `lawrepo build` first" in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "o").exists()


def test_not_a_database_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "laws.db"
    bad.write_text("not a database", encoding="utf-8")
    result = run_export("--db", str(bad), "--out", str(tmp_path / "o"))
    assert result.exit_code == 1
    assert f"{bad} is not a database built by `lawrepo build`" in result.output


def test_unwritable_folder_is_a_clear_error(built_db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    result = run_export("--db", str(built_db), "--out", str(blocker / "out"), "--base-url", BASE)
    assert result.exit_code == 1
    assert f"cannot write to {blocker / 'out'}" in result.output
    assert "Traceback" not in result.output


def test_bad_base_url(built_db: Path, tmp_path: Path) -> None:
    result = run_export("--db", str(built_db), "--out", str(tmp_path / "o"), "--base-url", "laws.example.org")
    assert result.exit_code == 2
    assert "--base-url" in result.output and "not an http:// or https:// address" in result.output


def test_a_failed_export_leaves_the_folder_as_it_was(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out"
    assert run_export("--db", str(built_db), "--out", str(out), "--format", "atom", "--base-url", BASE).exit_code == 0
    before = (out / "laws.atom").read_bytes()

    def broken(conn: sqlite3.Connection, base_url: str) -> Any:
        yield "country_code\r\n"
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(export_atr, "atr_csv", broken)
    result = run_export("--db", str(built_db), "--out", str(out), "--base-url", "https://other.example.org")
    assert result.exit_code == 1
    assert "disk I/O error" in result.output
    assert [p.name for p in out.iterdir()] == ["laws.atom"]  # nothing new, no temporary folder left
    assert (out / "laws.atom").read_bytes() == before


# --- Data Package ---------------------------------------------------------------


def test_datapackage_is_valid(exported: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed (pip install frictionless)")
    report = frictionless.validate(str(exported / "datapackage.json"))
    errors = [(task.name, e.type, e.note) for task in report.tasks for e in task.errors] + [
        (None, e.type, e.note) for e in report.errors
    ]
    assert report.valid, errors[:10]


def test_frictionless_finds_a_broken_foreign_key(exported: Path, tmp_path: Path) -> None:
    frictionless = pytest.importorskip("frictionless", reason="frictionless is not installed (pip install frictionless)")
    copy = tmp_path / "pkg"
    shutil.copytree(exported, copy)
    text = (copy / "law_areas.csv").read_bytes().decode("utf-8").split("\r\n")
    text[1] = "xx-no-such-law," + text[1].split(",", 1)[1]
    (copy / "law_areas.csv").write_bytes("\r\n".join(text).encode("utf-8"))
    report = frictionless.validate(str(copy / "datapackage.json"))
    assert not report.valid
    assert {e.type for task in report.tasks for e in task.errors} == {"foreign-key"}


def test_datapackage_schemas(exported: Path, built_db: Path) -> None:
    package = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    meta = export.load_metadata()
    assert package["licenses"][0]["path"] == meta["license_url"]
    assert package["sources"][0]["title"] == meta["source"]
    res = {r["name"]: r for r in package["resources"]}
    assert all(r["path"] == f"{name}.csv" for name, r in res.items())
    laws = res["laws"]
    assert laws["description"] == meta["tables"]["laws"]["description"].strip()
    fields = {f["name"]: f for f in laws["schema"]["fields"]}
    declared = {name: (typ, notnull) for _, name, typ, notnull, _, _ in db_rows(built_db, "PRAGMA table_info(laws)")}
    assert list(fields) == list(declared)
    for name, (typ, notnull) in declared.items():
        assert fields[name]["type"] == {"TEXT": "string", "INTEGER": "integer"}[typ]
        assert fields[name].get("constraints", {}).get("required", False) == (bool(notnull) or name == "id")
    assert fields["id"]["description"] == meta["tables"]["laws"]["columns"]["id"].strip()
    assert laws["schema"]["primaryKey"] == ["id"]
    assert {"fields": ["country"], "reference": {"resource": "countries", "fields": ["code"]}} in laws["schema"]["foreignKeys"]
    # a composite key and a composite foreign key
    sources = res["coverage_sources"]["schema"]
    assert sources["primaryKey"] == ["country", "area", "position"]
    assert sources["foreignKeys"] == [
        {"fields": ["country", "area"], "reference": {"resource": "coverage", "fields": ["country", "area"]}}
    ]
    answers = {f["name"]: f["type"] for f in res["answers"]["schema"]["fields"]}
    assert answers["number"] == "number" and answers["period"] == "integer"
    # the vocabulary tables share their column descriptions through a YAML anchor
    assert {f["name"]: f.get("description") for f in res["statuses"]["schema"]["fields"]}["label"] == meta["tables"]["statuses"][
        "columns"
    ]["label"]


def test_table_csv_holds_every_row(exported: Path, built_db: Path) -> None:
    rows = read_csv(exported / "laws.csv")
    ids = [r for (r,) in db_rows(built_db, "SELECT id FROM laws ORDER BY id")]
    assert [r["id"] for r in rows] == ids
    one = next(r for r in rows if r["id"] == PDPA)
    ((title, number, year, areas),) = db_rows(built_db, "SELECT title, number, year, areas FROM laws WHERE id = ?", (PDPA,))
    assert (one["title"], one["number"], one["year"], one["areas"]) == (title, number or "", str(year), areas)


# --- Atom feed ------------------------------------------------------------------


def test_feed_is_valid_atom(exported: Path, built_db: Path, plain_laws: Path) -> None:
    feed = parse_feed((exported / "laws.atom").read_bytes())
    assert feed.findtext(f"{A}id") == f"{BASE}/exports/laws.atom"
    assert feed.findtext(f"{A}title")
    assert feed.find(f"{A}author/{A}name") is not None
    assert feed.find(f"{A}link[@rel='self']").get("href") == f"{BASE}/exports/laws.atom"
    items = entries(feed)
    n_laws = db_rows(built_db, "SELECT count(*) FROM laws")[0][0]
    assert len(items) == min(n_laws, export_atom.LIMIT)
    for e in items:
        assert e["id"] and e["title"] and e["updated"] and e["link"] and e["summary"], e
        assert e["id"] == e["link"] and e["link"].startswith(f"{BASE}/law/")
        dt.datetime.strptime(e["updated"], "%Y-%m-%dT%H:%M:%SZ")
    updated = [e["updated"] for e in items]
    assert updated == sorted(updated, reverse=True)
    assert feed.findtext(f"{A}updated") == updated[0]
    # the times are those the build stored in record_times
    pdpa = next(e for e in items if e["id"] == f"{BASE}/law/{PDPA}")
    created, last = db_rows(
        built_db, "SELECT created, updated FROM record_times WHERE path = 'th/personal-data-protection-act-2019.yml'"
    )[0]
    assert (pdpa["published"], pdpa["updated"]) == (created, last)
    record = yaml.safe_load((plain_laws / "th" / "personal-data-protection-act-2019.yml").read_text(encoding="utf-8"))
    assert " ".join(record["summary"].split()) in pdpa["summary"]


def test_feed_ids_are_stable_and_order_follows_changes(tmp_path: Path) -> None:
    if not HAS_GIT:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    laws = repo / "laws"
    shutil.copytree(LAWS, laws)
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "records", when=1_700_000_000)
    db = tmp_path / "laws.db"
    assert not build(laws, db)[0].problems
    first = entries(parse_feed(feed_of(db, laws, tmp_path / "one")))
    # edit one summary, commit it later, build again
    path = laws / "th" / "personal-data-protection-act-2019.yml"
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "Thailand's general personal data protection law.", "Thailand's general law on personal data."
        ),
        encoding="utf-8",
    )
    git(repo, "commit", "-q", "-a", "-m", "edit", when=1_700_086_400)
    assert not build(laws, db)[0].problems
    second = entries(parse_feed(feed_of(db, laws, tmp_path / "two")))
    assert {e["id"] for e in first} == {e["id"] for e in second}
    assert second[0]["id"] == f"{BASE}/law/{PDPA}" and "general law on personal data" in second[0]["summary"]
    assert (second[0]["published"], second[0]["updated"]) == (iso(1_700_000_000), iso(1_700_086_400))
    assert {e["updated"] for e in first} == {e["updated"] for e in second[1:]} == {iso(1_700_000_000)}
    assert [e["id"] for e in second[1:]] == sorted(e["id"] for e in second[1:])  # ties by id


def feed_of(db: Path, laws: Path, out: Path) -> bytes:
    result = run_export("--db", str(db), "--out", str(out), "--laws", str(laws), "--format", "atom", "--base-url", BASE)
    assert result.exit_code == 0, result.output
    return (out / "laws.atom").read_bytes()


def test_feed_reads_the_record_times_table(built_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    shutil.copyfile(built_db, db)
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("DELETE FROM record_times")
        conn.execute("INSERT INTO record_times SELECT file, '2020-01-01T00:00:00Z', '2020-01-02T00:00:00Z', 'git' FROM laws")
        conn.execute(
            "UPDATE record_times SET updated = '2030-05-06T07:08:09Z' WHERE path = 'th/personal-data-protection-act-2019.yml'"
        )
        conn.commit()
    items = entries(parse_feed(feed_of(db, tmp_path / "no-laws-folder", tmp_path / "o")))
    assert items[0]["id"] == f"{BASE}/law/{PDPA}" and items[0]["updated"] == "2030-05-06T07:08:09Z"
    assert {e["updated"] for e in items[1:]} == {"2020-01-02T00:00:00Z"}


@pytest.mark.parametrize("limit", [1, 5, export_atom.LIMIT, 10_000])
def test_the_latest_times_are_the_ones_the_whole_list_gives(built_db: Path, tmp_path: Path, limit: int) -> None:
    db = tmp_path / "laws.db"
    shutil.copyfile(built_db, db)
    with closing(sqlite3.connect(db)) as conn:  # ties on the time are broken by id, as the feed breaks them
        conn.execute("UPDATE record_times SET updated = '2031-01-01T00:00:00Z' WHERE path LIKE 'th/%' OR path LIKE 'vn/%'")
        conn.commit()
        whole = dict(export_atom.latest(export.law_times(conn), limit))
        latest = export.latest_law_times(conn, limit)
        assert list(latest.items()) == list(whole.items())
        assert export_atom.feed(conn, latest, BASE, {}, limit) == export_atom.feed(conn, export.law_times(conn), BASE, {}, limit)


# --- ATR list -------------------------------------------------------------------


def test_atr_list(exported: Path, built_db: Path, plain_laws: Path) -> None:
    rows = read_csv(exported / export_atr.FILE)
    assert list(rows[0]) == export_atr.COLUMNS
    assert len(rows) == db_rows(built_db, "SELECT count(*) FROM laws")[0][0]
    row = next(r for r in rows if r["record_id"] == PDPA)
    rec = yaml.safe_load((plain_laws / "th" / "personal-data-protection-act-2019.yml").read_text(encoding="utf-8"))
    vocab = {
        name: {
            e["code"]: e["label"]
            for e in yaml.safe_load((plain_laws / "vocabularies" / f"{name}.yml").read_text(encoding="utf-8"))["entries"]
        }
        for name in ("areas", "statuses", "instrument-types", "verification")
    }
    country = yaml.safe_load((plain_laws / "countries" / "th.yml").read_text(encoding="utf-8"))
    dates = {k: str(v) for k, v in rec["dates"].items()}
    official = next((x["url"] for x in rec.get("links") or [] if x["official"]), "")
    assert row == {
        "country_code": "TH",
        "country": country["name"],
        "title": rec["title"],
        "instrument_type": vocab["instrument-types"][rec["instrument_type"]],
        "number": rec.get("number", ""),
        "issuing_agency": rec.get("agency", ""),
        "adopted": dates.get("adopted", ""),
        "promulgated": dates.get("promulgated", ""),
        "in_force": dates.get("in_force", ""),
        "repealed": dates.get("repealed", ""),
        "status": vocab["statuses"][rec["status"]],
        "official_link": official,
        "areas": "; ".join(vocab["areas"][a] for a in rec["areas"]),
        "record_id": PDPA,
        "page_url": f"{BASE}/law/{PDPA}",
        "verification": vocab["verification"][rec["provenance"]["verification"]],
    }
    names = [r["country"] for r in rows]
    assert names == sorted(names)


# --- record times ---------------------------------------------------------------


def git(repo: Path, *args: str, when: int | None = None) -> None:
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
    }
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = f"@{when} +0000"
    subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True)


def iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_times_from_git(tmp_path: Path) -> None:
    if not HAS_GIT:
        pytest.skip("git is not installed")
    repo = tmp_path / "repo"
    repo.mkdir()
    root = make_root(repo)  # repo/laws: the laws folder is below the top of the work tree
    a = write_law(root, law(id="sg-a-act-2010"))
    b = write_law(root, law(id="sg-b-act-2010"))
    gone = write_law(root, law(id="sg-gone-act-2010"))
    (repo / "README.md").write_text("outside the laws folder", encoding="utf-8")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    t0, t1, t2, t3 = 1_600_000_000, 1_600_100_000, 1_600_200_000, 1_600_300_000
    git(repo, "commit", "-q", "-m", "first", when=t0)
    write_law(root, law(id="sg-a-act-2010", summary="Changed."))
    git(repo, "commit", "-q", "-a", "-m", "edit a", when=t1)
    git(repo, "rm", "-q", str(gone))
    git(repo, "commit", "-q", "-m", "remove", when=t2)
    write_law(root, law(id="sg-gone-act-2010"))  # added again: a new life
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "re-add", when=t3)
    # uncommitted: a change to b and a new record
    write_law(root, law(id="sg-b-act-2010", summary="Not committed."))
    os.utime(b, (1_650_000_000, 1_650_000_000))
    new = write_law(root, law(id="sg-new-act-2010"))
    os.utime(new, (1_660_000_000, 1_660_000_000))

    times = timestamps.record_times(root)
    assert times["sg/a-act-2010.yml"] == (iso(t0), iso(t1), "git")
    assert times["sg/gone-act-2010.yml"] == (iso(t3), iso(t3), "git")
    assert times["sg/b-act-2010.yml"] == (iso(t0), iso(1_650_000_000), "working-tree")
    assert times["sg/new-act-2010.yml"] == (iso(1_660_000_000),) * 2 + ("working-tree",)
    assert times["countries/sg.yml"] == (iso(t0), iso(t0), "git")
    assert "README.md" not in times and "../README.md" not in times
    assert set(times) == set(timestamps.record_files(root))
    # the records' own dates when asked
    own = timestamps.record_times(root, use_git=False)
    assert own[a.relative_to(root).as_posix()][::2] == ("2010-05-19T00:00:00Z", "record")


def test_times_without_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = make_root(tmp_path)
    today = dt.date.today()
    soon = (today + dt.timedelta(days=30)).isoformat()
    write_law(
        root,
        law(
            id="sg-a-act-2010",
            dates={"adopted": "2010-05-19", "in_force": "2010-07-01", "repealed": soon},
            provenance={**law()["provenance"], "last_verified": "2024-02-03"},
        ),
    )
    write_law(
        root,
        law(
            id="sg-b-act-2010",
            dates={"adopted": "2010", "in_force": "unknown"},
            provenance={k: v for k, v in law()["provenance"].items() if k != "last_verified"},
        ),
    )
    undated = os.stat(root / "sg" / "b-act-2010.yml").st_mtime
    (root / "sg" / "flow-act-2010.yml").write_text(
        "id: sg-flow-act-2010\ndates: {adopted: 2011-01-02, in_force: '2012-03-04'}\n"
        "provenance:\n  sources: [{citation: x, accessed: 2013-01-01}]\n  last_verified: 2014-05-06\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))  # no git at all
    times = timestamps.record_times(root)
    assert times["sg/a-act-2010.yml"] == ("2010-05-19T00:00:00Z", "2024-02-03T00:00:00Z", "record")
    # only a year and 'unknown': no full date, so the file's own time
    assert times["sg/b-act-2010.yml"] == (iso(int(undated)),) * 2 + ("file",)
    assert times["sg/flow-act-2010.yml"] == ("2011-01-02T00:00:00Z", "2014-05-06T00:00:00Z", "record")
    assert times["vocabularies/areas.yml"][2] == "file"
    assert "schemas/law.schema.json" in times


def test_law_dates_reads_what_yaml_reads() -> None:
    for path in sorted(LAWS.glob("[a-z][a-z]/*.yml")):
        text = path.read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        expected = [
            str(v)
            for part in ("dates", "provenance")
            for k, v in (data.get(part) or {}).items()
            if k in ("adopted", "promulgated", "in_force", "repealed", "last_verified")
        ]
        assert sorted(timestamps.law_dates(text)) == sorted(expected), path


@pytest.mark.parametrize(
    "text",
    [
        "id: x\ndates:\n  adopted: 2019-01-02 # c\n\n  in_force: unknown\n# c\nsummary: |\n  dates: 2000-01-01\n"
        "provenance:\n  sources:\n    - citation: a\n      accessed: 2001-01-01\n  last_verified: '2020-01-01'",
        "dates:\n  {adopted: 2019-01-02}\nprovenance:\n  last_verified: 2020-01-01\n",
        "dates: {adopted: 2019-01-02, repealed: '2021'}\n",
        "id: x\ndates :\n  adopted: 2019-01-02\n",
        "id: x\ndates:\n  'adopted': 2019-01-02\n  \"in_force\": 2019-02-03\n",
        "id: x\nsummary: 'It was adopted: quickly'\ndates:\n  adopted: 2019-01-02\n",
        "id: x\r\ndates:\r\n  adopted: 2019-01-02\r\n",
        "provenance:\n  sources:\n    - last_verified: 2001-01-01\n  last_verified: 2002-02-02\n",
        "---\ndates:\n  adopted: 2019-01-02\n",
        "id: x\n",
    ],
)
def test_law_dates_on_unusual_yaml(text: str) -> None:
    data = yaml.safe_load(text)
    expected = [
        str(v)
        for part in ("dates", "provenance")
        for k, v in (data.get(part) or {}).items()
        if k in ("adopted", "promulgated", "in_force", "repealed", "last_verified")
    ]
    assert timestamps.law_dates(text) == expected


def test_law_dates_go_through_the_guarded_reader() -> None:
    # anchors are refused as in every record: such a file gives no dates (its file time stands in)
    assert timestamps.law_dates("id: x\ndates: &d\n  adopted: 2019-01-02\n") == []
    bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\ndates: {adopted: 2019-01-02}\n"
    assert timestamps.law_dates(bomb) == []


def test_span() -> None:
    today = dt.date(2025, 6, 30)
    assert timestamps.span(["2019", "2019-05", "unknown", None, "2020-01-02", "2019-12-31", "2025-07-01"], today) == (
        "2019-12-31T00:00:00Z",
        "2020-01-02T00:00:00Z",
    )
    assert timestamps.span(["2019", "unknown"], today) is None


# --- the site -------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Any:
    return make_datasette(built_db)


async def test_site_exports_page(ds: Any, built_db: Path) -> None:
    from bs4 import BeautifulSoup

    r = await ds.client.get("/exports")
    assert r.status_code == 200
    page = BeautifulSoup(r.text, "html.parser")
    hrefs = {a["href"] for a in page.select("a[href]")}
    with closing(sqlite3.connect(f"file:{built_db}?mode=ro", uri=True)) as conn:
        tables = export_datapackage.content_tables(conn)
    assert {"/exports/datapackage.json", "/exports/laws.atom", f"/exports/{export_atr.FILE}"} <= hrefs
    assert {f"/exports/{t}.csv" for t in tables} <= hrefs
    assert "/exports/files.csv" not in hrefs


async def test_site_serves_what_the_command_writes(ds: Any, exported: Path) -> None:
    package = (await ds.client.get("/exports/datapackage.json")).json()
    assert package == json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    for table in ("laws", "coverage_sources", "answers"):
        r = await ds.client.get(f"/exports/{table}.csv")
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert r.content == (exported / f"{table}.csv").read_bytes()
    r = await ds.client.get(f"/exports/{export_atr.FILE}", headers={"host": "evil.example"})
    assert r.status_code == 200
    served = list(csv.DictReader(io.StringIO(r.text)))
    written = read_csv(exported / export_atr.FILE)
    assert served == [{**w, "page_url": w["page_url"].replace(BASE, CONFIGURED)} for w in written]


async def test_site_feed(ds: Any, exported: Path) -> None:
    r = await ds.client.get("/exports/laws.atom", headers={"host": "evil.example", "x-forwarded-host": "evil.example"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/atom+xml")
    assert b"evil.example" not in r.content
    served = entries(parse_feed(r.content))
    written = entries(parse_feed((exported / "laws.atom").read_bytes()))
    assert served == [
        {**w, "id": w["id"].replace(BASE, CONFIGURED), "link": w["link"].replace(BASE, CONFIGURED)} for w in written
    ]


async def test_site_feed_uses_the_configured_address(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LAWREPO_BASE_URL", "https://configured.example.org/")
    r = await make_datasette(built_db).client.get("/exports/laws.atom")
    feed = parse_feed(r.content)
    assert feed.findtext(f"{A}id") == "https://configured.example.org/exports/laws.atom"
    assert all(e["id"].startswith("https://configured.example.org/law/") for e in entries(feed))


@pytest.mark.parametrize(
    "path",
    [
        "/exports/files.csv",
        "/exports/laws_fts.csv",
        "/exports/laws_fts_data.csv",
        "/exports/nothing.csv",
        "/exports/sqlite_stat1.csv",
    ],
)
async def test_site_refuses_other_tables(ds: Any, path: str) -> None:
    assert (await ds.client.get(path)).status_code == 404


async def test_law_page_shows_the_record_times(built_db: Path) -> None:
    from tests.helpers import make_datasette

    created, updated, source = db_rows(
        built_db, "SELECT created, updated, source FROM record_times WHERE path = 'th/personal-data-protection-act-2019.yml'"
    )[0]
    page = (await make_datasette(built_db).client.get(f"/law/{PDPA}")).text
    facts = page[page.index("Record created") :]
    assert f'datetime="{created[:10]}"' in facts and f'datetime="{updated[:10]}"' in facts[facts.index("Record updated") :]
