"""Text helpers for search."""

from __future__ import annotations

import unicodedata

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
