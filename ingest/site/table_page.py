"""Datasette's table pages for readers who are not analysts.

`readable(html)` rewrites the content Datasette renders for a table page
(templates/table.html passes it through the `readable_table` filter), without
changing Datasette itself:

- the column descriptions fold behind a "What the columns mean" toggle instead
  of standing before the rows;
- column heads and facet names read as words ("Instrument type", not
  `instrument_type`); the column's own name stays in `data-column` for tools;
- the facets come first, before the search and filter form;
- every control of the filter form has a name for assistive technology, and
  the row count is a second-level heading (after the page's h1).
"""

from __future__ import annotations

import re

# labels that are not the column name in words
LABELS = {
    "id": "ID",
    "iso3": "ISO alpha-3",
    "m49": "UN M49",
    "url": "Address",
    "lang": "Language",
    "ref": "Provision",
    "law_id": "Law",
    "target_id": "Related law",
    "official_url": "Official text",
    "in_force": "In force since",
    "pk": "Key",
}

_CONTROL_LABELS = [
    (re.compile(r'<select name="_filter_column(_\d+)?"'), "Column to filter"),
    (re.compile(r'<select name="_filter_op(_\d+)?"'), "Condition"),
    (re.compile(r'<input type="text" name="_filter_value(_\d+)?"'), "Value to filter by"),
    (re.compile(r'<select name="_sort" id="sort_by"'), "Sort by"),
]
_NOTES = re.compile(r'<dl class="column-descriptions">(.*?)</dl>', re.S)
_SUMMARY = re.compile(r'<h3 class="table-summary">(.*?)</h3>', re.S)
_HEAD = re.compile(r'(<th [^>]*data-column="([^"]+)"[^>]*>\s*(?:<a [^>]*>)?)\s*\2(?=\s*(?:&nbsp;|</a>|</th>))')
_FACET_NAME = re.compile(r'(<p class="facet-info-name">\s*<strong>)([a-z0-9_]+)')
_DIV = re.compile(r"<div\b|</div>")


def label(column: str) -> str:
    """A column name as a reader would say it: 'instrument_type' -> 'Instrument type'."""
    if column in LABELS:
        return LABELS[column]
    words = column.replace("_", " ").strip()
    return words[:1].upper() + words[1:] if words else column


def _move_facets_first(html: str) -> str:
    start = html.find('<div class="facet-results">')
    form = html.find('<form class="core filters"')
    if start < 0 or form < 0 or form > start:
        return html
    depth, end = 0, -1
    for m in _DIV.finditer(html, start):
        depth += 1 if m.group(0) == "<div" else -1
        if depth == 0:
            end = m.end()
            break
    if end < 0:
        return html
    facets = html[start:end]
    return html[:form] + facets + "\n" + html[form:start] + html[end:]


def readable(html: str) -> str:
    """The table page's content, rewritten as the module's docstring says."""
    for pattern, text in _CONTROL_LABELS:
        html = pattern.sub(rf'\g<0> aria-label="{text}"', html)
    html = _NOTES.sub(
        lambda m: (
            '<details class="column-notes"><summary>What the columns mean</summary>'
            f'<dl class="column-descriptions">{m.group(1)}</dl></details>'
        ),
        html,
        count=1,
    )
    html = _SUMMARY.sub(lambda m: f'<h2 class="table-summary">{m.group(1)}</h2>', html, count=1)
    html = _HEAD.sub(lambda m: m.group(1) + label(m.group(2)), html)
    html = _FACET_NAME.sub(lambda m: m.group(1) + label(m.group(2)), html)
    return _move_facets_first(html)
