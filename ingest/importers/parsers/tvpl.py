"""thuvienphapluat.vn: a document page of the Thư Viện Pháp Luật library.

What the page states: the attributes table (`Số hiệu` number, `Loại văn bản`
type, `Nơi ban hành` issuing body, `Ngày ban hành` date of issue, and, for
visitors who may see them, `Ngày hiệu lực`, `Ngày công báo`, `Tình trạng`),
then the Vietnamese text in `div.cldivContentDocVn` and, often, the site's
English translation in `div.cldivContentDocEn`. Anonymous visitors see
"Đã biết" in place of the in-force date and the status, so the in-force date is
read from the text's own effect article ("Luật này có hiệu lực thi hành từ ngày
01 tháng 01 năm 2019"). Articles are the bold "Điều N." paragraphs of the
Vietnamese text; their `<a name>` anchors are deep links, but the names are not
always the article's number ("dieu_2_1" for Điều 2), and the same names repeat
in the English translation, so articles are read from their text and only the
Vietnamese part is read.

The Vietnamese helpers here (dates, types, statuses, articles, effect clauses)
also serve the vbpl.vn parser.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import unicodedata
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from bs4 import Tag

from ingest.importers.model import Draft, Provision, Refusal
from ingest.importers.page import Page, attr, clean, meta

NAME = "tvpl"
PRIORITY = 20
HOST = "thuvienphapluat.vn"

# Loại văn bản -> instrument type; a type missing here (Quyết định, Nghị quyết, Pháp lệnh, Hiến pháp ...)
# has no code in the vocabulary, so the importer asks for --type
TYPES = {
    "Luật": "law",
    "Bộ luật": "law",
    "Nghị định": "decree",
    "Thông tư": "ministerial-regulation",
    "Thông tư liên tịch": "ministerial-regulation",
}
# every document type the sites list, longest first (to read a type from the start of a title)
TYPE_NAMES = (
    "Nghị quyết liên tịch",
    "Thông tư liên tịch",
    "Văn bản hợp nhất",
    "Hiến pháp",
    "Bộ luật",
    "Pháp lệnh",
    "Nghị quyết",
    "Nghị định",
    "Quyết định",
    "Thông tư",
    "Chỉ thị",
    "Luật",
    "Lệnh",
)
# Tình trạng (hiệu lực) -> status, with a note where the code says less than the page
STATUSES: dict[str, tuple[str, str | None]] = {
    "còn hiệu lực": ("in-force", None),
    "hết hiệu lực toàn bộ": ("repealed", None),
    "hết hiệu lực": ("repealed", None),
    "hết hiệu lực một phần": ("in-force", "The page says the document has partly ceased to have effect (Hết hiệu lực một phần)."),
    "chưa có hiệu lực": ("enacted-not-in-force", None),
}
MAX_HEADING = 200  # the law schema's limit on a provision heading
MASKED = ("đã biết", "đang cập nhật", "không xác định", "chưa xác định", "")

_TAG = re.compile(r"<[^<>]{0,200}>")
_SLASH_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_DMY = r"(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})"
_WORD_DATE = r"ngày\s+" + _DMY
_ARTICLE = re.compile(r"(?i:điều)\s+(\d{1,4}[a-zđ]?)(?!\w)\s*[.:\-–]?\s*(.*)", re.S)
_TYPE_WORDS = "|".join(re.escape(t) for t in TYPE_NAMES)
_EFFECT = re.compile(
    rf"(?:{_TYPE_WORDS}) này (?:chính thức )?có hiệu lực(?: thi hành)?(?: kể)? từ ngày\s*"
    rf"(?:{_DMY}|(\d{{1,2}})/(\d{{1,2}})/(\d{{4}})|(ký|công bố))",
    re.I,
)
_BODY = re.compile(r"(?<!\w)(?:Chương\s+(?:I|1)\b|(?i:điều)\s+1\s*[.:])")
_ENACTED = re.compile(rf"\bban hành ((?:{_TYPE_WORDS}) [^.;:]{{3,300}}?)\s*\.?$")


# --------------------------------------------------------------------------
# helpers shared with the vbpl.vn parser


def plain(el: Tag | str | None) -> str:
    """Plain NFC text of an element, with anything that looks like a tag removed
    (pages escape markup into text sometimes; a field never carries it)."""
    text = unicodedata.normalize("NFC", clean(el))
    return " ".join(_TAG.sub(" ", text).split())


def iso(day: str, month: str, year: str) -> str | None:
    """YYYY-MM-DD for a real calendar date, else None."""
    try:
        return dt.date(int(year), int(month), int(day)).isoformat()
    except ValueError:
        return None


def slash_date(value: str | None) -> str | None:
    """dd/mm/yyyy (the whole value) as YYYY-MM-DD; None for anything else ("Đã biết", "Đang cập nhật")."""
    m = _SLASH_DATE.fullmatch((value or "").strip())
    return iso(*m.groups()) if m else None


def word_date(text: str) -> str | None:
    """The first "ngày 12 tháng 6 năm 2018" in `text` as YYYY-MM-DD."""
    m = re.search(_WORD_DATE, text, re.I)
    return iso(*m.groups()) if m else None


def status_of(value: str | None) -> tuple[str | None, str | None]:
    """(status code, note) for a Tình trạng value; (None, None) when masked or unknown."""
    key = " ".join((value or "").lower().split()).rstrip(".")
    return STATUSES.get(key, (None, None))


def type_note(kind: str | None) -> str | None:
    if kind and kind not in TYPES:
        return f"The page calls the document a {kind}, which has no code in the instrument-type vocabulary."
    return None


def canonical(page: Page) -> str | None:
    """The page's own address: <link rel=canonical>, else og:url; a default port is dropped."""
    link = page.soup.find("link", rel="canonical")
    href = attr(link, "href") or meta(page, "og:url")
    if not href:
        return None
    href = href.strip()
    try:
        parts = urlsplit(href)
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname or re.search(r"\s", href):
        return None
    if (parts.scheme, port) in (("https", 443), ("http", 80)):
        parts = parts._replace(netloc=parts.netloc.rsplit(":", 1)[0])
    return urlunsplit(parts._replace(fragment=""))


