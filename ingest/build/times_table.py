"""The record_times table: when each record file was created and last changed.

The times come from ingest.build.timestamps (git history, else the records'
own dates). The build has already read every record, or has the facts of the
unchanged ones from the previous build, so the dates are taken from memory
rather than by reading the files again; a patched build rewrites only the
rows whose times changed.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ingest.build import timestamps
from ingest.records.files import classify
from ingest.records.model import Corpus


def law_file(law_id: str, country: str) -> str:
    """The path of a law record below the laws folder (the rules make it follow the id)."""
    return f"{country.lower()}/{law_id.split('-', 1)[1]}.yml"


def files_and_dates(corpus: Corpus) -> tuple[dict[str, str], dict[str, Sequence[Any]]]:
    """Every file the build read (path below the laws folder -> kind, as
    `timestamps.record_files` gives) and the dates that count for the times of
    those whose content is in memory."""
    root = corpus.root
    known: dict[str, Sequence[Any]] = {}
    for facts in corpus.laws.values():
        known[law_file(facts.id, facts.country)] = [*facts.dates.values(), facts.last_verified]
    files: dict[str, str] = {}
    for rel in corpus.digests:
        if rel in known:
            files[rel] = "law"
        else:
            files[rel] = ("schema" if rel.startswith("schemas/") else classify(rel)) or "schema"
    support: list[tuple[str, str, Any]] = [("codebook", corpus.codebook_path, corpus.codebook)] if corpus.codebook else []
    support += [("country", corpus.country_paths[code], data) for code, data in corpus.countries.items()]
    support += [("answers", path, data) for path, data in corpus.answer_files.values()]
    for kind, shown, data in support:
        rel = os.path.relpath(os.path.abspath(shown), root).replace(os.sep, "/")
        if files.get(rel) == kind:
            known[rel] = timestamps.support_dates(kind, data)
    return files, known


def write(conn: sqlite3.Connection, corpus: Corpus, patch: bool) -> None:
    """Write the times of every file; a patch changes only the rows that differ."""
    files, known = files_and_dates(corpus)
    times = timestamps.record_times(Path(corpus.root), files=files, known=known)
    new = {p: (p, *t) for p, t in times.items()}
    if not patch:
        conn.execute("DELETE FROM record_times")
        conn.executemany("INSERT INTO record_times VALUES (?, ?, ?, ?)", [new[p] for p in sorted(new)])
        return
    old = {row[0]: row for row in conn.execute("SELECT path, created, updated, source FROM record_times")}
    gone = [(p,) for p, row in old.items() if new.get(p) != row]
    conn.executemany("DELETE FROM record_times WHERE path = ?", sorted(gone))
    conn.executemany("INSERT INTO record_times VALUES (?, ?, ?, ?)", [new[p] for p in sorted(new) if old.get(p) != new[p]])
