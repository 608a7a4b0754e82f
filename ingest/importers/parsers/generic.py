"""The generic reader: statute metadata that any official site may publish in
its page, read in this order of trust:

1. a schema.org `Legislation` JSON-LD block (legislationIdentifier, name,
   inLanguage, legislationDate, datePublished, legislationLegalForce,
   legislationDateVersion, legislationPassedBy, legislationType, hasPart);
2. ELI meta tags (`<meta property="eli:date_document" content=...>` ...);
3. Dublin Core meta tags (DC.title, DC.date, DC.identifier, DCTERMS.*);
4. Open Graph (og:title, og:url), for the title and address only.

`detect` accepts a page only when it carries the first, second or third set:
Open Graph alone says nothing about a law. Values are taken as the page gives
them; a date is kept only when it is a real calendar date.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import warnings
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, Tag

from ingest.importers.model import Draft, Provision, Refusal
from ingest.importers.page import Page, attr, clean

NAME = "generic"
PRIORITY = 90

_TAG = re.compile(r"<[^>]*>")
_ISO = re.compile(r"^\s*(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.+\-Z]*)?\s*$")
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$")
MAX_JSON = 1_000_000  # characters of one JSON-LD block read
MAX_DEPTH = 12  # levels of @graph / hasPart followed

FORCE = {  # schema.org LegalForceStatus and the ELI in-force values, in lower case
    "inforce": "in-force", "notinforce": "repealed", "partiallyinforce": "partly-in-force",
    "inforce-inforce": "in-force", "inforce-notinforce": "repealed", "inforce-partiallyinforce": "partly-in-force"
}  # fmt: skip
TYPES = {  # words a page uses for the kind of instrument
    "act": "act", "statute": "act", "law": "law", "decree": "decree", "decree-law": "decree-law",
    "royal decree": "royal-decree", "emergency decree": "emergency-decree", "sub-decree": "sub-decree",
    "government regulation": "government-regulation", "ministerial regulation": "ministerial-regulation",
    "regulation": "regulations", "regulations": "regulations", "notification": "notification",
    "guideline": "guideline", "guidelines": "guideline", "bill": "bill", "order": "order",
    "undang-undang": "law", "peraturan pemerintah": "government-regulation",
    "peraturan menteri": "ministerial-regulation", "peraturan presiden": "regulations", "luật": "law", "nghị định": "decree"
}  # fmt: skip
LANGUAGES = {  # EU authority-table language codes, as ELI pages give them
    "ENG": "en", "IND": "id", "MSA": "ms", "VIE": "vi", "THA": "th", "FIL": "fil", "TGL": "tl", "KHM": "km",
    "LAO": "lo", "MYA": "my", "POR": "pt", "TET": "tet", "ZHO": "zh", "FRA": "fr", "DEU": "de"
}  # fmt: skip
_ARTICLE = re.compile(r"^(?:Article|Art\.?|Điều)\s+(\d+[A-Za-z]?)\b", re.I)
_PASAL = re.compile(r"^Pasal\s+(\d+[A-Za-z]?)\b", re.I)
_SECTION = re.compile(r"^(?:Section|Sec\.?|s)\s+(\d+[A-Za-z]*)\b", re.I)


# --------------------------------------------------------------------------
# helpers the site parsers share


def plain(value: Any) -> str:
    """Plain text of a metadata value: markup and script text removed, white space folded."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    text = str(value)
    if "<" in text or "&" in text:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
            frag = BeautifulSoup(text, "lxml")
        for el in frag.find_all(["script", "style", "noscript", "template", "iframe", "object", "embed"]):
            el.decompose()
        text = frag.get_text(" ")
    return clean(_TAG.sub(" ", text))


def iso_date(value: Any) -> str | None:
    """YYYY-MM-DD from an ISO date (or date-time); None when not a real calendar date."""
    m = _ISO.match(plain(value))
    if not m:
        return None
    y, mo, d = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def web_url(value: Any) -> str | None:
    """An http(s) address without spaces, or None."""
    text = plain(value)
    if not re.fullmatch(r"https?://[^\s/?#.][^\s]*", text) or len(text) > 2000:
        return None
    try:
        return text if urlsplit(text).hostname else None
    except ValueError:
        return None


