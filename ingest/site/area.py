"""The data behind an area page (/area/<code>): every member state's laws in
one area, with their status and verification in words, the coverage
statement where there is no law in force, and its sources. Like the compare
pages: a function of a read-only connection returning plain data, and
`area_rows` flattening it for CSV."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from ingest.site.compare import labels, query_rows


def area_page(conn: sqlite3.Connection, code: str) -> dict[str, Any]:
    found = query_rows(conn, "SELECT code, label, description, is_primary FROM areas WHERE code = ?", (code,))
    if not found:
        raise LookupError(code)
    area = found[0]
    has_questions = conn.execute("SELECT 1 FROM indicators WHERE area = ? LIMIT 1", (code,)).fetchone() is not None
    status_labels = {**labels(conn, "statuses"), **labels(conn, "coverage_statuses")}
    laws: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for law in query_rows(
        conn,
        """
        SELECT l.country, l.id, l.title, l.short_title, l.number, l.year, l.status, s.label AS status_label,
               l.verification, v.label AS verification_label, l.last_verified, la.position = 0 AS principal
        FROM law_areas la JOIN laws l ON l.id = la.law_id
        JOIN statuses s ON s.code = l.status JOIN verification_statuses v ON v.code = l.verification
        WHERE la.area = ? ORDER BY s.position, l.year DESC, l.title""",
        (code,),
    ):
        law["principal"] = bool(law["principal"])
        laws[law.pop("country")].append(law)
    sources: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for s in query_rows(conn, "SELECT country, citation, url FROM coverage_sources WHERE area = ? ORDER BY position", (code,)):
        sources[s.pop("country")].append(s)
    countries = []
    for cell in query_rows(conn, "SELECT * FROM country_area_status WHERE area = ? ORDER BY country_name", (code,)):
        countries.append(
            {
                "code": cell["country"],
                "name": cell["country_name"],
                "status": cell["cell_status"],
                "status_label": status_labels.get(cell["cell_status"], cell["cell_status"]),
                "principal_law": cell["law_id"],
                "statement": cell["statement"],
                "statement_label": status_labels.get(cell["statement"] or ""),
                "statement_note": cell["statement_note"],
                "statement_sources": sources.get(cell["country"], []),
                "laws": laws.get(cell["country"], []),
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
