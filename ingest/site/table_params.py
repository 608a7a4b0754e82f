"""Filters on Datasette's table pages that name no column or no operator.

Datasette answers `?nope__exact=1` or `?title__nope=x` on a table page with
a page of "0 rows where …", as if the filter had been applied; here they are
a 400 naming the unknown column or operator (request_rules calls `problem`).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl, unquote

from datasette.filters import Filters

OPERATORS = frozenset(f.key for f in Filters._filters)
TABLE_PATH = re.compile(r"^/(?P<db>[^/]+)/(?P<table>[^/-][^/]*?)(?:\.(?:json|csv))?$")


def split_filter(key: str, columns: set[str]) -> tuple[str, str]:
    """(column, operator) as Datasette reads a parameter."""
    if "__" in key and key not in columns:
        column, _, operator = key.rpartition("__")
        return column, operator
    return key, "exact"


async def problem(datasette: Any, path: str, query: bytes) -> str | None:
    """Why a table page's filters cannot be applied, or None (also for any other page)."""
    found = TABLE_PATH.match(path)
    if not found or found["db"] not in datasette.databases:
        return None
    db = datasette.databases[found["db"]]
    table = unquote(found["table"])
    if not (await db.table_exists(table) or await db.view_exists(table)):
        return None  # a stored query, a row, or a 404 Datasette answers itself
    columns = set(await db.table_columns(table)) | {"rowid"}
    for key, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True):
        if key.startswith("_"):
            continue
        column, operator = split_filter(key, columns)
        if column not in columns:
            return f"Unknown filter {key[:60]!r}: {table} has no column {column[:60]!r}."
        if operator not in OPERATORS:
            return f"Unknown filter {key[:60]!r}: no operator {operator[:30]!r} (known: {', '.join(sorted(OPERATORS))})."
    return None
