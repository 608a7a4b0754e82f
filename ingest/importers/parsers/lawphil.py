"""LawPhil (lawphil.net, Arellano Law Foundation): Philippine statutes as enacted.

The pages are old-style HTML: a centred header with the number and, on most
pages, the date of approval (`REPUBLIC ACT NO. 8792 June 14, 2000`), the long
title (`AN ACT ...`), the sections as paragraphs that begin `Section N.` (or
`Article N.` in codes) with the heading in italics, and an `Approved:` line
after the signatures. Tags are left open (a `<b>` opened in a chapter heading
closes inside the next section), so sections are found from the text of each
paragraph, never from the bold markup. The pages declare windows-1252 but
are served and saved as UTF-8; `page.decode` sniffs the bytes.

LawPhil gives no anchors for sections, states no status and names no
responsible agency; those are left out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from bs4.element import NavigableString, PreformattedString, Tag

from ingest.importers.model import Draft, Provision, Refusal
from ingest.importers.page import Page, attr, clean

NAME = "lawphil"
PRIORITY = 20

LOST = "\ufffd"  # a character the saving tool could not keep
_ON, _OFF = "\x01", "\x02"  # marks around italic text while a line is read
_BLOCKS = frozenset(
    ("html", "body", "p", "div", "td", "th", "tr", "table", "li", "ul", "ol", "dl", "dd", "dt", "dir", "menu")
    + ("blockquote", "center", "pre", "address", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "form")
)
_SPACE = re.compile(r"\s+")
_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sept", "sep"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for name in names
}
_MONTH = "(" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_MDY = re.compile(rf"\b{_MONTH}\s+(\d{{1,2}}),?\s+(\d{{4}})\b", re.I)
_DATE_DMY = re.compile(rf"\b(\d{{1,2}})\s+{_MONTH},?\s+(\d{{4}})\b", re.I)
_DATE_ONLY = re.compile(rf"^(?:{_MONTH}\s+\d{{1,2}},?\s+\d{{4}}|\d{{1,2}}\s+{_MONTH},?\s+\d{{4}})\W*$", re.I)

# the kinds of statute a LawPhil header names: (pattern, how the number is written, instrument type or None)
_KINDS = (
    (r"REPUBLIC\s+ACT", "Republic Act No.", "act"),
    (r"COMMONWEALTH\s+ACT", "Commonwealth Act No.", "act"),
    (r"ACT", "Act No.", "act"),
    (r"BATAS\s+PAMBANSA", "Batas Pambansa Blg.", None),
    (r"PRESIDENTIAL\s+DECREE", "Presidential Decree No.", "decree"),
    (r"EXECUTIVE\s+ORDER", "Executive Order No.", "order"),
)
_HEADER = re.compile(
    r"^\[?\s*(" + "|".join(k for k, _, _ in _KINDS) + r")\s+(?:NO|NOS|BLG|NUMBER)\b\.?\s*(\d{1,6}(?:-[A-Z])?)\b[\s,.]*(.*?)\]?$",
    re.I,
)
_NUM = r"(\d{1,4}(?:-?[A-Z])?)"
_PROVISION = (
    ("Sec.", re.compile(rf"^[{_ON}{_OFF}\s]*(?:SECTION|Section|SEC\.|Sec\.)[{_ON}{_OFF}\s]*{_NUM}[{_ON}{_OFF}\s]*\.(?!\d)")),
    ("Art.", re.compile(rf"^[{_ON}{_OFF}\s]*(?:ARTICLE|Article|ART\.|Art\.)[{_ON}{_OFF}\s]*{_NUM}[{_ON}{_OFF}\s]*\.(?!\d)")),
)
_SEPARATOR = re.compile(rf"\s+[-\u2013\u2014]+\s+|\s*{LOST}\s*|\s*[\u2013\u2014]\s*|\s+--?(?=\s|[A-Z])")
_APPROVED = re.compile(r"^Approved\s*:\s*(.*)$", re.I)
_LAPSED = re.compile(rf"\blapsed\s+into\s+law\s+on\s+({_MONTH}\s+\d{{1,2}},?\s+\d{{4}})", re.I)
_SHORT_TITLE = re.compile(
    r"\b(?:Act|Code|Decree|Order)\s+(?:shall|may)\s+be\s+(?:known|cited)\s+(?:and\s+cited\s+)?as\s+(?:the\s+)?"
    r"[\"\u201c\u201d\u2033']+\s*([^\"\u201c\u201d\u2033]{3,200}?)\s*[\"\u201c\u201d\u2033']",
)
_LONG_TITLE = re.compile(r"^AN\s+ACT\b", re.I)
_TAG = re.compile(r"<[^<>]{0,300}>")
MAX_HEADING = 200


@dataclass
class _Line:
    marked: str  # text with _ON/_OFF around italic runs, white space folded
    block: Tag
    opens: Tag | None = None  # an <a name|id> that opens the line
    starts_block: bool = False  # the first line of its block (whose id then names it)

    @property
    def text(self) -> str:
        return self.marked.replace(_ON, "").replace(_OFF, "").strip()


def detect(page: Page) -> bool:
    host = (urlsplit(page.url).hostname or "") if page.url else ""
    if host == "lawphil.net" or host.endswith(".lawphil.net"):
        return True
    for el in page.soup.find_all("a", class_="id", limit=5):
        if "lawphil" in clean(el).lower():
            return True
    return any("lawphil" in (attr(img, "src") or "").lower() for img in page.soup.find_all("img", limit=5))


def parse(page: Page) -> Draft:
    lines = _lines(page)
    provisions, first_at, repeated = _provisions(lines, page.url)
    if not provisions:
        raise Refusal(
            "the LawPhil page holds no numbered sections or articles: it may be a list of statutes or a page "
            "whose text is an image; open the statute's own page (e.g. lawphil.net/statutes/repacts/...)"
        )
    draft = Draft(source=NAME, language="en", provisions=provisions)
    _dates(draft, lines, first_at, _header(draft, lines[:first_at], page))
    _title(draft, lines, first_at)
    if repeated:
        draft.notes.append(
            f"{repeated} later paragraph(s) begin with a section or article number already read (most likely text "
            "quoted from another law); they were not listed as provisions."
        )
    lost = page.text.count(LOST)
    if lost:
        draft.notes.append(
            f"The page has {lost} character(s) its saved copy lost (shown as U+FFFD); none were guessed, and "
            "headings were cut where a lost dash separated them from the text."
        )
    if not any(p.url for p in provisions):
        draft.notes.append("The page has no anchors for its sections, so the provisions carry no deep links.")
    draft.notes.append("LawPhil does not state whether the law is in force.")
    return draft


# --------------------------------------------------------------------------
# lines of text


def _lines(page: Page) -> list[_Line]:
    """The page's text as lines: one per run of text in the same block element, split at <br>."""
    root = page.soup.body or page.soup
    out: list[_Line] = []
    where: dict[int, tuple[Tag, bool]] = {}
    parts: list[str] = []
    block: Tag | None = None
    anchor: tuple[Tag, Tag] | None = None  # an <a name|id> and its block, waiting for the line it opens
    started: set[int] = set()

    def flush() -> None:
        nonlocal parts, anchor
        marked = _SPACE.sub(" ", "".join(parts).replace("\u00a0", " ")).strip()
        parts = []
        if block is not None and marked.replace(_ON, "").replace(_OFF, "").strip():
            opens = anchor[0] if anchor and anchor[1] is block else None
            out.append(_Line(marked, block, opens, id(block) not in started))
            started.add(id(block))
            anchor = None if opens else anchor

    for node in root.descendants:
        if isinstance(node, Tag):
            if node.name == "br":
                flush()
            elif node.name == "a" and (attr(node, "name") or attr(node, "id")):
                here = _place(node, where)[0]
                if here is not block or not "".join(parts).strip():
                    anchor = (node, here)
            continue
        if not isinstance(node, NavigableString) or isinstance(node, PreformattedString) or node.parent is None:
            continue
        here, italic = _place(node.parent, where)
        if here is not block:
            flush()
            block = here
        text = str(node).replace(_ON, "").replace(_OFF, "")
        parts.append(f"{_ON}{text}{_OFF}" if italic and text.strip() else text)
    flush()
    return out


