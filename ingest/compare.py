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

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_COUNTRIES = 4


class BadRequest(ValueError):
    """A parameter a reader gave that cannot be used; the message says why."""


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


def _rows(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def labels(conn: sqlite3.Connection, table: str) -> dict[str, str]:
    return dict(conn.execute(f"SELECT code, label FROM [{table}] ORDER BY position"))


def areas(conn: sqlite3.Connection, with_indicators: bool = False) -> list[dict[str, Any]]:
    sql = "SELECT code, label, description, is_primary FROM areas"
    if with_indicators:
        sql += " WHERE code IN (SELECT area FROM indicators)"
    return _rows(conn, sql + " ORDER BY position")


def countries(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    return _rows(conn, "SELECT code, name FROM countries ORDER BY name")


# --------------------------------------------------------------------------
# Overview: member states x areas

CELL_LABELS = {"none-recorded": "No law in force recorded"}


def overview(conn: sqlite3.Connection, as_of: str | None, today: dt.date) -> dict[str, Any]:
    area_list = areas(conn)
    status_labels = {**labels(conn, "statuses"), **labels(conn, "coverage_statuses"), **CELL_LABELS}
    statements = {(r["country"], r["area"]): r for r in _rows(
        conn, "SELECT country, area, status, note FROM coverage")}
    cells: dict[tuple[str, str], dict[str, Any]] = {}
    if as_of is None:
        for r in _rows(conn, "SELECT country, area, cell_status AS status, law_id, law_title, law_year, "
                             "statement_note FROM country_area_status"):
            cells[(r["country"], r["area"])] = {
                "status": r["status"], "law_id": r["law_id"], "law_title": r["law_title"], "law_year": r["law_year"],
                "approx": False, "note": r["statement_note"]}
    else:
        for r in _rows(conn, """
            SELECT p.country, p.area, p.status, p.law_id, coalesce(l.short_title, l.title) AS law_title,
                   l.year AS law_year, p.starts, p.ends, p.approx
            FROM area_periods p JOIN laws l ON l.id = p.law_id
            WHERE p.starts <= :d AND (p.ends IS NULL OR p.ends > :d)""", {"d": as_of}):
            cells[(r["country"], r["area"])] = {
                "status": r["status"], "law_id": r["law_id"], "law_title": r["law_title"], "law_year": r["law_year"],
                "approx": bool(r["approx"]), "since": r["starts"], "until": r["ends"], "note": None}
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
                    status, note = "none-recorded", (f"Today: {st['status']}. " if st else "") + \
                        "No law record was in force in this area on that date."
                cell = {"status": status, "law_id": None, "law_title": None, "law_year": None, "approx": False,
                        "note": note}
            cell["label"] = status_labels.get(cell["status"], cell["status"])
            row["cells"][a["code"]] = cell
        out.append(row)
    return {"as_of": as_of, "today": today.isoformat(), "areas": area_list, "countries": out}


def overview_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"country": c["code"], "country_name": c["name"], "area": a["code"], "status": cell["status"],
             "law_id": cell["law_id"], "law_title": cell["law_title"], "law_year": cell["law_year"],
             "approximate": int(cell["approx"]), "note": cell.get("note")}
            for c in data["countries"] for a in data["areas"] for cell in [c["cells"][a["code"]]]]


# --------------------------------------------------------------------------
# Answers

def indicators(conn: sqlite3.Connection, area: str | None = None) -> list[dict[str, Any]]:
    where, params = ("WHERE i.area = ?", (area,)) if area else ("", ())
    inds = _rows(conn, f"""
        SELECT i.id, i.area, i.number, i.question, i.answer_type, i.unit, i.guidance, i.origin,
               i.since_version, i.withdrawn_in, u.label AS unit_label
        FROM indicators i LEFT JOIN units u ON u.code = i.unit {where} ORDER BY i.position""", params)
    options: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for o in _rows(conn, "SELECT indicator, code, label, description FROM indicator_options ORDER BY indicator, position"):
        options[o.pop("indicator")].append(o)
    refs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in _rows(conn, """SELECT r.indicator, r.instrument, r.article, ii.label FROM indicator_references r
                            JOIN international_instruments ii ON ii.code = r.instrument
                            ORDER BY r.indicator, r.position"""):
        refs[r.pop("indicator")].append(r)
    for i in inds:
        i["options"] = options.get(i["id"], [])
        i["reference"] = refs.get(i["id"], [])
    return inds


def _answer_filter(as_of: str | None, today: dt.date) -> tuple[str, dict[str, Any]]:
    if as_of is None:
        return "a.period = 0", {}
    # a current answer whose start is not known holds today, not on past dates
    return ("((a.starts <= :d AND (a.ends IS NULL OR a.ends > :d)) OR "
            "(a.starts IS NULL AND a.period = 0 AND :d >= :today))", {"d": as_of, "today": today.isoformat()})


