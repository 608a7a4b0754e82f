"""Build the SQLite database from a validated corpus, atomically.

The new database is written to a temporary file beside the target and moved
into place with `os.replace`, so a build that fails or is killed leaves the
previous database untouched. When only law files changed since the previous
build, that database is copied and patched (rows of changed records deleted
and inserted again) instead of being written from scratch; the content is the
same as a full build's.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import time
from collections.abc import Callable, Iterable
from contextlib import suppress
from pathlib import Path
from typing import Any

from ingest.build import affected, build_state, peer_tables, previous_tables, source_checks, spare, tables, timeline, times_table
from ingest.build.copying import BackgroundCopy, remove_in_background, set_aside
from ingest.build.spare import Spare
from ingest.common.atomic import alive, flush_to_disk
from ingest.common.paths import DB_DIR, PACKAGE
from ingest.records.files import digest, is_law_key, law_id_of
from ingest.records.model import Corpus
from ingest.records.scan import BackgroundScan
from ingest.rules.corpus import Previous, validate

SCHEMA_SQL = DB_DIR / "schema.sql"
VIEWS_SQL = DB_DIR / "views.sql"
DERIVED_SQL = DB_DIR / "derived.sql"
PAGES_SQL = DB_DIR / "pages.sql"

# Full-text search: (table, columns, tokenizer)
FTS = [
    ("laws", ["title", "short_title", "number", "summary", "search_folded"], "unicode61 remove_diacritics 2"),
    ("provisions", ["ref", "heading", "summary"], "unicode61 remove_diacritics 2"),
    # substring search for titles in scripts written without spaces (Thai, Khmer, Lao, Burmese)
    ("law_titles", ["title", "title_folded"], "trigram"),
]
Progress = Callable[[int], None]


BUILDER = "(builder)"  # row of the files table: the digest of the code and SQL that wrote the database


def builder_files() -> list[Path]:
    """The files whose change means a full build: every SQL file of db/ and
    every module and template of this package, in every subpackage."""
    code = [p for p in PACKAGE.rglob("*") if p.is_file() and p.suffix in (".py", ".html") and "__pycache__" not in p.parts]
    return sorted(DB_DIR.glob("*.sql")) + sorted(code)


def builder_digest() -> str:
    """Changes whenever the database's SQL or the code that reads and writes records changes."""
    return digest(b"\0".join(p.read_bytes() for p in builder_files()))


def read_previous(db_path: Path) -> Previous | None:
    """Digests and law facts of an existing database, or None if unusable
    (written by other code or SQL: a full build follows, which needs none of it)."""
    if not db_path.exists():
        return None
    builder = builder_digest()
    state = build_state.load(db_path, builder, on_demand=True)
    if state is not None:
        return state
    return previous_tables.read(db_path, builder, BUILDER)


