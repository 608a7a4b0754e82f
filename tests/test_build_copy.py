"""The copy of the previous database a patch works on is made in the background."""

from __future__ import annotations

import os
from pathlib import Path

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
