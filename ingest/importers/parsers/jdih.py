"""JDIH BPK (peraturan.bpk.go.id), the Audit Board's database of Indonesian
regulations: one regulation's detail page (`/Details/<id>/<slug>`).

The page has a "METADATA PERATURAN" card of label/value rows
(`div.col-lg-3.fw-bold` then its sibling `div.col-lg-9`): Judul, T.E.U., Nomor,
Bentuk, Bentuk Singkat, Tahun, Tanggal Penetapan (adopted), Tanggal
Pengundangan (promulgated), Tanggal Berlaku (in force), Status, Bahasa; a
schema.org `Legislation` JSON-LD block that repeats some of them; a "STATUS
PERATURAN" card listing the regulations that change or revoke it; and an
"UJI MATERI" card of Constitutional Court decisions. The articles (Pasal) are
not on the page: they are in the PDF it links, so the draft lists none.

Numbers are written as the repository's Indonesian records write them
("Law No. 27 of 2022", "GR No. 71 of 2019", "Permendag No. 50 of 2020"), from
the page's Nomor, Tahun and Bentuk Singkat; the page's own form is kept in
the notes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urljoin

from bs4 import Tag

from ingest.importers.model import Draft, Refusal
from ingest.importers.page import Page, attr, clean
from ingest.importers.parsers.generic import canonical, host, language_tag, legal_force, legislation, meta_value, name_of, plain

NAME = "jdih"
PRIORITY = 20

MONTHS = {
    "januari": 1,
    "februari": 2,
    "pebruari": 2,
    "maret": 3,
    "april": 4,
    "mei": 5,
    "juni": 6,
    "juli": 7,
    "agustus": 8,
    "september": 9,
    "oktober": 10,
    "november": 11,
    "nopember": 11,
    "desember": 12,
}
_DATE = re.compile(r"^(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
_TAG = re.compile(r"<[^>]*>")

# Bentuk (the form of the regulation, without its abbreviation in brackets) -> instrument type
FORMS = {
    "undang-undang": "law",
    "peraturan pemerintah": "government-regulation",
    "peraturan presiden": "regulations",
}
MINISTERIAL = "peraturan menteri"  # "Peraturan Menteri Perdagangan" and the like
# how the repository's records write the numbers of these forms
NUMBER_WORD = {"law": "Law", "government-regulation": "GR"}
STATUS = {"berlaku": "in-force", "dicabut": "repealed", "tidak berlaku": "repealed"}
DATE_ROWS = {"tanggal penetapan": "adopted", "tanggal pengundangan": "promulgated", "tanggal berlaku": "in_force"}


def text(el: Tag | str | None) -> str:
    """Plain text of an element: white space folded, nothing that looks like markup."""
    return clean(_TAG.sub(" ", clean(el)))


def detect(page: Page) -> bool:
    name = host(page)
    if name == "bpk.go.id" or name.endswith(".bpk.go.id"):
        return True
    return "jdih bpk" in (meta_value(page, "og:site_name") or "").lower()


def rows(page: Page) -> dict[str, str]:
    """The label/value rows of the metadata card, by label in lower case (the first of each)."""
    out: dict[str, str] = {}
    for label in page.soup.select("div.fw-bold"):
        if "col-lg-3" not in label.get_attribute_list("class"):
            continue
        value = label.find_next_sibling("div")
        key = text(label).lower().rstrip(":").strip()
        if key and key not in out and isinstance(value, Tag):
            out[key] = text(value)
    return out


def indonesian_date(value: str) -> str | None:
    """'17 Oktober 2022' (or '2022-10-17') as 2022-10-17; None when not a real date."""
    m = _DATE.match(value.strip())
    if m:
        month = MONTHS.get(m.group(2).lower())
        parts = (int(m.group(3)), month, int(m.group(1))) if month else None
    else:
        iso = _ISO.match(value.strip())
        parts = (int(iso.group(1)), int(iso.group(2)), int(iso.group(3))) if iso else None
    if not parts or parts[1] is None:
        return None
    try:
        return dt.date(parts[0], parts[1], parts[2]).isoformat()
    except ValueError:
        return None


def form_of(bentuk: str) -> str:
    """'Undang-undang (UU)' -> 'undang-undang'."""
    return " ".join(re.sub(r"\([^)]*\)", " ", bentuk).split()).lower()


def instrument(form: str) -> str | None:
    if form in FORMS:
        return FORMS[form]
    if form.startswith(MINISTERIAL + " ") or form == MINISTERIAL:
        return "ministerial-regulation"
    return None


def number(nomor: str, year: str, short: str, kind: str | None) -> str | None:
    """The number in the records' form, from the page's Nomor, Tahun and Bentuk Singkat."""
    if not re.fullmatch(r"[0-9A-Za-z][0-9A-Za-z./-]{0,40}", nomor):
        return None
    word = NUMBER_WORD.get(kind or "") or short
    if not re.fullmatch(r"[A-Za-z][\w.-]{0,30}", word or ""):
        return None
    if re.fullmatch(r"\d{4}", year) and year not in nomor:
        return f"{word} No. {nomor} of {year}"
    return f"{word} No. {nomor}"


def _card(page: Page, heading: str) -> Tag | None:
    """The card-body under an <h4> whose text starts with `heading` ("STATUS PERATURAN")."""
    for h in page.soup.find_all("h4"):
        if text(h).upper().startswith(heading):
            body = h.find_parent("div", class_="card-body")
            return body if isinstance(body, Tag) else None
    return None


def _card_items(card: Tag) -> list[str]:
    """The entries of a card below its heading: list items, else the innermost blocks."""
    found = [_labelled(li) for li in card.find_all("li")]
    if not found:
        header = card.find("h4")
        found = [
            text(div)
            for div in card.find_all("div")
            if not div.find("div") and (header is None or header not in div.parents) and not div.find("h4")
        ]
    return [x for x in found if x and x.lower() != "belum tersedia"]


def _labelled(li: Tag) -> str:
    """A list entry with the label of its list ("Dicabut dengan: ...") when one stands before it."""
    entry = text(li)
    holder = li.find_parent(["ul", "ol"])
    label = holder.find_previous_sibling() if isinstance(holder, Tag) else None
    name = text(label) if isinstance(label, Tag) and label.name not in ("ul", "ol") else ""
    if name.endswith(":") and len(name) < 80:
        return f"{name.rstrip(' :')}: {entry}"
    return entry


def _language(page: Page, rows_: dict[str, str], ld: dict[str, Any] | None) -> str:
    bahasa = rows_.get("bahasa", "").lower()
    if "inggris" in bahasa or "english" in bahasa:
        return "en"
    if "indonesia" in bahasa:
        return "id"
    tag = language_tag(ld.get("inLanguage")) if ld else None
    html = page.soup.find("html")
    return tag or (language_tag(attr(html, "lang")) if attr(html, "lang") else None) or "id"


def parse(page: Page) -> Draft:
    got = rows(page)
    ld = legislation(page)
    if not got.get("judul") and not got.get("nomor") and ld is None:
        raise Refusal(
            "this JDIH BPK page holds no regulation's metadata (a search, list or landing page?): "
            "open the regulation's detail page (peraturan.bpk.go.id/Details/...) and save that"
        )
    draft = Draft(source=NAME, url=canonical(page), language=_language(page, got, ld), link_kind="portal")
    title = got.get("judul") or (name_of(ld.get("name")) if ld else "")
    if not title:
        h1 = page.soup.find("h1")
        title = text(h1) if isinstance(h1, Tag) else ""
    if draft.language == "en":
        draft.title = title or None
    else:
        draft.local_title = title or None

    bentuk = got.get("bentuk") or got.get("jenis") or (name_of(ld.get("legislationType")) if ld else "")
    draft.instrument_type = instrument(form_of(bentuk)) if bentuk else None
    if bentuk and not draft.instrument_type:
        draft.notes.append(f"The page gives the form {bentuk!r}, which the importer does not map to a kind of instrument.")
    _number(draft, got, ld)
    _dates(draft, got, ld)
    _status(draft, got, ld)

    teu = got.get("t.e.u.", "")
    body = re.sub(r"^Indonesia\s*,\s*", "", teu).strip()
    if body and body.lower() not in ("indonesia", "pemerintah pusat"):
        draft.agency = body
        draft.notes.append(f"The agency is the page's T.E.U. (main entry) {teu!r}, without the country.")

    status_card = _card(page, "STATUS PERATURAN")
    if status_card is not None:
        draft.amendments = _card_items(status_card)
    review = _card(page, "UJI MATERI")
    if review is not None:
        decisions = [text(a) for a in review.find_all("a") if text(a)]
        if decisions:
            draft.notes.append(f"The page lists Constitutional Court review decision(s): {', '.join(decisions)}.")
    files = [a for a in page.soup.find_all("a", href=True) if re.match(r"^/(Download|Read)/\d+/", attr(a, "href") or "")]
    pdf = urljoin(draft.url, attr(files[0], "href") or "") if files and draft.url else None
    draft.notes.append("The detail page lists no articles (Pasal)" + (f"; they are in the PDF it links: {pdf}" if pdf else "."))
    return draft


def _number(draft: Draft, got: dict[str, str], ld: dict[str, Any] | None) -> None:
    nomor, year, short = got.get("nomor", ""), got.get("tahun", ""), got.get("bentuk singkat", "")
    ident = plain(ld.get("legislationIdentifier")) if ld else ""
    if nomor:
        draft.number = number(nomor, year, short, draft.instrument_type)
        if draft.number is None:
            draft.notes.append(f"The page's Nomor {nomor!r} (Tahun {year!r}, {short!r}) is not a number the importer reads.")
        else:
            given = f"Nomor {nomor}, Tahun {year}" + (f" ({ident})" if ident else "")
            draft.notes.append(f"The page gives the number as {given}; it is written here as the records write it.")
        if ident and nomor and year:
            digits = re.findall(r"\d+", ident)
            if nomor.split("/")[0] not in digits or year not in digits:
                raise Refusal(
                    f"the page contradicts itself: its rows give Nomor {nomor} Tahun {year} but its JSON-LD says {ident}; "
                    "check the regulation on the site before importing it"
                )
    elif ident:
        draft.number = ident
        draft.notes.append("The number is the page's JSON-LD legislationIdentifier, as given (the page has no Nomor row).")


def _dates(draft: Draft, got: dict[str, str], ld: dict[str, Any] | None) -> None:
    for label, key in DATE_ROWS.items():
        value = got.get(label)
        if not value:
            continue
        day = indonesian_date(value)
        if day:
            draft.dates[key] = day
        else:
            draft.notes.append(f"The page's {label.title()} {value!r} is not a date the importer reads.")
    ld_date = plain(ld.get("legislationDate")) if ld else ""
    day = indonesian_date(ld_date) if ld_date else None
    if day and "adopted" not in draft.dates and "tanggal penetapan" not in got:
        draft.dates["adopted"] = day
        draft.notes.append("dates.adopted is the page's JSON-LD legislationDate (the page has no Tanggal Penetapan row).")
    elif day and draft.dates.get("adopted") not in (None, day):
        draft.notes.append(f"The JSON-LD legislationDate {day} differs from the Tanggal Penetapan row; the row is kept.")


def _status(draft: Draft, got: dict[str, str], ld: dict[str, Any] | None) -> None:
    value = got.get("status", "")
    if value:
        draft.status = STATUS.get(value.lower())
        if draft.status is None:
            draft.notes.append(f"The page's Status {value!r} is not one the importer maps; give --status.")
        return
    force = legal_force(ld.get("legislationLegalForce")) if ld else None
    if force:
        draft.status = force
        draft.notes.append("The status is the page's JSON-LD legislationLegalForce (the page has no Status row).")