ANSWER_COLUMNS = ("country", "indicator", "period", "value", "number", "currency", "since", "until", "starts",
                  "ends", "note", "verification", "verified_by", "verified_on", "evidence", "review_status",
                  "reviewed_by", "reviewed_on", "dispute")
BASIS_COLUMNS = ("law_id", "provision", "provision_position", "law_title", "law_year", "provision_heading")


def answers(conn: sqlite3.Connection, *, area: str | None = None, countries_in: list[str] | None = None,
            as_of: str | None = None, today: dt.date) -> dict[tuple[str, str], dict[str, Any]]:
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
    sql = f"""SELECT {', '.join('a.' + c for c in ANSWER_COLUMNS)},
                     b.law_id, b.provision, b.provision_position, b.law_title, b.law_year, b.provision_heading
              FROM {source}
              LEFT JOIN answer_basis b ON b.country = a.country AND b.indicator = a.indicator AND b.period = a.period
              WHERE {' AND '.join(where)} ORDER BY a.country, a.indicator, b.position"""
    found: dict[tuple[str, str], dict[str, Any]] = {}
    n = len(ANSWER_COLUMNS)
    for row in conn.execute(sql, params):
        key = (row[0], row[1])
        answer = found.get(key)
        if answer is None:
            answer = found[key] = dict(zip(ANSWER_COLUMNS, row[:n], strict=True))
            answer["basis"] = []
        if row[n] is not None:
            answer["basis"].append(dict(zip(BASIS_COLUMNS, row[n:], strict=True)))
    return found


def _cell(answer: dict[str, Any] | None, value_labels: dict[str, str], ind: dict[str, Any]) -> dict[str, Any]:
    if answer is None:
        return {"value": None, "label": "No answer recorded", "class": "none"}
    value = answer["value"]
    options = {o["code"]: o["label"] for o in ind["options"]}
    if answer["number"] is not None:
        unit = answer["currency"] if ind["unit"] == "money" else ind["unit_label"]
        label, css = f"{_number(answer['number'])} {unit}", "number"
    elif value in options:
        label = options[value]
        css = f"option-{[o['code'] for o in ind['options']].index(value)}"
    else:
        label, css = value_labels.get(value, value), value
    flags = []
    if answer["review_status"] in ("disputed", "peer-reviewed", "internally-reviewed"):
        flags.append(answer["review_status"])
    if answer["verification"] == "unverified":
        flags.append("unverified")
    return {**answer, "label": label, "class": css, "flags": flags}


def _number(n: float) -> str:
    return f"{int(n):,}" if float(n).is_integer() else f"{n:,}"


def area_matrix(conn: sqlite3.Connection, area: str, as_of: str | None, today: dt.date) -> dict[str, Any]:
    area_row = _rows(conn, "SELECT code, label, description FROM areas WHERE code = ?", (area,))
    if not area_row:
        raise LookupError(area)
    inds = indicators(conn, area)
    value_labels = labels(conn, "answer_values")
    found = answers(conn, area=area, as_of=as_of, today=today)
    out = []
    for c in countries(conn):
        out.append({"code": c["code"], "name": c["name"],
                    "cells": {i["id"]: _cell(found.get((c["code"], i["id"])), value_labels, i) for i in inds}})
    return {"as_of": as_of, "today": today.isoformat(), "area": area_row[0], "indicators": inds,
            "countries": out, "areas": areas(conn, with_indicators=True)}


def _answer_row(country: dict[str, Any], ind: dict[str, Any], cell: dict[str, Any]) -> dict[str, Any]:
    basis = "; ".join(f"{b['law_id']}{' ' + b['provision'] if b['provision'] else ''}" for b in cell.get("basis", []))
    return {"country": country["code"], "country_name": country["name"], "indicator": ind["id"],
            "question": ind["question"], "value": cell.get("value"), "label": cell["label"],
            "currency": cell.get("currency"), "since": cell.get("since"), "until": cell.get("until"),
            "legal_basis": basis, "verification": cell.get("verification"),
            "review_status": cell.get("review_status"), "dispute": cell.get("dispute"), "note": cell.get("note")}


def area_matrix_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [_answer_row(c, i, c["cells"][i["id"]]) for c in data["countries"] for i in data["indicators"]]


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
    if not 2 <= len(codes) <= MAX_COUNTRIES:
        raise BadRequest(f"choose 2 to {MAX_COUNTRIES} member states to compare (given: {len(codes)})")
    return codes


