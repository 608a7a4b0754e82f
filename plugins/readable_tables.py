"""The `readable_table` filter of templates/table.html: Datasette's table pages
rewritten for readers (ingest/site/table_page.py)."""

from __future__ import annotations

from datasette import hookimpl
from jinja2 import Environment
from markupsafe import Markup

from ingest.site.table_page import readable


def readable_table(html: str) -> Markup:
    # `html` is the page Datasette rendered (already escaped): only tags are added or moved
    return Markup(readable(str(html)))


@hookimpl
def prepare_jinja2_environment(env: Environment) -> None:
    env.filters["readable_table"] = readable_table
