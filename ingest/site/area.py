"""The data behind an area page (/area/<code>): every member state's laws in
one area, with their status and verification in words, the coverage
statement where there is no law in force, and its sources. Like the compare
pages: a function of a read-only connection returning plain data, and
`area_rows` flattening it for CSV."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from ingest.site.compare import query_rows

LAWS_PER_COUNTRY = 20  # an area page lists at most this many laws per member state, then links to the laws table


def area_page(conn: sqlite3.Connection, code: str, per_country: int | None = LAWS_PER_COUNTRY) -> dict[str, Any]:
    """The page of one area, from the tables the build shaped for it (db/pages.sql);
    `per_country` None: every law (the CSV)."""
    found = query_rows(conn, "SELECT code, label, description, is_primary FROM areas WHERE code = ?", (code,))
    if not found:
        raise LookupError(code)
    area = found[0]
    has_questions = conn.execute("SELECT 1 FROM indicators WHERE area = ? LIMIT 1", (code,)).fetchone() is not None
    laws: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for law in query_rows(
        conn,
        "SELECT country, id, title, short_title, number, year, status, status_label, verification, verification_label, "
        "last_verified, principal FROM page_country_laws WHERE area = ? AND rank <= ? ORDER BY country, rank",
        (code, per_country if per_country is not None else 1 << 62),
    ):
        law["principal"] = bool(law["principal"])
        laws[law.pop("country")].append(law)
    sources: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in query_rows(conn, "SELECT country, citation, url FROM coverage_sources WHERE area = ? ORDER BY position", (code,)):
        sources[s.pop("country")].append(s)
    countries = []
    for cell in query_rows(conn, "SELECT * FROM page_area_cells WHERE area = ? ORDER BY country_name", (code,)):
        countries.append(
            {
                "code": cell["country"],
                "name": cell["country_name"],
                "status": cell["cell_status"],
                "status_label": cell["cell_label"] or cell["cell_status"],
                "principal_law": cell["law_id"],
                "statement": cell["statement"],
                "statement_label": cell["statement_label"],
                "statement_note": cell["statement_note"],
                "statement_sources": sources.get(cell["country"], []),
                "laws": laws.get(cell["country"], []),
                "laws_total": cell["laws"],
            }
        )
    return {"area": {**area, "is_primary": bool(area["is_primary"])}, "has_questions": has_questions, "countries": countries}


COLUMNS = (
    "Member state",
    "Country code",
    "Area",
    "Title",
    "Short title",
    "Number",
    "Year",
    "Status",
    "Principal area of the law",
    "Verification",
    "Law id",
    "Coverage statement",
)


def area_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per law, and one per member state with no law recorded in the area."""
    out = []
    for c in data["countries"]:
        common = dict.fromkeys(COLUMNS) | {"Member state": c["name"], "Country code": c["code"], "Area": data["area"]["label"]}
        for law in c["laws"]:
            out.append(
                {
                    **common,
                    "Title": law["title"],
                    "Short title": law["short_title"],
                    "Number": law["number"],
                    "Year": law["year"],
                    "Status": law["status_label"],
                    "Principal area of the law": "yes" if law["principal"] else "no",
                    "Verification": law["verification_label"],
                    "Law id": law["id"],
                    "Coverage statement": c["statement_label"],
                }
            )
        if not c["laws"]:
            out.append({**common, "Status": c["status_label"], "Coverage statement": c["statement_label"] or "unknown"})
    return out
