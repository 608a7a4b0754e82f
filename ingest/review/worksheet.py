"""Review worksheets: a member state's laws and answers, ready for a review
meeting, as Markdown, CSV or printable HTML (A4).

The CSV is also the form a review secretariat fills in and gives back to
`lawrepo review import`: one row per indicator, the columns up to
`open_questions` pre-filled for information, the columns from `assessment`
on left for the meeting.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

from ingest.common.csvtext import table_csv
from ingest.records import answer_view

INFO_COLUMNS = [
    "country",
    "area",
    "indicator",
    "question",
    "current_answer",
    "legal_basis",
    "since",
    "verification",
    "evidence",
    "review_status",
    "open_questions",
]
FILL_COLUMNS = ["assessment", "comment", "recommendation", "response", "dispute"]
COLUMNS = INFO_COLUMNS + FILL_COLUMNS


@dataclass
class Sheet:
    country: dict[str, Any]
    areas: list[dict[str, Any]]
    laws: list[dict[str, Any]]
    rows: list[dict[str, Any]]
    codebook: str
    vocab: dict[str, list[tuple[str, str]]]
    cells: dict[str, dict[str, Any]] = field(default_factory=dict)  # indicator -> the answer described for reading


def _dicts(conn: sqlite3.Connection, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def load(conn: sqlite3.Connection, code: str, areas: list[str] | None = None) -> Sheet:
    """The worksheet's content; LookupError for an unknown country or area."""
    found = _dicts(conn, "SELECT code, name FROM countries WHERE code = ?", (code.upper(),))
    if not found:
        raise LookupError(f"no member state has the code {code!r}")
    country = found[0]
    all_areas = _dicts(conn, "SELECT code, label FROM areas WHERE code IN (SELECT area FROM indicators) ORDER BY position")
    if areas:
        unknown = sorted(set(areas) - {a["code"] for a in all_areas})
        if unknown:
            raise LookupError(
                f"no indicators in the area(s) {', '.join(unknown)} (areas: {', '.join(a['code'] for a in all_areas)})"
            )
        all_areas = [a for a in all_areas if a["code"] in areas]
    wanted = [a["code"] for a in all_areas]
    marks = ",".join("?" * len(wanted))
    laws = _dicts(
        conn,
        f"""
        SELECT la.area, l.id, l.title, l.number, l.status, l.in_force, l.verification
        FROM law_areas la JOIN laws l ON l.id = la.law_id JOIN statuses s ON s.code = l.status
        WHERE l.country = ? AND la.area IN ({marks}) ORDER BY la.area, s.position, l.year DESC, l.title""",
        (country["code"], *wanted),
    )
    rows = _dicts(
        conn,
        f"""
        SELECT i.area, i.id AS indicator, i.question, i.unit, i.basis_required, a.value, a.currency, a.since,
               a.starts, a.verification, a.evidence, a.review_status, a.dispute, a.note,
               (SELECT group_concat(b.law_title || coalesce(', ' || b.provision, ''), '; ')
                  FROM answer_basis b WHERE b.country = a.country AND b.indicator = a.indicator AND b.period = 0)
                 AS legal_basis
        FROM indicators i
        LEFT JOIN answers a ON a.indicator = i.id AND a.country = ? AND a.period = 0
        WHERE i.area IN ({marks}) AND i.withdrawn_in IS NULL ORDER BY i.position""",
        (country["code"], *wanted),
    )
    for r in rows:
        r["open_questions"] = "; ".join(open_questions(r))
    book = conn.execute("SELECT version, date FROM codebook").fetchone()
    vocab = {
        name: [tuple(x) for x in conn.execute(f"SELECT code, label FROM {name} ORDER BY position")]
        for name in ("assessments", "responses")
    }
    sheet = Sheet(country, all_areas, laws, rows, f"{book[0]} of {book[1]}" if book else "", vocab)
    sheet.cells = _cells(conn, country["code"], [r["indicator"] for r in rows])
    return sheet


def _cells(conn: sqlite3.Connection, code: str, wanted: list[str]) -> dict[str, dict[str, Any]]:
    """The current answers described as every page shows them (ingest.records.answer_view)."""
    words = {
        key: dict(conn.execute(f"SELECT code, label FROM {table}"))
        for key, table in (
            ("values", "answer_values"),
            ("verification", "verification_statuses"),
            ("evidence", "evidence_levels"),
            ("review", "review_statuses"),
        )
    }
    options: dict[str, list[dict[str, Any]]] = {}
    for o in _dicts(conn, "SELECT indicator, code, label FROM indicator_options ORDER BY indicator, position"):
        options.setdefault(o.pop("indicator"), []).append(o)
    out = {}
    sql = "SELECT i.id, i.question, i.unit, u.label AS unit_label FROM indicators i LEFT JOIN units u ON u.code = i.unit"
    for ind in _dicts(conn, sql):
        if ind["id"] not in wanted:
            continue
        found = _dicts(conn, "SELECT * FROM answers WHERE country = ? AND indicator = ? AND period = 0", (code, ind["id"]))
        answer = found[0] if found else None
        if answer is not None:
            answer["basis"] = _dicts(
                conn,
                "SELECT law_id, provision, provision_position, law_title FROM answer_basis "
                "WHERE country = ? AND indicator = ? AND period = 0 ORDER BY position",
                (code, ind["id"]),
            )
        out[ind["id"]] = answer_view.describe(answer, {**ind, "options": options.get(ind["id"], [])}, words)
        out[ind["id"]]["question"] = ind["question"]
    return out


