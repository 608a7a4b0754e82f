"""Singapore Statutes Online (sso.agc.gov.sg): an Act's print view, or the whole-document view.

What the page states and where:

- title `td.actHd` (else the `<title>` before " - Singapore Statutes Online");
- commencement `td.cDate` ("[26 November 1993: Except ...; 1 April 1994: ...]"): the first
  date is the in-force date (first commencement when staged);
- "Current version as at 12 May 2024" in `div.doc-status`;
- sections: `td.prov1Hdr` with ids `pr{N}-` (the heading), repealed sections `div.prov1Rep`
  with the same ids; subsections `pr{N}-ps{M}-` are parts of their section, not provisions;
  schedules `td.sHdr` with ids `Sc{N}-` and their headings `td.scHdr` (`Sc{N}-he-`);
  parts `.partNo` / `.partHdr`; amendment notes `div.amendNote`;
- the Legislative History table (`div.legisTbl`): its first entry, the Act as enacted
  ("Act 31 of 1993—Goods and Services Tax Act 1993"), gives the number, the readings and the
  commencement.

Deep links `https://sso.agc.gov.sg/<Act|SL>/<CODE>?ProvIds=pr{N}-` are made only when the page
itself gives the document's address (canonical link, og:url, the print view's PDF link, or
its own "#" links); otherwise provisions carry no address.
"""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import urlsplit

from bs4 import Tag

from ingest.importers.model import Draft, Provision, Refusal
from ingest.importers.page import Page, attr, clean, meta

NAME = "sso"
PRIORITY = 10

HOST = "sso.agc.gov.sg"
SITE = "Singapore Statutes Online"
MAX_HEADING = 200  # the law schema's limit for a provision heading
MAX_REF = 40

_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ("january", "february", "march", "april", "may", "june", "july")
        + ("august", "september", "october", "november", "december")
    )
}
_DATE = re.compile(r"\b(\d{1,2})\s+(" + "|".join(_MONTHS) + r")\s+(\d{4})\b", re.I)
_SECTION_ID = re.compile(r"pr(\d+[A-Za-z]*)-")
_SCHEDULE_ID = re.compile(r"Sc(\d+[A-Za-z]*)-")
# the document's own address: https://sso.agc.gov.sg/Act/GSTA1993, also written //Act/... or relative
_ADDRESS = re.compile(r"^(?:https?://(?:www\.)?sso\.agc\.gov\.sg)?/+(Act|SL)/([A-Za-z0-9][A-Za-z0-9_.-]{0,60})(?:[?#]|$)", re.I)
_NUMBER = re.compile(r"^(?:(?:Act|Ordinance|Ord\.?)\s+\d+\s+of\s+\d{4}|(?:G\.\s*N\.\s*No\.\s*)?S\s+\d+/\d{4})$")
_BEFORE = re.compile(r"\s+([,.;:)\]])")
_AFTER = re.compile(r"([(\[])\s+")
_TYPES = (  # the last word(s) of a title, before any year, and the instrument type they name
    (re.compile(r"\bAct$"), "act"),
    (re.compile(r"\bRegulations$"), "regulations"),
    (re.compile(r"\bOrder$"), "order"),
    (re.compile(r"\bNotification$"), "notification"),
)


def detect(page: Page) -> bool:
    host = (urlsplit(page.url).hostname or "").lower() if page.url else ""
    if host == HOST or host.endswith("." + HOST):
        return True
    if page.soup.select_one("td.actHd") is not None and page.soup.select_one("td.prov1Hdr, div.legis") is not None:
        return True
    site = page.find_text("div.print-header div.site-name")
    return site == SITE or clean(page.soup.title).endswith(f"- {SITE}")


def parse(page: Page) -> Draft:
    soup = page.soup
    title = _text(soup.select_one("td.actHd"))
    has_text = soup.select_one("td.prov1Hdr[id], div.prov1Rep[id], td.sHdr[id]") is not None
    if not title and has_text:  # the <title> names the document only on a page that holds its text
        title = _title_from_head(page)
    if not title:
        raise Refusal(
            f"the page is from {SITE} but holds no Act or subsidiary legislation text: "
            "open the Act on the site and save its print view (or the page with ?WholeDoc=1)"
        )
    draft = Draft(source=NAME, language="en", title=title or None)
    address = _address(page, draft.notes)
    if address:
        draft.url = address
    draft.instrument_type = _instrument_type(title, address)
    history = _history(soup)
    _number(draft, history)
    _dates(draft, soup, history)
    _status(draft, soup)
    draft.provisions = _provisions(page, address, draft.notes)
    draft.amendments = [text for text in (_text(el) for el in soup.select("div.amendNote")) if text]
    _structure_notes(draft, soup)
    return draft


# --------------------------------------------------------------------------
# title, address, type


