"""The site-wide menu on every page (ingest/site/menu.py): `site_menu(path)` for
templates/_site_menu.html, and the small script that folds the menu behind its
"Menu" button on narrow screens (without JavaScript it simply stays open)."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from jinja2 import Environment

from ingest.site import menu, origin


@hookimpl
def prepare_jinja2_environment(env: Environment, datasette: Any) -> None:
    # a global, not a template variable: error pages are rendered without the plugins' variables
    env.globals["site_menu"] = lambda path: menu.items(path, origin.database_name(datasette))


@hookimpl
def extra_js_urls(datasette: Any) -> list[dict[str, Any]]:
    return [{"url": datasette.urls.path("/assets/site-menu.js")}]
