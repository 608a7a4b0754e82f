"""Render Markdown summaries safely.

Record summaries are plain Markdown. Raw HTML in them is removed (tags and
comments; character entities are kept, as the characters they name), and the HTML that Markdown produces
is cleaned again with an allow-list (nh3): a few text tags, links only to http,
https and mailto addresses, marked rel="nofollow noopener noreferrer", no
images, no attributes other than href and title.

Used for the table cells named in the plugin's configuration in datasette.yaml
(`plugins: {safe-markdown: {columns: [...]}}` at table level) and, in
templates, as the `markdown` filter.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import markdown
import nh3
from datasette import hookimpl
from jinja2 import Environment
from markdown.postprocessors import RawHtmlPostprocessor
from markupsafe import Markup

PLUGIN = "safe-markdown"
ALLOWED_TAGS = frozenset({"p", "br", "em", "strong", "code", "pre", "blockquote", "ul", "ol", "li", "a", "hr"})
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
LINK_REL = "nofollow noopener noreferrer"  # links in contributed text earn no ranking and get no window handle
ALLOWED_PROTOCOLS = frozenset({"http", "https", "mailto"})


class _DropRawHtml(RawHtmlPostprocessor):
    """Put back nothing for stashed raw HTML; keep stashed character entities."""

    def stash_to_string(self, text: Any) -> str:
        text = str(text)
        return text if text.startswith("&") else ""


def _converter() -> markdown.Markdown:
    md = markdown.Markdown(output_format="html")
    md.postprocessors.register(_DropRawHtml(md), "raw_html", 30)
    return md


def render_markdown_safely(text: str | None) -> Markup:
    """HTML for a Markdown text, with raw HTML and unsafe links removed."""
    if not text:
        return Markup("")
    return _render(text)


@lru_cache(maxsize=4096)
def _render(text: str) -> Markup:
    """Rendering is a pure function of the text: cached, since the data never changes while served."""
    html = _converter().convert(text)
    clean = nh3.clean(
        html,
        tags=set(ALLOWED_TAGS),
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=set(ALLOWED_PROTOCOLS),
        strip_comments=True,
        link_rel=LINK_REL,
    )
    clean = clean.replace("<p></p>", "").strip()
    return Markup(f'<div class="markdown">{clean}</div>')


@hookimpl
def render_cell(value: Any, column: str, table: str | None, database: str, datasette: Any) -> Markup | None:
    if table is None or not isinstance(value, str):
        return None
    if column in _columns(datasette, database, table):
        limit = datasette.setting("truncate_cells_html") or 0
        return render_markdown_safely(_shorten(value, limit) if limit else value)
    return None


def _shorten(text: str, limit: int) -> str:
    """The text cut at a word boundary near `limit` characters, with an ellipsis."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(None, 1)[0].rstrip(".,;:") + " …"


_COLUMNS: dict[tuple[int, str, str], frozenset[str]] = {}


def _columns(datasette: Any, database: str, table: str) -> frozenset[str]:
    """The configured Markdown columns of a table (looked up once per table, not per cell)."""
    key = (id(datasette), database, table)
    if key not in _COLUMNS:
        config = datasette.plugin_config(PLUGIN, database=database, table=table, fallback=False) or {}
        _COLUMNS[key] = frozenset(config.get("columns") or [])
    return _COLUMNS[key]


@hookimpl
def prepare_jinja2_environment(env: Environment) -> None:
    env.filters["markdown"] = render_markdown_safely
