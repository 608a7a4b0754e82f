"""A client's mistake is a 4xx with a readable message and no traceback.

Datasette's own handler prints every exception's traceback (with local
variables) and answers 500 to anything it does not know: an unknown or
malformed `_facet`, a table page over the time limit, a value over one of
the SQL limits. `classify` says which exceptions are the client's doing and
what to tell them; only a real server error is logged with its traceback,
and never shown.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from typing import Any, cast

from datasette.database import QueryInterrupted
from datasette.utils.asgi import Base400
from datasette.views.base import DatasetteError

from ingest.site import sql_limits

log = logging.getLogger("lawrepo.site")


def classify(exception: BaseException, path: str, database_paths: tuple[str, ...]) -> tuple[int, str] | None:
    """(status, message) for a client's mistake, or None for a server error."""
    if isinstance(exception, Base400):
        return exception.status, str(exception.args[0]) if exception.args else "Bad request."
    if isinstance(exception, DatasetteError) and exception.status < 500:
        return exception.status, str(exception.message)
    if isinstance(exception, QueryInterrupted):
        return 400, ("This page took longer than the time limit to compute. Use fewer facets or filters, or a narrower search.")
    if (text := sql_limits.message(exception)) is not None:
        return 400, text
    # Datasette's table, row and query pages build SQL from the parameters;
    # an error there is a parameter it does not check (an unknown facet
    # column, a malformed facet, a filter's type).
    in_database = any(path == p or path.startswith(p + "/") or path.startswith(p + ".") for p in database_paths)
    if in_database and isinstance(exception, sqlite3.Error | json.JSONDecodeError | ValueError | KeyError | TypeError):
        detail = str(exception).strip("'\"") or type(exception).__name__
        return 400, f"This request could not be answered: {detail}. Check the facets, filters and sort."
    return None


def as_datasette_error(exception: BaseException, path: str, database_paths: tuple[str, ...]) -> Exception:
    """The exception Datasette's error page should show: a 4xx for a client's
    mistake; for a server error a bare 500 (logged here, with its traceback)."""
    found = classify(exception, path, database_paths)
    if found is not None:
        status, message = found
        log.info("%s %s: %s", status, path, message)
        if isinstance(exception, Base400 | DatasetteError):
            return cast(Exception, exception)
        error: Exception = DatasetteError(message, title="Bad request" if status == 400 else None, status=status)
        return error
    log.error("Server error on %s", path, exc_info=(type(exception), exception, exception.__traceback__))
    server: Exception = DatasetteError("Something went wrong on the server.", title="Server error", status=500)
    return server


def database_paths(datasette: Any) -> tuple[str, ...]:
    return tuple(datasette.urls.database(name) for name in datasette.databases)
