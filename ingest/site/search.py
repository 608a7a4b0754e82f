"""The data of the search page (/search, plugins/search_page.py): the laws a
search finds, on one read-only connection.

Looks in three full-text indexes and merges the hits per law:
- `laws_fts`: English titles, short titles, numbers, summaries, and local
  titles as written and without diacritics (so "giao dich dien tu" finds
  "Luật Giao dịch điện tử");
- `law_titles_fts` (trigram): any part of a local-language title, for scripts
  written without spaces (Thai, Khmer, Lao, Burmese); three characters or more;
- `provisions_fts`: provision references, headings and summaries.

Before them, the `aliases` table (built by ingest/build/aliases.py): a search
that is, once spaces, punctuation, diacritics and "No."/"of"/"Tahun" are set
aside (ingest.common.text.search_key), one of the ways a law is cited ("UU
27/2022", "RA 10173", "Nghị định 13/2023/NĐ-CP", "PDPA 2012", "2562") puts
that law first, an exact number before a short title before a Thai year; a
search that names a member state ("Vietnam", "Burma", "VNM", "ประเทศไทย")
links its page and lists its laws. Digits of Thai, Lao, Khmer and Burmese are
read as the digits they are. A search that finds nothing suggests the nearest
titles (ingest/site/suggest.py).

Every full-text query ranks a bounded candidate set, so a search finishes
well inside the time limit at 100,000 laws (`CANDIDATES`).
"""

from __future__ import annotations

import json
import sqlite3
import unicodedata
from typing import Any

from datasette.utils import escape_fts

from ingest.common.sqlrows import dict_rows
from ingest.common.text import fold, search_key
from ingest.site.suggest import nearest, prefix_query

LIMIT = 100

# At 100,000 laws a common word matches tens of thousands of rows, and ranking
# them all (bm25 on every match) does not finish inside the time limit under
# load. So each full-text query ranks a bounded candidate set: the first
# CANDIDATES matches in the index's own order (newest rows first), ranked by
# bm25 in a LIMITed subquery. Under CANDIDATES matches, every match is ranked.
CANDIDATES = 2000
LAW_SQL = """
select l.id, l.title, l.short_title, l.number, l.country, c.name as country_name, l.year, l.status,
       s.label as status_label, m.rank
from (select rowid, rank from laws_fts where laws_fts match :q order by rowid desc limit :candidates) m
join laws l on l.rowid = m.rowid
join countries c on c.code = l.country join statuses s on s.code = l.status
order by m.rank limit :limit
"""
TITLE_SQL = """
select t.law_id as id, t.lang, t.title as matched
from law_titles_fts join law_titles t on t.rowid = law_titles_fts.rowid
where law_titles_fts match :q limit :limit
"""
PROVISION_SQL = """
select p.law_id as id, p.ref, p.heading
from (select rowid, rank from provisions_fts where provisions_fts match :q order by rowid desc limit :candidates) m
join provisions p on p.rowid = m.rowid
order by m.rank limit :limit
"""
ALIAS_SQL = """
select law_id, country, alias, form from aliases where key = :key order by rank, law_id
"""
COUNTRY_LAWS_SQL = """
select l.id from laws l
where l.country = :country order by l.status in ('in-force', 'partly-in-force') desc, l.year desc, l.title
limit :limit
"""
COUNTRIES_SQL = "select code, name from countries where code in (select value from json_each(:codes)) order by name"
# The nearest titles are looked for among a bounded set of laws: those with a
# title, short title, number or local title word sharing its first letters
# with a word of the search (ingest/site/suggest.py prefix_query), best first.
SUGGEST_CANDIDATES = 100
SUGGEST_SQL = """
select l.id, l.title, l.short_title, l.number, l.country, c.name as country_name, l.year,
       (select json_group_array(a.alias) from aliases a where a.law_id = l.id) as aliases,
       (select json_group_array(t.title) from law_titles t where t.law_id = l.id) as local_titles
from (select rowid from (select rowid, rank from laws_fts where laws_fts match :q order by rowid desc limit :scan)
      order by rank limit :candidates) m
join laws l on l.rowid = m.rowid join countries c on c.code = l.country
"""
LAWS_BY_ID = """
select l.id, l.title, l.short_title, l.number, l.country, c.name as country_name, l.year, l.status,
       s.label as status_label
from laws l join countries c on c.code = l.country join statuses s on s.code = l.status
where l.id in (select value from json_each(:ids))
"""


def phrase(text: str) -> str:
    """A query that matches `text` as a phrase (for the trigram index: a substring)."""
    return '"' + text.replace('"', '""') + '"'


