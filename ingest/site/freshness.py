"""Coverage and freshness: for each member state and area, what is recorded,
how far it has been checked, and what needs checking again.

Every function takes a read-only sqlite3 connection to the built database and
today's date, and returns plain data (dicts and lists, ready for JSON). The
site's /freshness page, `lawrepo stats --freshness` and tests call them.

The rules (RULES below is the text shown to readers):

- A record is **stale** when nobody checked it against its sources in the
  12 months before today: a law record whose `last_verified` is missing or
  earlier, or a current answer whose verification date is earlier. (That date
  says when a record was last gone over, not whether an official text supports
  it: ingest.site.checking reports that.) The cut-off is computed by SQLite
  (`date(today, '-12 months')`), as in the stored query of stale records.
- A **possible unrecorded replacement** is a pair of enacted laws (in force,
  partly in force, or enacted but not yet in force) of the same member state,
  principal area and instrument type, the second of a later `year` (laws
  without one are left out), whose titles have the same distinctive words
  (`title_words`), and which are not linked by any recorded relation, directly
  or through other laws of that same set. The later law may replace (or amend) the earlier one without the
  records saying so. Each later law is paired with the earliest such earlier
  law, so a chain of three unlinked laws gives two pairs.
- The **band** of a cell: `empty` when it has no law record and no current
  answer; otherwise `stale` when anything in it is stale (or a possible
  unrecorded replacement); otherwise `ageing` when its oldest check of sources is
  more than 9 months old (it turns stale within 3 months); otherwise `current`.

Laws count in every area they cover (as in `lawrepo stats`); a stale law is
listed once, under its principal area. Answers count in the area of their
indicator; withdrawn indicators and earlier answer periods are left out.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections import defaultdict
from functools import lru_cache
from typing import Any

from ingest.common.sqlrows import dict_rows
from ingest.common.text import fold

STALE_MONTHS = 12
AGEING_MONTHS = 9
STALE_LIMIT = 500
BANDS = ("current", "ageing", "stale", "empty")

RULES = {
    "stale": (
        f"Stale: a law record or current answer whose sources nobody checked in the {STALE_MONTHS} months "
        "before today (a law record without such a date counts as stale)."
    ),
    "replacement": (
        "Possible unrecorded replacement: two enacted laws of the same member state, principal area and instrument "
        "type, the second of a later year (of adoption, else promulgation, else entry into force), whose titles have "
        "the same distinctive words, with no relation recorded between them (directly or through other laws of that "
        "set); each later law is listed with the earliest such law before it. Distinctive words: the title in lower "
        "case without accents, leaving out numbers and years, 'No. N', 'Chapter N', 'Cap. N', 'B.E.', the words "
        "amend, amended, amending, amendment (and 'first', 'second'… before them), short connecting words "
        "(the, of, on, and…) and plural endings (businesses, rights); the order of the words does not matter."
    ),
}
BAND_RULES = {
    "current": f"The sources of every record in the cell were checked in the last {AGEING_MONTHS} months.",
    "ageing": (
        f"Nothing is stale yet, but the oldest check of sources is more than {AGEING_MONTHS} months old: "
        f"it turns stale within {STALE_MONTHS - AGEING_MONTHS} months."
    ),
    "stale": "At least one record in the cell is stale, or a possible unrecorded replacement involves it.",
    "empty": (
        "No law record and no answer: nothing to check. The country profile's statement (none, draft, "
        "partial, unknown) is shown when there is one."
    ),
}

# --------------------------------------------------------------------------
# Distinctive words of a title

_WORD = re.compile(r"[^\W\d_]+")
_NOISE = re.compile(
    r"""
    \b(?:no|nos|number|cap|chapter)\b\.?\s*(?=\d)         # No. 3, Cap. 88, Chapter 196 (the number goes below)
  | \bb\.\s*e\b\.?\s*(?=\d)                             # B.E. 2562
  | \b(?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|tenth)\s+(?=amend)  # Second Amendment
    """,
    re.VERBOSE,
)
_STOP_WORDS = (
    "a an and as at by for from in into its of on or the to under with amend amends amended amending amendment amendments"
)
_DROP = frozenset(_STOP_WORDS.split())


def title_words(title: str) -> frozenset[str]:
    """The distinctive words of a law's title (see RULES['replacement']).

    'Electronic Transactions Act (No. 3) B.E. 2562 (2019)' and 'Electronic
    Transactions Act B.E. 2544 (2001)' both give {act, electronic, transaction}."""
    text = _NOISE.sub(" ", (title if title.isascii() else fold(title)).lower())
    return frozenset(_singular(w) for w in set(_WORD.findall(text)) - _DROP)


