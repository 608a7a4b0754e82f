"""What a patched build must recompute: the (country, area) cells of the
changed laws and of the laws related to them, before and after the change.

Every table derived across records (principal laws, the periods of the
timeline, the page tables) is a function of the laws of one cell, of the
relations of those laws, and of when the laws replacing them came into force.
A law's change can therefore alter the cells it is in and the cells of the
laws it is related to (in either direction: relations are stored both ways),
as they were before and as they are after; nothing else. The countries of
those cells are recomputed where a table is made per country.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

Cell = tuple[str, str]

_NEIGHBOURS = "SELECT target_id FROM relations WHERE law_id IN (SELECT value FROM json_each(?))"
_CELLS = (
    "SELECT DISTINCT l.country, la.area FROM law_areas la JOIN laws l ON l.id = la.law_id "
    "WHERE la.law_id IN (SELECT value FROM json_each(?))"
)
_COUNTRIES = "SELECT DISTINCT country FROM laws WHERE id IN (SELECT value FROM json_each(?))"


def around(conn: sqlite3.Connection, law_ids: Iterable[str]) -> tuple[set[Cell], set[str]]:
    """The cells and countries of the given laws and of the laws related to
    them, as the database `conn` has them now."""
    ids = sorted(set(law_ids))
    if not ids:
        return set(), set()
    near = json.dumps(sorted({*ids, *(r[0] for r in conn.execute(_NEIGHBOURS, [json.dumps(ids)]))}))
    cells = {(c, a) for c, a in conn.execute(_CELLS, [near])}
    return cells, {r[0] for r in conn.execute(_COUNTRIES, [near])}


def record(conn: sqlite3.Connection, cells: set[Cell], countries: set[str], laws: Iterable[str] | None = None) -> None:
    """The temporary tables affected_cells, affected_countries, cell_laws
    (the laws of those cells) and event_laws (`laws`, the laws written or
    removed: None for all of them) that db/derived.sql, db/pages.sql and the
    timeline read."""
    conn.execute("CREATE TEMP TABLE event_laws (id TEXT PRIMARY KEY)")
    if laws is None:
        conn.execute("INSERT INTO event_laws SELECT id FROM laws")
    else:
        conn.executemany("INSERT INTO event_laws VALUES (?)", [(i,) for i in sorted(set(laws))])
    conn.execute("CREATE TEMP TABLE affected_cells (country TEXT, area TEXT, PRIMARY KEY (country, area))")
    conn.execute("CREATE TEMP TABLE affected_countries (code TEXT PRIMARY KEY)")
    conn.executemany("INSERT INTO affected_cells VALUES (?, ?)", sorted(cells))
    conn.executemany("INSERT INTO affected_countries VALUES (?)", [(c,) for c in sorted(countries | {c for c, _ in cells})])
    # the laws of those cells, found through their countries' index entries, not by a scan of every law
    conn.execute("CREATE TEMP TABLE cell_laws (id TEXT PRIMARY KEY)")
    conn.execute(
        "INSERT INTO cell_laws SELECT DISTINCT l.id FROM (SELECT DISTINCT country FROM affected_cells) c "
        "CROSS JOIN laws l ON l.country = c.country CROSS JOIN law_areas la ON la.law_id = l.id "
        "JOIN affected_cells ac ON ac.country = l.country AND ac.area = la.area"
    )


def everything(conn: sqlite3.Connection) -> None:
    """Every cell and every country (a full build)."""
    cells = set(conn.execute("SELECT c.code, a.code FROM countries c CROSS JOIN areas a"))
    record(conn, cells, {r[0] for r in conn.execute("SELECT code FROM countries")})
