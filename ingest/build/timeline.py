"""What was in force in each member state and area, period by period.

Each enacted law gives up to two periods: enacted but not yet in force (from
adoption or promulgation to entry into force) and in force (from entry into
force to repeal, or to the entry into force of the law replacing it). For each
country and area the periods of the laws covering it are laid on one line and,
where several overlap, the principal law is chosen as in db/derived.sql: in
force before enacted, the law's principal area first, not an amending law,
the law others amend or implement, the higher-ranked instrument type, the
latest entry into force. A boundary that rests on an unknown in-force date (the
adoption date is used) or a partial date is marked `approx`.
"""

from __future__ import annotations

import datetime as dt
import heapq
import json
import sqlite3
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from ingest.common import dates

RANK = {"in-force": 0, "partly-in-force": 0, "enacted-not-in-force": 1}


@dataclass(slots=True)
class _Span:
    law: str
    status: str
    starts: str
    ends: str | None
    approx: bool
    key: tuple[Any, ...]  # ranking key: lower wins


def _day(value: str | None) -> tuple[str | None, bool]:
    """(first day, approximate?) of a recorded date."""
    if not value or value == "unknown":
        return None, True
    b = dates.parse_bounds(value)
    if not b:
        return None, True
    return b[0].isoformat(), b[0] != b[1]


LAW_COLUMNS = "l.id, l.country, l.status, l.adopted, l.promulgated, l.in_force, l.repealed, it.position"


def recompute(conn: sqlite3.Connection, today: dt.date, everything: bool = False) -> int:
    """Rewrite area_periods for the cells in the temporary table
    affected_cells (every cell: `everything`); returns the number of rows written."""
    cell_set = set(conn.execute("SELECT country, area FROM affected_cells"))
    if not everything:
        conn.execute("DELETE FROM area_periods WHERE (country, area) IN (SELECT country, area FROM affected_cells)")
        # the laws of the cells recomputed (ingest/build/affected.py)
        return _recompute(conn, today, cell_set, "AND l.id IN (SELECT id FROM cell_laws)", [])
    conn.execute("DELETE FROM area_periods")
    # one member state at a time: what is held in memory is that of one country's laws
    countries = [r[0] for r in conn.execute("SELECT code FROM countries ORDER BY code")]
    return sum(_recompute(conn, today, cell_set, "AND l.country = ?", [code]) for code in countries)


def _recompute(conn: sqlite3.Connection, today: dt.date, cell_set: set[tuple[str, str]], scope: str, params: list[str]) -> int:
    """Write the periods of the cells in `cell_set` that the laws selected by
    `scope` (an SQL condition on laws `l`, with its `params`) are in."""
    laws = {}
    for row in conn.execute(
        f"SELECT {LAW_COLUMNS} FROM laws l JOIN instrument_types it ON it.code = l.instrument_type "
        f"WHERE l.status != 'draft' {scope}",
        params,
    ):
        laws[row[0]] = row
    successors: dict[str, list[str]] = defaultdict(list)
    amends: set[str] = set()
    base: dict[str, int] = defaultdict(int)
    for law_id, rtype, target in conn.execute(
        f"SELECT DISTINCT r.law_id, r.type, r.target_id FROM relations r JOIN laws l ON l.id = r.law_id WHERE 1 {scope}",
        params,
    ):
        if rtype == "replaced-by":
            successors[law_id].append(target)
        elif rtype == "amends":
            amends.add(law_id)
        elif rtype in ("amended-by", "implemented-by"):
            base[law_id] += 1
    # the laws replacing those, wherever they are: when they came into force ends the others' periods
    others = sorted({t for ts in successors.values() for t in ts} - laws.keys())
    found = conn.execute(
        f"SELECT {LAW_COLUMNS} FROM laws l JOIN instrument_types it ON it.code = l.instrument_type "
        "WHERE l.status != 'draft' AND l.id IN (SELECT value FROM json_each(?))",
        [json.dumps(others)],
    )
    starts_of = {law_id: _force_start(row) for law_id, row in [*laws.items(), *((r[0], r) for r in found)]}
    cells: dict[tuple[str, str], list[_Span]] = defaultdict(list)
    # what each law contributes whatever the area: its enacted and in-force spans (without the ranking key's head)
    per_law: dict[str, list[tuple[str, str, str | None, bool, str, str]]] = {}
    for law_id, country, area, position in conn.execute(
        f"SELECT la.law_id, l.country, la.area, la.position FROM law_areas la JOIN laws l ON l.id = la.law_id "
        f"WHERE l.status != 'draft' {scope}",
        params,
    ):
        if (country, area) not in cell_set:
            continue  # another cell of a law of a recomputed one: unchanged
        parts = per_law.get(law_id)
        if parts is None:
            parts = per_law[law_id] = _law_spans(laws[law_id], starts_of, successors.get(law_id, []), laws, today)
        row = laws[law_id]
        key_tail = (position != 0, law_id in amends, -base[law_id], row[7])
        for status, starts, ends, approx, neg, _ in parts:
            first = 1 if status == "enacted-not-in-force" else 0
            cells[(country, area)].append(_Span(law_id, status, starts, ends, approx, (first, *key_tail, neg, law_id)))
    rows: list[tuple[Any, ...]] = []
    for (country, area), spans in sorted(cells.items()):
        rows.extend((country, area, *seg) for seg in _sweep(spans))
    conn.executemany("INSERT INTO area_periods VALUES (?,?,?,?,?,?,?)", rows)
    return len(rows)


