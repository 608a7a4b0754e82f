"""Read the numbers, years and words of a cited law, so that a citation written
one way ("Law on Electronic Transactions No. 20/NA, 2012", "Republic act 10173",
"Act 709", "B.E. 2562") can be compared with a record written another way
("No. 20/NA", "Republic Act No. 10173") without comparing strings.

A `Number` is a serial with, when the citation gives them, a year and a tag
(the part that names the series: ``na`` and ``gov`` in Lao numbers, ``qh15``
or ``nd-cp`` in Vietnamese ones, ``ra`` for Philippine Republic Acts, ``act``
for Malaysian Act numbers, ``cap`` for chapters of revised editions, ``rkm``
for Cambodian royal kram). A number is *strong* when it identifies one law:
it has a year or a series tag; chapter numbers are reused by successive
revised editions and plain "No. 26" is ambiguous, so they are weak.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import unquote

from ingest.common.text import fold


@dataclass(frozen=True)
class Number:
    serial: str
    year: int | None = None
    tag: str | None = None
    strong: bool = True


@dataclass
class Citation:
    numbers: list[Number] = field(default_factory=list)
    years: set[int] = field(default_factory=set)
    ordinal: int | None = None  # "(No. 3)": the third act of that name
    draft: bool = False  # a draft or a bill
    words: frozenset[str] = frozenset()


YEARS = range(1900, 2101)
BE_OFFSET = 543  # Thai Buddhist Era year = Gregorian year + 543
_BE_YEARS = range(1900 + BE_OFFSET, 2101 + BE_OFFSET)

# In order; each match is blanked out before the next pattern runs. A pattern
# is tried only when one of its needles is in the text.
_TEXT_NUMBERS: list[tuple[re.Pattern[str], str, tuple[str, ...]]] = [
    (re.compile(r"\bns\s*/\s*rkm\s*/\s*(\d{3,4})\s*/\s*(\d{2,4})"), "rkm", ("rkm",)),
    (
        re.compile(
            r"(?<![\d/])(\d{1,4})\s*/\s*(\d{4})\s*/\s*(qh\d{1,2}|n[dđ]-cp|tt-[a-z]{2,6}|q[dđ]-[a-z]{2,6}|ubtvqh\d{1,2})\b"
        ),
        "vn",
        ("/",),
    ),
    (re.compile(r"(?<![\d/])(\d{1,4})\s*/\s*([a-z]{2,5})\b"), "series", ("/",)),
    (re.compile(r"(?<![\d/])(\d{1,5})\s*/\s*(\d{4})(?![\d/])"), "slash", ("/",)),
    (
        re.compile(r"\b(?:no|act|law|number|nomor|nr)\.?\s*(\d{1,5})\s+(?:of|tahun)\s+(?:year\s+)?(\d{4})\b"),
        "of",
        (" of ", "tahun"),
    ),
    (re.compile(r"\brepublic\s+act\s*(?:no\.?\s*)?(\d{3,5})\b|\bra\s*(\d{3,5})\b"), "ra", ("republic", "ra")),
    (re.compile(r"\((?:no|number)\.?\s*(\d{1,2})\)"), "ordinal", ("(",)),
    (re.compile(r"\b(?:cap|chapter|chp)\.?\s*(\d{1,4}[a-z]?)\b"), "cap", ("cap", "chapter", "chp")),
    (re.compile(r"\bact\s+(a\d{3,4}|\d{1,3})\b(?!\s*(?:of|/))"), "act", ("act",)),
    (re.compile(r"\b(?:no|number|nomor|nr)\.?\s*(\d{1,5}(?:-\d{1,3})?)\b"), "plain", ("no", "number", "nr")),
]
_DIGIT = re.compile(r"\d")
_URL_NUMBERS: list[re.Pattern[str]] = [
    re.compile(r"(?<![\d])(\d{1,4})[-_](\d{4})[-_](qh\d{1,2}|nd[-_]cp|tt[-_][a-z]{2,6})(?![a-z\d])"),
    re.compile(r"(?<![a-z])(?:nomor|no)\.?[-_]+(\d{1,4})[-_]+(?:year|tahun)[-_]+(\d{4})(?!\d)"),
    re.compile(r"\bacts?-supp/(\d{1,4})-(\d{4})(?!\d)"),
    re.compile(r"\bra[-_](\d{3,5})(?!\d)"),
]
_DRAFT = re.compile(r"\b(draft|bill|rancangan|du thao|proposed)\b")
_DRAFT_URL = re.compile(r"bills?-supp/|/bills?/|draft")
# years that date a revision or an amendment, not the law cited
_REVISED = re.compile(r"\b(?:revised|revision|amended|amanded|as amended|reprinted)\s*(?:edition\s*)?(?:in\s+)?(\d{4})\b")
_BE = re.compile(r"\bb\.?\s*e\.?\s*(\d{4})\b")
_YEAR = re.compile(r"(?<![\d/.])(\d{4})(?![\d/])")
_WORD = re.compile(r"[a-z0-9]+")
_JOIN = [
    (re.compile(r"\be-\s*"), "electronic ", "e-"),
    (re.compile(r"\bcyber\s+(security|crime)"), r"cyber\1", "cyber"),
    (re.compile(r"\bdata\s*base"), "database", "data"),
]
_STOP_WORDS = """
a an and as at by for from in into of on or the to under with which will
law laws act acts code no number nr chapter cap chp english thai khmer lao burmese vietnamese malay indonesian
version text translation unofficial official pdf html http https www gov
draft bill dated promulgated passed effect take rev revised amended amanded edition republic royal
january february march april may june july august september october november december
na gov ns rkm ra nd cp tt qd year tahun nomor
"""
STOP = frozenset(_STOP_WORDS.split())


def _norm(text: str) -> str:
    if not text.isascii():
        text = fold(text).replace("№", "no. ").replace("n°", "no. ").replace("nº", "no. ")
    text = text.lower()
    for pattern, repl, needle in _JOIN:
        if needle in text:
            text = pattern.sub(repl, text)
    return " ".join(text.split())


def _serial(s: str) -> str:
    return s.lstrip("0") or "0"


def _year(s: str) -> int | None:
    y = int(s)
    return y if y in YEARS else None


def numbers_in(text: str) -> tuple[list[Number], int | None, str]:
    """The numbers cited in `text` (normalised), the ordinal, and the text with them blanked out."""
    found: list[Number] = []
    ordinal = None
    if not _DIGIT.search(text):
        return found, ordinal, text
    for pattern, kind, needles in _TEXT_NUMBERS:
        if not any(n in text for n in needles):
            continue

        def take(m: re.Match[str], kind: str = kind) -> str:
            nonlocal ordinal
            g = m.groups()
            if kind == "rkm":
                found.append(Number(f"{_serial(g[0])}/{_serial(g[1])}", None, "rkm"))
            elif kind == "vn":
                found.append(Number(_serial(g[0]), _year(g[1]), g[2].replace("đ", "d")))
            elif kind == "series":
                found.append(Number(_serial(g[0]), None, g[1]))
            elif kind in ("slash", "of"):
                year = _year(g[1])
                if year is None:
                    return m.group(0)
                found.append(Number(_serial(g[0]), year, None))
            elif kind == "ra":
                found.append(Number(_serial(g[0] or g[1]), None, "ra"))
            elif kind == "ordinal":
                ordinal = int(g[0])
            elif kind == "cap":
                found.append(Number(_serial(g[0]), None, "cap", strong=False))
            elif kind == "act":
                found.append(Number(_serial(g[0]), None, "act"))
            else:
                found.append(Number(_serial(g[0]), None, None, strong=False))
            return " " * len(m.group(0))

        text = pattern.sub(take, text)
    return found, ordinal, text


def years_in(text: str) -> set[int]:
    """Years in `text` (already normalised, numbers blanked out), Thai B.E. years
    converted; years of revisions and amendments are left out."""
    text = _REVISED.sub(" ", text)
    out = {int(y) - BE_OFFSET for y in _BE.findall(text) if int(y) in _BE_YEARS}
    text = _BE.sub(" ", text)
    for y in map(int, _YEAR.findall(text)):
        if y in YEARS:
            out.add(y)
        elif y in _BE_YEARS:
            out.add(y - BE_OFFSET)
    return out


def words_in(text: str) -> frozenset[str]:
    """The significant words of a normalised text: no stop words, no tokens with
    digits (numbers, "qh15"), a plural 's' dropped."""
    out = set()
    for w in _WORD.findall(text):
        if w in STOP or len(w) < 2 or _DIGIT.search(w):
            continue
        out.add(w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith("ss") else w)
    return frozenset(out)


def title_words(title: str) -> frozenset[str]:
    """The words of a title that are compared (the words of the series tags and
    numbers it cites are stop words, or hold digits)."""
    return words_in(_norm(title)) if title else frozenset()


def cite(title: str) -> Citation:
    """What a free-text title cites."""
    text = _norm(title)
    numbers, ordinal, rest = numbers_in(text)
    years = years_in(rest) | {n.year for n in numbers if n.year}
    return Citation(numbers, years, ordinal, bool(_DRAFT.search(text)), words_in(text))


def cite_url(url: str) -> Citation:
    """The strong numbers a URL spells out (e.g. `Law-20-2023-QH15`, `ra_10173_2012`),
    and whether it points to a bill; nothing else in a URL is trusted."""
    text = unquote(url).lower()
    numbers = []
    for pattern in _URL_NUMBERS:
        for m in pattern.finditer(text):
            g = m.groups()
            if len(g) == 1:
                numbers.append(Number(_serial(g[0]), None, "ra"))
            else:
                year = _year(g[1])
                if year:
                    tag = g[2].replace("_", "-") if len(g) > 2 else None
                    numbers.append(Number(_serial(g[0]), year, tag))
    return Citation(numbers, {n.year for n in numbers if n.year}, None, bool(_DRAFT_URL.search(text)), frozenset())


def record_citation(
    number: str | None, title: str, short_title: str | None, local_titles: list[str], year: int | None
) -> tuple[Citation, list[frozenset[str]]]:
    """A law record's numbers (from its number and short title), years (its year,
    and those in its number and titles), ordinal (from its title) and words (one
    set per English title: full and short)."""
    numbers: list[Number] = []
    if number:
        numbers += numbers_in(_norm(number))[0]
    years = {year} if year else set()
    years |= {n.year for n in numbers if n.year}
    word_sets = []
    ordinal = None
    for i, text in enumerate([title, short_title or ""]):
        if not text:
            continue
        found, ord_, rest = numbers_in(_norm(text))
        if i == 1:
            numbers += [n for n in found if n.strong]
        if i == 0:
            ordinal = ord_
        years |= years_in(rest)
        words = words_in(_norm(text))
        if words:
            word_sets.append(words)
    for text in local_titles:  # in the official languages: only their years (e.g. B.E. 2562) are compared
        if _DIGIT.search(text):
            years |= years_in(numbers_in(_norm(text))[2])
    cit = Citation(numbers, years, ordinal, False, frozenset().union(*word_sets) if word_sets else frozenset())
    return cit, word_sets


def tags_fit(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def words_score(doc: frozenset[str], sets: list[frozenset[str]]) -> tuple[float, float]:
    """(containment of the smaller word set in the larger, Jaccard), best over a
    record's titles; (0, 0) when fewer than two words (or all of a one-word
    title) are shared."""
    best = (0.0, 0.0)
    for words in sets:
        shared = len(doc & words)
        if not shared or shared < min(2, len(doc), len(words)):
            continue
        score = (shared / min(len(doc), len(words)), shared / len(doc | words))
        best = max(best, score)
    return best
