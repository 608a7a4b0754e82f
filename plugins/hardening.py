"""No single request can take the site down.

- every connection gets SQLite's run-time limits and an authorizer
  (ingest/site/sql_limits.py): tighter ones on the arbitrary-SQL threads;
- requests pass the rules of ingest/site/request_rules.py: methods, sizes,
  instance pages, the configured origin, and the arbitrary-SQL lane with its
  queue, rate limit and response cap (ingest/site/sql_lane.py);
- a client's mistake is a 4xx without a traceback (ingest/site/client_errors.py);
- Datasette's own table and law pages are kept in the page cache once
  answered (ingest/site/response_cache.py), so a popular page costs once.

Settings: `plugins: hardening:` in datasette.yaml (README, Deployment).
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import uuid
import weakref
from typing import Any

import datasette.handle_exception as default_errors
from datasette import hookimpl
from datasette.plugins import pm

from ingest.site import client_errors, origin, request_rules, response_cache, sql_lane, sql_limits, table_params

# Datasette's own handler prints each exception with its local variables
# (addresses and all) and cannot be told a client's mistake from a server
# error: it renders the pages here, after client_errors has decided.
default_errors.rich = None
if pm.is_registered(default_errors):
    pm.unregister(default_errors)


SITES: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def settings(datasette: Any) -> sql_lane.Settings:
    return sql_lane.Settings.from_config(datasette.plugin_config(sql_lane.PLUGIN))


@hookimpl
def prepare_connection(conn: sqlite3.Connection) -> None:
    sql_limits.apply(conn, sql_limits.for_this_thread())


@hookimpl
def asgi_wrapper(datasette: Any) -> Any:
    chosen = settings(datasette)
    sql_lane.install(datasette, chosen)
    # this site's answers are its own, whatever another site in the process keeps
    site = SITES.setdefault(datasette, uuid.uuid4().hex)

    async def keep(app: Any, scope: Any, receive: Any, send: Any) -> None:
        db = origin.database(datasette)
        if db.is_mutable or not db.path:
            await app(scope, receive, send)
            return
        # what else the bytes depend on: this site (its configuration), the database file, the configured
        # address, today's date
        parts = (
            site,
            str(db.path),
            str(os.stat(db.path).st_mtime_ns),
            origin.base_url(datasette),
            dt.date.today().isoformat(),
        )
        await response_cache.through(app, scope, receive, send, parts, db.name)

    def wrap(app: Any) -> Any:
        return request_rules.middleware(
            app,
            chosen,
            lambda: origin.base_url(datasette),
            lambda path, query: table_params.problem(datasette, path, query),
            keep,
        )

    return wrap


@hookimpl
def handle_exception(datasette: Any, request: Any, exception: BaseException) -> Any:
    shown = client_errors.as_datasette_error(exception, request.path, client_errors.database_paths(datasette))
    return default_errors.handle_exception(datasette, request, shown)
