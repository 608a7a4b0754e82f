"""What a build knew, kept beside the database for the next build.

A build that patches the previous database needs that database's digests
and law facts (ingest.rules.corpus.Previous). Reading them back from the
database's tables takes seconds at 100,000 records, so each build also keeps
them in `<database>.state`, itself a small SQLite database: one row per file
read (its digest; for a law file, its size and modification time when the
digest was taken, so that an unchanged file is not read again, and its facts)
and the record_times rows. A patched build changes only the rows of the files
that changed, in one transaction, instead of writing the whole state again.

The state names the database it describes (device, inode, size and
modification time): a database changed or replaced since, or a state file
that cannot be read, is ignored and the tables are read instead.
"""

from __future__ import annotations

import gc
import json
import os
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Mapping
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any

from ingest.build.git_times import Times
from ingest.build.previous_laws import PreviousLaws, facts_blob, facts_from_blob
from ingest.build.times_table import Written
from ingest.common.atomic import replacing
from ingest.records.changes import Kept
from ingest.records.files import is_law_key, law_id_of
from ingest.records.model import Corpus, LawFacts
from ingest.rules.corpus import Previous

VERSION = 3
RACY_NS = 2_000_000_000  # a file changed this shortly before its stat was taken may change again unseen

SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE files (path TEXT PRIMARY KEY, digest TEXT NOT NULL, size INTEGER, mtime_ns INTEGER, facts BLOB) WITHOUT ROWID;
CREATE TABLE times (path TEXT PRIMARY KEY, created TEXT, updated TEXT, source TEXT) WITHOUT ROWID;
"""
FileRow = tuple[str, str, int | None, int | None, bytes | None]


def path_of(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.state")


def identity(db_path: Path) -> list[int]:
    """What tells a file from a changed or replaced one: device, inode, size, modification time."""
    return stat_identity(os.stat(db_path))


def stat_identity(st: os.stat_result) -> list[int]:
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _meta(conn: sqlite3.Connection) -> dict[str, Any]:
    return {k: json.loads(v) for k, v in conn.execute("SELECT key, value FROM meta")}


def _describes(meta: Mapping[str, Any], db_path: Path, builder: str | None) -> bool:
    """Whether a state's `meta` describes the database at `db_path` as it is,
    in this version of the state, and (given `builder`) as that builder wrote it."""
    if meta.get("version") != VERSION or meta.get("database") != identity(db_path):
        return False
    return builder is None or meta.get("builder") == builder


@contextmanager
def _no_collection() -> Iterator[None]:
    """Hundreds of thousands of containers are made here and none is garbage:
    the cyclic collector would only walk them again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def save(
    db_path: Path,
    corpus: Corpus,
    builder: str,
    written: Written,
    today: str,
    started_ns: int,
    previous: Previous | None = None,
    checked_on: str | None = None,
    spare: dict[str, Any] | None = None,
) -> None:
    """Write the state of the database just moved into place at `db_path`.
    Given the previous build's state (read from the state file and describing
    the database this build patched), only the rows that changed are written.
    `checked_on` is the day the cross-record rules were applied for; `spare`
    describes the spare the build left (ingest/build/spare.py)."""
    meta = {"version": VERSION, "database": identity(db_path), "builder": builder, "times_today": today}
    meta["checked_on"] = checked_on
    meta["spare"] = spare
    stats = {k: v for k, v in corpus.stats.items() if v[1] < started_ns - RACY_NS}
    with _no_collection():
        if previous is not None and previous.state_of is not None and _patch(db_path, corpus, stats, written, meta, previous):
            return
        times = written.times
        if not written.whole:
            if previous is None:  # what the other files' times are is not known here: the next build reads the tables
                path_of(db_path).unlink(missing_ok=True)
                return
            times = {**previous.times, **written.times}
            for key in written.gone:
                times.pop(key, None)
        if previous is not None and previous.known is not None and corpus.changes is not None:
            # the unchanged files' sizes and times were compared where the folder was walked: they are those kept
            for key, (digest, size, mtime) in previous.known.kept().items():
                if size is not None and mtime is not None and key not in stats and corpus.digests.get(key) == digest:
                    stats[key] = (size, mtime)
        _write_whole(db_path, corpus, stats, times, meta)