def _text(el: Tag | str | None) -> str:
    """Plain text without the spaces that inline tags leave inside brackets and before punctuation."""
    return _BEFORE.sub(r"\1", _AFTER.sub(r"\1", clean(el)))


def _title_from_head(page: Page) -> str:
    text = clean(page.soup.title)
    if text.endswith(f"- {SITE}"):
        return text[: -len(SITE) - 2].strip()
    return ""


def _address(page: Page, notes: list[str]) -> str | None:
    """The document's address on SSO, from the addresses the page gives for itself."""
    soup = page.soup
    found: list[str] = []
    canonical = soup.find("link", rel="canonical")
    for href in (attr(canonical, "href"), meta(page, "og:url")):
        if href:
            found.append(href)
    for a in soup.select("#contents a[href], #tocView a[href]"):
        href = attr(a, "href") or ""
        if "viewtype=pdf" in href.lower():  # the print view's own PDF link
            found.append(href)
    for a in soup.find_all("a", href=True):
        href = attr(a, "href") or ""
        if href.endswith("#") and href.count("#") == 1:  # a saved page writes its "#" links as its own address
            found.append(href)
    docs = set()
    for href in found:
        m = _ADDRESS.match(href.strip())
        if m:
            docs.add((m.group(1).capitalize() if m.group(1).lower() == "act" else "SL", m.group(2)))
    if len(docs) > 1:
        notes.append(
            "The page links to more than one SSO document as its own address ("
            + ", ".join(sorted(f"{k}/{c}" for k, c in docs))
            + "), so no address or deep links were taken from it."
        )
        return None
    if not docs:
        return None
    kind, code = docs.pop()
    return f"https://{HOST}/{kind}/{code}"


def _instrument_type(title: str, address: str | None) -> str | None:
    bare = re.sub(r"\s*\(?\d{4}\)?$", "", title).strip()  # "Goods and Services Tax Act 1993" -> "... Act"
    for pattern, code in _TYPES:
        if pattern.search(bare):
            return code
    if address and "/Act/" in address:
        return "act"
    return None


# --------------------------------------------------------------------------
# legislative history, dates, status


def _date(text: str) -> str | None:
    """The first "26 November 1993" in the text, as YYYY-MM-DD."""
    for m in _DATE.finditer(text):
        try:
            return dt.date(int(m.group(3)), _MONTHS[m.group(2).lower()], int(m.group(1))).isoformat()
        except ValueError:
            continue
    return None


def _dates_in(text: str) -> list[str]:
    out = []
    for m in _DATE.finditer(text):
        d = _date(m.group(0))
        if d:
            out.append(d)
    return out


def _history(soup: Tag) -> list[tuple[str, list[tuple[str, str]]]]:
    """The Legislative History's entries: (heading, [(prompt, content), ...]) in the page's order."""
    table = soup.select_one("div.legisTbl")
    if table is None:
        return []
    entries: list[tuple[str, list[tuple[str, str]]]] = []
    for cell in table.select("td.origEdHdr, td.prompt"):
        classes = cell.get_attribute_list("class")
        if "origEdHdr" in classes:
            entries.append((_text(cell), []))
            continue
        if not entries:
            continue
        row = cell.find_parent("td", class_="event-prompt-col")
        row = row.parent if row is not None else None
        content = row.select_one("td.contentCol") if isinstance(row, Tag) else None
        entries[-1][1].append((_text(cell), _text(content)))
    return entries


def _number(draft: Draft, history: list[tuple[str, list[tuple[str, str]]]]) -> None:
    """The number of the first Legislative History entry (the Act as enacted), when it is one."""
    if not history:
        return
    heading = history[0][0]
    left, _, name = heading.partition("—")
    left = left.strip()
    if _NUMBER.match(left):
        draft.number = left
        draft.notes.append(
            f'The number is the first entry of the legislative history ("{heading}"), which the page says is '
            "a best-efforts service and not part of the Act."
        )
        if name.strip() and draft.title and name.strip().lower() != draft.title.lower():
            draft.notes.append(f"That entry names the Act as enacted {name.strip()!r}, not {draft.title!r}.")