def build(
    root: Path,
    db_path: Path,
    previous: Previous | None = None,
    today: dt.date | None = None,
    jobs: int | None = None,
    progress: Progress | None = None,
    scanned: BackgroundScan | None = None,
    copy: BackgroundCopy | Spare | None = None,
) -> tuple[Corpus, dict[str, int] | None]:
    """Validate the records under `root` and write the database atomically.

    Rows are written to a temporary file while the records are read; the file
    replaces `db_path` only if every rule passes. Returns the corpus (with its
    problems) and the row counts, or None for the counts when nothing was
    written (problems found, or nothing changed since `previous`). `copy` is
    a copy of the database started by `start_copy`, or the spare it took
    (ingest.build.spare; used if this build is a patch, else dropped)."""
    started = time.time_ns()
    known = previous.known if previous else None  # closed once the build is done
    checked_on = (today or dt.date.today()).isoformat()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(db_path)
    builder = builder_digest()
    if previous and previous.builder != builder:
        previous = None  # written by other code or SQL: build afresh
    tmp = _tmp_path(db_path)
    # the copy a patch works on is made while the records are read
    if copy is not None and not previous:
        copy.drop()
        copy = None
    if copy is None and previous and db_path.exists():
        copy = _spare_or_copy(db_path, tmp, builder, checked_on)
    writer = _Writer(tmp, db_path, previous, today or dt.date.today(), copy)
    behind = copy.behind if isinstance(copy, Spare) else []
    try:
        corpus = validate(root, previous, today, jobs, progress, writer.add, law_rows, scanned, behind)
        if corpus.problems or (previous and previous.digests == corpus.digests and db_path.exists()):
            return corpus, None
        counts = writer.finish(corpus)
        if copy is not None and writer.patch:
            copy.finish()
        # one flush, of the finished file, before the atomic move (the one place a reader could see half a file)
        flush_to_disk(tmp)
        aside = set_aside(db_path, os.getpid())
        left = None
        try:
            os.replace(tmp, db_path)
            # a patch keeps the file it moved aside as the next one's spare; a full build leaves none
            left = _keep_spare(db_path, aside, writer, corpus, checked_on)
        finally:
            removing = remove_in_background(None if left else aside)
        with suppress(OSError, sqlite3.Error):  # only an aid to the next build, which reads the tables without it
            patched = previous if writer.patch else None
            build_state.save(
                db_path, corpus, builder, writer.times, writer.times_today.isoformat(), started, patched, checked_on, left
            )
        removing.join()
        return corpus, counts
    finally:
        writer.close()
        if known is not None:
            known.close()
        if copy is not None:
            copy.drop()
        with suppress(FileNotFoundError):
            tmp.unlink()


def _tmp_path(db_path: Path) -> Path:
    """Where this process writes the new database before moving it into place."""
    return db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")


def start_copy(db_path: Path, today: dt.date | None = None) -> BackgroundCopy | Spare | None:
    """Take the spare of the database at `db_path` for a patch, or else start
    copying the database, before its state is even read (a second or so at a
    hundred thousand records); None if there is no database."""
    if not db_path.exists():
        return None
    with suppress(OSError):
        _remove_stale_temporaries(db_path)
        return _spare_or_copy(db_path, _tmp_path(db_path), builder_digest(), (today or dt.date.today()).isoformat())
    return None


def _spare_or_copy(db_path: Path, tmp: Path, builder: str, day: str) -> BackgroundCopy | Spare:
    return spare.take(db_path, tmp, build_state.spare_of(db_path, builder), day) or BackgroundCopy(db_path, tmp)


def _keep_spare(db_path: Path, aside: Path | None, writer: _Writer, corpus: Corpus, day: str) -> dict[str, Any] | None:
    """Keep the previous database, moved aside, as the spare of the next patch
    and describe it; or remove any spare (a full build's, or when none can be kept)."""
    if aside is None or not writer.patch or writer.previous is None:
        spare.remove(db_path)
        return None
    try:
        os.replace(aside, spare.path_of(db_path))
        return spare.describe(spare.path_of(db_path), writer.changed_keys(corpus), day)
    except OSError:
        spare.remove(db_path)
        return None


def law_rows(corpus: Corpus, rec: dict[str, Any]) -> dict[str, list[tuple[Any, ...]]]:
    """The rows of one valid law record (made in the process that read it)."""
    return tables.law_rows(rec, corpus.inverse(), corpus.official_hosts)


