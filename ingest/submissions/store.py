"""The submissions database: proposals, decisions and the requests counted
for rate limits. It is its own SQLite file (db/submissions.db by default),
created on first use, written only by the site's submission routes and by
`lawrepo submissions export`; the built laws.db never holds a proposal.

Every value is stored as text. Public ids are 128 random bits, so a tracking
page cannot be found by guessing; the client address is kept only as a keyed
hash, for the rate limits, and forgotten after a day."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import secrets
import sqlite3
import time
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS submissions (
  id TEXT PRIMARY KEY,            -- 32 hex digits, the public tracking id
  kind TEXT NOT NULL,             -- correction, law, answer
  law_id TEXT,                    -- correction: the record; law: the id it would have
  country TEXT,
  indicator TEXT,                 -- answer: the indicator questioned
  fields TEXT NOT NULL,           -- JSON object of the proposed values (text)
  recorded TEXT NOT NULL,         -- JSON object of the values recorded when proposed (text)
  source TEXT NOT NULL,           -- an address or a citation
  comment TEXT NOT NULL,
  name TEXT NOT NULL,             -- private
  email TEXT NOT NULL,            -- private
  credit INTEGER NOT NULL,        -- 1: the name may be given in the record's provenance
  status TEXT NOT NULL,           -- pending, accepted, rejected, exported
  created TEXT NOT NULL,          -- UTC, ISO 8601
  decided_by TEXT, decided_at TEXT, note TEXT,
  exported_at TEXT, exported_file TEXT
);
CREATE INDEX IF NOT EXISTS submissions_status ON submissions(status, created);
CREATE TABLE IF NOT EXISTS decisions (
  submission_id TEXT NOT NULL REFERENCES submissions(id),
  status TEXT NOT NULL,
  moderator TEXT NOT NULL,
  at TEXT NOT NULL,
  note TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS hits (
  bucket TEXT NOT NULL,           -- what was counted: submit, login
  client TEXT NOT NULL,           -- keyed hash of the client address
  at REAL NOT NULL                -- seconds since the epoch
);
CREATE INDEX IF NOT EXISTS hits_client ON hits(bucket, client, at);
"""
KINDS = ("correction", "law", "answer")
STATUSES = ("pending", "accepted", "rejected", "exported")
DAY = 86400.0


@dataclass(frozen=True)
class Limits:
    per_minute: int = 5
    per_day: int = 50


def now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def new_id() -> str:
    return secrets.token_hex(16)


def is_id(value: str) -> bool:
    return len(value) == 32 and all(c in "0123456789abcdef" for c in value)


