"""The law records of the previous build, read on demand (ingest.records.law_index.KnownLaws).

A patched build reads again only the records that changed. What the rules and
tables need of the others comes from the previous build: each record's facts
from its state file (ingest.build.build_state), and the relations, dates and
areas the cross-record rules look at from its database, whose indexes answer
those questions without reading every law.
"""

from __future__ import annotations

import marshal
import sqlite3
from collections.abc import Collection, Iterator
from pathlib import Path

from ingest.records.changes import Kept
from ingest.records.model import LawFacts

CHUNK = 400  # ids per query (SQLite's limit on parameters is 32,766; two lists of ids each)
DATES = ("adopted", "promulgated", "in_force", "repealed")
# A date (2019, 2019-05 or 2019-05-31) means a period from its first to its last day; compared as
# text, `d <= until` says its first day is on or before `until`, and `d || '~' > since` that its
# last day is after `since` (or on it: a few laws more are checked again, none fewer).
_DUE = " OR ".join(f"({c} <= :until AND {c} || '~' > :since)" for c in DATES)


def facts_blob(f: LawFacts) -> bytes:
    """A law's facts as the state file keeps them (its path is the row's key)."""
    return marshal.dumps(
        (f.id, f.country, f.status, f.dates, f.areas, f.relations, f.evidence, f.verification)
        + (f.has_note, f.provisions, f.quoted, f.last_verified)
    )


def facts_from_blob(key: str, blob: bytes) -> LawFacts:
    f = marshal.loads(blob)
    return LawFacts(f[0], f[1], key, *f[2:])


class PreviousLaws:
    """KnownLaws read from the previous build's state file and database."""

    def __init__(self, state: Path, database: Path, checked_on: str | None) -> None:
        self.checked_on = checked_on
        self._state = sqlite3.connect(f"file:{state}?mode=ro", uri=True)
        self._db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)

    def facts(self, key: str) -> LawFacts | None:
        rows = self._state.execute("SELECT facts FROM files WHERE path = ?", [key]).fetchall()
        return facts_from_blob(key, rows[0][0]) if rows and rows[0][0] is not None else None

    def all_facts(self) -> Iterator[tuple[str, LawFacts]]:
        rows = self._state.execute("SELECT path, facts FROM files WHERE facts IS NOT NULL").fetchall()
        for key, blob in rows:
            yield key, facts_from_blob(key, blob)

    def kept(self) -> dict[str, Kept]:
        rows = self._state.execute("SELECT path, digest, size, mtime_ns FROM files WHERE facts IS NOT NULL")
        return {k: (d, s, m) for k, d, s, m in rows}

    def times_of(self, keys: Collection[str]) -> dict[str, tuple[str, str, str]]:
        out: dict[str, tuple[str, str, str]] = {}
        ordered = sorted(keys)
        for start in range(0, len(ordered), CHUNK):
            chunk = ordered[start : start + CHUNK]
            sql = f"SELECT path, created, updated, source FROM times WHERE path IN ({','.join('?' * len(chunk))})"
            out.update((p, (c, u, s)) for p, c, u, s in self._state.execute(sql, chunk))
        return out

    def all_times(self) -> dict[str, tuple[str, str, str]]:
        rows = self._state.execute("SELECT path, created, updated, source FROM times")
        return {p: (c, u, s) for p, c, u, s in rows}

    def related(self, law_ids: Collection[str]) -> set[str]:
        out: set[str] = set()
        ids = sorted(law_ids)
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start : start + CHUNK]
            marks = ",".join("?" * len(chunk))
            sql = f"SELECT law_id, target_id, stated_in FROM relations WHERE law_id IN ({marks}) OR target_id IN ({marks})"
            for row in self._db.execute(sql, chunk + chunk).fetchall():
                out.update(row)
        return out

    def due(self, since: str, until: str) -> set[str]:
        if until <= since:
            return set()  # no day has passed
        return {r[0] for r in self._db.execute(f"SELECT id FROM laws WHERE {_DUE}", {"since": since, "until": until})}

    def laws_in(self, country: str, area: str, statuses: Collection[str], besides: Collection[str], limit: int) -> list[str]:
        # from the member state's laws (index on country and status), each looked up in law_areas by its key
        sql = (
            "SELECT l.id FROM laws l JOIN law_areas a ON a.law_id = l.id AND a.area = ? "
            f"WHERE l.country = ? AND l.status IN ({','.join('?' * len(statuses))}) "
            f"AND l.id NOT IN ({','.join('?' * len(besides))})" + (f" LIMIT {int(limit)}" if limit else " ORDER BY l.id")
        )
        return [r[0] for r in self._db.execute(sql, [area, country, *statuses, *besides]).fetchall()]

    def close(self) -> None:
        self._state.close()
        self._db.close()
