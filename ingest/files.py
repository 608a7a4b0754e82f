"""Find the record files under a `laws/` folder and read them, in parallel when many.

Layout of a laws folder::

    laws/schemas/<kind>.schema.json     JSON Schemas (not records)
    laws/vocabularies/<name>.yml        controlled vocabularies
    laws/countries/<cc>.yml             country profiles
    laws/<cc>/<slug>.yml                law records (cc: lower-case ISO code)
    laws/codebook/codebook.yml          the indicator codebook: version, date, changes
    laws/codebook/<area>.yml            the indicators of one area
    laws/answers/<cc>.yml               one member state's answers to the indicators
    laws/reviews/<id>.yml               a review of a member state's laws (Outcome 9)
    laws/peers/<name>.yml               a snapshot of a peer's data (e.g. the UNCTAD tracker) to reconcile with
    laws/sources/official-hosts.yml     where official texts are published (what counts as an official source)
    laws/README.md, laws/*TEMPLATE.yml  documentation, not loaded
"""

from __future__ import annotations

import hashlib
import os
import re
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import schemas, yamlsafe
from .problems import Problem, dotted

DOCS = {"README.md", "TEMPLATE.yml", "ANSWERS-TEMPLATE.yml", "REVIEW-TEMPLATE.yml"}
_CC_DIR = re.compile(r"^[a-z]{2}$")
PARALLEL_FROM = 800  # files; below this, one process is faster


@dataclass
class FileResult:
    path: str  # as shown to people: relative to the working directory when possible
    kind: str
    digest: str
    data: dict[str, Any] | None
    problems: list[Problem] = field(default_factory=list)


def find_root(start: Path) -> Path | None:
    """The laws folder containing `start` (a folder with schemas/ and vocabularies/)."""
    p = start.resolve()
    for cand in [p, *p.parents]:
        if (cand / "schemas").is_dir() and (cand / "vocabularies").is_dir():
            return cand
    return None


def classify(rel: str) -> str | None:
    """Kind of the file at `rel` (below the laws folder, '/'-separated): 'law',
    'country', 'vocabulary', 'codebook', 'indicators', 'answers', 'review',
    'peer', 'official-hosts', or None for
    documentation and schemas.
    Raises ValueError for a file that does not belong there."""
    parts = rel.split("/")
    if len(parts) == 1:
        if parts[0] in DOCS:
            return None
        raise ValueError("unexpected file at the top of the laws folder: law records go in laws/<cc>/<slug>.yml")
    if parts[0] == "schemas" and len(parts) == 2:
        return None
    suffix = os.path.splitext(parts[-1])[1]
    if suffix != ".yml":
        raise ValueError(f"record files must end in .yml, not '{suffix or '(no extension)'}'")
    if len(parts) != 2:
        raise ValueError("records are one folder deep: laws/<cc>/<slug>.yml")
    folder = parts[0]
    if folder == "vocabularies":
        return "vocabulary"
    if folder == "countries":
        return "country"
    if folder == "codebook":
        return "codebook" if parts[1] == "codebook.yml" else "indicators"
    if folder == "answers":
        return "answers"
    if folder == "reviews":
        return "review"
    if folder == "peers":
        return "peer"
    if folder == "sources":
        if parts[1] == "official-hosts.yml":
            return "official-hosts"
        raise ValueError("laws/sources/ holds only official-hosts.yml")
    if _CC_DIR.match(folder):
        return "law"
    raise ValueError(f"unexpected folder '{folder}': law records go in laws/<cc>/ with a lower-case country code")


def discover(root: Path) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """Every file under `root` as (kind, path, path below root), sorted; and
    problems for files that do not belong."""
    found: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    base = str(root)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        rel_dir = os.path.relpath(dirpath, base).replace(os.sep, "/")
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = name if rel_dir == "." else f"{rel_dir}/{name}"
            full = os.path.join(dirpath, name)
            try:
                kind = classify(rel)
            except ValueError as exc:
                problems.append(Problem(show(full), 0, "", str(exc)))
                continue
            if kind:
                found.append((kind, full, rel))
    return found, problems


def show(path: str | Path) -> str:
    """The path as shown to people: relative to the working directory when below it."""
    text = str(path)
    if not os.path.isabs(text):
        text = os.path.abspath(text)
    cwd = os.getcwd() + os.sep
    return text[len(cwd):] if text.startswith(cwd) else text


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_one(schema_dir: str, kind: str, path: str, data: bytes | None = None) -> FileResult:
    """Read, parse and schema-check one file."""
    shown = show(path)
    try:
        if data is None:
            with open(path, "rb") as fh:
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
        return FileResult(shown, kind, h, record)
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
        periods = [answer, *(h for h in answer.get("history") or [] if isinstance(h, dict))] \
            if isinstance(answer.get("history") or [], list) else [answer]
        for period in periods:
            if isinstance(period.get("value"), bool):
                period["value"] = "yes" if period["value"] else "no"
            for key in ("since", "until"):
                if isinstance(period.get(key), int) and not isinstance(period.get(key), bool):
                    period[key] = str(period[key])


def _read_chunk(schema_dir: str, items: list[tuple[str, str]]) -> list[FileResult]:
    return [read_one(schema_dir, kind, p) for kind, p in items]


def read_all(schema_dir: Path, items: Iterable[tuple[str, str]], jobs: int | None = None,
             progress: Callable[[int], None] | None = None) -> Iterator[FileResult]:
    """Read many files, yielding results in order; uses several processes when
    there are many, with a bounded number of chunks in flight so that memory
    stays flat. `progress` is called with the number of files done per chunk."""
    todo = list(items)
    jobs = jobs or os.cpu_count() or 1
    size = 250
    chunks = [todo[i : i + size] for i in range(0, len(todo), size)]
    if jobs < 2 or len(todo) < PARALLEL_FROM:
        for chunk in chunks:
            yield from _read_chunk(str(schema_dir), chunk)
            if progress:
                progress(len(chunk))
        return
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        pending: deque[Future[list[FileResult]]] = deque()
        for chunk in chunks:
            pending.append(pool.submit(_read_chunk, str(schema_dir), chunk))
            if len(pending) > 2 * jobs:
                yield from _done(pending.popleft(), progress)
        while pending:
            yield from _done(pending.popleft(), progress)


def _done(future: Future[list[FileResult]], progress: Callable[[int], None] | None) -> list[FileResult]:
    part = future.result()
    if progress:
        progress(len(part))
    return part


def line_of_field(path: str, field_path: tuple[str | int, ...]) -> int:
    """Line of a field in a file that parsed before (used for cross-record problems)."""
    try:
        _, lines = yamlsafe.load(Path(path).read_bytes(), lines=True)
    except (OSError, yamlsafe.LoadError):
        return 0
    return yamlsafe.line_for(lines, field_path)
