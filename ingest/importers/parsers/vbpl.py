"""vbpl.vn: the national database of legal documents (Ministry of Justice).

Two views of a document are read. The attributes view (Thuộc tính,
`vbpq-thuoctinh.aspx`) has a `div.vbProperties` table of label cells
(`td.label`: Số ký hiệu, Ngày ban hành, Loại văn bản, Ngày có hiệu lực, Nguồn
thu thập, Ngày đăng công báo, Cơ quan ban hành/ Chức danh / Người ký) with the
subject line in the first `td.title` and "Tình trạng hiệu lực: …" in the last.
The full-text view (Toàn văn, `vbpq-toanvan.aspx`) has the header (issuing
body, "Số: …", place and date) above `div#toanvancontent`, whose articles are
bold "Điều N" paragraphs without anchors. Both views carry `div.vbInfo` with
the status (Hiệu lực) and the in-force date (Ngày có hiệu lực). Dates are
dd/mm/yyyy. Some pages spell "Điều" with combining accents, so text is read in
NFC.
"""

from __future__ import annotations

import re

from bs4 import Tag

from ingest.importers.model import Draft, Refusal
from ingest.importers.page import Page
from ingest.importers.parsers.tvpl import (
    MASKED,
    TYPE_NAMES,
    TYPES,
    articles,
    canonical,
    effect,
    enacted_title,
    host_is,
    plain,
    slash_date,
    status_of,
    type_note,
    word_date,
)

NAME = "vbpl"
PRIORITY = 20
HOST = "vbpl.vn"
NO_NUMBER = ("không số", "khong so")


def detect(page: Page) -> bool:
    if host_is(page, HOST):
        return True
    soup = page.soup
    return soup.select_one("div.vbInfo") is not None and (
        soup.select_one("div.vbProperties") is not None or soup.select_one("div#toanvancontent") is not None
    )


def _info(page: Page) -> dict[str, str]:
    """{label: value} of the div.vbInfo list ("Hiệu lực: Còn hiệu lực", "Ngày có hiệu lực: 01/01/2018")."""
    out: dict[str, str] = {}
    for li in page.soup.select("div.vbInfo li"):
        label, sep, value = plain(li).partition(":")
        if sep:
            out.setdefault(label.strip(), value.strip())
    return out


def _properties(table: Tag) -> tuple[dict[str, str], list[str], str | None, str | None]:
    """(label -> value, issuing bodies, subject line, Tình trạng hiệu lực) of the attributes table."""
    fields: dict[str, str] = {}
    bodies: list[str] = []
    subject: str | None = None
    state: str | None = None
    rows = [tr for tr in table.find_all("tr") if isinstance(tr, Tag)]
    for i, tr in enumerate(rows):
        cells = [td for td in tr.find_all(["td", "th"], recursive=False) if isinstance(td, Tag)]
        for j, td in enumerate(cells):
            classes = list(td.get("class") or [])
            text = plain(td)
            if "title" in classes:
                label, sep, value = text.partition(":")
                if sep and label.strip().lower() == "tình trạng hiệu lực":
                    state = value.strip()
                elif subject is None and not sep:
                    subject = text or None
                continue
            if "label" not in classes or j + 1 >= len(cells):
                continue
            if text.lower().startswith("cơ quan ban hành"):
                span = str(td.get("rowspan") or "1")
                more = int(span) - 1 if span.isdigit() else 0
                bodies.append(plain(cells[j + 1]))
                for tr2 in rows[i + 1 : i + 1 + min(more, 20)]:
                    first = tr2.find(["td", "th"])
                    if isinstance(first, Tag):
                        bodies.append(plain(first))
                break
            fields.setdefault(text.rstrip(":").strip(), plain(cells[j + 1]))
    return fields, [b for b in bodies if b], subject, state


def _type_from(text: str) -> str | None:
    """The document type a title or breadcrumb item starts with ("Bộ luật 101/2015/QH13" -> "Bộ luật")."""
    low = text.lower()
    return next((t for t in TYPE_NAMES if low.startswith(t.lower() + " ") or low == t.lower()), None)


def _breadcrumb(page: Page) -> str:
    items = page.soup.select("div.box-map li")
    return plain(items[-1]) if items else ""


def _header(page: Page, content: Tag) -> tuple[str | None, str | None, str | None]:
    """(issuing body, number, date line) of the full-text view's header, above div#toanvancontent."""
    holder = content.parent if isinstance(content.parent, Tag) else None
    if holder is None:
        return None, None, None
    body = number = when = None
    for table in holder.find_all("table", recursive=False)[:2]:
        for div in table.find_all(["div", "p", "td"]):
            if div.find(["div", "p", "td"]):
                continue
            text = plain(div)
            if text.startswith("Số:") and number is None:
                number = text[3:].strip()
            elif word_date(text) and when is None:
                when = text
            elif body is None and div.find(["b", "strong"]) and not re.search("CỘNG HO|ĐỘC LẬP", text.upper()):
                body = text or None
    return body, number, when


