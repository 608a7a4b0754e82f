"""The database as a Frictionless Data Package: `datapackage.json` and one CSV
per content table, each described by a Table Schema (field types from the
declared SQLite types, required fields, primary and foreign keys, and the
descriptions of metadata.yml).

Left out: the `files` table (digests for incremental builds), the full-text
search tables and their shadow tables, SQLite's own tables, and views (their
rows are in the tables they read).
"""

from __future__ import annotations

import io
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from ingest.common import csvtext

EXCLUDED = {"files"}
CHUNK_ROWS = 2000
NAME = "asean-ecommerce-law"
Meta = dict[str, Any]  # see ingest.export.load_metadata


def content_tables(conn: sqlite3.Connection) -> list[str]:
    """The tables exported, in the order of the database's schema."""
    rows = conn.execute("PRAGMA main.table_list").fetchall()
    names = {r[1] for r in rows if r[2] == "table" and not r[1].startswith("sqlite_") and r[1] not in EXCLUDED}
    order = [n for (n,) in conn.execute("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY rowid")]
    return [n for n in order if n in names]


def field_type(declared: str) -> str:
    """Table Schema type of a column from its declared SQLite type (SQLite's
    affinity rules); JSON arrays are kept as text."""
    d = declared.upper()
    if "INT" in d:
        return "integer"
    if any(k in d for k in ("REAL", "FLOA", "DOUB")):
        return "number"
    return "string"


def primary_key(conn: sqlite3.Connection, table: str) -> list[str]:
    cols = conn.execute(f"PRAGMA table_info([{table}])").fetchall()
    return [c[1] for c in sorted((c for c in cols if c[5]), key=lambda c: c[5])]


def table_schema(conn: sqlite3.Connection, table: str, exported: set[str], meta: Meta) -> dict[str, Any]:
    columns = meta.get("tables", {}).get(table, {}).get("columns") or {}
    pk = primary_key(conn, table)
    fields = []
    for _, name, declared, notnull, _, _ in conn.execute(f"PRAGMA table_info([{table}])"):
        f: dict[str, Any] = {"name": name, "type": field_type(declared or "")}
        if isinstance(columns.get(name), str):
            f["description"] = columns[name].strip()
        if notnull or name in pk:
            f["constraints"] = {"required": True}
        fields.append(f)
    schema: dict[str, Any] = {"fields": fields, "missingValues": [""]}
    if pk:
        schema["primaryKey"] = pk
    keys = _foreign_keys(conn, table, exported)
    if keys:
        schema["foreignKeys"] = keys
    return schema


def _foreign_keys(conn: sqlite3.Connection, table: str, exported: set[str]) -> list[dict[str, Any]]:
    groups: dict[int, list[tuple[Any, ...]]] = {}
    for row in conn.execute(f"PRAGMA foreign_key_list([{table}])"):
        groups.setdefault(row[0], []).append(row)
    keys = []
    for _, rows in sorted(groups.items()):
        rows.sort(key=lambda r: r[1])
        target = rows[0][2]
        if target not in exported:
            continue
        to = [r[4] for r in rows]
        if any(t is None for t in to):  # REFERENCES t without columns: its primary key
            to = primary_key(conn, target)
        keys.append({"fields": [r[3] for r in rows], "reference": {"resource": "" if target == table else target, "fields": to}})
    return keys


def descriptor(conn: sqlite3.Connection, meta: Meta) -> dict[str, Any]:
    """`datapackage.json`: the package and one tabular resource per table, each
    at `<table>.csv` beside it."""
    tables = content_tables(conn)
    exported = set(tables)
    resources = []
    for table in tables:
        tmeta = meta.get("tables", {}).get(table, {})
        res: dict[str, Any] = {
            "name": table,
            "path": f"{table}.csv",
            "profile": "tabular-data-resource",
            "format": "csv",
            "mediatype": "text/csv",
            "encoding": "utf-8",
        }
        if tmeta.get("title"):
            res["title"] = str(tmeta["title"]).strip()
        if tmeta.get("description"):
            res["description"] = str(tmeta["description"]).strip()
        res["schema"] = table_schema(conn, table, exported, meta)
        resources.append(res)
    package: dict[str, Any] = {"profile": "tabular-data-package", "name": NAME}
    for key in ("title", "description"):
        if meta.get(key):
            package[key] = str(meta[key]).strip()
    if meta.get("license"):
        lic = {"name": str(meta["license"]).replace(" ", "-"), "title": str(meta["license"])}
        if meta.get("license_url"):
            lic["path"] = meta["license_url"]
        package["licenses"] = [lic]
    if meta.get("source"):
        src = {"title": str(meta["source"]).strip()}
        if meta.get("source_url"):
            src["path"] = meta["source_url"]
        package["sources"] = [src]
    package["resources"] = resources
    return package


def csv_chunks(header: list[str], rows: Iterable[Iterable[Any]], chunk_rows: int = CHUNK_ROWS) -> Iterator[str]:
    """CSV text (RFC 4180: comma, double quotes, CRLF) in chunks of rows; NULL
    is an empty cell."""
    buf = io.StringIO()
    writer = csvtext.writer(buf)
    writer.writerow(header)
    n = 0
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
        n += 1
        if n >= chunk_rows:
            yield buf.getvalue()
            buf.seek(0)
            buf.truncate()
            n = 0
    yield buf.getvalue()


def table_csv(conn: sqlite3.Connection, table: str) -> Iterator[str]:
    """The rows of one table as CSV chunks, ordered by primary key (by rowid without one)."""
    if table not in content_tables(conn):
        raise LookupError(table)
    cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
    order = ", ".join(f"[{c}]" for c in primary_key(conn, table)) or "rowid"
    cursor = conn.execute(f"SELECT {', '.join(f'[{c}]' for c in cols)} FROM [{table}] ORDER BY {order}")
    return csv_chunks(cols, cursor)
