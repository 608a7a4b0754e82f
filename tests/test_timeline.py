"""The timeline of each member state and area (area_periods): what was in
force when, from the laws' dates and replacements."""

from __future__ import annotations

import datetime as dt
import sqlite3
from contextlib import closing
from pathlib import Path

from ingest.build.database import build, read_previous
from ingest.site import compare, country
from tests.helpers import law, make_root, write_law

A = "sg-example-act-2010"
B = "sg-example-act-2020"
C = "sg-example-amendment-act-2015"
D = "sg-example-regulations-2012"


def periods(db: Path) -> list[tuple]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "select area, starts, ends, status, law_id, approx from area_periods order by area, starts"
        ).fetchall()


def test_replacement_amendment_and_unknown_dates(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_law(root, law(status="superseded"))  # A: in force 2010-07-01, replaced by B
    write_law(
        root,
        law(
            id=B,
            title="Example Act 2020",
            dates={"adopted": "2020-01-10", "in_force": "2020-06-01"},
            relations=[{"type": "replaces", "target": A}],
        ),
    )
    # an amending act in the same area does not take the cell from the act it amends
    write_law(
        root,
        law(
            id=C,
            title="Example (Amendment) Act 2015",
            dates={"adopted": "2015-02-01", "in_force": "2015-03-01"},
            relations=[{"type": "amends", "target": A}],
        ),
    )
    # a law whose in-force date is unknown counts from its adoption, marked approximate
    write_law(
        root,
        law(
            id=D,
            title="Example Regulations 2012",
            instrument_type="regulations",
            areas=["e-signatures"],
            dates={"adopted": "2012-05-01", "in_force": "unknown"},
            provenance={**law()["provenance"], "note": "Commencement not found."},
        ),
    )
    corpus, counts = build(root, tmp_path / "laws.db", today=dt.date(2026, 11, 29))
    assert not corpus.problems, corpus.problems
    assert periods(tmp_path / "laws.db") == [
        ("e-signatures", "2012-05-01", None, "in-force", D, 1),
        ("e-transactions", "2010-05-19", "2010-07-01", "enacted-not-in-force", A, 0),
        ("e-transactions", "2010-07-01", "2020-06-01", "in-force", A, 0),
        ("e-transactions", "2020-06-01", None, "in-force", B, 0),
    ]
    with closing(sqlite3.connect(tmp_path / "laws.db")) as conn:
        today = dt.date(2026, 11, 29)
        cell = compare.overview(conn, "2016-01-01", today)["countries"][0]["cells"]
        assert (cell["e-transactions"]["law_id"], cell["e-transactions"]["status"]) == (A, "in-force")
        assert cell["data-protection"]["status"] == "unknown"  # the profile says partial today
        before = compare.overview(conn, "2009-01-01", today)["countries"][0]["cells"]["e-transactions"]
        assert before["status"] == "unknown" and before["law_id"] is None  # partial today: not known then
        progress = country.progress(conn, today)
        et = next(s for s in progress["series"] if s["area"]["code"] == "e-transactions")["counts"]
        assert et[progress["years"].index(2009)] == 0 and et[progress["years"].index(2010)] == 1


def test_patched_build_recomputes_the_timeline(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_law(root, law())
    db = tmp_path / "laws.db"
    build(root, db)
    write_law(root, law(dates={"adopted": "2010-05-19", "in_force": "2011-01-01"}))
    corpus, counts = build(root, db, previous=read_previous(db))
    assert corpus.incremental and counts
    assert ("e-transactions", "2011-01-01", None, "in-force", A, 0) in periods(db)