def canonical(page: Page) -> str | None:
    """The address the page states for itself: <link rel=canonical>, else og:url."""
    for el in page.soup.find_all("link", href=True):
        rel = el.get("rel")
        rels = [r.lower() for r in rel] if isinstance(rel, list) else [str(rel or "").lower()]
        if "canonical" in rels and (url := web_url(attr(el, "href"))):
            return url
    return web_url(meta_value(page, "og:url"))


def host(page: Page) -> str:
    """The host the page was fetched from, or the one it states as canonical."""
    for url in (page.url, canonical(page)):
        try:
            name = urlsplit(url or "").hostname
        except ValueError:
            name = None
        if name:
            return name.lower()
    return ""


def _walk(node: Any, depth: int = 0) -> Iterator[dict[str, Any]]:
    if depth > MAX_DEPTH:
        return
    if isinstance(node, list):
        for item in node:
            yield from _walk(item, depth + 1)
    elif isinstance(node, dict):
        yield node
        if "@graph" in node:
            yield from _walk(node["@graph"], depth + 1)


def _types(obj: dict[str, Any]) -> list[str]:
    t = obj.get("@type")
    return [str(x) for x in (t if isinstance(t, list) else [t]) if isinstance(x, str)]


def legislation(page: Page) -> dict[str, Any] | None:
    """The first schema.org Legislation object in the page's JSON-LD blocks."""
    for block in page.json_ld:
        if len(block) > MAX_JSON:
            continue
        try:
            data = json.loads(block)
        except (ValueError, RecursionError):
            continue
        for obj in _walk(data):
            if any(t.rsplit("/", 1)[-1] in ("Legislation", "LegislationObject") for t in _types(obj)):
                return obj
    return None


def meta_index(page: Page) -> dict[str, list[Tag]]:
    """Every <meta> by its name or property, in lower case."""
    out: dict[str, list[Tag]] = {}
    for el in page.soup.find_all("meta"):
        for key in ("name", "property"):
            name = attr(el, key)
            if name:
                out.setdefault(name.strip().lower(), []).append(el)
    return out


def meta_value(page: Page, *names: str, index: dict[str, list[Tag]] | None = None) -> str | None:
    """Plain content (or resource) of the first of `names` the page has (case-insensitive)."""
    found = index if index is not None else meta_index(page)
    for name in names:
        for el in found.get(name.lower(), []):
            value = plain(attr(el, "content") or attr(el, "resource") or attr(el, "href"))
            if value:
                return value
    return None


def name_of(value: Any) -> str:
    """A schema.org value that may be text, a Thing with a name, or a list of them."""
    if isinstance(value, list):
        return "; ".join(x for x in (name_of(v) for v in value[:5]) if x)
    if isinstance(value, dict):
        return plain(value.get("name") or value.get("alternateName") or "")
    return plain(value)


def language_tag(value: Any) -> str | None:
    """A BCP 47 tag from 'id', 'en-GB', a Language thing, or an EU language code/URI."""
    text = name_of(value) if not isinstance(value, dict) else plain(value.get("alternateName") or value.get("name"))
    text = text.rsplit("/", 1)[-1].strip()
    if text.upper() in LANGUAGES:
        return LANGUAGES[text.upper()]
    parts = text.replace("_", "-").split("-")
    if parts and parts[0]:
        tag = "-".join([parts[0].lower()] + [p.upper() if len(p) == 2 else p.title() for p in parts[1:]])
        if _LANG.match(tag):
            return tag
    return None


def legal_force(value: Any) -> str | None:
    key = name_of(value) if not isinstance(value, dict) else plain(value.get("@id") or value.get("name"))
    key = re.split(r"[/#]", key)[-1].replace(" ", "").lower()
    return FORCE.get(key)


def _words(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]|_", " ", text).split()).lower()


_TYPE_WORDS = {_words(k): v for k, v in TYPES.items()}


def instrument(value: Any) -> str | None:
    """A code of instrument-types.yml for the page's word, or None when it is not one we know."""
    return _TYPE_WORDS.get(_words(re.sub(r"\([^)]*\)", " ", name_of(value)).rsplit("/", 1)[-1]))