def _meta_rows(meta: dict[str, Any]) -> list[tuple[str, str]]:
    return [(k, json.dumps(v)) for k, v in meta.items()]


def _file_row(key: str, digests: Mapping[str, str], laws: Mapping[str, LawFacts], stats: dict[str, tuple[int, int]]) -> FileRow:
    stat = stats.get(key)
    facts = laws.get(law_id_of(key)) if is_law_key(key) else None
    blob = facts_blob(facts) if facts is not None else None
    return (key, digests[key], stat[0] if stat else None, stat[1] if stat else None, blob)


def _write_whole(
    db_path: Path, corpus: Corpus, stats: dict[str, tuple[int, int]], times: dict[str, Times], meta: dict[str, Any]
) -> None:
    # only an aid to the next build, which checks it against the database: not flushed to disk
    with replacing(path_of(db_path), durable=False) as tmp, closing(sqlite3.connect(tmp, isolation_level=None)) as conn:
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO meta VALUES (?, ?)", _meta_rows(meta))
        laws = dict(corpus.laws.items())  # all of them (read in one pass when they are read on demand)
        files = (_file_row(k, corpus.digests, laws, stats) for k in sorted(corpus.digests))
        conn.executemany("INSERT INTO files VALUES (?, ?, ?, ?, ?)", files)
        conn.executemany("INSERT INTO times VALUES (?, ?, ?, ?)", ((p, *times[p]) for p in sorted(times)))
        conn.execute("COMMIT")


def _patch(
    db_path: Path,
    corpus: Corpus,
    stats: dict[str, tuple[int, int]],
    written: Written,
    meta: dict[str, Any],
    previous: Previous,
) -> bool:
    """Rewrite only the rows that differ from `previous`; False when the state
    file no longer describes the database `previous` was read for."""
    path = path_of(db_path)
    if not path.exists():
        return False
    # a law file whose digest is unchanged was not read again: its facts are those of the state
    old_digests, old_stats, no_stat = previous.digests, previous.stats, None
    files = [
        _file_row(k, corpus.digests, corpus.laws, stats)
        for k, d in corpus.digests.items()
        if old_digests.get(k) != d or stats.get(k, no_stat) != old_stats.get(k, no_stat)
    ]
    gone = [(k,) for k in old_digests if k not in corpus.digests]
    times = written.times
    if written.whole:
        changed_times = [(p, *t) for p, t in times.items() if previous.times.get(p) != t]
        gone_times = [(p,) for p in previous.times if p not in times]
    else:  # only the files whose times were worked out again
        changed_times = [(p, *t) for p, t in times.items()]
        gone_times = [(p,) for p in written.gone]
    with closing(sqlite3.connect(path, isolation_level=None)) as conn:
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("BEGIN IMMEDIATE")
        now = dict(conn.execute("SELECT key, value FROM meta"))
        if json.loads(now.get("database", "null")) != previous.state_of:
            conn.execute("ROLLBACK")
            return False
        _upsert(conn, "files", files, gone)
        _upsert(conn, "times", changed_times, gone_times)
        conn.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", _meta_rows(meta))
        conn.execute("COMMIT")
    return True


def spare_of(db_path: Path, builder: str) -> dict[str, Any] | None:
    """The spare the state beside the database at `db_path` describes, when
    that state is one a build by `builder` can use."""
    try:
        with closing(sqlite3.connect(f"file:{path_of(db_path)}?mode=ro", uri=True)) as conn:
            meta = _meta(conn)
        if not _describes(meta, db_path, builder):
            return None
    except (OSError, sqlite3.Error, ValueError):
        return None
    found = meta.get("spare")
    return found if isinstance(found, dict) else None


