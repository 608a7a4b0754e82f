"""The database build: atomic, deterministic, incremental and searchable."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from bench.synthetic import make_corpus
from ingest.build.database import build, read_previous
from tests.helpers import ROOT


def dump(db: Path) -> dict[str, list[tuple]]:
    """Every content table and view, rows in primary-key order (rowids aside)."""
    conn = sqlite3.connect(db)
    out = {}
    names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type IN ('table', 'view') AND name NOT LIKE '%_fts%' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    for name in names:
        rows = conn.execute(f"SELECT * FROM [{name}]").fetchall()
        out[name] = sorted(rows, key=repr)
    out["schema"] = sorted(conn.execute("SELECT type, name, sql FROM sqlite_master WHERE name NOT LIKE 'sqlite_stat%'"))
    for table in ("laws", "provisions", "law_titles"):
        out[f"{table}_fts"] = sorted(conn.execute(f"SELECT * FROM [{table}_fts]").fetchall(), key=repr)
    conn.close()
    return out


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory) -> Path:
    return make_corpus(tmp_path_factory.mktemp("synthetic"), 3000)


def test_same_records_give_the_same_database(tmp_path: Path) -> None:
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    build(ROOT / "laws", a)
    build(ROOT / "laws", b)
    assert dump(a) == dump(b)


def test_tables_have_foreign_keys_and_indexes(built_db: Path) -> None:
    conn = sqlite3.connect(built_db)
    fks = {(r[2], r[3]) for r in conn.execute("SELECT * FROM pragma_foreign_key_list('laws')")}
    assert ("countries", "country") in fks and ("statuses", "status") in fks
    assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    indexes = {r[1] for r in conn.execute("PRAGMA index_list('laws')")}
    assert {"laws_country", "laws_status"} <= indexes
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_one_edited_record_is_patched_like_a_full_build(synthetic: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    build(synthetic, db)
    edit(synthetic / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    (synthetic / "th" / "synthetic-law-30.yml").unlink()  # and one removed
    corpus, counts = build(synthetic, db, previous=read_previous(db))
    assert corpus.problems == [] and counts
    assert corpus.parsed == 1 and corpus.reused == 2998  # unchanged files were not read again
    full = tmp_path / "full.db"
    build(synthetic, full)
    assert dump(db) == dump(full)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT rowid FROM laws_fts WHERE laws_fts MATCH 'edited'").fetchall()
    assert conn.execute("SELECT count(*) FROM laws WHERE id = 'th-synthetic-law-30'").fetchone() == (0,)
    # the tables shaped for the pages were patched too (dump compared them with the full build's)
    assert {"page_area_cells", "page_country_laws", "page_country_events", "page_home_totals"} <= set(dump(db))
    assert conn.execute("SELECT count(*) FROM page_country_laws WHERE id = 'th-synthetic-law-30'").fetchone() == (0,)
    assert conn.execute("SELECT laws FROM page_home_countries WHERE code = 'TH'").fetchone() == (
        conn.execute("SELECT count(*) FROM laws WHERE country = 'TH'").fetchone()[0],
    )
    assert conn.execute("SELECT laws FROM page_home_totals").fetchone() == (2999,)
    assert conn.execute("SELECT count(*) FROM page_country_events WHERE law_title = 'Edited eight'").fetchone()[0] >= 1


def test_a_database_written_by_other_code_is_rebuilt_in_full(tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    build(ROOT / "laws", db)
    corpus, counts = build(ROOT / "laws", db, previous=read_previous(db))
    assert counts is None and corpus.parsed == 0  # up to date: nothing read, nothing written
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE files SET digest = 'older' WHERE kind = 'builder'")
    corpus, counts = build(ROOT / "laws", db, previous=read_previous(db))
    assert counts and corpus.reused == 0 and corpus.parsed == len(corpus.laws)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, (path, old)
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_a_changed_profile_or_vocabulary_means_a_full_check(laws_copy: Path, tmp_path: Path) -> None:
    laws, db = laws_copy, tmp_path / "laws.db"
    build(laws, db)
    edit(laws / "countries" / "sg.yml", "name: Singapore", "name: Singapura")
    corpus, counts = build(laws, db, previous=read_previous(db))
    assert counts and corpus.reused == 0
    assert sqlite3.connect(db).execute("SELECT name FROM countries WHERE code = 'SG'").fetchone() == ("Singapura",)
    (laws / "vocabularies" / "link-kinds.yml").unlink()  # a removed support file counts too
    corpus, _ = build(laws, db, previous=read_previous(db))
    assert corpus.reused == 0
    assert [str(p) for p in corpus.problems] == [f"{laws}/vocabularies: missing vocabularies: link-kinds"]


def test_a_patch_recomputes_the_principal_laws_it_affects(laws_copy: Path, tmp_path: Path) -> None:
    laws, db = laws_copy, tmp_path / "laws.db"
    build(laws, db)
    query = "SELECT law_id FROM principal_laws WHERE country = 'TH' AND area = 'e-transactions'"
    assert sqlite3.connect(db).execute(query).fetchone() == ("th-electronic-transactions-act-2001",)
    edit(
        laws / "th" / "electronic-transactions-act-2001.yml",
        "areas: [e-transactions, e-signatures]",
        "areas: [e-signatures, e-transactions]",
    )
    corpus, counts = build(laws, db, previous=read_previous(db))
    assert counts and corpus.parsed == 1
    principal = sqlite3.connect(db).execute(query).fetchone()
    # no longer its principal area: a law whose principal area it is now comes first
    assert principal and principal != ("th-electronic-transactions-act-2001",)
    full = tmp_path / "full.db"
    build(laws, full)
    assert sqlite3.connect(full).execute(query).fetchone() == principal
    assert dump(db) == dump(full)


def test_a_killed_build_leaves_the_previous_database(synthetic: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    build(synthetic, db)
    before = dump(db)
    edit(synthetic / "my" / "synthetic-law-4.yml", "short_title: SA 4", "short_title: Changed")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ingest", "build", "--full", "--laws", str(synthetic), "--db", str(db), "--jobs", "1"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 60
    while not list(tmp_path.glob("laws.db.tmp-*")) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert proc.poll() is None, "the build ended before it could be interrupted"
    time.sleep(0.05)  # well inside the write
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert list(tmp_path.glob("laws.db.tmp-*")), "the kill should have left a half-written temporary file"
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()
    assert dump(db) == before
    # the next build cleans up and succeeds
    build(synthetic, db)
    assert not list(tmp_path.glob("laws.db.tmp-*"))
    assert sqlite3.connect(db).execute("SELECT short_title FROM laws WHERE id = 'my-synthetic-law-4'").fetchone() == ("Changed",)


# --- search ------------------------------------------------------------------


def search(db: Path, table: str, query: str) -> list[str]:
    conn = sqlite3.connect(db)
    key = "id" if table == "laws" else "law_id"
    sql = f"SELECT t.{key} FROM [{table}] t JOIN [{table}_fts] f ON f.rowid = t.rowid WHERE [{table}_fts] MATCH ?"
    return sorted({r[0] for r in conn.execute(sql, (query,))})


def test_search_finds_an_english_title(built_db: Path) -> None:
    assert "th-personal-data-protection-act-2019" in search(built_db, "laws", "personal data protection")


def test_search_finds_a_number(built_db: Path) -> None:
    assert "vn-law-on-e-transactions-2023" in search(built_db, "laws", '"20/2023/QH15"')
    assert "ph-electronic-commerce-act-2000" in search(built_db, "laws", "8792")


def test_search_finds_vietnamese_typed_without_diacritics(built_db: Path) -> None:
    assert "vn-law-on-e-transactions-2023" in search(built_db, "laws", "giao dich dien tu")
    assert "vn-law-on-e-transactions-2023" in search(built_db, "laws", "Giao dịch điện tử")


def test_search_finds_a_thai_title_by_a_substring(built_db: Path) -> None:
    # "ข้อมูลส่วนบุคคล" (personal data) sits inside the Thai title, with no spaces around it
    assert "th-personal-data-protection-act-2019" in search(built_db, "law_titles", '"ข้อมูลส่วนบุคคล"')


def test_search_finds_a_provision(built_db: Path) -> None:
    conn = sqlite3.connect(built_db)
    rows = conn.execute(
        "SELECT p.law_id, p.ref FROM provisions p JOIN provisions_fts f ON f.rowid = p.rowid "
        "WHERE provisions_fts MATCH 'recognition electronic signatures'"
    ).fetchall()
    assert ("ph-electronic-commerce-act-2000", "Sec. 8") in rows


def test_the_builder_digest_covers_every_module_and_sql_file() -> None:
    from ingest.build.database import builder_files
    from ingest.common.paths import DB_DIR, PACKAGE

    covered = set(builder_files())
    modules = {p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts}
    assert {PACKAGE / "site" / "compare.py", PACKAGE / "rules" / "verification.py", PACKAGE / "cli" / "main.py"} <= modules
    assert modules <= covered
    assert set(DB_DIR.glob("*.sql")) <= covered and DB_DIR / "schema.sql" in covered
    assert PACKAGE / "review" / "templates" / "worksheet.html" in covered


def test_a_change_to_a_nested_module_forces_a_full_build(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ingest.build import database

    db = tmp_path / "laws.db"
    build(synthetic, db)
    assert read_previous(db).builder == database.builder_digest()
    real = database.builder_files
    extra = tmp_path / "module.py"
    extra.write_text("X = 1\n", encoding="utf-8")
    monkeypatch.setattr(database, "builder_files", lambda: [*real(), extra])
    assert read_previous(db) is None  # written by other code: nothing of it is read, the build is a full one
    corpus, _ = build(synthetic, db, previous=read_previous(db))
    assert not corpus.problems and not corpus.incremental and corpus.parsed > 0
