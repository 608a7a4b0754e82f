"""The copy of the previous database a patch works on is made in the background."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from bench.synthetic import make_corpus
from ingest.build.copying import BackgroundCopy
from ingest.build.database import build, read_previous
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


def test_the_replaced_database_is_removed_and_readers_keep_theirs(synthetic_small: Path, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    build(synthetic_small, db)
    reader = sqlite3.connect(f"file:{db}?mode=ro", uri=True)  # a server with the old file open
    edit(synthetic_small / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: Edited eight")
    corpus, counts = build(synthetic_small, db, previous=read_previous(db))
    assert counts and corpus.parsed == 1
    assert reader.execute("SELECT short_title FROM laws WHERE id = 'th-synthetic-law-8'").fetchone() == ("SA 8",)
    assert sqlite3.connect(db).execute("SELECT short_title FROM laws WHERE id = 'th-synthetic-law-8'").fetchone() == (
        "Edited eight",
    )
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("laws.db")) == ["laws.db", "laws.db.state"]


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
