"""The source_checks table, from laws/source-checks/<cc>.yml (rewritten on every build: it is small)."""

from __future__ import annotations

import json
import sqlite3

from ingest.records.model import Corpus


def write(conn: sqlite3.Connection, corpus: Corpus) -> None:
    conn.execute("DELETE FROM source_checks")
    rows = []
    for _, (_, data) in sorted(corpus.source_check_files.items()):
        for c in data["checks"]:
            if c["law"] in corpus.laws:
                rows.append(
                    (
                        c["law"],
                        c["url"],
                        c["checked"],
                        c["result"],
                        c.get("parser"),
                        c.get("final_url"),
                        c.get("sha256"),
                        c.get("message"),
                        json.dumps(c.get("differences") or [], ensure_ascii=False),
                    )
                )
    conn.executemany("INSERT OR REPLACE INTO source_checks VALUES (?,?,?,?,?,?,?,?,?)", rows)
