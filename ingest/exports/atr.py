"""A legal-documents list shaped for a National Trade Repository and the ASEAN
Trade Repository: one row per law record, with labels rather than codes, the
dates as recorded (partial dates kept as they are, `unknown` for an in-force
date no source gives), the official link, and the record's id, page and
verification status.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator

from ingest.exports.datapackage import csv_chunks

FILE = "atr-legal-documents.csv"
COLUMNS = [
    "country_code",
    "country",
    "title",
    "instrument_type",
    "number",
    "issuing_agency",
    "adopted",
    "promulgated",
    "in_force",
    "repealed",
    "status",
    "official_link",
    "areas",
    "record_id",
    "page_url",
    "verification",
]
SQL = """
SELECT l.country, c.name, l.title, it.label, l.number, l.agency,
       l.adopted, l.promulgated, l.in_force, l.repealed, s.label, l.official_url, l.areas,
       l.id, v.label
FROM laws l
JOIN countries c ON c.code = l.country
JOIN instrument_types it ON it.code = l.instrument_type
JOIN statuses s ON s.code = l.status
JOIN verification_statuses v ON v.code = l.verification
ORDER BY c.name, l.year IS NULL, l.year, l.id
"""


def rows(conn: sqlite3.Connection, base_url: str) -> Iterator[list[object]]:
    base = base_url.rstrip("/")
    labels = dict(conn.execute("SELECT code, label FROM areas"))
    for row in conn.execute(SQL):
        # the columns of SQL up to the official link, then areas (JSON), the law id and its verification
        *leading, areas, law_id, verification = row
        codes = json.loads(areas or "[]")
        yield [*leading, "; ".join(labels.get(a, a) for a in codes), law_id, f"{base}/law/{law_id}", verification]


def atr_csv(conn: sqlite3.Connection, base_url: str) -> Iterator[str]:
    """The list as CSV chunks."""
    return csv_chunks(COLUMNS, rows(conn, base_url))
