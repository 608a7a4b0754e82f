"""Open exports of the built database, written into a folder atomically:

- `datapackage.json` and one CSV per table (ingest/export_datapackage.py),
- `laws.atom`, the most recently updated law records (ingest/export_atom.py),
- `atr-legal-documents.csv`, the list for trade repositories (ingest/export_atr.py).

Everything is read from the built database, opened read-only. Files are first
written into a temporary folder inside the output folder and moved into place
only when all of them are complete (`datapackage.json` last); a failure leaves
the output folder as it was.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import suppress
from pathlib import Path
from typing import Any

from ingest.build import timestamps
from ingest.common.atomic import alive
from ingest.common.paths import METADATA
from ingest.exports import atom as export_atom
from ingest.exports import atr as export_atr
from ingest.exports import datapackage as export_datapackage
from ingest.records import yamlsafe

FORMATS = ("datapackage", "atom", "atr")
DATABASE = "laws"


class ExportError(Exception):
    """A problem the person running the export can fix (message says which)."""


def connect(db_path: Path) -> sqlite3.Connection:
    """The built database, read-only; ExportError when missing or not one."""
    if not db_path.is_file():
        raise ExportError(f"{db_path} does not exist: run `lawrepo build` first")
    try:
        conn = sqlite3.connect(f"file:{db_path.resolve()}?mode=ro", uri=True)
        conn.execute("SELECT count(*) FROM laws").fetchone()
    except sqlite3.Error as exc:
        raise ExportError(f"{db_path} is not a database built by `lawrepo build` ({exc})") from None
    return conn


def load_metadata(path: Path = METADATA) -> dict[str, Any]:
    """metadata.yml as the exports use it: the instance's title, description,
    licence and source, and `tables` (each with description and columns) of
    the laws database."""
    try:
        data = yamlsafe.load_config(path)
    except yamlsafe.LoadError as exc:
        raise ExportError(f"{path}: cannot be read ({exc})") from None
    db = ((data.get("databases") or {}).get(DATABASE)) or {}
    meta = {k: data.get(k) or db.get(k) for k in ("title", "description", "license", "license_url", "source", "source_url")}
    meta["tables"] = db.get("tables") or {}
    return meta


def law_times(conn: sqlite3.Connection, laws_root: Path | None = None) -> dict[str, tuple[str, str, str]]:
    """(created, updated, source) per law id: from the `record_times` table
    when the database has it; else computed from the laws folder when given;
    else from the records' own dates as stored in the laws table."""
    has_table = conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'record_times'").fetchone()
    if has_table:
        return {
            law_id: (c, u, s)
            for law_id, c, u, s in conn.execute(
                "SELECT l.id, r.created, r.updated, r.source FROM laws l JOIN record_times r ON r.path = l.file"
            )
        }
    if laws_root is not None:
        by_path = timestamps.record_times(laws_root)
        return {law_id: by_path[file] for law_id, file in conn.execute("SELECT id, file FROM laws") if file in by_path}
    out = {}
    for law_id, *dates in conn.execute("SELECT id, adopted, promulgated, in_force, repealed, last_verified FROM laws"):
        found = timestamps.span(dates)
        if found:
            out[law_id] = (*found, "record")
    return out


def latest_law_times(conn: sqlite3.Connection, limit: int) -> dict[str, tuple[str, str, str]]:
    """The `limit` most recently updated laws' times, newest first (then by id), as
    law_times gives them: read through the record_times index when the database
    has it, so the feed costs the same at 100 records or 100,000."""
    has_table = conn.execute("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'record_times'").fetchone()
    if not has_table:
        return dict(export_atom.latest(law_times(conn), limit))
    rows = conn.execute(
        "SELECT l.id, r.created, r.updated, r.source FROM record_times r JOIN laws l ON l.file = r.path "
        "ORDER BY r.updated DESC, l.id LIMIT ?",
        (limit,),
    )
    return {law_id: (c, u, s) for law_id, c, u, s in rows}


