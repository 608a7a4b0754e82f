"""Read record files and check each against its JSON Schema, in parallel when many.

Parsing goes through the guarded YAML reader (ingest.records.yamlsafe); the
schema check is ingest.rules.schemas. A file that fails either is returned
with its problems and no data.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.common.problems import Problem, dotted
from ingest.records import yamlsafe
from ingest.records.files import digest, show
from ingest.records.model import Corpus, LawFacts, facts_of
from ingest.rules import laws, schemas

PARALLEL_FROM = 800  # files; below this, one process is faster
LAW = "law+rules"  # a law record read by read_law
LawRows = Callable[[Corpus, dict[str, Any]], Any]


@dataclass
class FileResult:
    path: str  # as shown to people: relative to the working directory when possible
    kind: str
    digest: str
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)
    facts: LawFacts | None = None  # of a valid law record read by read_law
    rows: Any = None  # what the build makes of it (LawRows)
    stat: tuple[int, int] | None = None  # size and modification time (ns) of the file read


def read_one(schema_dir: str, kind: str, path: str, data: bytes | None = None) -> FileResult:
    """Read, parse and schema-check one file."""
    shown = show(path)
    stat = None
    try:
        if data is None:
            with open(path, "rb") as fh:
                st = os.fstat(fh.fileno())
                stat = (st.st_size, st.st_mtime_ns)
                data = fh.read()
    except OSError as exc:
        return FileResult(shown, kind, "", None, [Problem(shown, 0, "", f"cannot be read: {exc.strerror}")])
    h = digest(data)
    try:
        record, _ = yamlsafe.load(data)
    except yamlsafe.LoadError as exc:
        return FileResult(shown, kind, h, None, [Problem(shown, exc.line, "", exc.message)])
    _normalise(kind, record)
    found = schemas.check(schema_dir, kind, record)
    if not found:
        return FileResult(shown, kind, h, record, stat=stat)
    _, lines = yamlsafe.load(data, lines=True)
    problems = [Problem(shown, yamlsafe.line_for(lines, p), dotted(p), msg) for p, msg in found]
    return FileResult(shown, kind, h, None, problems)


def _normalise(kind: str, record: dict[str, Any]) -> None:
    """YAML reads a bare year (``in_force: 2012``) as a number, and yes/no as
    booleans; dates and answer values are text."""
    if kind == "answers":
        _normalise_answers(record)
        return
    places = [record.get("dates")] if kind == "law" else [record] if kind == "country" else []
    if kind == "country":
        places += record.get("coverage") or [] if isinstance(record.get("coverage"), list) else []
    for place in places:
        if isinstance(place, dict):
            for key in ("adopted", "promulgated", "in_force", "repealed", "as_of", "asean_member_since"):
                if isinstance(place.get(key), int) and not isinstance(place.get(key), bool):
                    place[key] = str(place[key])


def _normalise_answers(record: dict[str, Any]) -> None:
    for answer in record.get("answers") or [] if isinstance(record.get("answers"), list) else []:
        if not isinstance(answer, dict):
            continue
        periods = (
            [answer, *(h for h in answer.get("history") or [] if isinstance(h, dict))]
            if isinstance(answer.get("history") or [], list)
            else [answer]
        )
        for period in periods:
            if isinstance(period.get("value"), bool):
                period["value"] = "yes" if period["value"] else "no"
            for key in ("since", "until"):
                if isinstance(period.get(key), int) and not isinstance(period.get(key), bool):
                    period[key] = str(period[key])


# What a worker needs to check a law record on its own and turn it into rows:
# the support part of the corpus (vocabularies, official hosts) and the
# function that makes the rows (given by the build; None when only validating).
_law_context: tuple[Corpus, LawRows | None] | None = None


def _set_law_context(corpus: Corpus | None, rows: LawRows | None) -> None:
    global _law_context
    _law_context = (corpus, rows) if corpus is not None else None


def read_law(schema_dir: str, path: str) -> FileResult:
    """Read one law record, apply the one-record rules and keep only what the
    caller needs: its facts and (when building) its rows, not the parsed record."""
    assert _law_context is not None
    corpus, rows = _law_context
    res = read_one(schema_dir, "law", path)
    if res.data is None:
        return res
    problems = laws.record_problems(res.path, res.data, corpus)
    if problems:
        return FileResult(res.path, "law", res.digest, None, problems)
    res.facts = facts_of(res.path, res.data, corpus.official_hosts)
    res.rows = rows(corpus, res.data) if rows else None
    res.data = None
    return res


def _read_chunk(schema_dir: str, items: list[tuple[str, str]]) -> list[FileResult]:
    return [read_law(schema_dir, p) if kind == LAW else read_one(schema_dir, kind, p) for kind, p in items]


def read_all(
    schema_dir: Path,
    items: Iterable[tuple[str, str]],
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    context: Corpus | None = None,
    rows: LawRows | None = None,
) -> Iterator[FileResult]:
    """Read many files, yielding results in order; uses several processes when
    there are many, with a bounded number of chunks in flight so that memory
    stays flat. `progress` is called with the number of files done per chunk.

    Law records are read as `read_law` reads them when `context` (the corpus
    without its laws) is given: the one-record rules, the facts and the rows
    are then made in the worker processes too, and the parsed records stay there."""
    todo = [(LAW if kind == "law" and context is not None else kind, p) for kind, p in items]
    jobs = jobs or os.cpu_count() or 1
    size = 250
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    _set_law_context(context, rows)
    if jobs < 2 or len(todo) < PARALLEL_FROM:
        for chunk in chunks:
            yield from _read_chunk(str(schema_dir), chunk)
            if progress:
                progress(len(chunk))
        return
    # forked workers share the reader's memory until they write to it, and a collection in
    # them would write to every object it walks: frozen objects are not walked
    gc.freeze()
    try:
        yield from _read_in_pool(str(schema_dir), chunks, jobs, progress, context, rows)
    finally:
        gc.unfreeze()


def _read_in_pool(
    schema_dir: str,
    chunks: list[list[tuple[str, str]]],
    jobs: int,
    progress: Callable[[int], None] | None,
    context: Corpus | None,
    rows: LawRows | None,
) -> Iterator[FileResult]:
    with ProcessPoolExecutor(max_workers=jobs, initializer=_set_law_context, initargs=(context, rows)) as pool:
        pending: deque[Future[list[FileResult]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_read_chunk, schema_dir, chunk))
            if len(pending) > 2 * jobs:
                yield from _done(pending.popleft(), progress)
        while pending:
            yield from _done(pending.popleft(), progress)


def _done(future: Future[list[FileResult]], progress: Callable[[int], None] | None) -> list[FileResult]:
    part = future.result()
    if progress:
        progress(len(part))
    return part