def _place(tag: Tag, where: dict[int, tuple[Tag, bool]]) -> tuple[Tag, bool]:
    """The block element a text belongs to, and whether it is in italics."""
    key = id(tag)
    if key not in where:
        italic, here = False, tag
        while here.parent is not None and here.name not in _BLOCKS:
            italic = italic or here.name in ("i", "em")
            here = here.parent
        where[key] = (here, italic)
    return where[key]


# --------------------------------------------------------------------------
# provisions


def _provisions(lines: list[_Line], url: str | None) -> tuple[list[Provision], int, int]:
    """(provisions, index of the line of the first one, how many repeated numbers were left out)."""
    out: list[Provision] = []
    seen: set[str] = set()
    first_at, repeated = len(lines), 0
    for i, line in enumerate(lines):
        for label, pattern in _PROVISION:
            m = pattern.match(line.marked)
            if not m:
                continue
            ref = f"{label} {m.group(1)}"
            if ref in seen:
                repeated += 1
                break
            seen.add(ref)
            first_at = min(first_at, i)
            out.append(Provision(ref, _heading(line.marked[m.end() :]), _anchor(line, url)))
            break
    return out, first_at, repeated


def _heading(rest: str) -> str | None:
    """The italic words after the number, cut at the dash that ends them; else
    a short phrase closed by a full stop and a dash ("Scope. - ..."); None
    when the page marks no heading."""
    rest = rest.lstrip(f" {_OFF}")
    plain = rest.replace(_ON, "").replace(_OFF, "").strip()
    heading = ""
    if rest.startswith(_ON):
        runs = re.match(rf"(?:{_ON}[^{_OFF}]*{_OFF}\s*)+", rest)
        heading = (runs.group(0) if runs else "").replace(_ON, "").replace(_OFF, "")
    cut = _SEPARATOR.search(heading or plain)
    if heading:
        head = heading[: cut.start()] if cut else heading
    elif cut and re.fullmatch(r"[A-Z][^.]{0,120}\.", plain[: cut.start()].strip()):
        head = plain[: cut.start()]
    else:
        return None
    head = _tidy(head)
    # "Cross - Examination.": a one-word heading split by a spaced hyphen, and nothing after it
    tail = plain[len(heading) :] if heading else ""
    joined = re.fullmatch(r"\s*-\s*([A-Z][a-z]+)\.?\s*", tail)
    if joined and re.fullmatch(r"[A-Z][a-z]+", head):
        head = f"{head}-{joined.group(1)}"
    return head if 0 < len(head) <= MAX_HEADING else None


