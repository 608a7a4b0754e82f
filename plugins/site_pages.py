"""What the site's templates need beyond Datasette itself.

- `sql(query, params)`: run a read-only query from a template (the pages
  /law/<id>, /country/<code>, /about and the home page are built with it),
  on the site's database (`db_name`, from ingest/site/origin.py);
- the `legal_date` filter: a YYYY[-MM[-DD]] date as a reader would write it,
  inside a <time> element;
- `site`: the instance metadata (title, licence, source), for every page's
  footer, custom pages included; `base_url` and `repository_url`: the
  configured addresses (ingest/site/origin.py), never the request's Host;
- links from table and query cells to the law pages: the `title` column of
  `laws`, and `law_id` / `target_id` columns of views and stored queries; and
  from the `title` column of `reviews` to the review pages.
"""

from __future__ import annotations

import json
from typing import Any

from datasette import hookimpl
from jinja2 import Environment
from markupsafe import Markup, escape

from ingest.common.dates import display
from ingest.site import origin

LAW_ID_COLUMNS = {"law_id", "target_id", "Law id"}
LAW_VIEWS = {"law_relations", "country_area_status"}


def legal_date(value: str | None) -> Markup:
    """'2019-05-24' -> 24 May 2019, '2020-02' -> February 2020, '2020' -> 2020;
    'unknown' and anything else are shown as they are."""
    if not value:
        return Markup("")
    text = display(value)
    if text is None:
        return Markup(escape(value))
    return Markup('<time datetime="{}">{}</time>').format(value, text)


def law_url(datasette: Any, law_id: str) -> str:
    return datasette.urls.path(f"/law/{law_id}")


@hookimpl
def prepare_jinja2_environment(env: Environment, datasette: Any) -> None:
    env.filters["legal_date"] = legal_date
    env.filters["from_json"] = from_json
    # a global, not a template variable: error pages are rendered without the plugins' variables
    env.globals["db_name"] = origin.database_name(datasette)


def from_json(value: str | None) -> Any:
    """A JSON text column (such as source_checks.differences) as data; [] when empty or not JSON."""
    try:
        return json.loads(value) if value else []
    except ValueError:
        return []


@hookimpl
def extra_template_vars(datasette: Any) -> Any:
    async def sql(query: str, params: dict[str, Any] | None = None, database: str | None = None) -> list[dict]:
        db = datasette.get_database(database or origin.database_name(datasette))
        results = await db.execute(query, params or {})
        return [dict(row) for row in results.rows]

    async def inner() -> dict[str, Any]:
        return {
            "sql": sql,
            "site": await datasette.get_instance_metadata(),
            "base_url": origin.base_url(datasette),
            "repository_url": origin.repository_url(datasette),
        }

    return inner


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, datasette: Any) -> Markup | None:
    if not isinstance(value, str) or not value:
        return None
    if table == "laws" and column == "title":
        try:
            law_id = row["id"]
        except (IndexError, KeyError):  # ?_col= left the id out
            return None
        return Markup('<a href="{}">{}</a>').format(law_url(datasette, law_id), value)
    if table == "reviews" and column == "title":
        try:
            review_id = row["id"]
        except (IndexError, KeyError):
            return None
        return Markup('<a href="{}">{}</a>').format(datasette.urls.path(f"/review/{review_id}"), value)
    if (table is None or table in LAW_VIEWS) and column in LAW_ID_COLUMNS:
        return Markup('<a href="{}">{}</a>').format(law_url(datasette, value), value)
    return None
