"""The data behind the compare pages, from the built database.

Each function takes a read-only sqlite3 connection and returns plain data
(dicts and lists, ready for JSON); `*_rows` functions flatten the same data
into one row per cell for CSV. The site's plugin renders them; tests and
other tools can call them directly.

"As of" a date: laws from the `area_periods` timeline (what was in force that
day), answers from their periods (the answer that held that day). Without a
date, the current state: the records' statuses and the current answers.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import defaultdict
from typing import Any

from ingest.records import answer_view
from ingest.site.answer_rows import with_basis

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_COUNTRIES = 4


class BadRequest(ValueError):
    """A parameter a reader gave that cannot be used; the message says why."""


class NotChosenYet(BadRequest):
    """Nothing wrong was typed, only not enough chosen yet (a page shows its form, not an error)."""


def parse_as_of(value: str | None) -> str | None:
    if value is None or value.strip() == "":
        return None
    value = value.strip()
    try:
        if not DATE.match(value):
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        raise BadRequest(f"as_of {value!r} is not a date: write YYYY-MM-DD, e.g. 2020-01-01") from None
    return value


def query_rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def labels(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    return dict(conn.execute(f"SELECT code, label FROM [{table}] ORDER BY position"))


def areas(conn: sqlite3.Connection, with_indicators: bool = False) -> list[dict[str, Any]]:
    sql = "SELECT code, label, description, is_primary FROM areas"
    if with_indicators:
        sql += " WHERE code IN (SELECT area FROM indicators)"
    return query_rows(conn, sql + " ORDER BY position")


def countries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return query_rows(conn, "SELECT code, name FROM countries ORDER BY name")


# --------------------------------------------------------------------------
# Overview: member states x areas

CELL_LABELS = {"none-recorded": "No law in force recorded"}


def overview(conn: sqlite3.Connection, as_of: str | None, today: dt.date) -> dict[str, Any]:
    area_list = areas(conn)
    status_labels = {**labels(conn, "statuses"), **labels(conn, "coverage_statuses"), **CELL_LABELS}
    statements = {(r["country"], r["area"]): r for r in query_rows(conn, "SELECT country, area, status, note FROM coverage")}
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    if as_of is None:
        for r in query_rows(
            conn,
            "SELECT country, area, cell_status AS status, law_id, law_title, law_year, statement_note FROM page_area_cells",
        ):
            cells[(r["country"], r["area"])] = {
                "status": r["status"],
                "law_id": r["law_id"],
                "law_title": r["law_title"],
                "law_year": r["law_year"],
                "approx": False,
                "note": r["statement_note"],
            }
    else:
        for r in query_rows(
            conn,
            """
            SELECT p.country, p.area, p.status, p.law_id, coalesce(l.short_title, l.title) AS law_title,
                   l.year AS law_year, p.starts, p.ends, p.approx
            FROM area_periods p JOIN laws l ON l.id = p.law_id
            WHERE p.starts <= :d AND (p.ends IS NULL OR p.ends > :d)""",
            {"d": as_of},
        ):
            cells[(r["country"], r["area"])] = {
                "status": r["status"],
                "law_id": r["law_id"],
                "law_title": r["law_title"],
                "law_year": r["law_year"],
                "approx": bool(r["approx"]),
                "since": r["starts"],
                "until": r["ends"],
                "note": None,
            }
    out = []
    for c in countries(conn):
        row = {"code": c["code"], "name": c["name"], "cells": {}}
        for a in area_list:
            cell = cells.get((c["code"], a["code"]))
            if cell is None:  # as of a date with no law in force recorded
                st = statements.get((c["code"], a["code"]))
                present = as_of >= today.isoformat() if as_of else True
                if st and (present or st["status"] == "unknown"):
                    status, note = st["status"], st["note"]
                elif st and st["status"] == "partial":
                    status, note = "unknown", "Today only partly covered; what applied on that date is not recorded."
                else:
                    status, note = (
                        "none-recorded",
                        (f"Today: {st['status']}. " if st else "") + "No law record was in force in this area on that date.",
                    )
                cell = {"status": status, "law_id": None, "law_title": None, "law_year": None, "approx": False, "note": note}
            cell["label"] = status_labels.get(cell["status"], cell["status"])
            row["cells"][a["code"]] = cell
        out.append(row)
    return {"as_of": as_of, "today": today.isoformat(), "areas": area_list, "countries": out}


def overview_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {
            "country": c["code"],
            "country_name": c["name"],
            "area": a["code"],
            "status": cell["status"],
            "law_id": cell["law_id"],
            "law_title": cell["law_title"],
            "law_year": cell["law_year"],
            "approximate": int(cell["approx"]),
            "note": cell.get("note"),
        }
        for c in data["countries"]
        for a in data["areas"]
        for cell in [c["cells"][a["code"]]]
    ]


# --------------------------------------------------------------------------
# Answers


def indicators(conn: sqlite3.Connection, area: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE i.area = ?", (area,)) if area else ("", ())
    inds = query_rows(
        conn,
        f"""
        SELECT i.id, i.area, i.number, i.question, i.answer_type, i.unit, i.guidance, i.origin,
               i.since_version, i.withdrawn_in, u.label AS unit_label
        FROM indicators i LEFT JOIN units u ON u.code = i.unit {where} ORDER BY i.position""",
        params,
    )
    options: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in query_rows(conn, "SELECT indicator, code, label, description FROM indicator_options ORDER BY indicator, position"):
        options[o.pop("indicator")].append(o)
    refs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in query_rows(
        conn,
        """SELECT r.indicator, r.instrument, r.article, ii.label FROM indicator_references r
                            JOIN international_instruments ii ON ii.code = r.instrument
                            ORDER BY r.indicator, r.position""",
    ):
        refs[r.pop("indicator")].append(r)
    for i in inds:
        i["options"] = options.get(i["id"], [])
        i["reference"] = refs.get(i["id"], [])
    return inds


def _answer_filter(as_of: str | None, today: dt.date) -> tuple[str, dict[str, Any]]:
    if as_of is None:
        return "a.period = 0", {}
    # a current answer whose start is not known holds today, not on past dates
    return (
        "((a.starts <= :d AND (a.ends IS NULL OR a.ends > :d)) OR (a.starts IS NULL AND a.period = 0 AND :d >= :today))",
        {"d": as_of, "today": today.isoformat()},
    )


ANSWER_COLUMNS = (
    "country",
    "indicator",
    "period",
    "value",
    "number",
    "currency",
    "since",
    "until",
    "starts",
    "ends",
    "note",
    "verification",
    "verified_by",
    "verified_on",
    "evidence",
    "review_status",
    "reviewed_by",
    "reviewed_on",
    "dispute",
)
BASIS_COLUMNS = (
    "law_id",
    "provision",
    "provision_position",
    "law_title",
    "law_year",
    "provision_heading",
    "quote",
    "quote_lang",
    "quote_url",
)


def answers(
    conn: sqlite3.Connection,
    *,
    area: str | None = None,
    countries_in: list[str] | None = None,
    as_of: str | None = None,
    today: dt.date,
) -> dict[tuple[str, str], dict[str, Any]]:
    """The answer holding for each (country, indicator), with its legal basis
    (one query: answers joined to their basis, which carries the law titles)."""
    cond, params = _answer_filter(as_of, today)
    where = [cond]
    source = "answers a"
    if area:  # drive from the area's indicators, through the index on answers(indicator, period)
        source = "indicators i JOIN answers a ON a.indicator = i.id"
        where.append("i.area = :area")
        params["area"] = area
    if countries_in:
        marks = ",".join(f":c{i}" for i in range(len(countries_in)))
        where.append(f"a.country IN ({marks})")
        params.update({f"c{i}": c for i, c in enumerate(countries_in)})
    sql = f"""SELECT {", ".join("a." + c for c in ANSWER_COLUMNS)},
                     b.law_id, b.provision, b.provision_position, b.law_title, b.law_year, b.provision_heading,
                     b.quote, b.quote_lang, b.quote_url
              FROM {source}
              LEFT JOIN answer_basis b ON b.country = a.country AND b.indicator = a.indicator AND b.period = a.period
              WHERE {" AND ".join(where)} ORDER BY a.country, a.indicator, b.position"""
    return with_basis(conn.execute(sql, params), 2, ANSWER_COLUMNS, BASIS_COLUMNS)


def vocab(conn: sqlite3.Connection) -> dict[str, dict[str, str]]:
    """The labels an answer is read with (ingest.records.answer_view.describe)."""
    return {
        "values": labels(conn, "answer_values"),
        "verification": labels(conn, "verification_statuses"),
        "evidence": labels(conn, "evidence_levels"),
        "review": labels(conn, "review_statuses"),
    }


def answer_cell(answer: dict[str, Any] | None, words: answer_view.Vocab, ind: dict[str, Any]) -> dict[str, Any]:
    return answer_view.describe(answer, ind, words)


def area_matrix(conn: sqlite3.Connection, area: str, as_of: str | None, today: dt.date) -> dict[str, Any]:
    area_row = query_rows(conn, "SELECT code, label, description FROM areas WHERE code = ?", (area,))
    if not area_row:
        raise LookupError(area)
    inds = indicators(conn, area)
    words = vocab(conn)
    found = answers(conn, area=area, as_of=as_of, today=today)
    out = []
    for c in countries(conn):
        out.append(
            {
                "code": c["code"],
                "name": c["name"],
                "cells": {i["id"]: answer_cell(found.get((c["code"], i["id"])), words, i) for i in inds},
            }
        )
    return {
        "as_of": as_of,
        "today": today.isoformat(),
        "area": area_row[0],
        "indicators": inds,
        "countries": out,
        "areas": areas(conn, with_indicators=True),
    }


def answer_row(country: dict[str, Any], ind: dict[str, Any], cell: dict[str, Any]) -> dict[str, Any]:
    basis = "; ".join(f"{b['law_id']}{' ' + b['provision'] if b['provision'] else ''}" for b in cell.get("basis", []))
    return {
        "country": country["code"],
        "country_name": country["name"],
        "indicator": ind["id"],
        "question": ind["question"],
        "value": cell.get("value"),
        "label": cell["label"],
        "currency": cell.get("currency"),
        "since": cell.get("since"),
        "until": cell.get("until"),
        "legal_basis": basis,
        "verification": cell.get("verification"),
        "review_status": cell.get("review_status"),
        "dispute": cell.get("dispute"),
        "note": cell.get("note"),
    }


def area_matrix_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [answer_row(c, i, c["cells"][i["id"]]) for c in data["countries"] for i in data["indicators"]]


# --------------------------------------------------------------------------
# Side by side


def parse_countries(conn: sqlite3.Connection, values: list[str]) -> list[str]:
    codes: list[str] = []
    for v in values:
        for part in v.replace(" ", ",").split(","):
            code = part.strip().upper()
            if code and code not in codes:
                codes.append(code)
    known = {c["code"] for c in countries(conn)}
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise BadRequest(f"not a member state code: {', '.join(unknown)} (use {', '.join(sorted(known))})")
    if len(codes) < 2:
        raise NotChosenYet(f"choose 2 to {MAX_COUNTRIES} member states to compare (given: {len(codes)})")
    if len(codes) > MAX_COUNTRIES:
        raise BadRequest(f"choose 2 to {MAX_COUNTRIES} member states to compare (given: {len(codes)})")
    return codes


def side_by_side(
    conn: sqlite3.Connection,
    codes: list[str],
    area: str | None,
    as_of: str | None,
    today: dt.date,
    differences_only: bool = False,
) -> dict[str, Any]:
    names = {c["code"]: c["name"] for c in countries(conn)}
    if area and not conn.execute("SELECT 1 FROM areas WHERE code = ?", (area,)).fetchone():
        raise LookupError(area)
    inds = indicators(conn, area)
    words = vocab(conn)
    found = answers(conn, area=area, countries_in=codes, as_of=as_of, today=today)
    area_labels = labels(conn, "areas")
    rows = []
    for ind in inds:
        cells = [answer_cell(found.get((c, ind["id"])), words, ind) for c in codes]
        values = {(x.get("value"), x.get("currency")) for x in cells}
        differs = len(values) > 1
        if differences_only and not differs:
            continue
        rows.append({"indicator": ind, "area_label": area_labels.get(ind["area"]), "cells": cells, "differs": differs})
    return {
        "as_of": as_of,
        "today": today.isoformat(),
        "area": area,
        "countries": [{"code": c, "name": names[c]} for c in codes],
        "rows": rows,
        "differences_only": differences_only,
        "areas": areas(conn, with_indicators=True),
        "all_countries": countries(conn),
    }


def side_by_side_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {**answer_row(c, r["indicator"], cell), "differs": int(r["differs"])}
        for r in data["rows"]
        for c, cell in zip(data["countries"], r["cells"], strict=True)
    ]