@contextmanager
def connect(path: Path) -> Iterator[sqlite3.Connection]:
    """A connection to the submissions database, created with its tables on
    first use; the block is one transaction."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with closing(sqlite3.connect(path, timeout=10, isolation_level=None)) as conn:
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("PRAGMA foreign_keys=ON")
        conn.executescript(SCHEMA)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def client_key(address: str, secret: str) -> str:
    return hashlib.blake2b(address.encode("utf-8"), key=secret.encode("utf-8")[:64], digest_size=16).hexdigest()


def allow(conn: sqlite3.Connection, bucket: str, client: str, limits: Limits, at: float | None = None) -> str | None:
    """Count one request of `client`; None when within the limits, else why not."""
    at = time.time() if at is None else at
    conn.execute("DELETE FROM hits WHERE at < ?", (at - DAY,))
    minute, day = conn.execute(
        "SELECT count(*) FILTER (WHERE at >= ?), count(*) FROM hits WHERE bucket = ? AND client = ?",
        (at - 60, bucket, client),
    ).fetchone()
    if minute >= limits.per_minute:
        return f"at most {limits.per_minute} a minute"
    if day >= limits.per_day:
        return f"at most {limits.per_day} a day"
    conn.execute("INSERT INTO hits (bucket, client, at) VALUES (?, ?, ?)", (bucket, client, at))
    return None


def _text(value: Any) -> str:
    return "" if value is None else str(value)


def add(conn: sqlite3.Connection, proposal: dict[str, Any]) -> str:
    """Store a checked proposal as pending; its public id."""
    sid = new_id()
    conn.execute(
        "INSERT INTO submissions (id, kind, law_id, country, indicator, fields, recorded, source, comment, name, email,"
        " credit, status, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?)",
        (
            sid,
            proposal["kind"],
            proposal.get("law_id"),
            proposal.get("country"),
            proposal.get("indicator"),
            json.dumps({k: _text(v) for k, v in proposal["fields"].items()}, ensure_ascii=False),
            json.dumps({k: _text(v) for k, v in (proposal.get("recorded") or {}).items()}, ensure_ascii=False),
            _text(proposal.get("source")),
            _text(proposal.get("comment")),
            _text(proposal.get("name")),
            _text(proposal.get("email")),
            1 if proposal.get("credit") else 0,
            now(),
        ),
    )
    return sid


def _row(row: sqlite3.Row | None) -> dict[str, Any] | None:
    if row is None:
        return None
    out = dict(row)
    out["fields"] = json.loads(out["fields"])
    out["recorded"] = json.loads(out["recorded"])
    return out


def get(conn: sqlite3.Connection, sid: str) -> dict[str, Any] | None:
    if not is_id(sid):
        return None
    return _row(conn.execute("SELECT * FROM submissions WHERE id = ?", (sid,)).fetchone())


def listing(conn: sqlite3.Connection, status: str | None = "pending", limit: int = 200) -> list[dict[str, Any]]:
    """Submissions with a status (all when None), oldest pending first, newest decided first."""
    if status is None:
        rows = conn.execute("SELECT * FROM submissions ORDER BY created DESC LIMIT ?", (limit,))
    else:
        order = "created" if status == "pending" else "coalesce(decided_at, created) DESC"
        rows = conn.execute(f"SELECT * FROM submissions WHERE status = ? ORDER BY {order} LIMIT ?", (status, limit))
    return [r for r in map(_row, rows.fetchall()) if r is not None]


def decisions(conn: sqlite3.Connection, sid: str) -> list[dict[str, Any]]:
    return [dict(r) for r in conn.execute("SELECT * FROM decisions WHERE submission_id = ? ORDER BY at, rowid", (sid,))]


def decide(conn: sqlite3.Connection, sid: str, status: str, moderator: str, note: str) -> bool:
    """Accept or reject a pending or decided (not exported) submission; False when there is none."""
    if status not in ("accepted", "rejected"):
        raise ValueError(f"{status!r} is not a decision")
    at = now()
    changed = conn.execute(
        "UPDATE submissions SET status = ?, decided_by = ?, decided_at = ?, note = ? WHERE id = ? AND status != 'exported'",
        (status, moderator, at, note, sid),
    ).rowcount
    if changed:
        conn.execute(
            "INSERT INTO decisions (submission_id, status, moderator, at, note) VALUES (?, ?, ?, ?, ?)",
            (sid, status, moderator, at, note),
        )
    return bool(changed)


def accepted(conn: sqlite3.Connection, since: str | None = None) -> list[dict[str, Any]]:
    """Accepted submissions not yet exported, decided on or after `since` (YYYY-MM-DD), oldest first."""
    rows = conn.execute(
        "SELECT * FROM submissions WHERE status = 'accepted' AND (? IS NULL OR decided_at >= ?) ORDER BY decided_at, created",
        (since, since),
    )
    return [r for r in map(_row, rows.fetchall()) if r is not None]


def mark_exported(conn: sqlite3.Connection, sid: str, file: str) -> None:
    conn.execute(
        "UPDATE submissions SET status = 'exported', exported_at = ?, exported_file = ? WHERE id = ?", (now(), file, sid)
    )
