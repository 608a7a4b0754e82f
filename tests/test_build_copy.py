"""The copy of the previous database a patch works on is made in the background."""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from bench.synthetic import make_corpus
from ingest.build import build_state, database, spare
from ingest.build.copying import BackgroundCopy
from ingest.build.database import build, read_previous
from tests.helpers import make_datasette, spare_lacks
from tests.test_build import dump, edit


def test_the_background_copy_is_the_file(tmp_path: Path) -> None:
    source, target = tmp_path / "a.db", tmp_path / "b.db"
    source.write_bytes(os.urandom(3 << 20) * 2)
    copy = BackgroundCopy(source, target)
    copy.wait()
    copy.finish()
    assert target.read_bytes() == source.read_bytes()


def test_a_dropped_copy_leaves_nothing_and_spares_a_new_file_at_its_place(tmp_path: Path) -> None:
    source, target = tmp_path / "a.db", tmp_path / "b.db"
    source.write_bytes(b"x" * (1 << 20))
    copy = BackgroundCopy(source, target)
    copy.drop()
    assert not target.exists()
    target.write_bytes(b"new")  # what the build writes instead
    copy.finish()
    assert target.read_bytes() == b"new"


def test_a_build_that_is_not_a_patch_drops_the_copy(laws_copy: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(laws_copy, db)
    edit(laws_copy / "countries" / "sg.yml", "name: Singapore", "name: Singapura")  # every record checked again
    corpus, counts = build(laws_copy, db, previous=read_previous(db))
    assert counts and corpus.reused == 0
    build(laws_copy, full)
    assert dump(db) == dump(full)
    corpus, counts = build(laws_copy, db, previous=read_previous(db))  # nothing changed: nothing written
    assert counts is None
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full.db", "full.db.state", "laws", "laws.db", "laws.db.state"]


def title_of(conn: sqlite3.Connection, law_id: str = "th-synthetic-law-8") -> str:
    return str(conn.execute("SELECT short_title FROM laws WHERE id = ?", [law_id]).fetchone()[0])


def test_the_replaced_database_is_kept_as_the_spare_and_its_readers_keep_theirs(synthetic_small: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(synthetic_small, db)
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # a server with the old file open
    edit(synthetic_small / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    corpus, counts = build(synthetic_small, db, previous=read_previous(db))
    assert counts and corpus.parsed == 1
    assert title_of(reader) == "SA 8" and title_of(sqlite3.connect(db)) == "Edited eight"
    names = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("laws.db"))
    assert names == ["laws.db", "laws.db.spare", "laws.db.state"]
    assert spare_lacks(db) == ["th/synthetic-law-8.yml"]
    # the next patch takes the spare, brings it up to date and moves it into place: no copy is made
    spare_inode = (tmp_path / "laws.db.spare").stat().st_ino
    edit(synthetic_small / "vn" / "synthetic-law-10.yml", "short_title: SA 10", "short_title: Edited ten")
    copies: list[Path] = []
    with monkeypatched_copy(copies):
        corpus, counts = build(synthetic_small, db, previous=read_previous(db))
    assert counts and copies == [] and db.stat().st_ino == spare_inode
    assert corpus.parsed == 2  # the edited record, and the one the spare lacked
    build(synthetic_small, full)
    assert dump(db) == dump(full)
    assert spare_lacks(db) == ["vn/synthetic-law-10.yml"]


def test_a_spare_a_server_still_reads_is_left_alone(synthetic_small: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(synthetic_small, db)
    edit(synthetic_small / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    held = spare.hold_for_reading(db)  # the site serving the database as it is now
    assert held is not None
    try:
        build(synthetic_small, db, previous=read_previous(db))  # the served file becomes the spare
        reader = sqlite3.connect(f"file:{db.with_name('laws.db.spare')}?immutable=1", uri=True)
        edit(synthetic_small / "th" / "synthetic-law-8.yml", "short_title: Edited eight", "short_title: Again")
        copies: list[Path] = []
        with monkeypatched_copy(copies):
            corpus, counts = build(synthetic_small, db, previous=read_previous(db))
        assert counts and copies == [db]  # the locked spare was not taken: the database was copied
        assert title_of(reader) == "SA 8"  # what the server reads has not changed under it
        build(synthetic_small, full)
        assert dump(db) == dump(full)
    finally:
        os.close(held)


def test_a_spare_changed_since_or_left_on_another_day_is_not_taken(synthetic_small: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(synthetic_small, db)
    edit(synthetic_small / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    build(synthetic_small, db, previous=read_previous(db))
    with sqlite3.connect(db.with_name("laws.db.spare")) as conn:  # someone wrote to it
        conn.execute("UPDATE laws SET title = 'Changed by hand' WHERE id = 'vn-synthetic-law-10'")
    edit(synthetic_small / "th" / "synthetic-law-19.yml", "short_title: SA 19", "short_title: Edited nineteen")
    copies: list[Path] = []
    with monkeypatched_copy(copies):
        corpus, counts = build(synthetic_small, db, previous=read_previous(db))
    assert counts and copies == [db] and corpus.parsed == 1
    build(synthetic_small, full)
    assert dump(db) == dump(full)
    # a day later, the spare the last patch left is not taken either (its periods were worked out for its day)
    edit(synthetic_small / "th" / "synthetic-law-19.yml", "short_title: Edited nineteen", "short_title: Nineteen")
    copies.clear()
    with monkeypatched_copy(copies):
        corpus, counts = build(synthetic_small, db, previous=read_previous(db), today=dt.date.today() + dt.timedelta(days=1))
    assert counts and copies == [db]


@contextmanager
def monkeypatched_copy(copies: list[Path]) -> Iterator[None]:
    """Record the databases the build copies."""
    original = database.BackgroundCopy

    def recording(source: Path, target: Path) -> BackgroundCopy:
        copies.append(source)
        return original(source, target)

    database.BackgroundCopy = recording  # type: ignore[assignment,misc]
    try:
        yield
    finally:
        database.BackgroundCopy = original  # type: ignore[misc]


@pytest.fixture
def synthetic_small(tmp_path: Path) -> Path:
    folder = make_corpus(tmp_path / "corpus", 200)
    hour_ago = time.time() - 3600
    for path in folder.rglob("*.yml"):
        os.utime(path, (hour_ago, hour_ago))
    return folder


def test_a_bad_record_in_a_patch_leaves_the_database_and_no_copy(synthetic_small: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    build(synthetic_small, db)
    before = dump(db)
    edit(synthetic_small / "th" / "synthetic-law-8.yml", "\nstatus: ", "\nstatus: not-a-")
    corpus, counts = build(synthetic_small, db, previous=read_previous(db))
    assert counts is None
    found = [p for p in corpus.problems if p.path.endswith("th/synthetic-law-8.yml")]
    assert found and found[0].field == "status" and found[0].line > 1
    assert dump(db) == before
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("laws.db")) == ["laws.db", "laws.db.state"]


async def test_the_site_holds_a_shared_lock_on_the_database_it_serves(synthetic_small: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    build(synthetic_small, db)
    free = os.open(db, os.O_RDONLY)
    try:
        fcntl.flock(free, fcntl.LOCK_EX | fcntl.LOCK_NB)  # nothing holds it yet
        fcntl.flock(free, fcntl.LOCK_UN)
        ds = make_datasette(db)
        await ds.invoke_startup()
        with pytest.raises(BlockingIOError):
            fcntl.flock(free, fcntl.LOCK_EX | fcntl.LOCK_NB)
    finally:
        os.close(free)
    # so the file, once a patch has moved it aside, is not taken as the next patch's spare
    edit(synthetic_small / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    build(synthetic_small, db, previous=read_previous(db))
    assert spare.take(db, tmp_path / "taken.db", build_state.spare_of(db, database.builder_digest()), today()) is None


def today() -> str:
    return dt.date.today().isoformat()