@lru_cache(maxsize=65536)
def _singular(word: str) -> str:
    if len(word) <= 3 or not word.endswith("s") or word.endswith("ss"):
        return word
    if word.endswith("sses"):
        return word[:-2]
    if word.endswith("ies"):
        return word[:-3] + "y"
    return word[:-1]


# --------------------------------------------------------------------------
# The report


def cutoffs(conn: sqlite3.Connection, today: dt.date) -> tuple[str, str]:
    """(stale before, ageing before): the dates 12 and 9 months before today, as SQLite computes them."""
    stale, ageing = conn.execute(
        "SELECT date(:d, :s), date(:d, :a)",
        {"d": today.isoformat(), "s": f"-{STALE_MONTHS} months", "a": f"-{AGEING_MONTHS} months"},
    ).fetchone()
    return stale, ageing


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def _band(cell: dict[str, Any], ageing_before: str) -> str:
    if not cell["laws"] and not cell["answers"]:
        return "empty"
    if cell["stale"]:
        return "stale"
    if cell["oldest_verified"] and cell["oldest_verified"] < ageing_before:
        return "ageing"
    return "current"


LAW_CELLS = """
SELECT l.country, la.area, count(*) AS laws,
       sum(l.status IN ('in-force', 'partly-in-force', 'enacted-not-in-force')) AS enacted,
       max(l.last_verified) AS last_verified,
       min(l.last_verified) AS oldest_verified,
       sum(l.last_verified IS NULL OR l.last_verified < :stale_before) AS stale
FROM law_areas la
JOIN laws l ON l.id = la.law_id
GROUP BY l.country, la.area
"""

ANSWER_CELLS = """
SELECT a.country, i.area, count(*) AS answers,
       sum(a.value = 'unknown') AS unknown,
       sum(a.verification = 'unverified') AS unverified,
       sum(a.review_status = 'peer-reviewed') AS peer_reviewed,
       max(a.verified_on) AS last_verified,
       min(a.verified_on) AS oldest_verified,
       max(a.reviewed_on) AS last_reviewed,
       sum(a.verified_on < :stale_before) AS stale
FROM answers a
JOIN indicators i ON i.id = a.indicator
WHERE a.period = 0 AND i.withdrawn_in IS NULL
GROUP BY a.country, i.area
"""

STALE_LAWS = """
SELECT l.id AS law_id, l.country, c.name AS country_name, l.principal_area AS area, l.title, l.status,
       l.verification, l.last_verified
FROM laws l
JOIN countries c ON c.code = l.country
WHERE l.last_verified IS NULL OR l.last_verified < :stale_before
ORDER BY l.last_verified IS NOT NULL, l.last_verified, l.id
LIMIT :limit
"""

STALE_ANSWERS = """
SELECT a.country, c.name AS country_name, i.area, a.indicator, i.question, a.value, a.verification,
       a.verified_on, a.review_status
FROM answers a
JOIN indicators i ON i.id = a.indicator
JOIN countries c ON c.code = a.country
WHERE a.period = 0 AND i.withdrawn_in IS NULL AND a.verified_on < :stale_before
ORDER BY a.verified_on, a.country, i.position
LIMIT :limit
"""