class _AllTimes(Mapping[str, Times]):
    """The previous build's times of every file, read from its state the first
    time they are asked for (a patch outside git asks only for a few, by key)."""

    def __init__(self, known: PreviousLaws) -> None:
        self._known = known
        self._all: dict[str, Times] | None = None

    def _whole(self) -> dict[str, Times]:
        if self._all is None:
            self._all = self._known.all_times()
        return self._all

    def __getitem__(self, key: str) -> Times:
        return self._whole()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())


class StateReference:
    """What the state beside the database at `db_path` kept of the law files
    (ingest.records.changes.Reference): called where the folder is walked,
    in the processes that walk it. Nothing when the state is not one a build
    by `builder` can use."""

    def __init__(self, db_path: Path, builder: str) -> None:
        self.db_path, self.builder = db_path, builder

    def __call__(self, tops: Collection[str] | None) -> tuple[list[int] | None, dict[str, Kept]]:
        path = path_of(self.db_path)
        sql = "SELECT path, digest, size, mtime_ns FROM files WHERE facts IS NOT NULL"
        params: list[str] = []
        if tops is not None:
            params = sorted(t for t in tops if len(t) == 2)
            sql += f" AND substr(path, 1, 3) IN ({','.join('?' * len(params))})"
            params = [f"{t}/" for t in params]
        try:
            with _no_collection(), closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
                meta = _meta(conn)
                if not _describes(meta, self.db_path, self.builder):
                    return None, {}
                return meta["database"], {k: (d, s, m) for k, d, s, m in conn.execute(sql, params)}
        except (OSError, sqlite3.Error, ValueError):
            return None, {}


def _upsert(conn: sqlite3.Connection, table: str, rows: Iterable[tuple[Any, ...]], gone: list[tuple[str]]) -> None:
    conn.executemany(f"DELETE FROM {table} WHERE path = ?", gone)
    for row in rows:
        conn.execute(f"INSERT OR REPLACE INTO {table} VALUES ({','.join('?' * len(row))})", row)


def load(db_path: Path, builder: str | None = None, on_demand: bool = False) -> Previous | None:
    """The state of the database at `db_path`, or None when there is no usable one
    (or, given `builder`, when another builder wrote it: then nothing else is read).
    With `on_demand`, the law facts are not read: the state's `known` reads
    them (and what the rules ask of the other laws) when they are needed; the
    caller closes it."""
    path = path_of(db_path)
    if not path.exists():
        return None
    try:
        with _no_collection(), closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            meta = _meta(conn)
            if not _describes(meta, db_path, builder):
                return None
            digests: dict[str, str] = {}
            stats: dict[str, tuple[int, int]] = {}
            facts: dict[str, LawFacts] = {}
            times: Mapping[str, Times] = {}
            if on_demand:
                # the sizes and times are compared where the folder is walked (StateReference)
                digests = dict(conn.execute("SELECT path, digest FROM files"))
            else:
                times = {p: (c, u, s) for p, c, u, s in conn.execute("SELECT path, created, updated, source FROM times")}
                for key, digest, size, mtime, blob in conn.execute("SELECT path, digest, size, mtime_ns, facts FROM files"):
                    digests[key] = digest
                    if size is not None:
                        stats[key] = (size, mtime)
                    if blob is not None:
                        facts[key] = facts_from_blob(key, blob)
            previous = Previous(digests, facts, meta["builder"], stats, times, meta["times_today"], meta["database"])
        if on_demand:
            known = previous.known = PreviousLaws(path, db_path, meta.get("checked_on"))
            previous.times = _AllTimes(known)
        else:
            # kept for the whole build and never garbage: the collector need not walk them again
            gc.freeze()
        return previous
    except (OSError, sqlite3.Error, EOFError, ValueError, TypeError, KeyError, IndexError):
        return None
