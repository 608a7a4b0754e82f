"""The record_times table: when each record file was created and last changed.

The times come from ingest.build.timestamps (git history, else the records'
own dates). The build has already read every record, or has the facts of the
unchanged ones from the previous build, so the dates are taken from memory
rather than by reading the files again; a patched build rewrites only the
rows whose times changed.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.build import git_times, timestamps
from ingest.build.git_times import Times
from ingest.records.files import classify, is_law_key, law_id_of, law_key
from ingest.records.law_index import LawIndex
from ingest.records.model import Corpus
from ingest.rules.corpus import Previous


def files_and_dates(
    corpus: Corpus, skip: Container[str] = (), only: Iterable[str] | None = None
) -> tuple[dict[str, str], dict[str, Sequence[Any]]]:
    """Every file the build read (path below the laws folder -> kind, as
    `timestamps.record_files` gives), or those in `only`, and the dates that
    count for the times of those whose content is in memory (but not of those
    in `skip`: the facts of an unchanged law are then not even looked up)."""
    root = corpus.root
    files: dict[str, str] = {}
    known: dict[str, Sequence[Any]] = {}
    laws = corpus.laws
    for rel in corpus.digests if only is None else only:
        if is_law_key(rel):
            files[rel] = "law"
            if rel not in skip:
                facts = laws[law_id_of(rel)]
                known[rel] = [*facts.dates.values(), facts.last_verified]
        else:
            files[rel] = ("schema" if rel.startswith("schemas/") else classify(rel)) or "schema"
    support: list[tuple[str, str, Any]] = [("codebook", corpus.codebook_path, corpus.codebook)] if corpus.codebook else []
    support += [("country", corpus.country_paths[code], data) for code, data in corpus.countries.items()]
    support += [("answers", path, data) for path, data in corpus.answer_files.values()]
    for kind, shown, data in support:
        rel = os.path.relpath(os.path.abspath(shown), root).replace(os.sep, "/")
        if files.get(rel) == kind and rel not in skip:
            known[rel] = timestamps.support_dates(kind, data)
    return files, known


@dataclass
class Written:
    """The times a build wrote: of every file (`whole`), or of the files whose
    times were worked out again, with those whose row was removed (`gone`);
    the others' are the previous build's."""

    times: dict[str, Times]
    gone: list[str] = field(default_factory=list)
    whole: bool = True


def write(
    conn: sqlite3.Connection,
    corpus: Corpus,
    previous: Previous | None,
    today: dt.date,
    own_rows: bool = False,
    also_gone: Collection[str] = (),
) -> Written:
    """Write the times of the files. Given the previous build (whose database
    this one patches), only the rows that differ are written, and times found
    in the records themselves are not worked out again for files that have not
    changed since, on the same day: outside git, then, only the times of the
    files read again, touched or removed are worked out (`corpus.changes`).
    `own_rows`: the database patched is not that build's (a spare,
    ingest/build/spare.py): the rows are compared with its own, and the files
    in `also_gone` have gone since it was written."""
    if (
        previous is not None
        and corpus.changes is not None
        and previous.times_today == today.isoformat()
        and not git_times.in_git(Path(corpus.root))
    ):
        return _write_changes(conn, corpus, previous, today, also_gone)
    same: dict[str, Times] = {}
    if previous and previous.times_today == today.isoformat():
        old_digests = previous.digests
        for rel, t in previous.times.items():
            if t[2] == "record" and rel in corpus.digests and corpus.digests[rel] == old_digests.get(rel):
                same[rel] = t
    files, known = files_and_dates(corpus, skip=same)
    new = timestamps.record_times(Path(corpus.root), today=today, files=files, known=known, same=same)
    if previous is None:
        conn.execute("DELETE FROM record_times")
        conn.executemany("INSERT INTO record_times VALUES (?, ?, ?, ?)", [(p, *new[p]) for p in sorted(new)])
        return Written(new)
    old = (not own_rows and previous.times) or {
        r[0]: r[1:] for r in conn.execute("SELECT path, created, updated, source FROM record_times")
    }
    _rewrite(conn, old, new)
    return Written(new)


def _write_changes(
    conn: sqlite3.Connection, corpus: Corpus, previous: Previous, today: dt.date, also_gone: Collection[str]
) -> Written:
    """The times of the files read again or touched (and of the few files
    that are not law records), compared with the rows of the database patched."""
    changes = corpus.changes
    assert changes is not None
    fresh = corpus.laws.fresh if isinstance(corpus.laws, LawIndex) else {}
    support = [k for k in corpus.digests if not is_law_key(k)]
    keys = sorted({*support, *(law_key(i) for i in fresh), *changes.touched})
    gone = sorted({*changes.gone, *also_gone, *(k for k in previous.digests if not is_law_key(k) and k not in corpus.digests)})
    kept = previous.known.times_of(support) if previous.known is not None else {}
    same = {k: t for k, t in kept.items() if t[2] == "record" and corpus.digests.get(k) == previous.digests.get(k)}
    files, known = files_and_dates(corpus, skip=same, only=keys)
    new = timestamps.record_times(Path(corpus.root), use_git=False, today=today, files=files, known=known, same=same)
    asked = keys + gone
    old: dict[str, Sequence[Any]] = {}
    for start in range(0, len(asked), 500):
        chunk = asked[start : start + 500]
        sql = f"SELECT path, created, updated, source FROM record_times WHERE path IN ({','.join('?' * len(chunk))})"
        old.update((r[0], r[1:]) for r in conn.execute(sql, chunk))
    _rewrite(conn, old, new)
    return Written(new, [k for k in asked if k not in new], whole=False)


def _rewrite(conn: sqlite3.Connection, old: Mapping[str, Sequence[Any]], new: Mapping[str, Times]) -> None:
    """Remove the rows in `old` that `new` does not have as they are, and insert those of `new` that differ."""
    gone = [(p,) for p, t in old.items() if new.get(p) != tuple(t)]
    conn.executemany("DELETE FROM record_times WHERE path = ?", sorted(gone))
    changed = sorted(p for p, t in new.items() if tuple(old.get(p) or ()) != t)
    conn.executemany("INSERT INTO record_times VALUES (?, ?, ?, ?)", [(p, *new[p]) for p in changed])
