"""A patched build recomputes the derived tables (principal laws, the
timeline's periods, the page tables) only for the cells (country, area) the
changed records touch, and for the countries of those cells: edits whose
effect reaches laws in other areas and other countries give what a full build
gives."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from bench.synthetic import make_corpus
from ingest.build.database import build, read_previous
from tests.helpers import spare_lacks
from tests.test_build import dump, edit


@pytest.fixture
def laws(tmp_path: Path) -> Path:
    folder = make_corpus(tmp_path / "corpus", 300)
    hour_ago = time.time() - 3600  # files just written are read again by the next build (their time may not move)
    for path in folder.rglob("*.yml"):
        os.utime(path, (hour_ago, hour_ago))
    return folder


def patched_like_full(laws: Path, db: Path, full: Path, parsed: int = 1) -> None:
    lacking = {k for k in spare_lacks(db) if (laws / k).exists()}
    corpus, counts = build(laws, db, previous=read_previous(db))
    assert corpus.problems == [] and counts, corpus.problems[:3]
    assert corpus.incremental and corpus.changes is not None
    # the changed records, and those the spare patched lacks (the ones the previous patch changed)
    assert corpus.parsed == parsed + len(lacking - {key for _, key in corpus.changes.changed})
    build(laws, full)
    assert dump(db) == dump(full)


def test_a_changed_law_recomputes_the_cells_of_the_laws_it_replaces_in_other_areas(laws: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(laws, db)
    # th-synthetic-law-294 (platforms) replaces th-synthetic-law-283 (e-signatures, e-transactions); without
    # its repeal date, the older law holds until the newer one comes into force
    edit(laws / "th" / "synthetic-law-283.yml", "  repealed: 1997-12-31\n", "")
    patched_like_full(laws, db, full)
    older_cells = (
        "SELECT * FROM area_periods WHERE country = 'TH' AND area IN ('e-signatures', 'e-transactions') ORDER BY 1, 2, 3"
    )
    before = sqlite3.connect(db).execute(older_cells).fetchall()
    assert "th-synthetic-law-283" in {r[5] for r in before}
    # the newer law was made in 1996: the older law's periods in its own areas end when it came into force
    newer = laws / "th" / "synthetic-law-294.yml"
    for old, new in (("2013-03-15", "1996-03-15"), ("2013-04-15", "1996-04-15"), ("2013-06-01", "1996-09-01")):
        edit(newer, old, new)
    patched_like_full(laws, db, full)
    after = sqlite3.connect(db).execute(older_cells).fetchall()
    assert after != before and ("TH", "e-signatures", "1996-06-01", "1996-09-01", "in-force", "th-synthetic-law-283") in {
        r[:6] for r in after
    }, (before, after)


def test_a_relation_added_or_removed_recomputes_the_other_countrys_cells(laws: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(laws, db)
    # a Thai platforms law now amends a Malaysian consumer-protection law: that law's rank among its cell's changes
    relation = "relations:\n  - type: replaces\n    target: th-synthetic-law-283\n"
    amends = relation + "  - type: amends\n    target: my-synthetic-law-136\n"
    edit(laws / "th" / "synthetic-law-294.yml", relation, amends)
    patched_like_full(laws, db, full)
    edit(laws / "th" / "synthetic-law-294.yml", amends, relation)
    patched_like_full(laws, db, full)


def test_a_law_moved_to_other_areas_leaves_its_old_cells_right(laws: Path, tmp_path: Path) -> None:
    db, full = tmp_path / "laws.db", tmp_path / "full.db"
    build(laws, db)
    edit(laws / "my" / "synthetic-law-136.yml", "areas: [consumer-protection]", "areas: [cybersecurity]")
    edit(laws / "my" / "synthetic-law-136.yml", "    area: consumer-protection", "    area: cybersecurity")
    patched_like_full(laws, db, full)
    (laws / "my" / "synthetic-law-147.yml").unlink()  # and a law of three areas removed
    patched_like_full(laws, db, full, parsed=0)
