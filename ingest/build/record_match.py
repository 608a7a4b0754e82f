"""Find which of our law records a cited document is, from the built database.

`Records.load(conn, countries)` reads the laws of those countries once (their
numbers, years and title words, indexed by serial number and by word);
`Records.match(country, title, url)` compares a document's title, and its
address when the title does not settle it, with them:

1. numbers first: a number in the title that fits a record's number (same
   serial and series, and no contradicting year) matches it; a strong number
   (one with a year or a series) that fits none of our records means the
   document is a law we do not record, whatever its words say;
2. otherwise the title's words and years: the record whose titles share the
   most words with it, among those whose years (and ordinal, "(No. 3)") agree;
   a draft or bill may be dated before the law it became;
3. the address's numbers (`Law-20-2023-QH15`, `ra_10173_2012`) when the title
   gives no match, and to notice a title and an address naming different laws.

Strings are never compared whole.
"""

from __future__ import annotations

import json
import re
import sqlite3
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ingest.build.citations import Citation, Number, cite, cite_url, record_citation, tags_fit, title_words, words_score

WORDS_NEEDED = 0.75  # share of the smaller set of title words that must be shared
WORDS_FOR_WEAK_NUMBER = 0.5
_DIGITS = re.compile(r"\d+")


@dataclass(slots=True)
class Law:
    id: str
    country: str
    status: str
    year: int | None
    areas: tuple[str, ...]
    title: str
    short_title: str | None
    number: str | None
    word_sets: list[frozenset[str]]  # the words of its English titles (full and short)
    cit: Citation | None = None  # its numbers, years and ordinal, read when the law is first a candidate


@dataclass
class Match:
    ids: list[str] = field(default_factory=list)
    how: str = ""  # number | address | title and year | title
    candidates: list[str] = field(default_factory=list)  # several records fit equally well
    nearest: list[str] = field(default_factory=list)  # records whose words fit but whose year or ordinal differ
    nearest_differs: str = ""  # what differs in the nearest: year | ordinal
    missing_numbers: list[Number] = field(default_factory=list)  # strong numbers none of our records carries
    url_ids: list[str] = field(default_factory=list)  # records the address's numbers name, when they differ
    draft: bool = False


def _digits(serial: str) -> str:
    """The index key of a serial: its first run of digits ('A1727' -> '1727', '1119/16' -> '1119')."""
    runs = _DIGITS.findall(serial)
    return (runs[0].lstrip("0") or "0") if runs else serial


