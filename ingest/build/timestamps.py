"""When each record was created and last updated, from the data itself.

`record_times(root)` gives, for every file below a laws folder (keys are paths
below it, '/'-separated, as in the database's `files` table), a tuple
``(created, updated, source)`` of ISO 8601 UTC timestamps
(``2026-11-29T21:17:00Z``) and where they come from:

``git``
    The folder is inside a git work tree and ``git`` is installed. One
    ``git log`` over the whole folder is read in a single pass: updated is the
    commit time of the newest commit that touched the file, created that of the
    commit that added it in its current life (a file deleted and added again
    starts afresh). Merge commits are not looked into: the commits merged
    count. Renames are not followed: a record's id is its path, so a renamed
    file is a new record. The times are commit (not author) times: when the
    change entered the repository.
``git-shallow``
    As ``git``, in a shallow clone: the oldest commit present stands for every
    earlier one, so created may be later than the true creation.
``working-tree``
    The file has uncommitted changes (updated is its modification time;
    created comes from git when the file was committed before) or was never
    committed (both are its modification time).
``record``
    No git: the record's own dates. For a law, updated is the latest and
    created the earliest of its full dates (YYYY-MM-DD) up to today among
    ``dates.adopted``, ``dates.promulgated``, ``dates.in_force``,
    ``dates.repealed`` and ``provenance.last_verified``; dates known only to the
    month or year, ``unknown`` and future dates do not count. A country profile
    uses ``provenance.last_verified``; an answers file the ``verification.on``
    and ``review.on`` dates of its answers; the codebook its date and the dates
    of its changes. Such times are midnight UTC of the date.
``file``
    No git and no usable date in the record (vocabularies, schemas, indicators,
    a law without any full date): both are the file's modification time.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from ingest.build.git_times import Times, git_times, iso
from ingest.records import yamlsafe
from ingest.records.files import discover

SOURCES = {  # how a record's times were found, as a phrase for readers
    "git": "from the history of its file",
    "git-shallow": "from the history of its file (older history not available)",
    "working-tree": "from its file, changed since the last commit",
    "record": "from the dates recorded in it (verification, adoption, entry into force, repeal)",
    "file": "from its file's modification time",
}
FULL_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_LAW_DATE_KEYS = {"dates": ("adopted", "promulgated", "in_force", "repealed"), "provenance": ("last_verified",)}
_ALL_DATE_KEYS = tuple(k for keys in _LAW_DATE_KEYS.values() for k in keys)
_SECTION_KEYS = {section: re.compile(rf"^([ \t]+)({'|'.join(keys)}):(.*)$", re.M) for section, keys in _LAW_DATE_KEYS.items()}
_FIRST_CHILD = re.compile(r"^([ \t]+)[^\s#]", re.M)
_NEXT_TOP = re.compile(r"\n[^ \t#\r\n]")  # the next line at column 0
_VALUE = re.compile(r"""^\s*(?:'([^']*)'|"([^"]*)"|([^\s#'"]+))\s*(?:#.*)?$""")
_DATE_OR_UNKNOWN = re.compile(r"^(?:\d{4}(?:-\d{2}(?:-\d{2})?)?|unknown)$")


def span(dates: Iterable[Any], today: dt.date | None = None) -> tuple[str, str] | None:
    """(created, updated): the earliest and latest full dates (YYYY-MM-DD) up to
    `today`, as midnight UTC; None when there is none. Partial dates, 'unknown'
    and anything else are left out."""
    limit = (today or dt.date.today()).isoformat()
    full = sorted(str(d) for d in dates if d is not None and FULL_DATE.match(str(d)) and str(d) <= limit)
    if not full:
        return None
    return f"{full[0]}T00:00:00Z", f"{full[-1]}T00:00:00Z"


def record_times(
    root: Path,
    *,
    use_git: bool = True,
    today: dt.date | None = None,
    files: Mapping[str, str] | None = None,
    known: Mapping[str, Sequence[Any]] | None = None,
    same: Mapping[str, Times] | None = None,
) -> dict[str, Times]:
    """Created and updated times of every file below the laws folder `root`
    (see the module's docstring for the rules). `use_git=False` uses the
    records' own dates even inside a git work tree.

    A caller that has already read the folder may pass `files` (path below
    `root` -> kind, as `record_files` gives) and, in `known`, the dates that
    count for the times of the files it has parsed (path -> dates, as
    `law_dates` or `support_dates` give): those files are then not read again.
    `same` gives times found in the records themselves that are known not to
    have changed (same content, same `today`): they are used when git is not."""
    root = Path(root).resolve()
    if files is None:
        files = record_files(root)
    if use_git:
        found = git_times(root, list(files))
        if found is not None:
            return found
    base = str(root)
    known = known or {}
    same = same or {}
    out: dict[str, Times] = {}
    for rel, kind in files.items():
        if rel in same:
            out[rel] = same[rel]
            continue
        dates = known.get(rel)
        if dates is not None:
            times = _times_of(os.path.join(base, rel), span(dates, today))
        else:
            times = _record_time(os.path.join(base, rel), kind, today)
        if times is not None:
            out[rel] = times
    return out