# The stored query `stale_records` of datasette.yaml: the stale law records and
# answers, oldest first (never verified first); `:today` may be left empty.
STALE_RECORDS_SQL = """\
with cutoff as (
  select date(coalesce(nullif(trim(:today), ''), date('now')), '-12 months') as before
),
stale as (
  select 'law' as kind, l.country, l.principal_area as area, l.id as law_id, null as indicator,
         l.title as record, l.status as status_or_value, l.verification, l.last_verified as verified_on
  from laws l, cutoff
  where l.last_verified is null or l.last_verified < cutoff.before
  union all
  select 'answer', a.country, i.area, null, a.indicator,
         i.question, a.value, a.verification, a.verified_on
  from answers a join indicators i on i.id = a.indicator, cutoff
  where a.period = 0 and i.withdrawn_in is null and a.verified_on < cutoff.before
)
select * from stale
order by verified_on is not null, verified_on, kind desc, country, law_id, indicator"""


def replacements(conn: sqlite3.Connection) -> list[dict[str, Any]]:
    """Possible unrecorded replacements (RULES['replacement']), by country, area and year."""
    groups: dict[tuple[str, str, str, frozenset[str]], list[dict[str, Any]]] = defaultdict(list)
    group_of: dict[str, tuple[str, str, str, frozenset[str]]] = {}
    for law in dict_rows(
        conn,
        """
            SELECT id, country, principal_area AS area, instrument_type, year, title, status FROM laws
            WHERE status IN ('in-force', 'partly-in-force', 'enacted-not-in-force') AND year IS NOT NULL""",
    ):
        words = title_words(law["title"])
        if words:
            key = (law["country"], law["area"], law["instrument_type"], words)
            groups[key].append(law)
            group_of[law["id"]] = key
    parent = {law_id: law_id for law_id in group_of}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in conn.execute("SELECT DISTINCT law_id, target_id FROM relations"):
        if a in group_of and group_of.get(b) == group_of[a]:
            parent[find(a)] = find(b)
    pairs = []
    for laws in groups.values():
        if len(laws) < 2:
            continue
        laws.sort(key=lambda law: (law["year"], law["id"]))
        earliest: list[dict[str, Any]] = []  # the earliest law of the first two unlinked sets seen
        for law in laws:
            comp = find(law["id"])
            earlier = [e for e in earliest if e["year"] < law["year"] and find(e["id"]) != comp]
            if earlier:
                pairs.append(
                    {
                        "country": law["country"],
                        "area": law["area"],
                        "instrument_type": law["instrument_type"],
                        "earlier": _law_ref(earlier[0]),
                        "later": _law_ref(law),
                    }
                )
            if len(earliest) < 2 and all(find(e["id"]) != comp for e in earliest):
                earliest.append(law)
    return sorted(pairs, key=lambda p: (p["country"], p["area"], p["later"]["year"], p["later"]["id"]))


def _law_ref(law: dict[str, Any]) -> dict[str, Any]:
    return {"id": law["id"], "title": law["title"], "year": law["year"], "status": law["status"]}