def ascii_digits(text: str) -> str:
    """Thai, Lao, Khmer, Burmese (and any other) decimal digits as ASCII digits."""
    return "".join(str(d) if (d := unicodedata.decimal(ch, None)) is not None else ch for ch in text)


def cited(conn: sqlite3.Connection, q: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The laws `q` cites exactly, best form first, and the member states it names."""
    laws: dict[str, dict[str, Any]] = {}
    countries: list[str] = []
    for row in dict_rows(conn, ALIAS_SQL, {"key": search_key(q)}):
        if row["law_id"] is None:
            countries.append(row["country"])
        else:
            laws.setdefault(row["law_id"], {"id": row["law_id"], "cited_as": row["alias"], "cited_form": row["form"]})
    return list(laws.values()), sorted(set(countries))


def suggestions(conn: sqlite3.Connection, q: str) -> list[dict[str, Any]]:
    """The laws whose titles, short titles or aliases come nearest to `q`."""
    query = prefix_query(q)
    if not query:
        return []
    laws = []
    params = {"q": query, "scan": CANDIDATES, "candidates": SUGGEST_CANDIDATES}
    for row in dict_rows(conn, SUGGEST_SQL, params):
        texts = [row["title"], row["short_title"], *json.loads(row.pop("aliases")), *json.loads(row.pop("local_titles"))]
        laws.append({**row, "texts": texts})
    return nearest(q, laws)


def search(conn: sqlite3.Connection, q: str) -> list[dict[str, Any]]:
    """Laws matching `q`, best first, each with what matched."""
    results: list[dict[str, Any]] = search_all(conn, q)["results"]
    return results


def search_all(conn: sqlite3.Connection, q: str) -> dict[str, Any]:
    """Laws matching `q`, best first (those it cites exactly, then those of a
    member state it names, then full-text matches); the member states it names;
    and, when nothing matched, suggestions."""
    q = " ".join("".join(ch if ch.isprintable() else " " for ch in q).split())[:200]  # FTS5 stops at NUL
    q = ascii_digits(q)
    if not q:
        return {"results": [], "countries": [], "suggestions": []}
    exact, country_codes = cited(conn, q)
    hits: dict[str, dict[str, Any]] = {}
    for row in exact:
        hits[row["id"]] = {**row, "matched_titles": [], "matched_provisions": []}
    for code in country_codes:
        for row in dict_rows(conn, COUNTRY_LAWS_SQL, {"country": code, "limit": LIMIT}):
            hits.setdefault(row["id"], {"id": row["id"], "matched_titles": [], "matched_provisions": []})

    def hit(row: dict[str, Any]) -> dict[str, Any]:
        return hits.setdefault(row["id"], {**row, "matched_titles": [], "matched_provisions": []})

    words = {escape_fts(q), escape_fts(fold(q))} - {""}  # nothing left to match (only quotes): no query
    for query in sorted(words):
        for row in dict_rows(conn, LAW_SQL, {"q": query, "limit": LIMIT, "candidates": CANDIDATES}):
            hit(row)
    if len(q) >= 3:
        seen_titles: set[tuple[str, str]] = set()
        for query in sorted({phrase(q), phrase(fold(q))}):
            for row in dict_rows(conn, TITLE_SQL, {"q": query, "limit": LIMIT}):
                if (row["id"], row["matched"]) not in seen_titles:
                    seen_titles.add((row["id"], row["matched"]))
                    hits.setdefault(row["id"], {"id": row["id"], "matched_titles": [], "matched_provisions": []})[
                        "matched_titles"
                    ].append({"lang": row["lang"], "title": row["matched"]})
    fts_q = escape_fts(q)
    provision_rows = dict_rows(conn, PROVISION_SQL, {"q": fts_q, "limit": LIMIT, "candidates": CANDIDATES}) if fts_q else []
    for row in provision_rows:
        hits.setdefault(row["id"], {"id": row["id"], "matched_titles": [], "matched_provisions": []})[
            "matched_provisions"
        ].append({"ref": row["ref"], "heading": row["heading"]})
    missing = [i for i, h in hits.items() if "title" not in h]
    if missing:
        for row in dict_rows(conn, LAWS_BY_ID, {"ids": json.dumps(missing)}):
            hits[row["id"]].update(row)
    countries = dict_rows(conn, COUNTRIES_SQL, {"codes": json.dumps(country_codes)}) if country_codes else []
    results = list(hits.values())[:LIMIT]
    return {"results": results, "countries": countries, "suggestions": [] if results else suggestions(conn, q)}