def _plain(text: str) -> str:
    """Text with anything shaped like a tag taken out (a page may show markup as text) and spaces folded."""
    return _SPACE.sub(" ", _TAG.sub(" ", text)).strip()


def _tidy(text: str) -> str:
    return _plain(text).strip(" .,;:-\u2013\u2014" + LOST)


def _anchor(line: _Line, url: str | None) -> str | None:
    """A deep link, when the paragraph (or an <a> that opens it) has an id or name."""
    if not url or not url.startswith(("http://", "https://")):
        return None
    for el in (line.block if line.starts_block else None, line.opens):
        name = (attr(el, "id") or attr(el, "name")) if el is not None else None
        if name and re.fullmatch(r"[A-Za-z0-9_.:-]{1,100}", name):
            return f"{url.split('#', 1)[0]}#{name}"
    return None


# --------------------------------------------------------------------------
# number, dates, title


def _header(draft: Draft, lines: list[_Line], page: Page) -> tuple[str, str] | None:
    """The number and the kind of statute, from the lines before the first section;
    returns the header's date and the line that gives it."""
    found: list[tuple[str, str | None, str | None, str]] = []
    for i, line in enumerate(lines):
        m = _HEADER.match(line.text)
        if not m:
            continue
        word = _SPACE.sub(" ", m.group(1)).upper()
        written, kind = next((w, t) for k, w, t in _KINDS if re.fullmatch(k, word, re.I))
        rest = m.group(3)
        if not _date(rest) and i + 1 < len(lines) and _DATE_ONLY.match(lines[i + 1].text):
            rest = lines[i + 1].text
        found.append((f"{written} {m.group(2).upper()}", kind, _date(rest), _plain(line.text)))
    numbers = {f[0] for f in found}
    if len(numbers) > 1:
        raise Refusal(
            f"the LawPhil page names {len(numbers)} statutes before its first section ({', '.join(sorted(numbers))}); "
            "it looks like a list: open the statute's own page"
        )
    if found:
        draft.number, draft.instrument_type, date, said = found[0]
        return (date, said) if date else None
    title = clean(page.soup.title) if page.soup.title else ""
    m = re.fullmatch(r"(?:R\.\s*A\.|Republic\s+Act)\s+No\.?\s*(\d{1,6})", title, re.I)
    if m:
        draft.number, draft.instrument_type = f"Republic Act No. {m.group(1)}", "act"
        draft.notes.append(f"The number is from the page's <title> ({title!r}); the text has no header line with it.")
    return None


