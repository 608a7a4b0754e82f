"""The data behind the country, progress and codebook pages, from the built database.

Like ingest.site.compare: each function takes a read-only sqlite3 connection
and returns plain data; `*_rows` flatten it into rows for CSV.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from typing import Any

from ingest.site import answer_periods
from ingest.site.compare import answer_cell, answer_row, answers, areas, indicators, query_rows, vocab

# --------------------------------------------------------------------------
# Country profile


LAWS_PER_AREA = 50  # a country page lists at most this many laws per area, then links to the laws table
EVENTS = 200  # and the latest this many dated events


def country_profile(
    conn: sqlite3.Connection, code: str, today: dt.date, per_area: int = LAWS_PER_AREA, events: int = EVENTS
) -> dict[str, Any]:
    """A member state's page, from the tables the build shaped for it (db/pages.sql)."""
    found = query_rows(conn, "SELECT * FROM countries WHERE code = ?", (code.upper(),))
    if not found:
        raise LookupError(code)
    country = found[0]
    code = country["code"]
    laws_by_area = []
    laws: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for law in query_rows(
        conn,
        "SELECT area, id, title, short_title, number, year, status, in_force, verification, principal "
        "FROM page_country_laws WHERE country = ? AND rank <= ? ORDER BY area, rank",
        (code, per_area),
    ):
        laws[law.pop("area")].append(law)
    cells = {r["area"]: r for r in query_rows(conn, "SELECT * FROM page_area_cells WHERE country = ?", (code,))}
    for a in areas(conn):
        cell = cells.get(a["code"], {})
        laws_by_area.append(
            {
                "area": a,
                "status": cell.get("cell_status"),
                "status_label": cell.get("cell_label") or "",
                "principal_law": cell.get("law_id"),
                "statement": cell.get("statement"),
                "statement_label": cell.get("statement_label"),
                "statement_note": cell.get("statement_note"),
                "laws": laws.get(a["code"], []),
                "laws_total": cell.get("laws", 0),
            }
        )
    totals = query_rows(conn, "SELECT laws, in_force FROM page_home_countries WHERE code = ?", (code,))
    inds = indicators(conn)
    words = vocab(conn)
    current = answers(conn, countries_in=[code], today=today)
    past: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for h in answer_periods.periods(conn, country=code):
        if h["period"] > 0:
            h.pop("indicator_row")
            past[h["indicator"]].append(h)
    answer_groups: list[dict[str, Any]] = []
    for a in areas(conn, with_indicators=True):
        items: list[dict[str, Any]] = []
        for ind in (i for i in inds if i["area"] == a["code"]):
            cell = answer_cell(current.get((code, ind["id"])), words, ind)
            items.append({"indicator": ind, "answer": cell, "history": past.get(ind["id"], [])})
        answer_groups.append({"area": a, "entries": items})
    gaps: dict[str, list[dict[str, Any]]] = {
        # areas with no law in force, or with a statement on their coverage (e.g. partial)
        "areas_without_law": [x for x in laws_by_area if x["status"] not in ("in-force", "partly-in-force") or x["statement"]],
        "unknown_answers": [i for g in answer_groups for i in g["entries"] if i["answer"].get("value") in (None, "unknown")],
        "disputed_answers": [i for g in answer_groups for i in g["entries"] if "disputed" in i["answer"].get("flags", [])],
    }
    counts = {
        "answers": sum(len(g["entries"]) for g in answer_groups),
        "unknown": len(gaps["unknown_answers"]),
        "unverified": sum("unverified" in i["answer"].get("flags", []) for g in answer_groups for i in g["entries"]),
    }
    return {
        "country": country,
        "today": today.isoformat(),
        "laws_by_area": laws_by_area,
        "laws_total": totals[0]["laws"] if totals else 0,
        **timeline(conn, code, events),
        "answers": answer_groups,
        "gaps": gaps,
        "counts": counts,
        "reviews": _reviews_of(conn, code),
    }


def _reviews_of(conn: sqlite3.Connection, code: str) -> dict[str, list[dict[str, Any]]]:
    """Reviews of the country's laws, and reviews of others it took part in, latest first."""
    columns = "r.id, r.title, r.type, r.status, r.planned, r.held, r.published, r.parties, r.findings, r.country"
    order = "ORDER BY coalesce(r.held, r.planned, '') DESC, r.id"
    return {
        "of": query_rows(conn, f"SELECT {columns} FROM reviews r WHERE r.country = ? {order}", (code,)),
        "by": query_rows(
            conn,
            f"SELECT {columns} FROM reviews r WHERE r.country != ? AND r.id IN "
            f"(SELECT review_id FROM review_parties WHERE country = ?) {order}",
            (code, code),
        ),
    }


