"""Every period of the answers of one member state or resting on one law:
the current answer and the earlier ones, each with its legal basis, read the
same way as the compare pages read the current ones."""

from __future__ import annotations

import sqlite3
from typing import Any

from ingest.records import answer_view
from ingest.site.answer_rows import with_basis
from ingest.site.compare import ANSWER_COLUMNS, BASIS_COLUMNS, indicators, vocab


def periods(conn: sqlite3.Connection, *, country: str | None = None, law_id: str | None = None) -> list[dict[str, Any]]:
    """Answers (all periods) of `country`, or whose basis cites `law_id`, described for reading:
    ordered by member state, indicator and period (0, the current answer, first)."""
    where, params = [], {}
    if country:
        where.append("a.country = :country")
        params["country"] = country
    if law_id:
        where.append(
            "EXISTS (SELECT 1 FROM answer_basis x WHERE x.country = a.country AND x.indicator = a.indicator"
            " AND x.period = a.period AND x.law_id = :law)"
        )
        params["law"] = law_id
    sql = f"""SELECT {", ".join("a." + c for c in ANSWER_COLUMNS)}, {", ".join("b." + c for c in BASIS_COLUMNS)}
              FROM answers a
              JOIN indicators i ON i.id = a.indicator
              LEFT JOIN answer_basis b ON b.country = a.country AND b.indicator = a.indicator AND b.period = a.period
              WHERE {" AND ".join(where) or "1"} ORDER BY a.country, i.position, a.period, b.position"""
    inds = {i["id"]: i for i in indicators(conn)}
    words = vocab(conn)
    found = with_basis(conn.execute(sql, params), 3, ANSWER_COLUMNS, BASIS_COLUMNS)
    out = []
    for (_, indicator, _), answer in found.items():
        cell = answer_view.describe(answer, inds[indicator], words)
        cell["indicator_row"] = inds[indicator]
        out.append(cell)
    return out