def outputs(formats: Iterable[str], tables: list[str]) -> list[str]:
    """The file names written for the formats, `datapackage.json` last."""
    names: list[str] = []
    if "atom" in formats:
        names.append("laws.atom")
    if "atr" in formats:
        names.append(export_atr.FILE)
    if "datapackage" in formats:
        names += [f"{t}.csv" for t in tables] + ["datapackage.json"]
    return names


def export(
    db_path: Path,
    out: Path,
    formats: Iterable[str] = FORMATS,
    base_url: str = "http://127.0.0.1:8001",
    laws_root: Path | None = None,
    meta: dict[str, Any] | None = None,
    limit: int = export_atom.LIMIT,
) -> list[Path]:
    """Write the chosen formats into `out`; returns the files written."""
    wanted = set(formats)
    unknown = wanted - set(FORMATS)
    if unknown:
        raise ExportError(f"unknown format(s): {', '.join(sorted(unknown))}; choose from {', '.join(FORMATS)}")
    meta = load_metadata() if meta is None else meta
    conn = connect(db_path)
    try:
        tables = export_datapackage.content_tables(conn)
        with _Staging(out) as stage:
            if "atom" in wanted:
                body = export_atom.feed(conn, law_times(conn, laws_root), base_url, meta, limit)
                stage.write_bytes("laws.atom", body)
            if "atr" in wanted:
                stage.write_chunks(export_atr.FILE, export_atr.atr_csv(conn, base_url))
            if "datapackage" in wanted:
                for table in tables:
                    stage.write_chunks(f"{table}.csv", export_datapackage.table_csv(conn, table))
                package = export_datapackage.descriptor(conn, meta)
                text = json.dumps(package, indent=2, ensure_ascii=False) + "\n"
                stage.write_bytes("datapackage.json", text.encode("utf-8"))
            return stage.commit(outputs(wanted, tables))
    except sqlite3.Error as exc:
        raise ExportError(f"cannot read {db_path}: {exc}") from None
    finally:
        conn.close()


def _remove_stale(out: Path) -> None:
    """Temporary folders left by exports that were killed."""
    for p in out.glob(".export-*-*"):
        pid = p.name.split("-")[1]
        if pid.isdigit() and not alive(int(pid)):
            shutil.rmtree(p, ignore_errors=True)


class _Staging:
    """A temporary folder inside `out`; `commit` moves its files into `out`."""

    def __init__(self, out: Path) -> None:
        self.out = out
        try:
            out.mkdir(parents=True, exist_ok=True)
            _remove_stale(out)
            self.tmp = Path(tempfile.mkdtemp(prefix=f".export-{os.getpid()}-", dir=out))
        except OSError as exc:
            raise ExportError(f"cannot write to {out}: {exc.strerror or exc}") from None

    def __enter__(self) -> _Staging:
        return self

    def __exit__(self, *exc: object) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def write_bytes(self, name: str, data: bytes) -> None:
        self._guard(lambda: (self.tmp / name).write_bytes(data), name)

    def write_chunks(self, name: str, chunks: Iterator[str]) -> None:
        def write() -> None:
            with open(self.tmp / name, "w", encoding="utf-8", newline="") as fh:
                for chunk in chunks:
                    fh.write(chunk)

        self._guard(write, name)

    def _guard(self, fn: Any, name: str) -> None:
        try:
            fn()
        except OSError as exc:
            raise ExportError(f"cannot write {self.out / name}: {exc.strerror or exc}") from None

    def commit(self, names: list[str]) -> list[Path]:
        done = []
        for name in names:
            with open(self.tmp / name, "rb") as fh:
                os.fsync(fh.fileno())
        for name in names:
            try:
                os.replace(self.tmp / name, self.out / name)
            except OSError as exc:
                raise ExportError(f"cannot write {self.out / name}: {exc.strerror or exc}") from None
            done.append(self.out / name)
        with suppress(OSError):
            fd = os.open(self.out, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        return done