def side_by_side(conn: sqlite3.Connection, codes: list[str], area: str | None, as_of: str | None,
                 today: dt.date, differences_only: bool = False) -> dict[str, Any]:
    names = {c["code"]: c["name"] for c in countries(conn)}
    if area and not conn.execute("SELECT 1 FROM areas WHERE code = ?", (area,)).fetchone():
        raise LookupError(area)
    inds = indicators(conn, area)
    value_labels = labels(conn, "answer_values")
    found = answers(conn, area=area, countries_in=codes, as_of=as_of, today=today)
    area_labels = labels(conn, "areas")
    rows = []
    for ind in inds:
        cells = [_cell(found.get((c, ind["id"])), value_labels, ind) for c in codes]
        values = {(x.get("value"), x.get("currency")) for x in cells}
        differs = len(values) > 1
        if differences_only and not differs:
            continue
        rows.append({"indicator": ind, "area_label": area_labels.get(ind["area"]), "cells": cells, "differs": differs})
    return {"as_of": as_of, "today": today.isoformat(), "area": area,
            "countries": [{"code": c, "name": names[c]} for c in codes], "rows": rows,
            "differences_only": differences_only, "areas": areas(conn, with_indicators=True),
            "all_countries": countries(conn)}


def side_by_side_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{**_answer_row(c, r["indicator"], cell), "differs": int(r["differs"])}
            for r in data["rows"] for c, cell in zip(data["countries"], r["cells"], strict=True)]


# --------------------------------------------------------------------------
# Country profile

def country_profile(conn: sqlite3.Connection, code: str, today: dt.date) -> dict[str, Any]:
    found = _rows(conn, "SELECT * FROM countries WHERE code = ?", (code.upper(),))
    if not found:
        raise LookupError(code)
    country = found[0]
    code = country["code"]
    status_labels = {**labels(conn, "statuses"), **labels(conn, "coverage_statuses")}
    laws_by_area = []
    laws = _rows(conn, """
        SELECT la.area, l.id, l.title, l.short_title, l.number, l.year, l.status, l.in_force, l.verification,
               la.position = 0 AS principal
        FROM law_areas la JOIN laws l ON l.id = la.law_id JOIN statuses s ON s.code = l.status
        WHERE l.country = ? ORDER BY s.position, l.year DESC, l.title""", (code,))
    cells = {r["area"]: r for r in _rows(conn, "SELECT * FROM country_area_status WHERE country = ?", (code,))}
    for a in areas(conn):
        cell = cells.get(a["code"], {})
        laws_by_area.append({
            "area": a, "status": cell.get("cell_status"), "status_label": status_labels.get(cell.get("cell_status", ""), ""),
            "principal_law": cell.get("law_id"), "statement": cell.get("statement"),
            "statement_label": status_labels.get(cell.get("statement") or ""), "statement_note": cell.get("statement_note"),
            "laws": [x for x in laws if x["area"] == a["code"]]})
    inds = indicators(conn)
    value_labels = labels(conn, "answer_values")
    current = answers(conn, countries_in=[code], today=today)
    history = _rows(conn, """SELECT indicator, period, value, currency, since, until FROM answers
                             WHERE country = ? AND period > 0 ORDER BY indicator, period""", (code,))
    past: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for h in history:
        past[h.pop("indicator")].append(h)
    answer_groups = []
    for a in areas(conn, with_indicators=True):
        items = []
        for ind in (i for i in inds if i["area"] == a["code"]):
            cell = _cell(current.get((code, ind["id"])), value_labels, ind)
            items.append({"indicator": ind, "answer": cell, "history": past.get(ind["id"], [])})
        answer_groups.append({"area": a, "entries": items})
    gaps = {
        # areas with no law in force, or with a statement on their coverage (e.g. partial)
        "areas_without_law": [x for x in laws_by_area
                              if x["status"] not in ("in-force", "partly-in-force") or x["statement"]],
        "unknown_answers": [i for g in answer_groups for i in g["entries"] if i["answer"].get("value") in (None, "unknown")],
        "disputed_answers": [i for g in answer_groups for i in g["entries"] if "disputed" in i["answer"].get("flags", [])],
    }
    counts = {"answers": sum(len(g["entries"]) for g in answer_groups),
              "unknown": len(gaps["unknown_answers"]),
              "unverified": sum("unverified" in i["answer"].get("flags", []) for g in answer_groups for i in g["entries"])}
    return {"country": country, "today": today.isoformat(), "laws_by_area": laws_by_area, "timeline": timeline(conn, code),
            "answers": answer_groups, "gaps": gaps, "counts": counts, "reviews": _reviews_of(conn, code)}