def record_files(root: Path) -> dict[str, str]:
    """The files the build reads (schemas and records): path below `root` -> kind."""
    found, _ = discover(root)
    files = {f"schemas/{p.name}": "schema" for p in sorted((root / "schemas").glob("*.schema.json"))}
    files.update((rel, kind) for kind, _, rel in found)
    return files


# ------------------------------------------------------------------ record


def _record_time(path: str, kind: str, today: dt.date | None) -> Times | None:
    found = None
    try:
        if kind == "law":
            with open(path, encoding="utf-8") as fh:
                found = span(law_dates(fh.read()), today)
        elif kind in ("country", "answers", "codebook"):
            with open(path, "rb") as fh:
                found = span(support_dates(kind, yamlsafe.load(fh.read())[0]), today)
    except (OSError, UnicodeDecodeError, yamlsafe.LoadError):
        found = None  # unreadable here: the build reports it; the file's time stands in
    return _times_of(path, found)


def _times_of(path: str, found: tuple[str, str] | None) -> Times | None:
    """The times found in a record, else the file's modification time."""
    if found:
        return (*found, "record")
    try:
        mtime = iso(os.stat(path).st_mtime)
    except OSError:
        return None  # removed meanwhile
    return mtime, mtime, "file"


def law_dates(text: str) -> list[str]:
    """The dates of a law record that count for its times (dates.* and
    provenance.last_verified), read from its text.

    Records are block-style YAML, so the few lines needed are read directly.
    Anything unusual (flow style, quoted keys, several documents, a value that
    is not a date, a date key this reading did not take) makes the whole
    record be parsed as YAML instead."""
    if text.startswith(("---", "%")) or "\n---" in text:
        return _law_dates_yaml(text)
    found: list[str] = []
    for section, pattern in _SECTION_KEYS.items():
        block = _block(text, section)
        if block is None:
            continue
        if block is _FLOW:
            return _law_dates_yaml(text)
        first = _FIRST_CHILD.search(block)
        indent = len(first.group(1)) if first else 0
        for m in pattern.finditer(block):
            if len(m.group(1)) != indent:
                continue  # deeper: not a key of this section
            v = _VALUE.match(m.group(3))
            value = next((g for g in v.groups() if g is not None), None) if v else None
            if value is None or not _DATE_OR_UNKNOWN.match(value):
                return _law_dates_yaml(text)
            found.append(value)
    if len(found) != _key_uses(text):
        return _law_dates_yaml(text)
    return found


_FLOW = ""


def _block(text: str, key: str) -> str | None:
    """The indented lines below the top-level `key:`; None when the key is not
    there (as written); _FLOW when something follows it on its line."""
    head = f"{key}:"
    if text.startswith(head):
        start = 0
    else:
        start = text.find(f"\n{head}") + 1
        if start == 0:
            return None
    eol = text.find("\n", start)
    eol = len(text) if eol < 0 else eol
    if text[start + len(head) : eol].split("#", 1)[0].strip():
        return _FLOW
    nxt = _NEXT_TOP.search(text, eol)
    return text[eol : nxt.start() if nxt else len(text)]


def _key_uses(text: str) -> int:
    """How many times a date key is followed by a colon, wherever it stands
    (quoted, spaced, in flow style or in prose)."""
    n = 0
    for key in _ALL_DATE_KEYS:
        i = text.find(key)
        while i >= 0:
            j = i + len(key)
            while j < len(text) and text[j] in "'\" \t":
                j += 1
            if text.startswith(":", j) and (j + 1 == len(text) or text[j + 1] in " \t\r\n"):
                n += 1
            i = text.find(key, j)
    return n


def _law_dates_yaml(text: str) -> list[str]:
    try:
        data = yamlsafe.load(text.encode("utf-8"))[0]
    except yamlsafe.LoadError:
        return []
    found = []
    for section, keys in _LAW_DATE_KEYS.items():
        part = data.get(section)
        if isinstance(part, dict):
            found += [str(part[k]) for k in keys if part.get(k) is not None]
    return found


def support_dates(kind: str, data: Any) -> list[Any]:
    """The dates of a country profile, answers file or codebook that count for its times."""
    if not isinstance(data, dict):
        return []
    if kind == "country":
        prov = data.get("provenance")
        return [prov.get("last_verified")] if isinstance(prov, dict) else []
    if kind == "answers":
        found = []
        for answer in data.get("answers") or []:
            for key in ("verification", "review"):
                part = answer.get(key) if isinstance(answer, dict) else None
                if isinstance(part, dict):  # YAML 1.1 reads the key `on` as true
                    found.append(part.get("on", part.get(True)))
        return found
    raw = data.get("changes")
    changes = raw if isinstance(raw, list) else []
    return [data.get("date"), *(c.get("date") for c in changes if isinstance(c, dict))]