def provision_ref(label: str) -> str | None:
    """The repository's reference for a part named 'Article 5', 'Điều 5', 'Pasal 26' or 'Section 6'."""
    if m := _ARTICLE.match(label):
        return f"Art. {m.group(1)}"
    if m := _PASAL.match(label):
        return f"Pasal {m.group(1)}"
    if m := _SECTION.match(label):
        return f"s {m.group(1)}"
    return None


# --------------------------------------------------------------------------
# the reader


def _eli(index: dict[str, list[Tag]]) -> bool:
    return any(k.startswith("eli:") for k in index)


def _dc(index: dict[str, list[Tag]]) -> bool:
    return any(k.startswith(("dc.", "dcterms.", "dc:", "dcterms:")) for k in index)


def detect(page: Page) -> bool:
    index = meta_index(page)
    return legislation(page) is not None or _eli(index) or _dc(index)


def _dc_names(term: str) -> tuple[str, ...]:
    return (f"dcterms.{term}", f"dcterms:{term}", f"dc.{term}", f"dc:{term}", f"dc.date.{term}")


class _Reader:
    """Collects each fact once, from the most trusted set that states it, noting disagreements."""

    def __init__(self, draft: Draft) -> None:
        self.draft = draft
        self.seen: dict[str, tuple[str, str]] = {}

    def date(self, key: str, value: Any, where: str) -> None:
        day = iso_date(value)
        if day is None:
            if plain(value):
                self.draft.notes.append(f"{where} gives {plain(value)[:60]!r}, which is not a date the reader takes.")
            return
        self.fact(f"dates.{key}", day, where)

    def fact(self, key: str, value: str | None, where: str) -> None:
        if not value:
            return
        if key in self.seen:
            if self.seen[key][0] != value:
                kept, said = self.seen[key]
                self.draft.notes.append(f"{where} gives {value!r} for {key}, but {said} gives {kept!r}; the latter is kept.")
            return
        self.seen[key] = (value, where)
        if key.startswith("dates."):
            self.draft.dates[key[6:]] = value
        else:
            setattr(self.draft, key, value)


def _from_json_ld(obj: dict[str, Any], r: _Reader) -> str | None:
    r.fact("number", name_of(obj.get("legislationIdentifier")), "the JSON-LD legislationIdentifier")
    lang = language_tag(obj.get("inLanguage"))
    r.date("adopted", obj.get("legislationDate"), "the JSON-LD legislationDate")
    r.date("promulgated", obj.get("datePublished"), "the JSON-LD datePublished")
    version = iso_date(obj.get("legislationDateVersion"))
    if version:
        r.draft.current_as_at = version
    r.fact("status", legal_force(obj.get("legislationLegalForce")), "the JSON-LD legislationLegalForce")
    r.fact("agency", name_of(obj.get("legislationPassedBy")), "the JSON-LD legislationPassedBy")
    kind = obj.get("legislationType")
    r.fact("instrument_type", instrument(kind), "the JSON-LD legislationType")
    if kind and not instrument(kind):
        r.draft.notes.append(f"The JSON-LD legislationType {name_of(kind)[:80]!r} is not a kind of instrument the reader maps.")
    _parts(obj.get("hasPart"), r.draft)
    return lang


def _parts(value: Any, draft: Draft, depth: int = 0) -> None:
    """Provisions from hasPart entries named like 'Article 5' or 'Section 6'."""
    if depth > MAX_DEPTH or value is None:
        return
    for part in value if isinstance(value, list) else [value]:
        if not isinstance(part, dict):
            continue
        label = name_of(part.get("legislationIdentifier")) or name_of(part.get("name"))
        ref = provision_ref(label)
        if ref and all(p.ref != ref for p in draft.provisions):
            heading = name_of(part.get("headline")) or name_of(part.get("alternativeHeadline")) or None
            draft.provisions.append(Provision(ref, heading, web_url(part.get("url"))))
        _parts(part.get("hasPart"), draft, depth + 1)


