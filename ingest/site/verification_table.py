"""How far each member state's records and answers are checked, from the built
database: the figures `lawrepo stats` prints under the coverage matrix."""

from __future__ import annotations

import sqlite3
import textwrap
from typing import Any

SQL = """
WITH law_counts AS (
  SELECT country,
         count(*) AS laws,
         sum(verification != 'unverified') AS checked,
         sum(status IN ('in-force', 'partly-in-force')) AS in_force,
         sum(status IN ('in-force', 'partly-in-force')
             AND EXISTS (SELECT 1 FROM links k WHERE k.law_id = laws.id AND k.official_text)) AS in_force_linked
  FROM laws GROUP BY country
), answer_counts AS (
  SELECT country,
         count(*) AS answers,
         sum(value != 'unknown') AS known,
         sum(verification != 'unverified') AS answers_checked
  FROM answers WHERE period = 0 GROUP BY country
), basis_counts AS (
  SELECT b.country, count(*) AS bases, sum(b.quote IS NOT NULL) AS quoted
  FROM answer_basis b JOIN answers a USING (country, indicator, period)
  WHERE b.period = 0 AND a.value != 'unknown' GROUP BY b.country
)
SELECT c.code, c.name,
       coalesce(l.laws, 0), coalesce(l.checked, 0), coalesce(l.in_force, 0), coalesce(l.in_force_linked, 0),
       coalesce(a.answers, 0), coalesce(a.known, 0), coalesce(a.answers_checked, 0),
       coalesce(b.bases, 0), coalesce(b.quoted, 0)
FROM countries c
LEFT JOIN law_counts l ON l.country = c.code
LEFT JOIN answer_counts a ON a.country = c.code
LEFT JOIN basis_counts b ON b.country = c.code
ORDER BY c.name
"""
# What each figure counts, in words: the legend of `lawrepo stats` and of the site's table.
LEGEND = {
    "Laws checked": "law records whose number, dates, status and provisions official sources support "
    "(checked-official-text or peer-reviewed).",
    "In force, linked": "laws in force with a link to an official text.",
    "Answers known": "current answers other than unknown.",
    "Answers checked": "answers whose every legal basis carries a quote from an official text.",
    "Bases quoted": "legal bases of known answers with a quote.",
}

COLUMNS = (
    "code",
    "name",
    "laws",
    "checked",
    "in_force",
    "in_force_linked",
    "answers",
    "known",
    "answers_checked",
    "bases",
    "quoted",
)


def rows(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """One row per member state, and a last row for all of them."""
    out = [dict(zip(COLUMNS, r, strict=True)) for r in conn.execute(SQL)]
    total: dict[str, Any] = {"code": "", "name": "All member states"}
    total.update({k: sum(r[k] for r in out) for k in COLUMNS[2:]})
    return [*out, total]


def _share(part: int, whole: int) -> str:
    return f"{part}/{whole} {part / whole:>4.0%}" if whole else f"{part}/{whole}    -"


def text_table(conn: sqlite3.Connection) -> str:
    """The figures as an aligned plain-text table with a legend."""
    head = ["Member state", "Laws checked", "In force, linked", "Answers known", "Answers checked", "Bases quoted"]
    body = [
        [
            r["name"],
            _share(r["checked"], r["laws"]),
            _share(r["in_force_linked"], r["in_force"]),
            _share(r["known"], r["answers"]),
            _share(r["answers_checked"], r["answers"]),
            _share(r["quoted"], r["bases"]),
        ]
        for r in rows(conn)
    ]
    widths = [max(len(str(line[i])) for line in [head, *body]) for i in range(len(head))]
    lines = [
        "  ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
        for line in [head, ["-" * w for w in widths], *body]
    ]
    return "\n".join(lines) + "\n\n" + textwrap.fill(" ".join(f"{k}: {v}" for k, v in LEGEND.items()), 100) + "\n"
