"""The site-wide menu on every page (ingest/site/menu.py): `site_menu` for
templates/_site_menu.html, and the small script that folds the menu behind its
"Menu" button on narrow screens (without JavaScript it simply stays open)."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

from ingest.site import menu


@hookimpl
def extra_template_vars(request: Any) -> dict[str, Any]:
    return {"site_menu": menu.items(request.path if request is not None else "")}


@hookimpl
def extra_js_urls(datasette: Any) -> list[dict[str, Any]]:
    return [{"url": datasette.urls.path("/assets/site-menu.js")}]
