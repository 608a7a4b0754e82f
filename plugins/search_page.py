"""One search box for the whole repository: /search?q=... (the data:
ingest/site/search.py).

The whole search runs on one connection within one time budget
(`search_time_limit_ms` under `plugins: lawrepo:` in datasette.yaml; default
Datasette's `sql_time_limit_ms`). A search still out of time, usually under
load, answers 503 with `Retry-After` and a page asking for a narrower search,
never a 500. Works without JavaScript; `?q=...&_format=json` gives the same
results as JSON.
"""

from __future__ import annotations

from typing import Any

from datasette import Response, hookimpl
from datasette.database import QueryInterrupted
from datasette.utils import sqlite_timelimit

from ingest.site import origin
from ingest.site.search import search_all

BUSY = (
    "This search took longer than the server allows: more words, a whole title or number (such as RA 10173) "
    "or a member state's name narrow it down. You can also try again in a few seconds."
)
RETRY_AFTER = 10  # seconds


def time_limit_ms(datasette: Any) -> int:
    configured = origin.settings(datasette).get("search_time_limit_ms")
    return int(configured if configured is not None else datasette.setting("sql_time_limit_ms"))


async def search_view(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")[:1000]
    as_json = request.args.get("_format") == "json"
    limit = time_limit_ms(datasette)

    def run(conn: Any) -> dict[str, Any]:
        try:
            with sqlite_timelimit(conn, limit):
                return search_all(conn, q)
        except Exception as exc:  # SQLite says "interrupted" when the time limit stops a query
            if getattr(exc, "args", None) == ("interrupted",):
                raise QueryInterrupted(exc, "search", {"q": q}) from None
            raise

    try:
        found = await origin.database(datasette).execute_fn(run)
    except QueryInterrupted:
        # out of time, usually under load: a clear page, never a 500, and kept by no cache
        headers = {"Retry-After": str(RETRY_AFTER), "Cache-Control": "no-store"}
        if as_json:
            return Response.json({"ok": False, "q": q, "error": f"Try a narrower search. {BUSY}"}, status=503, headers=headers)
        context = {"q": q, "busy": BUSY, "results": [], "countries": [], "suggestions": []}
        html = await datasette.render_template("search.html", context, request=request)
        return Response.html(html, status=503, headers=headers)
    if as_json:
        return Response.json({"q": q, **found})
    return Response.html(await datasette.render_template("search.html", {"q": q, **found}, request=request))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/search$", search_view)]