def open_questions(row: dict[str, Any]) -> list[str]:
    """What a review meeting should settle about this answer."""
    out = []
    if row["value"] is None:
        out.append("no answer recorded")
    elif row["value"] == "unknown":
        out.append("unknown")
    if row["value"] is not None and row["verification"] == "unverified":
        out.append("unverified")
    if row["review_status"] == "disputed":
        out.append(f"disputed: {row['dispute']}" if row.get("dispute") else "disputed")
    if row["value"] not in (None, "unknown", "no", "not-applicable") and not row["legal_basis"] and row["basis_required"]:
        out.append("no legal basis cited")
    return out


def _answer(row: dict[str, Any]) -> str:
    if row["value"] is None:
        return ""
    if row["currency"]:
        return f"{row['value']} {row['currency']}"
    return f"{row['value']} {row['unit']}" if row["unit"] in ("hours", "days") else row["value"]


def to_csv(sheet: Sheet) -> str:
    return table_csv(
        COLUMNS,
        (
            [
                sheet.country["code"],
                r["area"],
                r["indicator"],
                r["question"],
                _answer(r),
                r["legal_basis"] or "",
                r["since"] or "",
                r["verification"] or "",
                r["evidence"] or "",
                r["review_status"] or "",
                r["open_questions"],
                "",
                "",
                "",
                "",
                "",
            ]
            for r in sheet.rows
        ),
    )


def _md(text: Any) -> str:
    return str(text or "").replace("|", "\\|").replace("\n", " ")


def to_markdown(sheet: Sheet) -> str:
    c = sheet.country
    out = [
        f"# Review worksheet: {c['name']} ({c['code']})",
        "",
        f"Indicators of codebook version {sheet.codebook}. Answers as recorded in the repository; "
        "open questions are unknown, unverified, disputed or uncited answers.",
        "",
        "For each question, the meeting records an assessment ("
        + ", ".join(x for x, _ in sheet.vocab["assessments"])
        + "), a comment, a recommendation, and the reviewed state's response ("
        + ", ".join(x for x, _ in sheet.vocab["responses"])
        + "), with the ground of any dispute.",
        "",
    ]
    for a in sheet.areas:
        out += [f"## {a['label']}", "", "### Laws", ""]
        laws = [x for x in sheet.laws if x["area"] == a["code"]]
        if laws:
            out += ["| Law | Number | Status | In force |", "|---|---|---|---|"]
            out += [f"| {_md(x['title'])} | {_md(x['number'])} | {x['status']} | {x['in_force'] or ''} |" for x in laws]
        else:
            out.append("No law recorded.")
        out += [
            "",
            "### Questions",
            "",
            "| Question | Answer | Legal basis | Since | Open questions | Assessment | Comment | Recommendation | Response |",
            "|---|---|---|---|---|---|---|---|---|",
        ]
        for r in (r for r in sheet.rows if r["area"] == a["code"]):
            out.append(
                f"| {_md(r['question'])} `{r['indicator']}` | {_md(_answer(r))} | {_md(r['legal_basis'])} | "
                f"{r['since'] or ''} | {_md(r['open_questions'])} |  |  |  |  |"
            )
        out.append("")
    return "\n".join(out)


_ENV = Environment(
    loader=PackageLoader("ingest.review", "templates"),
    autoescape=True,
    trim_blocks=True,
    lstrip_blocks=True,
    undefined=StrictUndefined,
)


def to_html(sheet: Sheet) -> str:
    """The worksheet as one HTML page that prints on A4 (templates/worksheet.html). Each answer is shown
    as the site shows it; its links start with LAWREPO_BASE_URL (the site's address) when that is set."""
    base = os.environ.get("LAWREPO_BASE_URL", "").rstrip("/")
    code = sheet.country["code"]

    def shown(r: dict[str, Any]) -> Any:
        cell = sheet.cells[r["indicator"]]
        return answer_view.render(cell, base, country=code, indicator=r["indicator"], question=cell["question"])

    areas = [
        (
            a,
            [x for x in sheet.laws if x["area"] == a["code"]],
            [dict(r, answer=shown(r)) for r in sheet.rows if r["area"] == a["code"]],
        )
        for a in sheet.areas
    ]
    return _ENV.get_template("worksheet.html").render(sheet=sheet, areas=areas)


RENDER = {"md": to_markdown, "csv": to_csv, "html": to_html}
