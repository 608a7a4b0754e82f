"""The open exports, downloadable from the site:

- /exports                           what there is to download, table by table
- /exports/datapackage.json          Frictionless Data Package (its resources are the CSVs beside it)
- /exports/<table>.csv               one table, as the Data Package describes it
- /exports/laws.atom                 Atom feed of the most recently updated law records
- /exports/atr-legal-documents.csv   legal-documents list for trade repositories

The `record_time_source` template filter says how a record's times were
found (for the law page).

Made from the served database by the same functions as `lawrepo export`
(ingest/export*.py); CSVs are streamed. Links and feed ids use the site's
configured address (ingest/site/origin.py), never the request's Host.
"""

from __future__ import annotations

import asyncio
import sqlite3
import weakref
from collections.abc import Callable, Iterator
from typing import Any

from datasette import Response, hookimpl
from datasette.utils.asgi import AsgiStream, NotFound

from ingest.build import timestamps
from ingest.exports import atom as export_atom
from ingest.exports import atr as export_atr
from ingest.exports import datapackage as export_datapackage
from ingest.exports import writer as export
from ingest.site import origin, sql_limits

_META: weakref.WeakKeyDictionary[Any, dict[str, Any]] = weakref.WeakKeyDictionary()


async def site_meta(datasette: Any) -> dict[str, Any]:
    """The served metadata, in the shape of ingest.export.load_metadata."""
    if datasette in _META:
        return _META[datasette]
    instance = await datasette.get_instance_metadata()
    database = await datasette.get_database_metadata(origin.database_name(datasette))
    meta: dict[str, Any] = {
        k: instance.get(k) or database.get(k) for k in ("title", "description", "license", "license_url", "source", "source_url")
    }
    db = origin.database(datasette)
    tables: dict[str, Any] = {}
    for table in await db.table_names():
        resource = await datasette.get_resource_metadata(origin.database_name(datasette), table)
        columns = {}
        for column in await db.table_columns(table):
            found = await datasette.get_column_metadata(origin.database_name(datasette), table, column)
            if found.get("description"):
                columns[column] = found["description"]
        tables[table] = {**resource, "columns": columns}
    meta["tables"] = tables
    _META[datasette] = meta
    return meta


def _connect(db: Any) -> sqlite3.Connection:
    mode = "mode=ro" if db.is_mutable else "immutable=1"
    conn = sqlite3.connect(f"file:{db.path}?{mode}", uri=True, check_same_thread=False)
    sql_limits.apply(conn, sql_limits.PAGES)
    return conn


def _stream(db: Any, make: Callable[[sqlite3.Connection], Iterator[str]], content_type: str, filename: str) -> AsgiStream:
    """Stream the chunks `make` yields from its own read-only connection,
    read in a worker thread so the server keeps answering meanwhile."""

    async def send(writer: Any) -> None:
        conn = await asyncio.to_thread(_connect, db)
        try:
            chunks = make(conn)
            while (chunk := await asyncio.to_thread(next, chunks, None)) is not None:
                await writer.write(chunk)
        finally:
            conn.close()

    return AsgiStream(send, content_type=content_type, headers={"content-disposition": f'inline; filename="{filename}"'})


async def _check_table(db: Any, table: str) -> None:
    tables = await db.execute_fn(export_datapackage.content_tables)
    if table not in tables:
        raise NotFound(f"No table {table} in the exports")


async def table_csv(datasette: Any, request: Any) -> AsgiStream:
    db = origin.database(datasette)
    table = request.url_vars["table"]
    await _check_table(db, table)
    return _stream(db, lambda conn: export_datapackage.table_csv(conn, table), "text/csv; charset=utf-8", f"{table}.csv")


async def atr_csv(datasette: Any, request: Any) -> AsgiStream:
    db = origin.database(datasette)
    base = origin.base_url(datasette)
    return _stream(db, lambda conn: export_atr.atr_csv(conn, base), "text/csv; charset=utf-8", export_atr.FILE)


async def datapackage(datasette: Any, request: Any) -> Response:
    meta = await site_meta(datasette)
    package = await origin.database(datasette).execute_fn(lambda conn: export_datapackage.descriptor(conn, meta))
    return Response.json(package)


async def atom(datasette: Any, request: Any) -> Response:
    meta = await site_meta(datasette)
    base = origin.base_url(datasette)

    def make(conn: sqlite3.Connection) -> bytes:
        return export_atom.feed(conn, export.latest_law_times(conn, export_atom.LIMIT), base, meta)

    body = await origin.database(datasette).execute_fn(make)
    return Response(body.decode("utf-8"), content_type="application/atom+xml; charset=utf-8")


async def page(datasette: Any, request: Any) -> Response:
    db = origin.database(datasette)
    meta = await site_meta(datasette)
    names = await db.execute_fn(export_datapackage.content_tables)
    counts = await db.table_counts(limit=100)
    tables = [
        {"name": t, "description": (meta["tables"].get(t) or {}).get("description") or "", "rows": counts.get(t)} for t in names
    ]
    context = {
        "tables": tables,
        "atr_file": export_atr.FILE,
        "atr_columns": export_atr.COLUMNS,
        "feed_limit": export_atom.LIMIT,
        "license": meta.get("license"),
        "license_url": meta.get("license_url"),
    }
    return Response.html(await datasette.render_template("exports.html", context, request=request))


def record_time_source(source: str | None) -> str:
    """How a record's times were found, for the law page: 'from the history of its file'."""
    return timestamps.SOURCES.get(source or "", "")


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["record_time_source"] = record_time_source


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/exports/?$", page),
        (r"^/exports/datapackage\.json$", datapackage),
        (r"^/exports/laws\.atom$", atom),
        (r"^/exports/atr-legal-documents\.csv$", atr_csv),
        (r"^/exports/(?P<table>[a-z][a-z0-9_]*)\.csv$", table_csv),
    ]