class _Writer:
    """Receives valid law records as they are read and writes their rows."""

    BATCH = 2000

    def __init__(
        self,
        tmp: Path,
        target: Path,
        previous: Previous | None,
        today: dt.date,
        copy: BackgroundCopy | Spare | None = None,
    ) -> None:
        self.tmp, self.target, self.previous, self.today, self.copy = tmp, target, previous, today, copy
        # the law records the spare patched here lacks besides the changed ones (ingest/build/spare.py)
        self.behind: list[str] = copy.behind if isinstance(copy, Spare) else []
        self.conn: sqlite3.Connection | None = None
        self.patch = False
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.pending = 0
        self.written: set[str] = set()  # ids of the laws whose rows this patch rewrote
        self.gone: list[str] = []  # ids of the laws this patch removed
        # the cells and countries this patch must recompute (ingest/build/affected.py)
        self.cells: set[affected.Cell] = set()
        self.countries: set[str] = set()
        self.times = times_table.Written({})
        self.times_today = self.today
        self.indexes: list[str] = []  # of a new database: made once the laws' rows are in

    def _open(self, corpus: Corpus) -> sqlite3.Connection:
        # Patch a copy of the previous database when only law files changed.
        self.patch = corpus.incremental and self.copy is not None
        if self.copy is not None:
            if self.patch:
                self.copy.wait()
            else:
                self.copy.drop()
                self.behind = []
        conn = sqlite3.connect(self.tmp, isolation_level=None)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        if not self.patch:
            # the indexes are made once the rows are in: sorting them once is faster than growing them row by row
            tables_sql, self.indexes = _split_indexes(SCHEMA_SQL.read_text(encoding="utf-8"))
            conn.executescript(tables_sql)
        conn.execute("BEGIN")
        self.rows = {t: [] for t in ("laws", "relations", *tables.LAW_CHILD_TABLES)}
        self.conn = conn
        return conn

    def add(self, corpus: Corpus, law: dict[str, list[tuple[Any, ...]]]) -> None:
        conn = self.conn or self._open(corpus)
        if self.patch:
            self._flush()
            law_id = law["laws"][0][0]
            self._around([law_id])  # as they were
            _delete_laws(conn, "= ?", [law_id])
            self.written.add(law_id)
        for table, rows in law.items():
            self.rows[table].extend(rows)
        self.pending += 1
        if self.pending >= self.BATCH:
            self._flush()

    def _around(self, law_ids: Iterable[str]) -> None:
        assert self.conn is not None
        cells, countries = affected.around(self.conn, law_ids)
        self.cells |= cells
        self.countries |= countries

    def _flush(self) -> None:
        assert self.conn is not None
        for table, rows in self.rows.items():
            if rows:
                self.conn.executemany(f"INSERT INTO [{table}] VALUES ({','.join('?' * len(rows[0]))})", rows)
                rows.clear()
        self.pending = 0

    def finish(self, corpus: Corpus) -> dict[str, int]:
        conn = self.conn or self._open(corpus)
        self._flush()
        if self.patch:
            assert self.previous is not None
            old = self.previous.digests
            # records removed or renamed since the previous build (or since the spare's build)
            gone_keys = {k for k in old if is_law_key(k) and k not in corpus.digests}
            gone_keys.update(k for k in self.behind if k not in corpus.digests)
            gone = self.gone = sorted(law_id_of(k) for k in gone_keys)
            self._around(gone)
            for law_id in gone:
                _delete_laws(conn, "= ?", [law_id])
            self._around(self.written)  # as they are now
            stale = {p for p in old if p not in corpus.digests or old[p] != corpus.digests[p]}
            stale.update(self.behind)
            conn.executemany("DELETE FROM files WHERE path = ?", [(p,) for p in sorted(stale)])
            _files(conn, [(p, d) for p, d in corpus.digests.items() if old.get(p) != d or p in self.behind])
        else:
            for statement in self.indexes:
                conn.execute(statement)
            tables.vocabularies(conn, corpus)
            tables.countries(conn, corpus)
            _files(conn, [*corpus.digests.items(), (BUILDER, builder_digest())])
        tables.codebook_and_answers(conn, corpus)
        source_checks.write(conn, corpus)
        # when each record file was created and last changed (git history, else its own dates)
        self.times_today = dt.date.today()  # the day the times in the records are taken up to (not --today)
        self.times = times_table.write(
            conn,
            corpus,
            self.previous if self.patch else None,
            self.times_today,
            own_rows=bool(self.behind),
            also_gone=[k for k in self.behind if k not in corpus.digests],
        )
        conn.execute("COMMIT")
        # derived tables: recomputed for the cells (country, area) and countries the changed laws touch
        if self.patch:
            affected.record(conn, self.cells, self.countries, self.written | set(self.gone))
        else:
            affected.everything(conn)
        conn.executescript(DERIVED_SQL.read_text(encoding="utf-8"))
        conn.execute("BEGIN")
        timeline.recompute(conn, self.today, everything=not self.patch)
        conn.execute("COMMIT")
        # the reconciliation with the UNCTAD tracker snapshot, recomputed from the current records
        peer_tables.write_tables(conn, corpus.peer_files.get("unctad", ("", None))[1])
        if not self.patch:
            conn.executescript(VIEWS_SQL.read_text(encoding="utf-8"))
        # the tables shaped for the site's pages, for the same countries (and their totals)
        conn.executescript(f"BEGIN;\n{PAGES_SQL.read_text(encoding='utf-8')}\nCOMMIT;")
        if not self.patch:
            import sqlite_utils  # only a full build needs it

            db = sqlite_utils.Database(conn)
            for table, columns, tokenize in FTS:
                db.table(table).enable_fts(columns, tokenize=tokenize, create_triggers=True, replace=True)
            conn.execute("ANALYZE")
            # A safety net: the rules already guarantee every reference. A patch
            # keeps the statistics of the copy and skips this full scan.
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken in the new database: {broken[:5]}")
        counts = {
            t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
            for t in ("laws", "countries", "provisions", "relations", "law_titles")
        }
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        self.conn = None
        return counts

    def changed_keys(self, corpus: Corpus) -> list[str]:
        """The law records this build changed or removed since the previous one."""
        if corpus.changes is not None:
            return [k for _, k in corpus.changes.changed] + corpus.changes.gone
        old = self.previous.digests if self.previous else {}
        keys = [k for k, d in corpus.digests.items() if is_law_key(k) and old.get(k) != d]
        return keys + [k for k in old if is_law_key(k) and k not in corpus.digests]

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _split_indexes(schema: str) -> tuple[str, list[str]]:
    """The schema without its CREATE INDEX statements (one a line in db/schema.sql), and those statements."""
    rest, indexes = [], []
    for line in schema.splitlines():
        if line.startswith("CREATE INDEX "):
            indexes.append(line.split(";", 1)[0] + ";")
        else:
            rest.append(line)
    return "\n".join(rest), indexes


