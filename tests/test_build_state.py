"""The state a build leaves beside the database, and the patched builds that use it."""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

import pytest

from ingest.build import build_state, timestamps
from ingest.build.database import build, read_previous
from ingest.build.previous_laws import PreviousLaws
from ingest.rules.corpus import validate
from tests.helpers import settled_corpus
from tests.test_build import dump, edit


@pytest.fixture
def synthetic(tmp_path_factory) -> Path:
    return settled_corpus(tmp_path_factory.mktemp("synthetic"), 1200)


def test_a_build_leaves_a_state_that_describes_its_database(synthetic: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    corpus, _ = build(synthetic, db)
    state = build_state.load(db)
    assert state is not None
    from_tables = read_previous_from_tables(db)
    assert state.digests == from_tables.digests and state.builder == from_tables.builder
    assert state.facts.keys() == from_tables.facts.keys()
    for key, facts in from_tables.facts.items():
        assert state.facts[key] == facts, key
    times = dict((r[0], r[1:]) for r in sqlite3.connect(db).execute("SELECT * FROM record_times"))
    assert state.times == times
    assert len(state.stats) == len(corpus.laws)  # every law file's size and time, to skip reading it next time


def read_previous_from_tables(db: Path):
    """What read_previous finds in the database's own tables (no state beside it)."""
    state = build_state.path_of(db)
    saved = state.read_bytes()
    state.unlink()
    try:
        previous = read_previous(db)
        assert previous is not None
        return previous
    finally:
        state.write_bytes(saved)


def test_a_state_that_does_not_match_its_database_is_not_used(synthetic: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    build(synthetic, db)
    assert build_state.load(db) is not None
    with sqlite3.connect(db) as conn:  # someone changed the database after the build
        conn.execute("UPDATE laws SET title = 'Changed by hand' WHERE id = 'th-synthetic-law-8'")
    assert build_state.load(db) is None
    previous = read_previous(db)  # from the tables instead
    assert previous is not None and "th/synthetic-law-8.yml" in previous.facts
    build_state.path_of(db).write_bytes(b"\x00not a state")
    assert build_state.load(db) is None


def test_patches_with_the_state_give_the_full_build(synthetic: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(synthetic, db)
    # an edit, a file touched but not changed, a removed record and a new one
    edit(synthetic / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    touched = synthetic / "vn" / "synthetic-law-10.yml"
    os.utime(touched, ns=(touched.stat().st_atime_ns, touched.stat().st_mtime_ns + 5_000_000_000))
    (synthetic / "th" / "synthetic-law-30.yml").unlink()
    copy = (synthetic / "my" / "synthetic-law-26.yml").read_text(encoding="utf-8")
    (synthetic / "my" / "synthetic-law-new.yml").write_text(
        copy.replace("my-synthetic-law-26", "my-synthetic-law-new"), encoding="utf-8"
    )
    corpus, counts = build(synthetic, db, previous=read_previous(db))
    assert corpus.problems == [] and counts
    assert corpus.parsed == 2 and corpus.reused == len(corpus.laws) - 2
    build(synthetic, full)
    assert dump(db) == dump(full)
    # and again from the state that patch left: a second edit. The database the first patch moved
    # aside is patched in place: it lacks that patch's changes, so the edited record is read again too
    edit(synthetic / "my" / "synthetic-law-new.yml", "short_title: SA 26", "short_title: New one")
    corpus, counts = build(synthetic, db, previous=read_previous(db))
    assert counts and corpus.parsed == 2
    build(synthetic, full)
    assert dump(db) == dump(full)


def test_a_state_from_another_day_still_gives_the_full_build(synthetic: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(synthetic, db)
    state = build_state.load(db)
    assert state is not None
    # the times were taken up to another day: they are worked out again, not reused
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE record_times SET updated = '1999-01-01T00:00:00Z' WHERE source = 'record'")
    state.times = {p: ("1999-01-01T00:00:00Z", "1999-01-01T00:00:00Z", "record") for p in state.times}
    state.times_today = "1999-01-01"
    edit(synthetic / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    corpus, counts = build(synthetic, db, previous=state)
    assert counts and corpus.parsed == 1
    build(synthetic, full)
    assert dump(db) == dump(full)


def test_worker_processes_give_what_one_process_gives(synthetic: Path, tmp_path: Path) -> None:
    # 1,200 records: enough for the records to be read, checked and made into rows in worker processes
    bad = synthetic / "vn" / "synthetic-law-21.yml"
    good = bad.read_text(encoding="utf-8")
    bad.write_text(good.replace("    language: vi\n", "    language: xx\n", 1), encoding="utf-8")
    one = validate(synthetic, jobs=1).problems
    two = validate(synthetic, jobs=2).problems
    assert one == two
    found = [p for p in one if p.field == "links[0].language"]
    assert len(found) == 1 and found[0].path.endswith("vn/synthetic-law-21.yml") and found[0].line == 24
    bad.write_text(good, encoding="utf-8")
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    corpus_a, counts_a = build(synthetic, a, jobs=1)
    corpus_b, counts_b = build(synthetic, b, jobs=2)
    assert counts_a == counts_b and counts_a and counts_a["laws"] == 1200
    assert corpus_a.laws == corpus_b.laws
    assert dump(a) == dump(b)


def test_a_patch_rewrites_only_the_rows_of_the_files_that_changed_in_the_state(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "laws.db"
    build(synthetic, db)
    state_file = build_state.path_of(db)

    def rows() -> dict[str, tuple]:
        with sqlite3.connect(state_file) as conn:
            return {r[0]: r[1:] for r in conn.execute("SELECT * FROM files")}

    before, inode = rows(), state_file.stat().st_ino
    monkeypatch.setattr(build_state, "_write_whole", lambda *a: pytest.fail("the state was written whole"))
    edit(synthetic / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    (synthetic / "th" / "synthetic-law-30.yml").unlink()
    corpus, counts = build(synthetic, db, previous=read_previous(db))
    assert counts and corpus.parsed == 1
    after = rows()
    assert state_file.stat().st_ino == inode  # patched where it is, not written again
    assert {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)} == {
        "th/synthetic-law-8.yml",
        "th/synthetic-law-30.yml",
    }
    state, from_tables = build_state.load(db), read_previous_from_tables(db)
    assert state is not None and state.digests == from_tables.digests and state.facts == from_tables.facts
    assert state.facts["th/synthetic-law-8.yml"].id == "th-synthetic-law-8"


def test_a_state_that_another_build_replaced_is_written_whole(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "laws.db"
    build(synthetic, db)
    previous = read_previous(db)
    assert previous is not None and previous.state_of is not None
    build(synthetic, db, previous=None)  # a full build since: the state now describes another database
    edit(synthetic / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    written, whole = [], build_state._write_whole
    monkeypatch.setattr(build_state, "_write_whole", lambda *a: written.append(a[0]) or whole(*a))
    corpus, counts = build(synthetic, db, previous=previous)  # what was read before that build
    assert counts and corpus.parsed == 1 and corpus.incremental
    assert written == [db]  # not patched: written whole
    state, from_tables = build_state.load(db), read_previous_from_tables(db)
    assert state is not None and state.facts == from_tables.facts and state.digests == from_tables.digests


def test_a_patch_outside_git_works_out_only_the_times_of_the_files_it_read(
    synthetic: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(synthetic, db)
    law = synthetic / "th" / "synthetic-law-8.yml"
    line = next(x for x in law.read_text(encoding="utf-8").splitlines() if x.startswith("  last_verified: "))
    edit(law, line, "  last_verified: 2026-01-02")  # its updated time is now that day
    (synthetic / "th" / "synthetic-law-30.yml").unlink()
    worked_out: list[str] = []
    times_of = timestamps._times_of
    monkeypatch.setattr(timestamps, "_times_of", lambda path, *a: worked_out.append(path) or times_of(path, *a))
    # nor are the previous build's times of every file read
    monkeypatch.setattr(PreviousLaws, "all_times", lambda self: pytest.fail("every file's times were read"))
    corpus, counts = build(synthetic, db, previous=read_previous(db))
    assert counts and corpus.parsed == 1
    assert [p for p in worked_out if "/th/" in p or "/vn/" in p] == [str(law)]  # of the law records, only the one read
    monkeypatch.undo()
    build(synthetic, full)
    assert dump(db) == dump(full)
    with sqlite3.connect(db) as conn:
        row = conn.execute("SELECT updated FROM record_times WHERE path = 'th/synthetic-law-8.yml'").fetchone()
        assert row == ("2026-01-02T00:00:00Z",)
        in_db = {r[0]: r[1:] for r in conn.execute("SELECT * FROM record_times")}
    state = build_state.load(db)
    assert state is not None and state.times == in_db  # the state patched with the same rows
