"""An answer as a person reads it: the one renderer behind every page and
worksheet that shows answers (law page, country page, compare matrices, side
by side, review worksheets).

`describe()` turns an answer's stored values into words: the value with its
unit or currency formatted ("72 hours", "5,000,000 THB"), the option's or the
value's label, the flags, and the labels of its verification, evidence and
review status. `render()` turns that into HTML: the value, its legal basis
down to the provision, the period it holds (since, or from/until for an
earlier answer), who checked it or that nobody has, its review status, and a
link to report a problem. It is plain string building, because the area
matrix has a cell per member state and question (thousands at scale).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from functools import lru_cache
from html import escape as _html_escape
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from ingest.common.dates import display
from ingest.records.answers import OPEN_START

Vocab = Mapping[str, Mapping[str, str]]  # "values", "verification", "evidence", "review": code -> label
NO_ANSWER = "No answer recorded"


@lru_cache(maxsize=65536)
def escape(value: Any) -> str:
    """HTML-escaped text; the same labels, codes and titles recur in every row."""
    return _html_escape(str(value), quote=True)


def number(n: float) -> str:
    """1000000 -> '1,000,000'; 2.5 -> '2.5'."""
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,}"


def describe(answer: Mapping[str, Any] | None, indicator: Mapping[str, Any], vocab: Vocab) -> dict[str, Any]:
    """The answer with what a reader sees: `label`, `class`, `flags` and the
    labels of its verification, evidence and review status."""
    if answer is None:
        return {"value": None, "label": NO_ANSWER, "class": "none", "flags": []}
    value = answer["value"]
    options = [o["code"] for o in indicator.get("options") or ()]
    if answer.get("number") is not None:
        unit = answer.get("currency") if indicator.get("unit") == "money" else indicator.get("unit_label")
        label, css = f"{number(answer['number'])} {unit or ''}".strip(), "number"
    elif value in options:
        label = next(o["label"] for o in indicator["options"] if o["code"] == value)
        css = f"option-{options.index(value)}"
    else:
        label, css = vocab.get("values", {}).get(value, value), value
    flags = []
    if answer.get("review_status") in ("disputed", "peer-reviewed", "internally-reviewed"):
        flags.append(answer["review_status"])
    if answer.get("verification") == "unverified":
        flags.append("unverified")
    return {
        **answer,
        "label": label,
        "class": css,
        "flags": flags,
        "verification_label": vocab.get("verification", {}).get(answer.get("verification") or "", answer.get("verification")),
        "evidence_label": vocab.get("evidence", {}).get(answer.get("evidence") or "", answer.get("evidence")),
        "review_label": vocab.get("review", {}).get(answer.get("review_status") or "", answer.get("review_status")),
    }


def _date(value: str) -> str:
    text = display(value)
    if text is None:
        return escape(value)
    return f'<time datetime="{escape(value)}">{text}</time>'


def unique_basis(basis: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """The legal basis without repeats (the same law and provision once)."""
    seen: set[tuple[Any, Any]] = set()
    out = []
    for b in basis:
        key = (b["law_id"], b.get("provision"))
        if key not in seen:
            seen.add(key)
            out.append(b)
    return out


def period_text(cell: Mapping[str, Any]) -> str:
    """'since 1 June 2022'; for an earlier answer 'from 28 May 2019 until 1 June 2022' or 'until 28 May 2019'."""
    since = cell.get("since") or (cell.get("starts") if cell.get("starts") not in (None, OPEN_START) else None)
    if cell.get("until"):
        start = f"from {_date(since)} " if since else ""
        return f"{start}until {_date(cell['until'])}"
    return f"since {_date(since)}" if since else "since: not recorded"


def checked_text(cell: Mapping[str, Any]) -> str:
    """Who checked the answer and against what, or that nobody has; and its review status."""
    if cell.get("verification") in (None, "unverified"):
        checked = "Not verified against the official text"
    else:
        checked = escape(cell.get("verification_label") or cell["verification"])
        if cell.get("verified_by"):
            checked += f" by {escape(cell['verified_by'])}"
        if cell.get("verified_on"):
            checked += f" on {_date(cell['verified_on'])}"
        if cell.get("evidence_label"):
            checked += f" (evidence: {escape(str(cell['evidence_label']).lower())})"
    review = cell.get("review_label") or cell.get("review_status")
    return checked + (f"; review: {escape(str(review).lower())}" if review else "")


def report_links(base: str, repository_url: str | None, country: str, indicator: str, question: str = "") -> str:
    """'Report a problem': the site's form, and the repository's issue tracker when one is configured."""
    href = f"{base}/submit?country={escape(country)}&amp;indicator={escape(indicator)}"
    out = f'<a class="question-answer" href="{href}" rel="nofollow">Report a problem</a>'
    if repository_url:
        body = f"Question: {question}\n\nWhat is wrong:\n\nSource:\n"
        out += " · " + issue_link(repository_url, f"Answer {country} {indicator}", body)
    return f'<span class="report">{out}</span>'


def issue_link(repository_url: str, title: str, body: str, text: str = "on the issue tracker") -> str:
    """A link that opens a new issue in the repository, prefilled."""
    query = urlencode({"title": title, "body": body})
    return f'<a class="report-issue" href="{escape(repository_url)}/issues/new?{escape(query)}" rel="nofollow">{escape(text)}</a>'


def render(
    cell: Mapping[str, Any],
    base: str,
    *,
    country: str,
    indicator: str,
    question: str = "",
    repository_url: str | None = None,
) -> Markup:
    """One answer as HTML, the same on every page."""
    out = [
        f'<div class="answer-view" data-country="{escape(country)}" data-indicator="{escape(indicator)}">',
        f'<span class="answer answer-{escape(cell["class"])}">{escape(cell["label"])}</span>',
    ]
    if "disputed" in (cell.get("flags") or ()):
        title = escape("Disputed: " + (cell.get("dispute") or ""))
        out.append(f' <span class="flag flag-disputed" title="{title}">disputed</span>')
    if cell.get("value") is not None:
        basis = unique_basis(cell.get("basis") or ())
        if basis:
            links = []
            for b in basis:
                anchor = f"#provision-{b['provision_position']}" if b.get("provision_position") is not None else ""
                text = (b.get("law_title") or b["law_id"]) + (f", {b['provision']}" if b.get("provision") else "")
                links.append(f'<a href="{base}/law/{escape(b["law_id"])}{anchor}">{escape(text)}</a>')
            out.append(f'<span class="basis">{"; ".join(links)}</span>')
        out.append(f'<span class="since">{period_text(cell)}</span>')
        out.append(f'<span class="checked">{checked_text(cell)}</span>')
    out.append(report_links(base, repository_url, country, indicator, question))
    out.append("</div>")
    return Markup("".join(out))


def quotes(cell: Mapping[str, Any]) -> Markup:
    """The quotes of the operative words of the answer's basis (side by side shows them under the answer)."""
    return Markup("".join(_quote(b) for b in unique_basis(cell.get("basis") or ()) if b.get("quote")))


def _quote(b: Mapping[str, Any]) -> str:
    """A basis's quote, in its language, with the address of the text it is from."""
    lang = f' lang="{escape(b["quote_lang"])}"' if b.get("quote_lang") else ""
    source = f' <a class="quote-source" href="{escape(b["quote_url"])}" rel="noopener">text</a>' if b.get("quote_url") else ""
    return f'<span class="quote"><q{lang}>{escape(b["quote"])}</q>{source}</span>'