def _heading(content: Tag) -> str | None:
    """The text's own title as printed: the bold lines at its top, before the preamble, chapters or articles."""
    parts: list[str] = []
    for p in content.find_all("p"):
        if p.find_parent("table") is not None:
            continue
        text = plain(p)
        if not text:
            continue
        bold = plain(" ".join(b.get_text(" ") for b in p.find_all(["b", "strong"])))
        if bold != text or re.match(r"(?i:chương|điều|phần|lời nói đầu|mục)\b", text):
            break
        parts.append(text)
        if len(parts) == 4:
            break
    return " ".join(parts) or None


def parse(page: Page) -> Draft:
    soup = page.soup
    table = soup.select_one("div.vbProperties table")
    content = soup.select_one("div#toanvancontent")
    if not isinstance(table, Tag) and not isinstance(content, Tag):
        raise Refusal(
            "this vbpl.vn page shows neither the document's attributes (Thuộc tính) nor its full text (Toàn văn); "
            "save the vbpq-thuoctinh.aspx or vbpq-toanvan.aspx page of the document"
        )
    url = canonical(page)
    draft = Draft(source=NAME, url=url, language="vi")
    notes = draft.notes
    info = _info(page)
    fields: dict[str, str] = {}
    bodies: list[str] = []
    subject = state = None
    if isinstance(table, Tag):
        fields, bodies, subject, state = _properties(table)

    kind = fields.get("Loại văn bản") or _type_from(_breadcrumb(page))
    number = fields.get("Số ký hiệu")
    adopted = slash_date(fields.get("Ngày ban hành"))
    text = plain(content) if isinstance(content, Tag) else ""
    if isinstance(content, Tag):
        body, stated_number, when = _header(page, content)
        number = number or stated_number
        if not bodies and body:
            bodies = [body]
            notes.append("The agency is the issuing body as printed at the head of the text.")
        if not adopted and when and (adopted := word_date(when)):
            notes.append(f'dates.adopted is the date line at the head of the text: "{when}".')
    if number and number.lower() not in NO_NUMBER + MASKED:
        draft.number = number
    elif number:
        notes.append(f"The page gives the document no number ({number}).")

    draft.instrument_type = TYPES.get(kind or "")
    if note := type_note(kind):
        notes.append(note + " Give it with --type.")
    draft.agency = "; ".join(bodies) or None

    title = enacted_title(text) if text else None
    if not title and subject:
        typed = _type_from(subject)
        title = subject if typed or not kind else f"{kind} {subject}"
        if not typed and kind:
            notes.append(f"The title is the document type ({kind}) followed by the page's subject line ({subject}).")
    if not title and isinstance(content, Tag) and (title := _heading(content)):
        notes.append("The title is the text's heading as printed (in capitals); give it in ordinary case.")
    draft.local_title = title

    if adopted:
        draft.dates["adopted"] = adopted
    if gazette := slash_date(fields.get("Ngày đăng công báo")):
        draft.dates["promulgated"] = gazette
        notes.append("dates.promulgated is the gazette date (Ngày đăng công báo).")
    in_force = slash_date(fields.get("Ngày có hiệu lực")) or slash_date(info.get("Ngày có hiệu lực"))
    if not in_force and text:
        stated, sentence = effect(text)
        if stated:
            in_force = stated
            notes.append(f'dates.in_force is from the text\'s effect clause: "{sentence}"')
    if in_force:
        draft.dates["in_force"] = in_force
    if ended := slash_date(fields.get("Ngày hết hiệu lực")) or slash_date(info.get("Ngày hết hiệu lực")):
        draft.dates["repealed"] = ended
    if source := fields.get("Nguồn thu thập"):
        notes.append(f"Gazette: {source}.")

    shown = state or info.get("Hiệu lực") or info.get("Tình trạng hiệu lực")
    draft.status, status_note = status_of(shown)
    if status_note:
        notes.append(status_note)
    elif shown and draft.status is None and shown.lower() not in MASKED:
        notes.append(f"The page gives the status as '{shown}', which has no code in the status vocabulary.")

    if isinstance(content, Tag):
        draft.provisions, more = articles(content)
        notes += more
    else:
        notes.append("This is the attributes view: it lists no articles (the full-text view, Toàn văn, has them).")
    return draft