def host_is(page: Page, host: str) -> bool:
    for url in (page.url, canonical(page)):
        try:
            name = (urlsplit(url).hostname or "").lower() if url else ""
        except ValueError:
            name = ""
        if name == host or name.endswith("." + host):
            return True
    return False


def sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.;:])\s+", text)


def effect(text: str) -> tuple[str | None, str | None]:
    """(in-force date, the sentence stating it) from the text's own effect clause
    ("Luật này có hiệu lực thi hành từ ngày 01 tháng 01 năm 2019"). A clause
    that ties the date to signing or publication gives no date, only the sentence."""
    for sentence in sentences(text):
        m = _EFFECT.match(re.sub(r"^(?:(?i:điều)\s+\d+[a-zđ]?\s*[.:]\s*)?(?:\d+\s*\.\s*)?", "", sentence))
        if m:
            g = m.groups()
            date = iso(*g[0:3]) if g[0] else iso(*g[3:6]) if g[3] else None
            return date, sentence.strip()[:200]
    return None, None


def enacted_title(text: str) -> str | None:
    """The name the enacting formula gives ("Quốc hội ban hành Luật An ninh mạng."), from the preamble
    (the text before the first chapter or "Điều 1.")."""
    end = _BODY.search(text[:20000])
    for sentence in sentences(text[: end.start() if end else 5000]):
        m = _ENACTED.search(sentence.strip())
        if m:
            return m.group(1).strip()
    return None


def _block(el: Tag, root: Tag) -> Tag:
    """The paragraph (or cell, item, division) holding `el`, inside `root`."""
    for parent in el.parents:
        if parent is root:
            break
        if isinstance(parent, Tag) and parent.name in ("p", "li", "td", "div", "h1", "h2", "h3", "h4", "h5", "h6"):
            return parent
    return el