def _reviews_of(conn: sqlite3.Connection, code: str) -> dict[str, list[dict[str, Any]]]:
    """Reviews of the country's laws, and reviews of others it took part in, latest first."""
    columns = "r.id, r.title, r.type, r.status, r.planned, r.held, r.published, r.parties, r.findings, r.country"
    order = "ORDER BY coalesce(r.held, r.planned, '') DESC, r.id"
    return {
        "of": _rows(conn, f"SELECT {columns} FROM reviews r WHERE r.country = ? {order}", (code,)),
        "by": _rows(conn, f"SELECT {columns} FROM reviews r WHERE r.country != ? AND r.id IN "
                          f"(SELECT review_id FROM review_parties WHERE country = ?) {order}", (code, code)),
    }


def timeline(conn: sqlite3.Connection, code: str) -> list[dict[str, Any]]:
    """Dated events of a country's laws, oldest first: adoption, entry into force,
    replacement, repeal."""
    events = []
    for law in _rows(conn, "SELECT id, title, short_title, adopted, promulgated, in_force, repealed, status "
                           "FROM laws WHERE country = ?", (code,)):
        name = law["short_title"] or law["title"]
        for key, event in (("adopted", "adopted"), ("in_force", "came into force"), ("repealed", "repealed")):
            value = law[key]
            if key == "adopted" and not value:
                value, event = law["promulgated"], "promulgated"
            if value and value != "unknown":
                events.append({"date": value, "event": event, "law_id": law["id"], "law_title": name,
                               "other_id": None, "other_title": None})
    for r in _rows(conn, """SELECT r.law_id, r.target_id, coalesce(t.short_title, t.title) AS target_title,
                                   coalesce(l.short_title, l.title) AS law_title, l.in_force
                            FROM relations r JOIN laws l ON l.id = r.law_id JOIN laws t ON t.id = r.target_id
                            WHERE l.country = ? AND r.type = 'replaces' AND r.stated_in IN (r.law_id, r.target_id)
                            GROUP BY r.law_id, r.target_id""", (code,)):
        if r["in_force"] and r["in_force"] != "unknown":
            events.append({"date": r["in_force"], "event": "replaced", "law_id": r["law_id"],
                           "law_title": r["law_title"], "other_id": r["target_id"], "other_title": r["target_title"]})
    order = {"adopted": 0, "promulgated": 1, "came into force": 2, "repealed": 4}
    return sorted(events, key=lambda e: (e["date"], order.get(e["event"], 3), e["law_id"]))


def country_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    c = data["country"]
    return [_answer_row({"code": c["code"], "name": c["name"]}, i["indicator"], i["answer"])
            for g in data["answers"] for i in g["entries"]]


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
            counts.append(conn.execute(
                "SELECT count(DISTINCT country) FROM area_periods WHERE area = ? AND starts <= ? "
                "AND (ends IS NULL OR ends > ?) AND status IN ('in-force', 'partly-in-force')",
                (a["code"], day, day)).fetchone()[0])
        series.append({"area": a, "counts": counts})
    return {"today": today.isoformat(), "years": years, "days": days, "countries": n, "series": series,
            "programme": [2017, 2025]}


def progress_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"area": s["area"]["code"], "year": y, "on": d, "member_states_with_law_in_force": n,
             "member_states": data["countries"]}
            for s in data["series"] for y, d, n in zip(data["years"], data["days"], s["counts"], strict=True)]


# --------------------------------------------------------------------------
# Codebook

def codebook(conn: sqlite3.Connection) -> dict[str, Any]:
    book = _rows(conn, "SELECT * FROM codebook")
    changes = _rows(conn, "SELECT version, date, summary, indicators FROM codebook_changes ORDER BY position DESC")
    counts = dict(conn.execute("SELECT indicator, count(*) FROM answers WHERE period = 0 GROUP BY indicator"))
    unknown = dict(conn.execute("SELECT indicator, count(*) FROM answers WHERE period = 0 AND value = 'unknown' "
                                "GROUP BY indicator"))
    inds = indicators(conn)
    for i in inds:
        i["answered"], i["unknown"] = counts.get(i["id"], 0), unknown.get(i["id"], 0)
    return {"codebook": book[0] if book else None, "changes": changes, "areas": areas(conn, with_indicators=True),
            "indicators": inds,
            "answer_values": _rows(conn, "SELECT code, label, description FROM answer_values ORDER BY position"),
            "review_statuses": _rows(conn, "SELECT code, label, description FROM review_statuses ORDER BY position")}


def codebook_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    version = data["codebook"]["version"] if data["codebook"] else None
    return [{"id": i["id"], "area": i["area"], "number": i["number"], "question": i["question"],
             "answer_type": i["answer_type"], "unit": i["unit"],
             "options": "; ".join(o["code"] for o in i["options"]),
             "reference": "; ".join(f"{r['label']}{' ' + r['article'] if r['article'] else ''}" for r in i["reference"]),
             "guidance": i["guidance"], "origin": i["origin"], "since_version": i["since_version"],
             "withdrawn_in": i["withdrawn_in"], "codebook_version": version}
            for i in data["indicators"]]
