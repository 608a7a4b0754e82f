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
PREFIX = 3  # letters a word of the search shares with a word of a candidate's title
SEARCHED = "{title short_title number search_folded}"  # laws_fts columns a suggestion is looked for in
THRESHOLD = 0.75  # the mean closeness a suggestion needs (1.0: every word found as typed)


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text).casefold())


def prefix_query(q: str) -> str:
    """A full-text query for the laws with a title word beginning as a word of
    `q` does (its first PREFIX letters, folded), or "" when `q` has no word."""
    stems = sorted({w[:PREFIX] for w in words(q)[:12]})
    return f"{SEARCHED} : (" + " OR ".join(f'"{s}"*' for s in stems) + ")" if stems else ""


def closeness(query: list[str], candidate: set[str]) -> float:
    """Mean over the query's words of the ratio to the closest word of the candidate.
    Each candidate word is analysed once, and a ratio is computed only when its
    cheap upper bounds (difflib's real_quick_ratio, quick_ratio) could beat the best so far."""
    if not query or not candidate:
        return 0.0
    best = dict.fromkeys(query, 0.0)
    matcher = difflib.SequenceMatcher(None)
    for c in sorted(candidate):
        matcher.set_seq2(c)
        for w in best:
            if best[w] == 1.0:
                continue
            matcher.set_seq1(w)
            if matcher.real_quick_ratio() > best[w] and matcher.quick_ratio() > best[w]:
                best[w] = max(best[w], matcher.ratio())
    return sum(best[w] for w in query) / len(query)


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
