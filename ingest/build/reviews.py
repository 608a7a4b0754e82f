"""Review records in the database, and what their findings do to the answers.

A finding of a completed review on an indicator sets the review status of the
reviewed state's current answer to that indicator: "disputed" when the
reviewed state disputes the finding, otherwise "peer reviewed" for a peer
review and "internally reviewed" for an internal one (never lowering a peer
review's mark). Reviews apply in the order they were held, so a later review
settles what an earlier one left disputed. A finding "not assessed" changes
nothing. The answer keeps the id of the review that set its status.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from ingest.records.model import Corpus

RANK = {"draft": 0, "internally-reviewed": 1, "peer-reviewed": 2}


def write(conn: sqlite3.Connection, corpus: Corpus) -> None:
    ordered = sorted(corpus.review_files.values(), key=lambda item: (item[1]["dates"].get("held", ""), item[1]["id"]))
    for _, rec in ordered:
        rid = rec["id"]
        d = rec["dates"]
        report = rec.get("report") or {}
        conn.execute(
            "INSERT INTO reviews VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                rid,
                rec["type"],
                rec["country"],
                rec["title"],
                rec["status"],
                d.get("planned"),
                d.get("held"),
                d.get("published"),
                parties_text(rec),
                report.get("url"),
                report.get("title"),
                len(rec["findings"]),
                rec.get("note"),
                f"reviews/{rid}.yml",
            ),
        )
        conn.executemany(
            "INSERT INTO review_parties VALUES (?,?,?,?,?)",
            [(rid, i, p.get("country"), p.get("body"), p.get("role")) for i, p in enumerate(rec["parties"])],
        )
        conn.executemany(
            "INSERT INTO review_scope VALUES (?,?,?)",
            [(rid, kind[:-1], value) for kind in ("areas", "laws", "indicators") for value in rec["scope"].get(kind, [])],
        )
        conn.executemany(
            "INSERT INTO review_findings VALUES (?,?,?,?,?,?,?,?,?)",
            [
                (
                    rid,
                    i,
                    rec["country"],
                    f["indicator"],
                    f["assessment"],
                    f.get("comment"),
                    f.get("recommendation"),
                    f.get("response"),
                    f.get("dispute"),
                )
                for i, f in enumerate(rec["findings"])
            ],
        )
        if rec["status"] == "completed":
            _apply(conn, rec)


def parties_text(rec: dict[str, Any]) -> str:
    return ", ".join(p.get("body") or p["country"] for p in rec["parties"])


def _apply(conn: sqlite3.Connection, rec: dict[str, Any]) -> None:
    by = f"{parties_text(rec)} ({rec['type']} review {rec['id']})"
    on = rec["dates"].get("published") or rec["dates"].get("held")
    for f in rec["findings"]:
        if f["assessment"] == "not-assessed":
            continue
        row = conn.execute(
            "SELECT review_status FROM answers WHERE country = ? AND indicator = ? AND period = 0",
            (rec["country"], f["indicator"]),
        ).fetchone()
        if row is None:
            continue  # no answer recorded yet for this indicator
        if f.get("response") == "disputes":
            status, dispute = "disputed", f"{rec['country']} disputes the finding of review {rec['id']}: {f['dispute']}"
        else:
            wanted = "peer-reviewed" if rec["type"] == "peer" else "internally-reviewed"
            current = row[0] if row[0] in RANK else "draft"
            status = wanted if RANK[wanted] >= RANK[current] or row[0] == "disputed" else current
            dispute = None
        conn.execute(
            "UPDATE answers SET review_status = ?, reviewed_by = ?, reviewed_on = ?, dispute = ?, review_id = ? "
            "WHERE country = ? AND indicator = ? AND period = 0",
            (status, by, on, dispute, rec["id"], rec["country"], f["indicator"]),
        )