def _from_eli(index: dict[str, list[Tag]], page: Page, r: _Reader) -> str | None:
    def v(*names: str) -> str | None:
        return meta_value(page, *names, index=index)

    r.fact("number", v("eli:number", "eli:id_local"), "the eli:number meta tag")
    r.date("adopted", v("eli:date_document"), "the eli:date_document meta tag")
    r.date("promulgated", v("eli:date_publication"), "the eli:date_publication meta tag")
    r.date("in_force", v("eli:first_date_entry_in_force"), "the eli:first_date_entry_in_force meta tag")
    r.date("repealed", v("eli:date_no_longer_in_force"), "the eli:date_no_longer_in_force meta tag")
    r.fact("status", legal_force(v("eli:in_force")), "the eli:in_force meta tag")
    passed = v("eli:passed_by")
    if passed and not web_url(passed):
        r.fact("agency", passed, "the eli:passed_by meta tag")
    r.fact("instrument_type", instrument(v("eli:type_document")), "the eli:type_document meta tag")
    version = iso_date(v("eli:version_date"))
    if version and not r.draft.current_as_at:
        r.draft.current_as_at = version
    lang = v("eli:language")
    return language_tag(lang) if lang else None


def _from_dc(index: dict[str, list[Tag]], page: Page, r: _Reader) -> str | None:
    def v(*names: str) -> str | None:
        return meta_value(page, *names, index=index)

    ident = v(*_dc_names("identifier"))
    if ident and not web_url(ident) and not ident.lower().startswith(("urn:", "doi:", "isbn")):
        r.fact("number", ident, "the DC.identifier meta tag")
    r.date("adopted", v(*_dc_names("created")), "the DCTERMS.created meta tag")
    r.date("promulgated", v(*_dc_names("issued")), "the DCTERMS.issued meta tag")
    bare = v("dc.date", "dcterms.date", "dc:date", "dcterms:date")
    if bare and "dates.adopted" not in r.seen and iso_date(bare):
        r.date("adopted", bare, "the DC.date meta tag")
        r.draft.notes.append(
            "dates.adopted is the page's unqualified DC.date, which does not say which event it dates; check it."
        )
    creator = v(*_dc_names("creator"))
    if creator and not web_url(creator):
        r.fact("agency", creator, "the DC.creator meta tag")
    r.fact("instrument_type", instrument(v(*_dc_names("type"))), "the DC.type meta tag")
    lang = v(*_dc_names("language"))
    return language_tag(lang) if lang else None


def parse(page: Page) -> Draft:
    draft = Draft(source=NAME)
    r = _Reader(draft)
    index = meta_index(page)
    obj = legislation(page)
    languages: list[str | None] = []
    titles: list[tuple[str, str]] = []
    if obj is not None:
        languages.append(_from_json_ld(obj, r))
        titles.append((name_of(obj.get("name")), "the JSON-LD name"))
    if _eli(index):
        languages.append(_from_eli(index, page, r))
        titles.append((meta_value(page, "eli:title", index=index) or "", "the eli:title meta tag"))
    if _dc(index):
        languages.append(_from_dc(index, page, r))
        titles.append((meta_value(page, *_dc_names("title"), index=index) or "", "the DC.title meta tag"))
    titles.append((meta_value(page, "og:title", index=index) or "", "the og:title meta tag"))
    html = page.soup.find("html")
    languages.append(language_tag(attr(html, "lang")) if attr(html, "lang") else None)
    lang = next((x for x in languages if x), None)
    if lang is None:
        draft.notes.append("The page states no language; English is assumed.")
    draft.language = lang or "en"
    title, where = next(((t, w) for t, w in titles if t), ("", ""))
    if title:
        if draft.language.split("-")[0] == "en":
            draft.title = title
        else:
            draft.local_title = title
        if where == "the og:title meta tag":
            draft.notes.append("The title is the page's og:title, which may carry the site's name; check it.")
    draft.url = canonical(page)
    if len(titles) == 1 or not (draft.title or draft.local_title or draft.number):
        raise Refusal(
            "the page carries no schema.org Legislation, ELI or Dublin Core metadata naming a law; "
            "name the site's parser with --source, or save the statute's own page"
        )
    if not draft.provisions:
        draft.notes.append("The page's metadata lists no provisions; the generic reader does not read the text itself.")
    return draft