def _anchor(block: Tag, bold: Tag) -> str | None:
    """The name or id of the anchor on the article's paragraph (prefer one named dieu_...)."""
    found = [a for a in [bold, *bold.parents] if isinstance(a, Tag) and a.name == "a" and attr(a, "name")]
    found += block.find_all("a", attrs={"name": True}, limit=5)
    names = [str(attr(a, "name")) for a in found if attr(a, "name")]
    names += [str(attr(block, "id"))] if attr(block, "id") else []
    good = [n for n in names if re.fullmatch(r"[A-Za-z0-9_.:-]{1,80}", n)]
    return next((n for n in good if n.lower().startswith("dieu")), good[0] if good else None)


def articles(root: Tag, base_url: str | None = None) -> tuple[list[Provision], list[str]]:
    """Every article of a Vietnamese text: a paragraph that opens with a bold "Điều N".

    The heading is the rest of the bold line ("Điều 1. Phạm vi điều chỉnh");
    when only "Điều N." is bold and plain text follows, the article has no
    heading (decisions start with the text itself). With `base_url`, the
    paragraph's anchor gives a deep link."""
    out: list[Provision] = []
    seen_blocks: set[int] = set()
    seen_refs: set[str] = set()
    repeats: list[str] = []
    shortened: list[str] = []
    for bold in root.find_all(["b", "strong"]):
        m = _ARTICLE.match(plain(bold))
        if not m:
            continue
        block = _block(bold, root)
        if id(block) in seen_blocks:
            continue
        line = plain(block)
        whole = _ARTICLE.match(line)
        if not whole or whole.group(1).lower() != m.group(1).lower():
            continue  # "Điều N" is not what the paragraph opens with
        seen_blocks.add(id(block))
        ref = f"Art. {m.group(1).lower()}"
        if ref in seen_refs:
            repeats.append(ref)
            continue
        seen_refs.add(ref)
        bold_text = plain(
            " ".join(b.get_text(" ") for b in block.find_all(["b", "strong"]) if not b.find_parent(["b", "strong"]))
        )
        if bold_text == line:
            heading = whole.group(2)
        else:
            rest = _ARTICLE.match(bold_text)
            heading = rest.group(2) if rest else ""
        heading = heading.strip(" .:-–") or None
        if heading and len(heading) > MAX_HEADING:
            heading = heading[: MAX_HEADING - 1].rsplit(" ", 1)[0].rstrip(" ,;") + "…"
            shortened.append(ref)
        name = _anchor(block, bold) if base_url else None
        out.append(Provision(ref, heading, f"{base_url}#{name}" if name else None))
    notes = []
    if shortened:
        notes.append(f"Headings longer than {MAX_HEADING} characters are cut at a word and end with '…': {', '.join(shortened)}.")
    if repeats:
        notes.append(f"Article numbers repeat in the text (kept the first of each): {', '.join(repeats[:10])}.")
    return out, notes


def label_values(cells: Iterable[Tag]) -> dict[str, str]:
    """{label: value} from a run of table cells where a label cell ("Số hiệu:") precedes its value."""
    out: dict[str, str] = {}
    cells = list(cells)
    for here, there in zip(cells, cells[1:], strict=False):
        label = plain(here).rstrip(":").strip()
        if label and plain(here).endswith(":") and not plain(there).endswith(":"):
            out.setdefault(label, plain(there))
    return out


# --------------------------------------------------------------------------
# the parser


def detect(page: Page) -> bool:
    if host_is(page, HOST):
        return True
    site = (meta(page, "og:site_name") or "").upper()
    return site == "THƯ VIỆN PHÁP LUẬT" or page.soup.select_one("div.cldivContentDocVn") is not None


