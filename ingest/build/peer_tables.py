"""The tables of db/peers.sql: UNCTAD's status beside ours per member state
and area, and every disagreement, recomputed from the snapshot
(laws/peers/unctad.yml) and the current records at every build."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ingest.build.peer_kinds import KINDS
from ingest.build.peers import Result, reconcile
from ingest.common.paths import DB_DIR

PEERS_SQL = DB_DIR / "peers.sql"
TABLES = ("peer_disagreements", "peer_status", "peer_disagreement_kinds", "peer_snapshots")


def drop_tables(conn: sqlite3.Connection) -> None:
    for table in TABLES:
        conn.execute(f"DROP TABLE IF EXISTS [{table}]")


def write_tables(conn: sqlite3.Connection, snapshot: dict[str, Any] | None) -> Result:
    """(Re)create the tables of db/peers.sql and fill them from the snapshot and
    the records in `conn`; with no snapshot, remove them."""
    if snapshot is None:
        drop_tables(conn)
        return Result()
    result = reconcile(snapshot, conn)
    conn.executescript(PEERS_SQL.read_text(encoding="utf-8"))
    began = not conn.in_transaction
    if began:
        conn.execute("BEGIN")
    source = snapshot.get("source") or {}
    conn.execute(
        "INSERT INTO peer_snapshots VALUES (?,?,?,?,?,?,?,?,?)",
        (
            snapshot["peer"],
            snapshot["title"],
            source.get("description"),
            json.dumps(source.get("files") or []),
            source.get("date"),
            source.get("ref"),
            source.get("taken"),
            snapshot["acknowledgement"],
            f"peers/{snapshot['peer']}.yml",
        ),
    )
    conn.executemany(
        "INSERT INTO peer_disagreement_kinds VALUES (?,?,?,?)",
        [(code, label, desc, i) for i, (code, (label, desc)) in enumerate(KINDS.items())],
    )
    conn.executemany(
        "INSERT INTO peer_status VALUES (?,?,?,?,?,?,?,?,?,?)",
        [
            (
                s["peer"],
                s["country"],
                s["unctad_area"],
                s["area"],
                s["their_status"],
                s["their_links"],
                s["our_status"],
                s["our_statement"],
                s["our_law_id"],
                s["disagreements"],
            )
            for s in result.status
        ],
    )
    conn.executemany(
        "INSERT INTO peer_disagreements VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        [
            (
                d["peer"],
                d["position"],
                d["country"],
                d["unctad_area"],
                ", ".join(d["areas"]),
                d["kind"],
                d["their_status"],
                d["their_title"],
                d["their_url"],
                d["law_ids"][0] if d["law_ids"] else None,
                json.dumps(d["law_ids"]),
                d["match"],
                d["reason"],
            )
            for d in result.disagreements
        ],
    )
    if began:
        conn.execute("COMMIT")
    return result
