"""Answers read together with their legal basis in one query, grouped back into one answer each."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any


def with_basis(
    rows: Iterable[Sequence[Any]], key_len: int, answer_columns: Sequence[str], basis_columns: Sequence[str]
) -> dict[tuple[Any, ...], dict[str, Any]]:
    """Each answer (keyed by its first `key_len` columns, in the rows' order) with the list
    of its basis entries, from rows of `answer_columns` then `basis_columns` (a LEFT JOIN:
    an answer without a basis has one row whose basis columns are NULL)."""
    found: dict[tuple[Any, ...], dict[str, Any]] = {}
    n = len(answer_columns)
    for row in rows:
        key = tuple(row[:key_len])
        answer = found.get(key)
        if answer is None:
            answer = found[key] = {**dict(zip(answer_columns, row[:n], strict=True)), "basis": []}
        if row[n] is not None:
            answer["basis"].append(dict(zip(basis_columns, row[n:], strict=True)))
    return found