def _dates(draft: Draft, lines: list[_Line], first_at: int, header: tuple[str, str] | None) -> None:
    """The approval date: the `Approved:` line (or `Lapsed into law on ...`) after the sections."""
    approved, said = None, ""
    for i in range(first_at, len(lines)):
        text = lines[i].text
        m = _APPROVED.match(text)
        if m:
            rest = m.group(1)
            if not _date(rest) and not rest.strip() and i + 1 < len(lines) and _DATE_ONLY.match(lines[i + 1].text):
                rest = lines[i + 1].text
            if _date(rest):
                approved, said = _date(rest), _plain(f"Approved: {rest}")
        lapsed = _LAPSED.search(text)
        if lapsed and _date(lapsed.group(1)):
            approved, said = _date(lapsed.group(1)), f"lapsed into law on {lapsed.group(1)}"
            draft.notes.append("The page says the Act lapsed into law without the President's signature.")
    if header and approved and header[0] != approved:
        draft.notes.append(
            f"The header {header[1]!r} and the line {said!r} give different dates, so no date of adoption was "
            "taken; check the official text."
        )
    elif header:
        draft.dates["adopted"] = header[0]
        confirmed = f", which the line {said!r} confirms" if approved else ""
        draft.notes.append(f"dates.adopted: the date of approval in the header {header[1]!r}{confirmed}.")
    elif approved:
        draft.dates["adopted"] = approved
        draft.notes.append(f"dates.adopted: the line {said!r} at the end of the text (the header gives no date).")


def _date(text: str) -> str | None:
    """YYYY-MM-DD of the first real date in text ("June 14, 2000", "AUG 15 2012", "14 June 2000")."""
    m = _DATE_MDY.search(text)
    if m:
        month, day, year = m.group(1), m.group(2), m.group(3)
    else:
        m = _DATE_DMY.search(text)
        if not m:
            return None
        day, month, year = m.group(1), m.group(2), m.group(3)
    try:
        return dt.date(int(year), _MONTHS[month.lower()], int(day)).isoformat()
    except ValueError:
        return None


def _title(draft: Draft, lines: list[_Line], first_at: int) -> None:
    """The short title the Act gives itself ("shall be known as ..."); else the long title."""
    ref = ""
    for line in lines[first_at:]:
        ref = _ref_of(line) or ref
        m = _SHORT_TITLE.search(line.text)
        if m and LOST not in m.group(1):
            draft.title = _tidy(m.group(1))
            draft.notes.append(f"The title is the short title the Act gives itself in {ref}.")
            return
    for line in lines[:first_at]:
        if _LONG_TITLE.match(line.text) and LOST not in line.text:
            draft.title = _plain(line.text)
            draft.notes.append("The Act gives itself no short title on the page; the title is its long title.")
            return


def _ref_of(line: _Line) -> str | None:
    for label, pattern in _PROVISION:
        m = pattern.match(line.marked)
        if m:
            return f"{label} {m.group(1)}"
    return None
