"""HTML of answer cells, written in Python: the area matrix has a cell per
member state and indicator (thousands at scale), and building each with plain
string operations is many times faster than a template macro per cell. The
templates call these through the filters the site plugin registers."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from markupsafe import Markup

from ingest.records import answer_view
from ingest.records.answer_view import escape


def answer(cell: dict[str, Any], base: str, country: str, indicator: dict[str, Any], repository_url: str | None) -> Markup:
    """An answer as every page shows it (ingest.records.answer_view.render)."""
    return answer_view.render(
        cell, base, country=country, indicator=indicator["id"], question=indicator["question"], repository_url=repository_url
    )


def _matrix_rows(
    data: dict[str, Any],
    keys: list[str],
    head: Callable[[dict[str, Any], str], str],
    cell: Callable[[dict[str, Any], str, str], str],
) -> Markup:
    """A row per member state: its heading cell, then a cell per key."""
    rows = []
    for c in data["countries"]:
        code = escape(c["code"])
        rows.append(
            f'<tr><th scope="row">{head(c, code)}</th>' + "".join(cell(c["cells"][key], code, key) for key in keys) + "</tr>"
        )
    return Markup("\n".join(rows))


def area_rows(data: dict[str, Any], base: str, repository_url: str | None = None) -> Markup:
    """The body rows of the area matrix."""
    area = escape(data["area"]["code"])
    inds = {i["id"]: i for i in data["indicators"]}

    def head(c: dict[str, Any], code: str) -> str:
        return f'<a href="{base}/country/{code}#answers-{area}">{escape(c["name"])}</a>'

    def cell(cell: dict[str, Any], code: str, ind_id: str) -> str:
        flags = "".join(f" is-{f}" for f in cell.get("flags") or ())
        value = "" if cell.get("value") is None else escape(cell["value"])
        return (
            f'<td class="answer-cell value-{escape(cell["class"])}{flags}" data-country="{code}" '
            f'data-indicator="{escape(ind_id)}" data-value="{value}">'
            f"{answer(cell, base, code, inds[ind_id], repository_url)}</td>"
        )

    return _matrix_rows(data, [i["id"] for i in data["indicators"]], head, cell)


APPROX_TITLE = (
    "The in-force date of this law is not recorded or not exact; the adoption date or the start of the month or year is used"
)


def overview_rows(data: dict[str, Any], base: str) -> Markup:
    """The body rows of the member states x areas matrix."""

    def head(c: dict[str, Any], code: str) -> str:
        return f'<a href="{base}/country/{code}">{escape(c["name"])}</a>'

    def cell(cell: dict[str, Any], code: str, area: str) -> str:
        status = escape(cell["status"])
        html = f'<span class="status status-{status}">{escape(cell["label"])}</span>'
        if cell.get("approx"):
            html += f' <span class="flag flag-approx" title="{escape(APPROX_TITLE)}">≈</span>'
        if cell.get("law_id"):
            year = cell.get("law_year")
            title = cell["law_title"] or ""
            suffix = f" ({year})" if year and str(year) not in title else ""
            html += f'<br><a href="{base}/law/{escape(cell["law_id"])}">{escape(title)}</a>{suffix}'
        elif cell.get("note"):
            note = cell["note"]
            short = note if len(note) <= 90 else note[:87].rsplit(" ", 1)[0] + "…"
            html += f'<br><span class="explain" title="{escape(note)}">{escape(short)}</span>'
        return f'<td class="cell-{status}" data-country="{code}" data-area="{escape(area)}" data-status="{status}">{html}</td>'

    return _matrix_rows(data, [a["code"] for a in data["areas"]], head, cell)


def side_by_side_rows(data: dict[str, Any], base: str, repository_url: str | None = None) -> Markup:
    """The body rows of the side-by-side table: a group heading per area when
    all areas are shown, then a row per indicator, marked when the answers differ."""
    rows = []
    width = len(data["countries"]) + 1
    area = None
    for r in data["rows"]:
        ind = r["indicator"]
        if not data["area"] and ind["area"] != area:
            area = ind["area"]
            rows.append(f'<tr class="area-row"><th colspan="{width}" scope="rowgroup">{escape(r["area_label"])}</th></tr>')
        mark = '<span class="differs-mark" title="The answers differ">≠</span> ' if r["differs"] else ""
        link = f'<a href="{base}/codebook#{escape(ind["id"])}">{escape(ind["question"])}</a>'
        parts = [
            f'<tr class="{"differs" if r["differs"] else "same"}" data-indicator="{escape(ind["id"])}">'
            f'<th scope="row" class="q">{mark}{link}</th>'
        ]
        for country, cell in zip(data["countries"], r["cells"], strict=True):
            note = f'<span class="cell-note">{escape(cell["note"])}</span>' if cell.get("note") else ""
            if cell.get("dispute"):
                note += f'<span class="cell-note dispute">Disputed: {escape(cell["dispute"])}</span>'
            value = answer(cell, base, country["code"], ind, repository_url) + answer_view.quotes(cell)
            name = escape(country["name"])
            parts.append(f'<td class="value-{escape(cell["class"])}" data-country-name="{name}">{value}{note}</td>')
        parts.append("</tr>")
        rows.append("".join(parts))
    return Markup("\n".join(rows))
