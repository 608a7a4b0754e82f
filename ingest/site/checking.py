"""What is still to be checked against the official texts, from the built
database: each member state's figures (those `lawrepo stats` prints), the law
records not yet checked with what each still lacks, and the legal bases of
known answers that carry no quote. Shown on the coverage and freshness page.

A record lacks a fact when no official source of it supports that fact
(`ingest.rules.verification.unsupported`, kept by the build in
`laws.unsupported`), or is unverified because some of its facts rest on weak
sources (`laws.evidence`). Nearest to checked come first: a reviewer with one
official page to read can finish those.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from ingest.common.sqlrows import dict_rows
from ingest.rules.verification import OFFICIAL_LINK
from ingest.site import verification_table

LIMIT = 500  # rows of each list on the page; the totals count them all

# the law records not yet checked, and the legal bases of known answers without a quote
LAWS_FROM = """
FROM laws l JOIN countries c ON c.code = l.country
WHERE l.verification = 'unverified'
"""
BASES_FROM = """
FROM answer_basis b
JOIN answers a ON a.country = b.country AND a.indicator = b.indicator AND a.period = b.period
JOIN indicators i ON i.id = b.indicator
JOIN areas ar ON ar.code = i.area
JOIN countries c ON c.code = b.country
WHERE b.period = 0 AND a.value != 'unknown' AND b.quote IS NULL
"""

LAWS = f"""
SELECT l.country, c.name AS country_name, l.id AS law_id, l.title, l.status, l.evidence,
       coalesce(l.unsupported, '[]') AS unsupported
{LAWS_FROM}
ORDER BY c.name, json_array_length(coalesce(l.unsupported, '[]')) + (l.evidence != 'seen'), l.title, l.id
LIMIT :limit
"""

BASES = f"""
SELECT b.country, c.name AS country_name, b.indicator, i.question, a.value,
       b.law_id, b.law_title, b.provision
{BASES_FROM}
ORDER BY c.name, ar.position, i.position, b.position
LIMIT :limit
"""

# The stored query `records_to_check` of datasette.yaml: the whole of both
# lists, law records first in each member state (the same SQL is there).
RECORDS_TO_CHECK_SQL = """
select * from (
  select l.country, 'law' as kind, l.id as law_id, null as indicator, l.title as record,
         l.status as status_or_value, l.evidence,
         (select group_concat(j.value, '; ') from json_each(coalesce(l.unsupported, '[]')) j) as lacks
  from laws l
  where l.verification = 'unverified'
  union all
  select b.country, 'legal basis', b.law_id, b.indicator, i.question, a.value, a.evidence,
         'a quote of ' || b.law_title || coalesce(', ' || b.provision, '')
  from answer_basis b
  join answers a on a.country = b.country and a.indicator = b.indicator and a.period = b.period
  join indicators i on i.id = b.indicator
  where b.period = 0 and a.value != 'unknown' and b.quote is null
)
order by country, kind = 'legal basis', record, law_id
"""

FACT_LABELS = {
    "number": "number",
    "status": "status",
    "dates.adopted": "adoption date",
    "dates.promulgated": "promulgation date",
    "dates.in_force": "in-force date",
    "dates.repealed": "repeal date",
    OFFICIAL_LINK: "a link to the official text",
}

EVIDENCE_LABELS = {
    "weak-source": "some facts rest on weak sources only",
    "partly-recalled": "some facts are recalled, not seen in a source",
    "recalled": "its facts are recalled, not seen in a source",
}


def fact_label(fact: str) -> str:
    """A fact as `unsupported` names it, in words for the page."""
    return FACT_LABELS.get(fact, fact)


def lacks(unsupported: list[str], evidence: str) -> list[str]:
    """What keeps a law record from being checked, in words: its facts no
    official source supports, then the weakness of its evidence, if any."""
    provisions = [f.removeprefix("provision ") for f in unsupported if f.startswith("provision ")]
    out = [fact_label(f) for f in unsupported if not f.startswith("provision ")]
    if provisions:
        out.append(f"provision{'s' if len(provisions) > 1 else ''} {', '.join(provisions)}")
    if evidence in EVIDENCE_LABELS:
        out.append(EVIDENCE_LABELS[evidence])
    return out


def report(conn: sqlite3.Connection, limit: int = LIMIT) -> dict[str, Any]:
    """The figures per member state (and all of them, last), and at most
    `limit` rows of each list; `totals` counts the lists whole."""
    laws = dict_rows(conn, LAWS, {"limit": limit})
    for row in laws:
        row["lacks"] = lacks(json.loads(row.pop("unsupported")), row["evidence"])
    bases = dict_rows(conn, BASES, {"limit": limit})
    totals = {
        "laws": conn.execute(f"SELECT count(*) {LAWS_FROM}").fetchone()[0],
        "bases": conn.execute(f"SELECT count(*) {BASES_FROM}").fetchone()[0],
    }
    return {
        "states": verification_table.rows(conn),
        "legend": verification_table.LEGEND,
        "laws": laws,
        "bases": bases,
        "totals": totals,
        "limit": limit,
    }
