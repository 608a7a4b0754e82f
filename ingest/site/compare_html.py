"""HTML of answer cells, written in Python: the area matrix has a cell per
member state and indicator (thousands at scale), and building each with plain
string operations is many times faster than a template macro per cell. The
templates call these through the filters the site plugin registers."""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from html import escape as _html_escape
from typing import Any

from markupsafe import Markup

from ingest.common.dates import display


@lru_cache(maxsize=65536)
def escape(value: Any) -> str:
    """HTML-escaped text; the same labels, codes and titles recur in every row."""
    return _html_escape(str(value), quote=True)


def _date(value: str) -> str:
    text = display(value)
    if text is None:
        return str(escape(value))
    return f'<time datetime="{escape(value)}">{text}</time>'


def answer_cell(
    cell: dict[str, Any], base: str, show_basis: bool = True, show_since: bool = False, show_quotes: bool = False
) -> Markup:
    """The value chip, its flags, its legal basis (linked to the provision on
    the law page), if asked the date since which it holds, and the quotes of
    the operative words with a link to the text quoted."""
    out = [f'<span class="answer answer-{escape(cell["class"])}">{escape(cell["label"])}</span>']
    for flag in cell.get("flags") or ():
        if flag == "disputed":
            title = escape("Disputed: " + (cell.get("dispute") or ""))
            out.append(f' <span class="flag flag-disputed" title="{title}">disputed</span>')
        else:  # the legend under each table says what the mark means
            out.append(f' <span class="flag flag-{flag}">{flag}</span>')
    basis = cell.get("basis") if show_basis else None
    if basis:
        links = []
        for b in basis:
            anchor = f"#provision-{b['provision_position']}" if b["provision_position"] is not None else ""
            text = b["law_title"] + (f", {b['provision']}" if b["provision"] else "")
            links.append(f'<a href="{base}/law/{escape(b["law_id"])}{anchor}">{escape(text)}</a>')
        out.append(f'<span class="basis">{"; ".join(links)}</span>')
        if show_quotes:
            out.extend(_quote(b) for b in basis if b.get("quote"))
    if show_since and cell.get("value") is not None:
        if cell.get("since"):
            since = f"since {_date(cell['since'])}"
        elif cell.get("starts") and cell["starts"] != "0000-01-01":
            since = f"since {_date(cell['starts'])}"
        else:
            since = "since: not recorded"
        out.append(f'<span class="since">{since}</span>')
    return Markup("".join(out))


def question_link(base: str, country: str, indicator: str) -> str:
    """The link from an answer to the form that questions it (/submit)."""
    href = f"{base}/submit?country={escape(country)}&amp;indicator={escape(indicator)}"
    label = "Question this answer"
    return f' <a class="question-answer" href="{href}" rel="nofollow" title="{label}" aria-label="{label}">?</a>'


def _quote(b: dict[str, Any]) -> str:
    """A basis's quote, in its language, with the address of the text it is from."""
    lang = f' lang="{escape(b["quote_lang"])}"' if b.get("quote_lang") else ""
    source = f' <a class="quote-source" href="{escape(b["quote_url"])}" rel="noopener">text</a>' if b.get("quote_url") else ""
    return f'<span class="quote"><q{lang}>{escape(b["quote"])}</q>{source}</span>'


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


def area_rows(data: dict[str, Any], base: str) -> Markup:
    """The body rows of the area matrix."""
    area = escape(data["area"]["code"])

    def head(c: dict[str, Any], code: str) -> str:
        return f'<a href="{base}/country/{code}#answers-{area}">{escape(c["name"])}</a>'

    def cell(cell: dict[str, Any], code: str, ind_id: str) -> str:
        flags = "".join(f" is-{f}" for f in cell.get("flags") or ())
        value = "" if cell.get("value") is None else escape(cell["value"])
        return (
            f'<td class="answer-cell value-{escape(cell["class"])}{flags}" data-country="{code}" '
            f'data-indicator="{escape(ind_id)}" data-value="{value}">'
            f"{answer_cell(cell, base)}{question_link(base, code, ind_id)}</td>"
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


def side_by_side_rows(data: dict[str, Any], base: str) -> Markup:
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
            value = answer_cell(cell, base, show_since=True, show_quotes=True)
            ask = question_link(base, country["code"], ind["id"])
            parts.append(f'<td class="value-{escape(cell["class"])}">{value}{note}{ask}</td>')
        parts.append("</tr>")
        rows.append("".join(parts))
    return Markup("\n".join(rows))
