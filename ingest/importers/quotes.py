"""Quotes confirmed against the saved text of their page: every quote recorded
as evidence (on a provision or on an answer's legal basis) must occur, word for
word, in the text at its address, as last fetched into the page cache."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ingest.importers.fetch import cached_body
from ingest.importers.model import Refusal
from ingest.importers.page import clean, load
from ingest.records import yamlsafe
from ingest.records.answers import periods
from ingest.records.model import Corpus

_ELLIPSIS = re.compile(r"\s*(?:…|\.\.\.)\s*")


@dataclass
class Quoted:
    path: str
    field: tuple[str | int, ...]
    text: str
    url: str


def _fold(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


def found_in(quote: str, text: str) -> bool:
    """True when every run of the quote (runs joined by an ellipsis) occurs in the text, in order."""
    at = 0
    folded = _fold(text)
    for part in (p for p in _ELLIPSIS.split(quote) if p.strip()):
        i = folded.find(_fold(part), at)
        if i < 0:
            return False
        at = i + len(_fold(part))
    return True


def recorded(corpus: Corpus) -> Iterator[Quoted]:
    """Every quote in the law records and the answers."""
    for law in sorted(corpus.laws.values(), key=lambda x: x.path):
        data = yamlsafe.load(Path(law.path).read_bytes())[0]
        for i, p in enumerate(data.get("provisions") or []):
            q = p.get("quote")
            if isinstance(q, dict):
                yield Quoted(law.path, ("provisions", i, "quote", "text"), q["text"], q["url"])
    for _, (path, data) in sorted(corpus.answer_files.items()):
        for i, answer in enumerate(data["answers"]):
            for period in periods(answer):
                here: tuple[str | int, ...] = ("answers", i) if period.seq == 0 else ("answers", i, "history", period.seq - 1)
                for j, b in enumerate(period.data.get("basis") or []):
                    q = b.get("quote")
                    if isinstance(q, dict):
                        yield Quoted(path, (*here, "basis", j, "quote", "text"), q["text"], q["url"])


def page_text(cache_dir: Path, url: str, memo: dict[str, str | None]) -> str | None:
    """The text of the saved page at `url`, else of the same address without its fragment or query
    (a deep link into a page saved whole)."""
    if url not in memo:
        body = next(
            (
                b
                for u in (url, url.split("#")[0], url.split("#")[0].split("?")[0])
                if (b := cached_body(cache_dir, u)) is not None
            ),
            None,
        )
        try:
            memo[url] = clean(load(body, url=url).soup) if body is not None else None
        except Refusal:
            memo[url] = None
    return memo[url]


def check(corpus: Corpus, cache_dir: Path) -> tuple[list[Quoted], list[Quoted], int]:
    """(quotes not found in their saved page, quotes with no saved page, quotes confirmed)."""
    memo: dict[str, str | None] = {}
    missing: list[Quoted] = []
    unsaved: list[Quoted] = []
    confirmed = 0
    for q in recorded(corpus):
        text = page_text(cache_dir, q.url, memo)
        if text is None:
            unsaved.append(q)
        elif found_in(q.text, text):
            confirmed += 1
        else:
            missing.append(q)
    return missing, unsaved, confirmed


def describe(q: Quoted) -> dict[str, Any]:
    return {"path": q.path, "field": q.field, "url": q.url}