def timeline(conn: sqlite3.Connection, code: str, limit: int = EVENTS) -> dict[str, Any]:
    """The latest `limit` dated events of a country's laws, oldest first (adoption, entry
    into force, replacement, repeal), and how many there are in all."""
    total = conn.execute("SELECT count(*) FROM page_country_events WHERE country = ?", (code,)).fetchone()[0]
    latest = query_rows(
        conn,
        "SELECT date, event, law_id, law_title, other_id, other_title FROM page_country_events "
        "WHERE country = ? ORDER BY date DESC, rank DESC, law_id DESC, other_id DESC LIMIT ?",
        (code, limit),
    )
    return {"timeline": latest[::-1], "timeline_total": total}


def country_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    c = data["country"]
    return [
        answer_row({"code": c["code"], "name": c["name"]}, i["indicator"], i["answer"])
        for g in data["answers"]
        for i in g["entries"]
    ]


# --------------------------------------------------------------------------
# Progress since 2017


def progress(conn: sqlite3.Connection, today: dt.date, first_year: int = 2000) -> dict[str, Any]:
    """For each area and year, how many member states had a law in force (on
    31 December, or today for the current year)."""
    years = list(range(first_year, today.year + 1))
    days = [f"{y}-12-31" if y < today.year else today.isoformat() for y in years]
    n = conn.execute("SELECT count(*) FROM countries").fetchone()[0]
    series = []
    for a in areas(conn):
        counts = []
        for day in days:
            counts.append(
                conn.execute(
                    "SELECT count(DISTINCT country) FROM area_periods WHERE area = ? AND starts <= ? "
                    "AND (ends IS NULL OR ends > ?) AND status IN ('in-force', 'partly-in-force')",
                    (a["code"], day, day),
                ).fetchone()[0]
            )
        series.append({"area": a, "counts": counts})
    return {"today": today.isoformat(), "years": years, "days": days, "countries": n, "series": series, "programme": [2017, 2025]}


def progress_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"area": s["area"]["code"], "year": y, "on": d, "member_states_with_law_in_force": n, "member_states": data["countries"]}
        for s in data["series"]
        for y, d, n in zip(data["years"], data["days"], s["counts"], strict=True)
    ]


# --------------------------------------------------------------------------
# Codebook


def codebook(conn: sqlite3.Connection) -> dict[str, Any]:
    book = query_rows(conn, "SELECT * FROM codebook")
    changes = query_rows(conn, "SELECT version, date, summary, indicators FROM codebook_changes ORDER BY position DESC")
    counts = dict(conn.execute("SELECT indicator, count(*) FROM answers WHERE period = 0 GROUP BY indicator"))
    unknown = dict(
        conn.execute("SELECT indicator, count(*) FROM answers WHERE period = 0 AND value = 'unknown' GROUP BY indicator")
    )
    inds = indicators(conn)
    for i in inds:
        i["answered"], i["unknown"] = counts.get(i["id"], 0), unknown.get(i["id"], 0)
    return {
        "codebook": book[0] if book else None,
        "changes": changes,
        "areas": areas(conn, with_indicators=True),
        "indicators": inds,
        "answer_values": query_rows(conn, "SELECT code, label, description FROM answer_values ORDER BY position"),
        "review_statuses": query_rows(conn, "SELECT code, label, description FROM review_statuses ORDER BY position"),
    }


def codebook_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    version = data["codebook"]["version"] if data["codebook"] else None
    return [
        {
            "id": i["id"],
            "area": i["area"],
            "number": i["number"],
            "question": i["question"],
            "answer_type": i["answer_type"],
            "unit": i["unit"],
            "options": "; ".join(o["code"] for o in i["options"]),
            "reference": "; ".join(f"{r['label']}{' ' + r['article'] if r['article'] else ''}" for r in i["reference"]),
            "guidance": i["guidance"],
            "origin": i["origin"],
            "since_version": i["since_version"],
            "withdrawn_in": i["withdrawn_in"],
            "codebook_version": version,
        }
        for i in data["indicators"]
    ]
