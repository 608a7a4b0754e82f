"""The aliases table: every way a law or a member state is cited or named,
generated at build time, each with its search key (ingest.common.text.search_key).

A law is found by its official number as the country writes it and as people
cite it: "Law No. 27 of 2022" also as "UU 27/2022", "UU No. 27 Tahun 2022" and
"27/2022"; "Republic Act No. 10173" as "RA 10173"; "13/2023/ND-CP" as
"Decree 13/2023/ND-CP" and "Nghị định 13/2023/NĐ-CP"; "Lei n.º 8/2016" as
"Law 8/2016"; by its short title with its year ("PDPA 2012"); and a Thai law
by its Buddhist Era year ("B.E. 2562", "พ.ศ. 2562", "2562") and its short title
with either year. A member state is found by its code (ISO alpha-2 and
alpha-3), its names and its former names (ingest.build.country_names).

Each alias has a form, which orders search results: `number` (the law's
number in one of its written forms) before `citation` (short title and year)
before `year` (a Thai year alone) — and `name` for member states.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ingest.build.citations import BE_OFFSET, Number, cite
from ingest.build.country_names import OTHER_NAMES
from ingest.common.text import search_key

FORMS = ("number", "citation", "year", "name")  # in the order search ranks them

# How an instrument is named in citations, by country and instrument type
# (English first, then the national language's word or abbreviation).
_WORDS: dict[tuple[str, str], tuple[str, ...]] = {
    ("ID", "law"): ("Law", "UU", "Undang-Undang"),
    ("ID", "government-regulation"): ("Government Regulation", "GR", "PP", "Peraturan Pemerintah"),
    ("ID", "presidential-regulation"): ("Presidential Regulation", "Perpres", "Peraturan Presiden"),
    ("VN", "law"): ("Law", "Luật"),
    ("VN", "decree"): ("Decree", "Nghị định"),
    ("VN", "circular"): ("Circular", "Thông tư"),
    ("VN", "decision"): ("Decision", "Quyết định"),
    ("VN", "resolution"): ("Resolution", "Nghị quyết"),
    ("TL", "law"): ("Law", "Lei"),
    ("TL", "decree-law"): ("Decree-Law", "Decreto-Lei", "DL"),
    ("TL", "decree"): ("Decree", "Decreto"),
    ("PH", "act"): ("Republic Act", "RA"),
    ("PH", "order"): ("Executive Order", "EO"),
    ("KH", "sub-decree"): ("Sub-Decree", "Anukret"),
    ("KH", "ministerial-regulation"): ("Prakas",),
    ("KH", "law"): ("Law", "Kram"),
}
_TYPE_WORDS: dict[str, str] = {
    "act": "Act",
    "law": "Law",
    "decree": "Decree",
    "decree-law": "Decree-Law",
    "sub-decree": "Sub-Decree",
    "government-regulation": "Government Regulation",
    "order": "Order",
    "notification": "Notification",
    "royal-decree": "Royal Decree",
    "emergency-decree": "Emergency Decree",
    "circular": "Circular",
    "directive": "Directive",
}
_SYNONYMS = {"cap": ("Cap", "Chapter")}
_TAG_WORDS = {"ra": ("Republic Act", "RA"), "act": ("Act",)}
_LEADING = re.compile(r"^([^\d]*?)\s*(?:\b(?:No|Nos|Number|n)\.?\s*º?\s*)?(?=[A-Z]?\d)")
_BE_YEAR = re.compile(r"\bB\.?\s?E\.?\s*(\d{4})\b")
_YEAR = re.compile(r"\b(1[89]\d\d|20\d\d)\b")


def _prefix(number: str) -> str:
    """What a number says before its digits, without "No.": "Republic Act", "SAC Law", "Lei"."""
    m = _LEADING.match(number)
    text = (m.group(1) if m else "").strip(" .,")
    return re.sub(r"\s*\b(?:No|Number|n)\.?\s*º?$", "", text).strip(" .,")


def _initials(prefix: str) -> str | None:
    """'Joint Administrative Order' -> 'JAO'; None for one word."""
    words = re.findall(r"[A-Za-z]+", prefix)
    if len(words) < 2 or not all(w[0].isupper() for w in words):
        return None
    return "".join(w[0] for w in words)


def _cores(n: Number, written: str) -> list[str]:
    """The number itself in its usual written forms, without an instrument word."""
    if n.tag == "rkm":
        return [written.strip()]
    if n.year and n.tag:
        return [f"{n.serial}/{n.year}/{n.tag.upper()}", f"{n.serial}/{n.year}"]
    if n.year:
        return [f"{n.serial}/{n.year}"]
    if n.tag and n.tag not in ("ra", "act", "cap"):
        return [f"{n.serial}/{n.tag.upper()}"]
    return [n.serial.upper()]


def number_aliases(number: str, country: str, instrument_type: str) -> list[str]:
    """Every written form of an official number (see the module's docstring)."""
    number = " ".join(number.split())
    if not number:
        return []
    prefix = _prefix(number)
    words = [*_WORDS.get((country, instrument_type), ()), _TYPE_WORDS.get(instrument_type, "")]
    if prefix and "/" not in prefix:
        last = prefix.split()[-1]
        words += [prefix, _initials(prefix) or "", last if last in _TYPE_WORDS.values() else ""]
    out = [number]
    for n in cite(number).numbers:
        cores = _cores(n, number)
        tag_words = _SYNONYMS.get(n.tag or "", ()) or _TAG_WORDS.get(n.tag or "", ())
        if n.tag in ("cap", "ra", "act"):
            out += [f"{w} {core}" for w in tag_words for core in cores]
            continue
        if n.strong:
            out += cores
        out += [f"{w} {core}" for w in words if w for core in cores]
    return out


def thai_years(title: str, year: int | None) -> list[int]:
    """Buddhist Era years a Thai title cites, else the B.E. of the law's year."""
    found = [int(y) for y in _BE_YEAR.findall(title)]
    return found or ([year + BE_OFFSET] if year else [])


def law_aliases(rec: Mapping[str, Any], year: int | None) -> list[tuple[str, str]]:
    """(alias, form) for one law record, each search key once (the first form wins)."""
    country, short = rec["country"], rec.get("short_title")
    pairs = [(a, "number") for a in number_aliases(rec.get("number") or "", country, rec["instrument_type"])]
    be = thai_years(rec["title"], year) if country == "TH" else []
    if short:
        pairs.append((short, "citation"))
        if year and not _YEAR.search(short):
            pairs += [(f"{short} {y}", "citation") for y in [year, *be]]
    base = _BE_YEAR.split(rec["title"])[0].strip() if be else ""
    for y in be:
        pairs += [(f"{base} {y}", "citation"), (f"{base} {y - BE_OFFSET}", "citation")]
        pairs += [(f"B.E. {y}", "year"), (f"พ.ศ. {y}", "year"), (str(y), "year")]
    return unique(pairs)


def country_aliases(profile: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(alias, 'name') for one member state: codes, names, other and former names."""
    names = [profile["code"], profile.get("iso3") or "", profile["name"], profile.get("official_name") or ""]
    return unique((n, "name") for n in [*names, *OTHER_NAMES.get(profile["code"], ())] if n)


def unique(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    seen: set[str] = set()
    out = []
    for alias, form in pairs:
        key = search_key(alias)
        if key and key not in seen:
            seen.add(key)
            out.append((alias, form))
    return out