def _dates(draft: Draft, soup: Tag, history: list[tuple[str, list[tuple[str, str]]]]) -> None:
    commencement = " ".join(_text(el) for el in soup.select("td.cDate"))
    starts = _dates_in(commencement)
    if starts:
        draft.dates["in_force"] = min(starts)
        if len(set(starts)) > 1:
            draft.notes.append(
                f"The commencement line under the long title gives more than one date ({commencement}); "
                "the in-force date is the first."
            )
    enacted = history[0][1] if history and draft.number else []  # only when the first entry is the enactment
    for prompt, content in enacted:
        low = prompt.lower()
        passed = _date(content)
        if "third reading" in low and passed and "adopted" not in draft.dates:
            draft.dates["adopted"] = passed
            draft.notes.append(f'The adopted date is the date of passing by Parliament ("{prompt}: {content}").')
        history_starts = _dates_in(content) if low.startswith("date of commencement") else []
        if history_starts and "in_force" not in draft.dates:
            draft.dates["in_force"] = min(history_starts)
            draft.notes.append(f'The in-force date is from the legislative history ("{prompt}: {content}").')
        elif history_starts and min(history_starts) != draft.dates["in_force"]:
            draft.notes.append(f'The legislative history gives another first commencement ("{content}"); check it.')
    if "adopted" in draft.dates and draft.dates["adopted"] > draft.dates.get("in_force", "9999"):
        draft.notes.append("The date of passing is later than the first commencement on this page; it was left out.")
        del draft.dates["adopted"]


def _status(draft: Draft, soup: Tag) -> None:
    """In force when the page is the current version and says the Act has commenced and is not repealed."""
    status_line = _text(soup.select_one("div.doc-status"))
    as_at = _date(status_line)
    current = status_line.lower().startswith("current version as at")
    if as_at and current:
        draft.current_as_at = as_at
    elif status_line:
        draft.notes.append(f'The page is not the current version: it says "{status_line}".')
    front = clean(soup.select_one("div.front"))
    in_force = draft.dates.get("in_force")
    if not current:
        return
    if re.search(r"\brepealed\b|not (yet )?in operation", front, re.I):
        draft.notes.append("The front of the page mentions a repeal or provisions not in operation; the status was not set.")
    elif in_force and as_at and in_force <= as_at:
        draft.status = "in-force"
        draft.notes.append(
            f"The status is from the page's statement that it is the current version as at {as_at}, "
            "with commencement dates under the long title."
        )


# --------------------------------------------------------------------------
# provisions


def _heading(text: str) -> str | None:
    text = text.strip()
    if not text:
        return None
    if len(text) > MAX_HEADING:  # the record's limit; the note says so
        return text[: MAX_HEADING - 1].rsplit(" ", 1)[0].rstrip(" ,;:") + "…"
    return text


def _provisions(page: Page, address: str | None, notes: list[str]) -> list[Provision]:
    soup = page.soup
    out: list[Provision] = []
    seen: set[str] = set()
    odd = 0
    for el in soup.select("td.prov1Hdr[id], div.prov1Rep[id], td.sHdr[id]"):
        pid = attr(el, "id") or ""
        classes = el.get_attribute_list("class")
        if "sHdr" in classes:
            m = _SCHEDULE_ID.fullmatch(pid)
            name = _text(el)
            if not m or "schedule" not in name.lower() or len(name) > MAX_REF:
                odd += 1
                continue
            ref = re.sub(r"(?<![0-9])[a-z]+", lambda w: w.group(0).capitalize(), name.lower())  # "First Schedule"
            head = soup.find(id=f"{pid}he-")
            heading = _heading(_text(head)) if isinstance(head, Tag) else None
        else:
            m = _SECTION_ID.fullmatch(pid)
            if not m:
                odd += 1
                continue
            ref = f"s {m.group(1)}"
            if "prov1Rep" in classes:  # "83C.  [Repealed by Act 42 of 2020]"
                text = re.sub(rf"^{re.escape(m.group(1))}\.\s*", "", _text(el))
                heading = _heading(text.strip("[] "))
            else:
                heading = _heading(_text(el))
        if ref.lower() in seen:
            continue
        seen.add(ref.lower())
        url = f"{address}?ProvIds={pid}" if address else None
        out.append(Provision(ref=ref, heading=heading, url=url))
    if odd:
        notes.append(f"{odd} section or schedule heading(s) had an id or label the importer does not read; check the text.")
    toc = len(soup.select("#contents blockquote.TocParagraph"))
    sections = sum(1 for p in out if p.ref.startswith("s "))
    if toc > sections:
        notes.append(
            f"The table of contents lists {toc} entries but the page holds the text of {sections} sections: "
            "on the site the rest load on demand. Save the print view (or ?WholeDoc=1) to read them all."
        )
    cut = sum(1 for p in out if p.heading and p.heading.endswith("…"))
    if cut:
        notes.append(f"{cut} heading(s) longer than {MAX_HEADING} characters were shortened (marked …).")
    if out and not address:
        notes.append("The page gives no address of its own, so the provisions have no deep links.")
    return out


def _structure_notes(draft: Draft, soup: Tag) -> None:
    edition = _text(soup.select_one("td.revdHdr"))
    if edition:
        said = _text(soup.select_one("td.revdTxt"))
        draft.notes.append(f"The text is the {edition.lower()}" + (f" ({said})." if said else "."))
    parts = soup.select(".partNo")
    if parts:
        draft.notes.append(f"The sections are grouped in {len(parts)} Parts.")