class Records:
    """The laws of some countries, indexed cheaply (the digits of their numbers,
    the words of their titles); a law's numbers, years and words are read in
    full only when a document makes it a candidate."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.laws: dict[str, Law] = {}
        self.by_digits: dict[tuple[str, str], list[Law]] = defaultdict(list)
        self.by_word: dict[tuple[str, str], list[Law]] = defaultdict(list)

    @classmethod
    def load(cls, conn: sqlite3.Connection, countries: list[str]) -> Records:
        self = cls(conn)
        if not countries:
            return self
        marks = ",".join("?" * len(countries))
        for law_id, country, title, short, number, year, status, areas in conn.execute(
            f"SELECT id, country, title, short_title, number, year, status, areas FROM laws WHERE country IN ({marks})", countries
        ):
            sets = [frozenset(sys.intern(w) for w in ws) for ws in (title_words(title), title_words(short or "")) if ws]
            law = Law(law_id, country, status, year, tuple(json.loads(areas)), title, short, number, sets)
            self.laws[law_id] = law
            for digits in {d.lstrip("0") or "0" for d in _DIGITS.findall(f"{number or ''} {short or ''}")}:
                self.by_digits[(country, digits)].append(law)
            for w in frozenset().union(*sets):
                self.by_word[(country, w)].append(law)
        return self

    def country_of(self, law_id: str) -> str:
        return self.laws[law_id].country

    def _read(self, law: Law) -> Law:
        if law.cit is None:
            local = [
                t for (t,) in self.conn.execute("SELECT title FROM law_titles WHERE law_id = ? ORDER BY position", (law.id,))
            ]
            law.cit = record_citation(law.number, law.title, law.short_title, local, law.year)[0]
        return law

    def match(self, country: str, title: str, url: str) -> Match:
        in_url = cite_url(url)
        by_title = self._match(country, cite(title))
        by_url = self._numbers(country, in_url)
        result = by_title
        if by_title.ids:
            if by_url.ids and not set(by_url.ids) & set(by_title.ids):
                by_title.url_ids = by_url.ids
        elif by_url.ids:
            result = by_url
            result.how = "address"
        result.draft = by_title.draft or in_url.draft
        return result

    def _numbers(self, country: str, cit: Citation) -> Match:
        found: list[str] = []
        missing: list[Number] = []
        for n in cit.numbers:
            candidates = self.by_digits.get((country, _digits(n.serial)), [])
            hits = [law.id for law in candidates if _number_fits(n, self._read(law), cit)]
            found += [h for h in hits if h not in found]
            if not hits and n.strong and not any(m.serial == n.serial and m.year in (n.year, None) for m in missing):
                missing.append(n)
        return Match(found, "number" if found else "", missing_numbers=missing, draft=cit.draft)

    def _match(self, country: str, cit: Citation) -> Match:
        result = self._numbers(country, cit)
        if result.ids or result.missing_numbers:
            return result  # a number none of our records has means another law, whatever the words say
        seen: set[str] = set()
        scored: list[tuple[tuple[float, int, float], Law]] = []
        nearest: list[tuple[tuple[float, int, float], Law]] = []
        for w in cit.words:
            for law in self.by_word.get((country, w), []):
                if law.id in seen:
                    continue
                seen.add(law.id)
                contained, jaccard = words_score(cit.words, law.word_sets)
                if contained < WORDS_NEEDED:
                    continue
                self._read(law)
                assert law.cit is not None
                score = (contained, int(law.cit.ordinal == cit.ordinal), jaccard)
                fits = _years_fit(cit, law) and (cit.ordinal is None or law.cit.ordinal == cit.ordinal)
                (scored if fits else nearest).append((score, law))
        if not scored:
            nearest.sort(key=lambda sl: (sl[0], sl[1].id), reverse=True)
            result.nearest = [law.id for _, law in nearest[:2]]
            if nearest:
                result.nearest_differs = "ordinal" if _years_fit(cit, nearest[0][1]) else "year"
            return result
        best = max(score for score, _ in scored)
        top = sorted(law.id for score, law in scored if score == best)
        if len(top) > 1:
            result.candidates = top
            return result
        result.ids, result.how = top, "title and year" if cit.years else "title"
        return result


def _years_fit(cit: Citation, law: Law) -> bool:
    assert law.cit is not None
    if not cit.years or not law.cit.years:
        return True
    if cit.years & law.cit.years:
        return True
    # a draft or bill may be dated before the law it became
    return cit.draft and max(law.cit.years) >= min(cit.years)


def _number_fits(n: Number, law: Law, cit: Citation) -> bool:
    assert law.cit is not None
    for m in law.cit.numbers:
        if m.serial != n.serial or not tags_fit(n.tag, m.tag):
            continue
        if n.year and m.year:
            if n.year == m.year:
                return True
            continue
        if cit.years and law.cit.years and not cit.years & law.cit.years:
            continue  # e.g. chapter 88 of the 1998 revised edition, cited for an act of 2010
        if n.strong and m.strong:
            return True
        # a chapter or a bare "No. 26": the years or the words must agree too
        if cit.years & law.cit.years or words_score(cit.words, law.word_sets)[0] >= WORDS_FOR_WEAK_NUMBER:
            return True
    return False


def details(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    """Title, number, year, status, dates, areas, official link and replacements of the laws named."""
    out: dict[str, dict[str, Any]] = {}
    if not ids:
        return out
    ids = sorted(set(ids))
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        marks = ",".join("?" * len(part))
        cur = conn.execute(
            f"SELECT id, country, title, short_title, number, year, status, in_force, repealed, areas, "
            f"verification, official_url, file FROM laws WHERE id IN ({marks})",
            part,
        )
        cols = [c[0] for c in cur.description]
        for row in cur:
            d = dict(zip(cols, row, strict=True))
            d["areas"] = json.loads(d["areas"])
            d["relations"] = defaultdict(list)
            out[d["id"]] = d
        for law_id, rtype, target in conn.execute(
            f"SELECT law_id, type, target_id FROM relations WHERE law_id IN ({marks}) ORDER BY law_id, type, target_id", part
        ):
            if target not in out[law_id]["relations"][rtype]:
                out[law_id]["relations"][rtype].append(target)
    return out