def _attributes(page: Page) -> dict[str, str]:
    first = page.soup.find(lambda t: t.name == "td" and plain(t) == "Số hiệu:")
    table = first.find_parent("table") if isinstance(first, Tag) else None
    if not isinstance(table, Tag):
        return {}
    return label_values(td for td in table.find_all("td") if isinstance(td, Tag))


def _headline(page: Page) -> str | None:
    for block in page.json_ld:
        try:
            data = json.loads(block)
        except ValueError:
            continue
        if isinstance(data, dict) and isinstance(data.get("headline"), str):
            return plain(data["headline"]) or None
    return None


def _text_heading(root: Tag) -> str | None:
    """The text's own heading as printed ("QUYẾT ĐỊNH" + "VỀ VIỆC ..."): the loai_ anchors."""
    parts = [plain(a) for a in root.find_all("a", attrs={"name": re.compile(r"^loai_\d+(_name)?$")})]
    return " ".join(p for p in parts if p) or None


def parse(page: Page) -> Draft:
    fields = _attributes(page)
    soup = page.soup
    vn = soup.select_one("div.cldivContentDocVn") or soup.select_one("#divContentDoc")
    text = plain(vn) if isinstance(vn, Tag) else ""
    if not fields and not text:
        raise Refusal(
            "this thuvienphapluat.vn page holds neither the document's attributes table (Số hiệu, Loại văn bản ...) "
            "nor its Vietnamese text; save the document's own page (thuvienphapluat.vn/van-ban/...)"
        )
    url = canonical(page)
    draft = Draft(source=NAME, url=url, language="vi")
    notes = draft.notes
    masked = [f"{k} ('{fields[k]}')" for k in ("Ngày hiệu lực", "Tình trạng") if k in fields and fields[k].lower() in MASKED]
    number = fields.get("Số hiệu", "")
    draft.number = number if number.lower() not in MASKED else None
    kind = fields.get("Loại văn bản") or None
    draft.instrument_type = TYPES.get(kind or "")
    if note := type_note(kind):
        notes.append(note + " Give it with --type.")
    agency = fields.get("Nơi ban hành", "")
    draft.agency = agency if agency.lower() not in MASKED else None

    title = enacted_title(text)
    if title:
        notes.append('The title is the name the text\'s enacting formula gives ("… ban hành Luật …").')
    else:
        title = _headline(page) or (_text_heading(vn) if isinstance(vn, Tag) else None)
        if title:
            notes.append("The title is the page's headline for the document; check it against the text's own heading.")
    draft.local_title = title

    if adopted := slash_date(fields.get("Ngày ban hành")):
        draft.dates["adopted"] = adopted
    if gazette := slash_date(fields.get("Ngày công báo")):
        draft.dates["promulgated"] = gazette
        notes.append("dates.promulgated is the gazette date (Ngày công báo) of the attributes table.")
    if ended := slash_date(fields.get("Ngày hết hiệu lực")):
        draft.dates["repealed"] = ended
    in_force = slash_date(fields.get("Ngày hiệu lực"))
    stated, sentence = effect(text)
    if in_force:
        if stated and stated != in_force:
            notes.append(f"The attributes table gives the in-force date {in_force}; the text's effect clause says {stated}.")
    elif stated:
        in_force = stated
        notes.append(f'dates.in_force is from the text\'s effect clause: "{sentence}"')
    elif sentence:
        notes.append(f'The text\'s effect clause gives no calendar date: "{sentence}"')
    if in_force:
        draft.dates["in_force"] = in_force

    draft.status, status_note = status_of(fields.get("Tình trạng"))
    if status_note:
        notes.append(status_note)
    if masked:
        notes.append(f"The page does not show {' and '.join(masked)} to visitors who are not signed in.")
    if isinstance(vn, Tag):
        draft.provisions, more = articles(vn, url or page.url)
        notes += more
    else:
        notes.append("The page carries no Vietnamese text, so no articles were read.")
    en = soup.select_one("div.cldivContentDocEn")
    if isinstance(en, Tag) and plain(en):
        notes.append("The page also carries the site's English translation, which was not read.")
    return draft
