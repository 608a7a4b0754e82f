"""The compare pages, each as HTML, `.json` and `.csv` at a stable URL:

- /compare                     member states x areas (`?as_of=YYYY-MM-DD`)
- /compare/<area>              member states x the indicators of one area
- /side-by-side?countries=TH,VN&area=<area>&as_of=…&diff=1
- /country/<code>              a member state's laws, timeline, answers and gaps
- /area/<code>                 every member state's laws in one area, and the statements where there is none
- /progress                    member states with a law in force per year (also /progress.svg)
- /codebook                    the indicators, their guidance and the codebook's changes

The data comes from ingest/compare.py; this module only dispatches and formats.

Rendered pages are kept in memory (ingest/page_cache.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import Response, hookimpl
from datasette.utils.asgi import NotFound

from ingest.common.csvtext import attachment, for_spreadsheets, to_csv
from ingest.site import area, compare, compare_html, country, origin, page_cache, progress_chart

EXT = r"(?P<ext>\.json|\.csv|\.svg)?"


def today() -> dt.date:
    return dt.date.today()


def _csv(rows: list[dict[str, Any]]) -> str:
    return to_csv(rows)


def _format(request: Any) -> str:
    ext = (request.url_vars.get("ext") or "").lstrip(".")
    return ext or request.args.get("_format") or "html"


def _links(request: Any, base: str) -> dict[str, str]:
    query = urlencode([(k, v) for k, v in parse_qsl(request.query_string) if k != "_format"])
    suffix = f"?{query}" if query else ""
    return {"json": f"{base}.json{suffix}", "csv": f"{base}.csv{suffix}", "html": f"{base}{suffix}"}


async def _respond(
    datasette: Any,
    request: Any,
    template: str,
    base: str,
    load: Callable[[Any], dict[str, Any]],
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]],
    extra: dict[str, Any] | None = None,
) -> Response:
    db = origin.database(datasette)
    return await page_cache.serve(
        db, request, today().isoformat(), lambda: _render(datasette, request, template, base, load, rows, extra)
    )


async def _render(
    datasette: Any,
    request: Any,
    template: str,
    base: str,
    load: Callable[[Any], dict[str, Any]],
    rows: Callable[[dict[str, Any]], list[dict[str, Any]]],
    extra: dict[str, Any] | None,
) -> Response:
    fmt = _format(request)
    if fmt not in ("html", "json", "csv") and not (fmt == "svg" and template == "progress.html"):
        raise NotFound(f"No {fmt} format for this page")
    db = origin.database(datasette)
    error = None
    try:
        data = await db.execute_fn(load)
    except compare.NotChosenYet as exc:
        if fmt == "html":  # reached from a link: the form, with what to do, never an error
            context = {"data": None, "error": None, "links": None, **(extra or {})}
            return Response.html(await datasette.render_template(template, context, request=request))
        error, data = str(exc), None
    except compare.BadRequest as exc:
        error, data = str(exc), None
    except LookupError as exc:
        raise NotFound(f"Not found: {exc}") from None
    if error:
        if fmt == "html":
            html = await datasette.render_template(
                template, {"data": None, "error": error, "links": None, **(extra or {})}, request=request
            )
            return Response.html(html, status=400)
        return (
            Response.json({"ok": False, "error": error}, status=400) if fmt == "json" else Response.text(error + "\n", status=400)
        )
    assert data is not None
    if fmt == "json":
        return Response.json({"ok": True, **data})
    if fmt == "csv":
        name = base.strip("/").replace("/", "-") + (f"-as-of-{data['as_of']}" if data.get("as_of") else "")
        return Response(
            for_spreadsheets(_csv(rows(data))),
            content_type="text/csv; charset=utf-8",
            headers=attachment(f"{name}.csv"),
        )
    if fmt == "svg":
        return Response(progress_chart.render(data), content_type="image/svg+xml; charset=utf-8")
    context = {"data": data, "error": None, "links": _links(request, datasette.urls.path(base)), **(extra or {})}
    if template == "progress.html":
        context["chart"] = progress_chart.render(data)
    return Response.html(await datasette.render_template(template, context, request=request))


def _as_of(request: Any) -> str | None:
    return compare.parse_as_of(request.args.get("as_of"))


async def overview_view(datasette: Any, request: Any) -> Response:
    def load(conn: Any) -> dict[str, Any]:
        return compare.overview(conn, _as_of(request), today())

    return await _respond(datasette, request, "compare.html", "/compare", load, compare.overview_rows)


async def area_view(datasette: Any, request: Any) -> Response:
    area = request.url_vars["area"]

    def load(conn: Any) -> dict[str, Any]:
        return compare.area_matrix(conn, area, _as_of(request), today())

    return await _respond(datasette, request, "compare_area.html", f"/compare/{area}", load, compare.area_matrix_rows)


async def side_by_side_view(datasette: Any, request: Any) -> Response:
    def load(conn: Any) -> dict[str, Any]:
        picked = request.args.getlist("countries") + request.args.getlist("c")
        codes = compare.parse_countries(conn, picked)
        area = request.args.get("area") or None
        diff = request.args.get("diff") in ("1", "on", "true", "yes")
        return compare.side_by_side(conn, codes, area, _as_of(request), today(), differences_only=diff)

    db = origin.database(datasette)
    choices = {
        "all_countries": await db.execute_fn(compare.countries),
        "all_areas": await db.execute_fn(lambda conn: compare.areas(conn, with_indicators=True)),
        "picked": [
            c.upper()
            for v in request.args.getlist("countries") + request.args.getlist("c")
            for c in v.replace(" ", ",").split(",")
            if c
        ],
    }
    return await _respond(
        datasette, request, "side_by_side.html", "/side-by-side", load, compare.side_by_side_rows, extra=choices
    )


async def country_view(datasette: Any, request: Any) -> Response:
    code = request.url_vars["code"].upper()

    def load(conn: Any) -> dict[str, Any]:
        return country.country_profile(conn, code, today())

    return await _respond(datasette, request, "country.html", f"/country/{code}", load, country.country_rows)


async def area_page_view(datasette: Any, request: Any) -> Response:
    code = request.url_vars["area"]

    def load(conn: Any) -> dict[str, Any]:  # the page lists the first laws of each member state; the CSV all
        return area.area_page(conn, code, None if _format(request) == "csv" else area.LAWS_PER_COUNTRY)

    return await _respond(datasette, request, "area.html", f"/area/{code}", load, area.area_rows)


async def progress_view(datasette: Any, request: Any) -> Response:
    def load(conn: Any) -> dict[str, Any]:
        return country.progress(conn, today())

    return await _respond(datasette, request, "progress.html", "/progress", load, country.progress_rows)


async def codebook_view(datasette: Any, request: Any) -> Response:
    def load(conn: Any) -> dict[str, Any]:
        return country.codebook(conn)

    return await _respond(datasette, request, "codebook.html", "/codebook", load, country.codebook_rows)


@hookimpl
def prepare_jinja2_environment(env: Any, datasette: Any) -> None:
    base = datasette.urls.path("").rstrip("/")
    repo = origin.repository_url(datasette)
    # one renderer for every answer on every page (ingest/records/answer_view.py)
    env.filters["answer"] = lambda cell, country, indicator: compare_html.answer(cell, base, country, indicator, repo)
    env.filters["area_rows"] = lambda data: compare_html.area_rows(data, base, repo)
    env.filters["overview_rows"] = lambda data: compare_html.overview_rows(data, base)
    env.filters["side_by_side_rows"] = lambda data: compare_html.side_by_side_rows(data, base, repo)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (rf"^/compare{EXT}$", overview_view),
        (rf"^/compare/(?P<area>[a-z][a-z-]*[a-z]){EXT}$", area_view),
        (rf"^/side-by-side{EXT}$", side_by_side_view),
        (rf"^/country/(?P<code>[A-Za-z]{{2}}){EXT}$", country_view),
        (rf"^/area/(?P<area>[a-z][a-z-]*[a-z]){EXT}$", area_page_view),
        (rf"^/progress{EXT}$", progress_view),
        (rf"^/codebook{EXT}$", codebook_view),
    ]
