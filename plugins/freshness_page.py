"""The coverage and freshness page, as HTML, `.json` and `.csv`:

- /freshness    member states x areas coloured by how recently their records
                were verified, the stale items and the rules (ingest/site/freshness.py),
                and what is still to be checked against the official texts
                (ingest/site/checking.py)

The JSON has the whole report; the CSV one row per member state and area.
The database is served immutable, so each format of the page is kept once
rendered, for the database file being served and today's date.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from datasette import Response, hookimpl
from datasette.utils.asgi import NotFound

from ingest.common.csvtext import attachment, for_spreadsheets, to_csv
from ingest.site import checking, freshness, origin, page_cache


def today() -> dt.date:
    return dt.date.today()


def _csv(rows: list[dict[str, Any]]) -> str:
    return to_csv(rows)


async def freshness_view(datasette: Any, request: Any) -> Response:
    fmt = (request.url_vars.get("ext") or "").lstrip(".") or request.args.get("_format") or "html"
    if fmt not in ("html", "json", "csv"):
        raise NotFound(f"No {fmt} format for this page")
    db = origin.database(datasette)
    day = today()

    async def render() -> Response:
        data = await db.execute_fn(lambda conn: {**freshness.freshness(conn, day), "checking": checking.report(conn)})
        if fmt == "json":
            return Response.json({"ok": True, **data})
        if fmt == "csv":
            return Response(
                for_spreadsheets(_csv(freshness.cell_rows(data))),
                content_type="text/csv; charset=utf-8",
                headers=attachment("freshness.csv"),
            )
        base = datasette.urls.path("/freshness")
        links = {"json": f"{base}.json", "csv": f"{base}.csv", "html": base}
        return Response.html(await datasette.render_template("freshness.html", {"data": data, "links": links}, request=request))

    return await page_cache.serve(db, request, day.isoformat(), render)


@hookimpl
def prepare_jinja2_environment(env: Any) -> None:
    env.filters["fresh_share"] = lambda v: "–" if v is None else f"{v:.0%}"


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/freshness(?P<ext>\.json|\.csv)?$", freshness_view)]
