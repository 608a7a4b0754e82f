"""The spreadsheet downloads a person clicks on the site: public columns only,
with readable headers (internal helpers such as the folded search text, the
record's file and the list of unsupported facts stay out; they are in the
database and the Data Package for those who want them)."""

from __future__ import annotations

import sqlite3
from typing import Any

from ingest.common.csvtext import table_csv

LAW_COLUMNS = (
    ("Member state", "c.name"),
    ("Country code", "l.country"),
    ("Title", "l.title"),
    ("Short title", "l.short_title"),
    (
        "Titles in the official languages",
        "(SELECT group_concat(x.title, ' / ') FROM"
        " (SELECT t.title FROM law_titles t WHERE t.law_id = l.id ORDER BY t.position) x)",
    ),
    ("Type of instrument", "it.label"),
    ("Number", "l.number"),
    ("Year", "l.year"),
    ("Adopted", "l.adopted"),
    ("Promulgated", "l.promulgated"),
    ("In force", "l.in_force"),
    ("Repealed", "l.repealed"),
    ("Status", "s.label"),
    ("Principal area", "a.label"),
    (
        "Areas",
        "(SELECT group_concat(x.label, '; ') FROM (SELECT ar.label FROM law_areas la JOIN areas ar ON ar.code = la.area"
        " WHERE la.law_id = l.id ORDER BY la.position) x)",
    ),
    ("Responsible agency", "l.agency"),
    ("Official text", "l.official_url"),
    ("Verification", "v.label"),
    ("Evidence", "e.label"),
    ("Last verified", "CASE WHEN l.verification = 'unverified' THEN NULL ELSE l.last_verified END"),
    ("Law id", "l.id"),
)


def laws_csv(conn: sqlite3.Connection, base_url: str) -> str:
    """Every law record, one row each, with the address of its page."""
    sql = f"""SELECT {", ".join(expr for _, expr in LAW_COLUMNS)}
              FROM laws l JOIN countries c ON c.code = l.country JOIN statuses s ON s.code = l.status
              JOIN instrument_types it ON it.code = l.instrument_type JOIN verification_statuses v ON v.code = l.verification
              JOIN evidence_levels e ON e.code = l.evidence LEFT JOIN areas a ON a.code = l.principal_area
              ORDER BY c.name, l.year DESC, l.title"""
    rows: list[list[Any]] = [[*r, f"{base_url}/law/{r[-1]}"] for r in conn.execute(sql)]
    return table_csv([name for name, _ in LAW_COLUMNS] + ["Page"], rows)


def matrix_csv(conn: sqlite3.Connection) -> str:
    """Member states x areas: the principal law of each area, or the statement where there is none."""
    areas = list(conn.execute("SELECT code, label FROM areas ORDER BY position"))
    labels = dict(conn.execute("SELECT code, label FROM coverage_statuses UNION ALL SELECT code, label FROM statuses"))
    cells: dict[tuple[str, str], str] = {}
    names: dict[str, str] = {}
    for country, name, area, status, title, year in conn.execute(
        "SELECT country, country_name, area, cell_status, law_title, law_year FROM country_area_status"
    ):
        names[country] = name
        if title:
            text = title if not year or str(year) in title else f"{title} ({year})"
            cells[(country, area)] = text if status == "in-force" else f"{text} [{labels.get(status, status).lower()}]"
        else:
            cells[(country, area)] = labels.get(status, status)
    header = ["Member state", "Country code"] + [label for _, label in areas]
    rows = [[names[c], c] + [cells.get((c, a), "") for a, _ in areas] for c in sorted(names, key=names.__getitem__)]
    return table_csv(header, rows)
