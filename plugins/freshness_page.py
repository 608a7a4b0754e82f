"""The coverage and freshness page, as HTML, `.json` and `.csv`:

- /freshness    member states x areas coloured by how recently their records
                were verified, the stale items and the rules (ingest/freshness.py)

The JSON has the whole report; the CSV one row per member state and area.
The database is served immutable, so each format of the page is kept once
rendered, for the database file being served and today's date.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

from datasette import Response, hookimpl
from datasette.utils.asgi import NotFound

from ingest import freshness
from ingest.csvtext import to_csv

DATABASE = "laws"
_CACHE: dict[tuple[str, ...], dict[str, Any]] = {}  # {"data": report, format: (status, type, headers, body)}


def today() -> dt.date:
    return dt.date.today()


def _csv(rows: list[dict[str, Any]]) -> str:
    return to_csv(rows)



async def freshness_view(datasette: Any, request: Any) -> Response:
    fmt = (request.url_vars.get("ext") or "").lstrip(".") or request.args.get("_format") or "html"
    if fmt not in ("html", "json", "csv"):
        raise NotFound(f"No {fmt} format for this page")
    db = datasette.get_database(DATABASE)
    day = today()
    key = (str(db.path), str(os.stat(db.path).st_mtime_ns) if db.path else "", day.isoformat())
    kept = _CACHE.get(key, {}) if not db.is_mutable else {}
    if fmt in kept:
        status, content_type, headers, body = kept[fmt]
        return Response(body, status=status, content_type=content_type, headers=dict(headers))
    data = kept.get("data") or await db.execute_fn(lambda conn: freshness.freshness(conn, day))
    if fmt == "json":
        response = Response.json({"ok": True, **data})
    elif fmt == "csv":
        response = Response(_csv(freshness.cell_rows(data)), content_type="text/csv; charset=utf-8",
                            headers={"content-disposition": 'inline; filename="freshness.csv"'})
    else:
        base = datasette.urls.path("/freshness")
        links = {"json": f"{base}.json", "csv": f"{base}.csv", "html": base}
        html = await datasette.render_template("freshness.html", {"data": data, "links": links}, request=request)
        response = Response.html(html)
    if not db.is_mutable:
        if key not in _CACHE:  # keep only today's report on the database being served
            _CACHE.clear()
            _CACHE[key] = {"data": data}
        _CACHE[key][fmt] = (response.status, response.content_type, dict(response.headers), response.body)
    return response


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["fresh_share"] = lambda v: "–" if v is None else f"{v:.0%}"


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/freshness(?P<ext>\.json|\.csv)?$", freshness_view)]
