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
from collections.abc import Container, Sequence
from pathlib import Path
from typing import Any

from ingest.build import timestamps
from ingest.records.files import classify, is_law_key, law_id_of
from ingest.records.model import Corpus
from ingest.rules.corpus import Previous

Times = timestamps.Times


def files_and_dates(corpus: Corpus, skip: Container[str] = ()) -> tuple[dict[str, str], dict[str, Sequence[Any]]]:
    """Every file the build read (path below the laws folder -> kind, as
    `timestamps.record_files` gives) and the dates that count for the times of
    those whose content is in memory (but not of those in `skip`: the facts
    of an unchanged law are then not even looked up)."""
    root = corpus.root
    files: dict[str, str] = {}
    known: dict[str, Sequence[Any]] = {}
    laws = corpus.laws
    for rel in corpus.digests:
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


def write(conn: sqlite3.Connection, corpus: Corpus, previous: Previous | None, today: dt.date) -> dict[str, Times]:
    """Write the times of every file and return them. Given the previous build
    (whose database this one patches), only the rows that differ are written,
    and times found in the records themselves are not worked out again for
    files that have not changed since, on the same day."""
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
        return new
    old = previous.times or {r[0]: r[1:] for r in conn.execute("SELECT path, created, updated, source FROM record_times")}
    gone = [(p,) for p, t in old.items() if new.get(p) != t]
    conn.executemany("DELETE FROM record_times WHERE path = ?", sorted(gone))
    changed = sorted(p for p, t in new.items() if old.get(p) != t)
    conn.executemany("INSERT INTO record_times VALUES (?, ?, ?, ?)", [(p, *new[p]) for p in changed])
    return new
