"""Text helpers for search."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

_EXTRA = str.maketrans({"đ": "d", "Đ": "D", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"})


def fold(text: str) -> str:
    """Remove diacritics, so that 'Luật Giao dịch điện tử' becomes 'Luat Giao dich dien tu'.

    Scripts without Latin letters are returned as they are (combining vowel
    signs of Thai, Khmer, Lao and Burmese are kept)."""
    if text.isascii():
        return text  # nothing to remove (and most titles are English)
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text.translate(_EXTRA)):
        if unicodedata.combining(ch) and "LATIN" in _base_name(out):
            continue
        out.append(ch)
    return unicodedata.normalize("NFC", "".join(out))


def _base_name(chars: list[str]) -> str:
    return unicodedata.name(chars[-1], "") if chars else ""


# words a citation may or may not spell out: "No.", "n.º", "số", "of", "Tahun"
_FILLER = frozenset({"no", "nos", "number", "nr", "nomor", "so", "of", "tahun", "n", "o"})


def search_key(text: str) -> str:
    """How a citation or a name is compared: 'UU No. 27 Tahun 2022', 'UU 27/2022'
    and 'uu 27 / 2022' give the same key, as do 'R.A. No. 10173' and 'RA 10173',
    'Nghị định 13/2023/NĐ-CP' and 'Nghi dinh 13/2023/ND-CP', 'Viet Nam',
    'Viet-Nam' and 'Vietnam', 'พ.ศ. ๒๕๖๒' and 'พ.ศ. 2562'.

    Letters are folded (no diacritics, no case); digits of any script become
    ASCII digits; spaces, punctuation and the filler words of citations
    ("No.", "n.º", "số", "of", "Tahun") are dropped, except that two numbers
    in a row stay apart ('27/2022' is not '2/72022')."""
    if text.isascii():
        # the common case, without a look-up per character: runs of digits and of letters
        return _joined(("d" if run[0] <= "9" else "l", run) for run in _ASCII_RUNS.findall(text.lower()))
    return _joined(_tokens(text))


_ASCII_RUNS = re.compile(r"[0-9]+|[a-z]+")


def _tokens(text: str) -> Iterator[tuple[str, str]]:
    """(kind, text) runs of any script: kind "d" digits (as ASCII), "l" letters;
    any other character ends a run."""
    kind, run = "", ""
    for ch in fold(text).casefold().replace("º", "o").replace("°", "o"):
        digit = unicodedata.decimal(ch, None)
        if digit is not None:
            this, ch = "d", str(digit)
        elif unicodedata.category(ch)[0] in "LM":
            this = "l"
        else:
            this, ch = "", ""
        if this and this == kind:
            run += ch
            continue
        if run:
            yield kind, run
        kind, run = this, ch
    if run:
        yield kind, run


def _joined(tokens: Iterable[tuple[str, str]]) -> str:
    """The key of those runs: filler words dropped, two numbers in a row kept apart."""
    out: list[str] = []
    last = ""
    for kind, part in tokens:
        if kind == "l" and part in _FILLER:
            continue
        if kind == "d" and last == "d":
            out.append(".")
        out.append(part)
        last = kind
    return "".join(out)