def _delete_laws(conn: sqlite3.Connection, condition: str, params: list[str]) -> None:
    conn.execute(f"DELETE FROM relations WHERE stated_in {condition}", params)
    for table in tables.LAW_CHILD_TABLES:
        conn.execute(f"DELETE FROM [{table}] WHERE law_id {condition}", params)
    conn.execute(f"DELETE FROM laws WHERE id {condition}", params)


def _remove_stale_temporaries(db_path: Path) -> None:
    for p in db_path.parent.glob(f"{db_path.name}.tmp-*"):
        pid = p.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not alive(int(pid)):
            with suppress(OSError):
                p.unlink()


def _files(conn: sqlite3.Connection, items: Iterable[tuple[str, str]]) -> None:
    rows = []
    for path, value in sorted(items):
        top = path.split("/", 1)[0]
        kind = "builder" if path == BUILDER else FILE_KINDS.get(top, "law")
        rows.append((path, kind, value))
    conn.executemany("INSERT INTO files VALUES (?, ?, ?)", rows)


FILE_KINDS = {
    "schemas": "schema",
    "vocabularies": "vocabulary",
    "countries": "country",
    "codebook": "codebook",
    "answers": "answers",
    "reviews": "review",
    "peers": "peer",
    "source-checks": "source-checks",
    "sources": "official-hosts",
}