_NEGATE = str.maketrans("0123456789", "9876543210")


def _law_spans(
    row: tuple[Any, ...],
    starts_of: dict[str, tuple[str | None, bool]],
    successors: list[str],
    laws: dict[str, tuple[Any, ...]],
    today: dt.date,
) -> list[tuple[str, str, str | None, bool, str, str]]:
    """(status, starts, ends, approximate, negated start, law) of a law's
    enacted-not-in-force and in-force spans, whatever the area."""
    law_id = row[0]
    force, force_approx = starts_of[law_id]
    ends, ends_approx = _end(row, successors, starts_of, laws, today)
    enact = next((d for d in (_day(row[3]), _day(row[4])) if d[0]), (None, True))
    out: list[tuple[str, str, str | None, bool, str, str]] = []
    if enact[0] and (force is None or enact[0] < force):
        stop = force if force is not None else ends
        out.append(("enacted-not-in-force", enact[0], stop, enact[1], _neg(enact[0]), law_id))
    if force is not None:
        status = "partly-in-force" if row[2] == "partly-in-force" else "in-force"
        out.append((status, force, ends, force_approx or ends_approx, _neg(force), law_id))
    return out


def _neg(day: str) -> str:
    """Sorts later days first (days are ISO dates: ASCII digits and hyphens)."""
    return day.translate(_NEGATE)


def _force_start(row: tuple[Any, ...]) -> tuple[str | None, bool]:
    """Day the law came into force; an unknown in-force date falls back to the
    adoption or promulgation date, marked approximate."""
    status, adopted, promulgated, in_force = row[2], row[3], row[4], row[5]
    if status == "enacted-not-in-force" and not in_force:
        return None, False
    day, approx = _day(in_force)
    if day:
        return day, approx
    if in_force == "unknown" or status in ("in-force", "partly-in-force", "superseded", "repealed"):
        for fallback in (promulgated, adopted):
            day, _ = _day(fallback)
            if day:
                return day, True
    return None, True


def _end(
    row: tuple[Any, ...],
    successors: list[str],
    starts_of: dict[str, tuple[str | None, bool]],
    laws: dict[str, tuple[Any, ...]],
    today: dt.date,
) -> tuple[str | None, bool]:
    """First day the law no longer held: its repeal, or its replacement's entry into force."""
    day, approx = _day(row[6])
    if day:
        return day, approx
    found = [starts_of[s] for s in successors if s in starts_of and starts_of[s][0]]
    if found:
        return min(found)
    if row[2] in ("superseded", "repealed"):
        return today.isoformat(), True  # no longer in force; when it ended is not recorded
    return None, False


def _ended(span: _Span, day: str) -> bool:
    return span.ends is not None and span.ends <= day


def _sweep(spans: list[_Span]) -> list[tuple[str, str | None, str, str, int]]:
    """Non-overlapping periods, each with the best law holding in it (a sweep
    over the boundaries with a heap of the spans holding there)."""
    bounds = sorted({s.starts for s in spans} | {s.ends for s in spans if s.ends})
    by_start = sorted(range(len(spans)), key=lambda i: spans[i].starts)
    heap: list[tuple[tuple[Any, ...], int]] = []
    nxt_span = 0
    out: list[list[Any]] = []
    for i, b in enumerate(bounds):
        while nxt_span < len(by_start) and spans[by_start[nxt_span]].starts <= b:
            k = by_start[nxt_span]
            heapq.heappush(heap, (spans[k].key, k))
            nxt_span += 1
        while heap and _ended(spans[heap[0][1]], b):
            heapq.heappop(heap)
        if not heap:
            continue
        best = spans[heap[0][1]]
        nxt = bounds[i + 1] if i + 1 < len(bounds) else None
        if out and out[-1][1] == b and out[-1][3] == best.law and out[-1][2] == best.status:
            out[-1][1] = nxt
            out[-1][4] = int(out[-1][4] or best.approx)
            continue
        out.append([b, nxt, best.status, best.law, int(best.approx)])
    return [tuple(x) for x in out]
