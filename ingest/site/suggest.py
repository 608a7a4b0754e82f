"""The nearest titles to a search that found nothing ("personal data protecton",
"Electronic Transaction Act", "Vietnm"): each word of the search is matched with
the closest word of a law's titles, names and aliases (difflib's ratio, on
folded lower-case text), and the laws whose words match best are suggested."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from ingest.common.text import fold

_WORD = re.compile(r"\w+")
THRESHOLD = 0.75  # the mean closeness a suggestion needs (1.0: every word found as typed)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text).casefold())


def closeness(query: list[str], candidate: set[str]) -> float:
    """Mean over the query's words of the ratio to the closest word of the candidate."""
    if not query or not candidate:
        return 0.0
    total = 0.0
    for w in query:
        best = max(difflib.SequenceMatcher(None, w, c).ratio() for c in candidate)
        total += best
    return total / len(query)


def nearest(q: str, laws: Iterable[Mapping[str, Any]], limit: int = 5) -> list[dict[str, Any]]:
    """Up to `limit` laws, best first, whose `texts` (titles, short title, aliases) come close to `q`."""
    query = words(q)[:12]
    scored = []
    for law in laws:
        candidate = {w for text in law["texts"] if text for w in words(text)}
        score = closeness(query, candidate)
        if score >= THRESHOLD:
            # between equally close laws, the one whose title reads most like the search
            whole = max(difflib.SequenceMatcher(None, " ".join(query), " ".join(words(t))).ratio() for t in law["texts"] if t)
            scored.append((-round(score, 2), -whole, law["id"], law))
    scored.sort(key=lambda s: s[:3])
    return [{k: v for k, v in law.items() if k != "texts"} | {"score": -s} for s, _, _, law in scored[:limit]]
