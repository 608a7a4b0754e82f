"""The tables the build shapes for the pages (db/pages.sql) hold what the
pages' aggregate queries used to compute on every request, on the bundled
corpus and on a synthetic one; the pages read them and list long lists in
pages."""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from datasette.tracer import capture_traces

from bench.synthetic import make_corpus
from ingest.build.database import build
from ingest.site import area, country
from tests.helpers import make_datasette

IN_FORCE = "('in-force', 'partly-in-force')"


def rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(sql, params)]


def old_timeline(conn: sqlite3.Connection, code: str) -> list[tuple[Any, ...]]:
    """The country page's timeline as it was computed on each request."""
    events = []
    for law_id, name, adopted, promulgated, in_force, repealed in conn.execute(
        "SELECT id, coalesce(short_title, title), adopted, promulgated, in_force, repealed FROM laws WHERE country = ?",
        (code,),
    ):
        for value, event in ((adopted or promulgated, "adopted" if adopted else "promulgated"), (in_force, "came into force")):
            if value and value != "unknown":
                events.append((value, event, law_id, name, None, None))
        if repealed and repealed != "unknown":
            events.append((repealed, "repealed", law_id, name, None, None))
    for law_id, target, target_title, name, in_force in conn.execute(
        """SELECT r.law_id, r.target_id, coalesce(t.short_title, t.title), coalesce(l.short_title, l.title), l.in_force
           FROM relations r JOIN laws l ON l.id = r.law_id JOIN laws t ON t.id = r.target_id
           WHERE l.country = ? AND r.type = 'replaces' AND r.stated_in IN (r.law_id, r.target_id)
           GROUP BY r.law_id, r.target_id""",
        (code,),
    ):
        if in_force and in_force != "unknown":
            events.append((in_force, "replaced", law_id, name, target, target_title))
    order = {"adopted": 0, "promulgated": 1, "came into force": 2, "repealed": 4}
    return sorted(events, key=lambda e: (e[0], order.get(e[1], 3), e[2], e[4] or ""))


def assert_pages_match_old_queries(db: Path) -> None:
    conn = sqlite3.connect(db)
    # the home page's aggregates
    assert rows(conn, "SELECT laws, in_force FROM page_home_totals") == rows(
        conn, f"SELECT count(*), coalesce(sum(status IN {IN_FORCE}), 0) FROM laws"
    )
    assert rows(conn, "SELECT code, name, laws, in_force FROM page_home_countries ORDER BY name") == rows(
        conn,
        f"SELECT c.code, c.name, count(l.id), coalesce(sum(l.status IN {IN_FORCE}), 0) FROM countries c "
        "LEFT JOIN laws l ON l.country = c.code GROUP BY c.code ORDER BY c.name",
    )
    assert rows(conn, "SELECT code, label, laws FROM page_home_verification ORDER BY position") == rows(
        conn,
        "SELECT v.code, v.label, count(l.id) FROM verification_statuses v LEFT JOIN laws l ON l.verification = v.code "
        "GROUP BY v.code ORDER BY v.position",
    )
    assert rows(conn, "SELECT code, laws FROM page_home_areas ORDER BY position") == rows(
        conn,
        "SELECT a.code, count(la.law_id) FROM areas a LEFT JOIN law_areas la ON la.area = a.code GROUP BY a.code ORDER BY a.position",
    )
    assert rows(conn, "SELECT code, indicators FROM page_home_areas WHERE indicators > 0 ORDER BY position") == rows(
        conn, "SELECT a.code, count(i.id) FROM areas a JOIN indicators i ON i.area = a.code GROUP BY a.code ORDER BY a.position"
    )
    assert rows(conn, "SELECT answers, unknown, disputed, states FROM page_home_totals") == rows(
        conn,
        "SELECT count(*), coalesce(sum(value = 'unknown'), 0), coalesce(sum(review_status = 'disputed'), 0), "
        "count(DISTINCT country) FROM answers WHERE period = 0",
    )
    # the grid, with the labels the pages joined in
    assert rows(
        conn,
        "SELECT country, area, cell_status, law_id, law_title, law_year, statement, statement_note, verification, "
        "status_label, glance_label FROM page_area_cells ORDER BY country_name, area_position",
    ) == rows(
        conn,
        """SELECT s.country, s.area, s.cell_status, s.law_id, s.law_title, s.law_year, s.statement, s.statement_note,
                  l.verification, st.label, cs.label
           FROM country_area_status s LEFT JOIN laws l ON l.id = s.law_id LEFT JOIN statuses st ON st.code = s.cell_status
           LEFT JOIN coverage_statuses cs ON cs.code = coalesce(s.statement, s.cell_status)
           ORDER BY s.country_name, s.area_position""",
    )
    for (code,) in rows(conn, "SELECT code FROM countries"):
        # each area's laws in the order the pages list them
        assert rows(
            conn, "SELECT area, id, status, year, principal FROM page_country_laws WHERE country = ? ORDER BY area, rank", (code,)
        ) == rows(
            conn,
            """SELECT la.area, l.id, l.status, l.year, la.position = 0 FROM law_areas la JOIN laws l ON l.id = la.law_id
               JOIN statuses s ON s.code = l.status WHERE l.country = ? ORDER BY la.area, s.position, l.year DESC, l.title, l.id""",
            (code,),
        )
        assert rows(
            conn,
            "SELECT date, event, law_id, law_title, other_id, other_title FROM page_country_events "
            "WHERE country = ? ORDER BY date, rank, law_id, other_id",
            (code,),
        ) == old_timeline(conn, code)
        laws_in_cells = rows(conn, "SELECT area, laws FROM page_area_cells WHERE country = ? AND laws > 0 ORDER BY area", (code,))
        assert laws_in_cells == rows(
            conn,
            "SELECT la.area, count(*) FROM law_areas la JOIN laws l ON l.id = la.law_id WHERE l.country = ? "
            "GROUP BY la.area ORDER BY la.area",
            (code,),
        )