def freshness(conn: sqlite3.Connection, today: dt.date, limit: int = STALE_LIMIT) -> dict[str, Any]:
    """Member states x areas with their figures and band, and the stale items
    (at most `limit` of each list; the totals count them all)."""
    stale_before, ageing_before = cutoffs(conn, today)
    params = {"stale_before": stale_before, "limit": limit}
    areas = dict_rows(
        conn,
        """
        SELECT a.code, a.label, a.is_primary, count(i.id) AS indicators FROM areas a
        LEFT JOIN indicators i ON i.area = a.code AND i.withdrawn_in IS NULL
        GROUP BY a.code ORDER BY a.position""",
    )
    countries = dict_rows(conn, "SELECT code, name FROM countries ORDER BY name")
    laws = {(r.pop("country"), r.pop("area")): r for r in dict_rows(conn, LAW_CELLS, params)}
    answers = {(r.pop("country"), r.pop("area")): r for r in dict_rows(conn, ANSWER_CELLS, params)}
    statements = {(c, a): s for c, a, s in conn.execute("SELECT country, area, status FROM coverage")}
    pairs = replacements(conn)
    pair_count: dict[tuple[str, str], int] = defaultdict(int)
    for p in pairs:
        pair_count[(p["country"], p["area"])] += 1
    bands = dict.fromkeys(BANDS, 0)
    for country in countries:
        country["cells"] = {}
        for area in areas:
            key = (country["code"], area["code"])
            cell = _cell(laws.get(key, {}), answers.get(key, {}), pair_count[key], area["indicators"])
            cell["statement"] = statements.get(key)
            cell["band"] = _band(cell, ageing_before)
            bands[cell["band"]] += 1
            country["cells"][area["code"]] = cell
    stale_laws = dict_rows(conn, STALE_LAWS, params)
    stale_answers = dict_rows(conn, STALE_ANSWERS, params)
    totals = {
        "stale_laws": conn.execute(
            "SELECT count(*) FROM laws WHERE last_verified IS NULL OR last_verified < ?", (stale_before,)
        ).fetchone()[0],
        "stale_answers": conn.execute(
            """SELECT count(*) FROM answers a JOIN indicators i ON i.id = a.indicator
                                         WHERE a.period = 0 AND i.withdrawn_in IS NULL AND a.verified_on < ?""",
            (stale_before,),
        ).fetchone()[0],
        "replacements": len(pairs),
        "bands": bands,
    }
    return {
        "today": today.isoformat(),
        "stale_before": stale_before,
        "ageing_before": ageing_before,
        "limit": limit,
        "rules": RULES,
        "band_rules": BAND_RULES,
        "areas": areas,
        "countries": countries,
        "stale_laws": stale_laws,
        "stale_answers": stale_answers,
        "replacements": pairs[:limit],
        "totals": totals,
    }


def _cell(laws: dict[str, Any], answers: dict[str, Any], pairs: int, indicators: int) -> dict[str, Any]:
    n = answers.get("answers", 0)
    verified = [v for v in (laws.get("last_verified"), answers.get("last_verified")) if v]
    oldest = [v for v in (laws.get("oldest_verified"), answers.get("oldest_verified")) if v]
    stale_laws, stale_answers = laws.get("stale", 0), answers.get("stale", 0)
    return {
        "laws": laws.get("laws", 0),
        "enacted": laws.get("enacted", 0),
        "indicators": indicators,
        "answers": n,
        "unknown": _share(answers.get("unknown", 0), n),
        "unverified": _share(answers.get("unverified", 0), n),
        "peer_reviewed": _share(answers.get("peer_reviewed", 0), n),
        "last_verified": max(verified) if verified else None,
        "oldest_verified": min(oldest) if oldest else None,
        "last_reviewed": answers.get("last_reviewed"),
        "stale_laws": stale_laws,
        "stale_answers": stale_answers,
        "replacements": pairs,
        "stale": stale_laws + stale_answers + pairs,
    }


def cell_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per member state and area, for CSV."""
    return [
        {"country": c["code"], "country_name": c["name"], "area": a["code"], **_flat(c["cells"][a["code"]])}
        for c in data["countries"]
        for a in data["areas"]
    ]


def _flat(cell: dict[str, Any]) -> dict[str, Any]:
    return {
        k: cell[k]
        for k in (
            "band",
            "laws",
            "enacted",
            "indicators",
            "answers",
            "unknown",
            "unverified",
            "peer_reviewed",
            "last_verified",
            "oldest_verified",
            "last_reviewed",
            "stale_laws",
            "stale_answers",
            "replacements",
            "statement",
        )
    }