@pytest.fixture(scope="module")
def synthetic_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A synthetic corpus (no codebook, no answers), many laws per member state and area."""
    folder = tmp_path_factory.mktemp("pages")
    db = folder / "synthetic.db"
    corpus, counts = build(make_corpus(folder, 900), db)
    assert corpus.problems == [] and counts
    return db


def test_page_tables_hold_what_the_old_queries_gave_on_the_bundled_corpus(built_db: Path) -> None:
    assert_pages_match_old_queries(built_db)
    conn = sqlite3.connect(built_db)
    assert conn.execute("SELECT count(*) FROM page_country_events").fetchone()[0] > 50  # not trivially empty
    assert conn.execute("SELECT codebook_version FROM page_home_totals").fetchone()[0]


def test_page_tables_hold_what_the_old_queries_gave_on_a_synthetic_corpus(synthetic_db: Path) -> None:
    assert_pages_match_old_queries(synthetic_db)
    conn = sqlite3.connect(synthetic_db)
    assert conn.execute("SELECT max(laws) FROM page_area_cells").fetchone()[0] > area.LAWS_PER_COUNTRY
    assert conn.execute("SELECT answers, indicators, codebook_version FROM page_home_totals").fetchone() == (0, 0, None)


AGGREGATE = re.compile(r"\b(count|sum|group\s+by|max|min|avg|total)\b", re.IGNORECASE)


async def traced(ds: Any, path: str) -> tuple[int, list[str]]:
    traces: list[dict[str, Any]] = []
    with capture_traces(traces):
        response = await ds.client.get(path)
    # the queries on the site's database (Datasette's own catalogue aside)
    return response.status_code, [t["sql"] for t in traces if t.get("type") == "sql" and t.get("database") == "laws"]


@pytest.mark.asyncio
async def test_the_home_page_reads_the_page_tables_and_runs_no_aggregate(built_db: Path) -> None:
    ds = make_datasette(built_db)
    status, queries = await traced(ds, "/")
    assert status == 200
    ours = [q for q in queries if "page_" in q]
    assert {"page_home_totals", "page_home_countries", "page_area_cells"} <= {m for q in ours for m in re.findall(r"page_\w+", q)}
    # the page's own queries (Datasette's and the footer's data version aside) aggregate nothing
    assert not [q for q in queries if AGGREGATE.search(q) and "record_times" not in q]
    status, queries = await traced(ds, "/countries")
    assert status == 200 and not [q for q in queries if AGGREGATE.search(q) and "record_times" not in q]


@pytest.mark.asyncio
async def test_long_lists_are_paged_with_a_link_to_the_rest(synthetic_db: Path) -> None:
    ds = make_datasette(synthetic_db)
    page = await ds.client.get("/area/data-protection")
    assert page.status_code == 200
    conn = sqlite3.connect(synthetic_db)
    total = conn.execute("SELECT laws FROM page_area_cells WHERE country = 'TH' AND area = 'data-protection'").fetchone()[0]
    assert total > area.LAWS_PER_COUNTRY
    assert f"{area.LAWS_PER_COUNTRY} of {total} laws shown" in page.text
    assert "/synthetic/laws?country=TH&amp;areas__arraycontains=data-protection" in page.text
    # the link's listing has them all
    listing = await ds.client.get("/synthetic/laws.json?country=TH&areas__arraycontains=data-protection&_shape=array&_size=max")
    assert listing.status_code == 200 and len(listing.json()) == total
    # the CSV has every law
    csv_text = (await ds.client.get("/area/data-protection.csv")).text
    assert csv_text.count("Thailand,TH,") == total
    # a country page: at most `per_area` laws of each area, the totals beside them
    data = country.country_profile(conn, "TH", dt.date(2026, 12, 6), per_area=3, events=5)
    assert all(len(a["laws"]) <= 3 for a in data["laws_by_area"])
    assert sum(a["laws_total"] for a in data["laws_by_area"]) > 3 * 6
    assert len(data["timeline"]) == 5 and data["timeline_total"] > 5
    whole = country.country_profile(conn, "TH", dt.date(2026, 12, 6), per_area=10**6, events=10**6)["timeline"]
    assert data["timeline"] == whole[-5:]  # the latest events, oldest first
