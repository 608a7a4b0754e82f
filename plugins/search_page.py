"""One search box for the whole repository: /search?q=...

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

Works without JavaScript; `?q=...&_format=json` gives the same results as JSON.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

from datasette import Response, hookimpl
from datasette.utils import escape_fts

from ingest.common.text import fold, search_key
from ingest.site import origin
from ingest.site.suggest import nearest

LIMIT = 100

LAW_SQL = """
select l.id, l.title, l.short_title, l.number, l.country, c.name as country_name, l.year, l.status,
       s.label as status_label, bm25(laws_fts) as rank
from laws_fts join laws l on l.rowid = laws_fts.rowid
join countries c on c.code = l.country join statuses s on s.code = l.status
where laws_fts match :q order by rank limit :limit
"""
TITLE_SQL = """
select t.law_id as id, t.lang, t.title as matched
from law_titles_fts join law_titles t on t.rowid = law_titles_fts.rowid
where law_titles_fts match :q limit :limit
"""
PROVISION_SQL = """
select p.law_id as id, p.ref, p.heading
from provisions_fts join provisions p on p.rowid = provisions_fts.rowid
where provisions_fts match :q order by bm25(provisions_fts) limit :limit
"""
ALIAS_SQL = """
select law_id, country, alias, form from aliases where key = :key order by rank, law_id
"""
COUNTRY_LAWS_SQL = """
select l.id from laws l
where l.country = :country order by l.status in ('in-force', 'partly-in-force') desc, l.year desc, l.title
"""
COUNTRIES_SQL = "select code, name from countries where code in (select value from json_each(:codes)) order by name"
SUGGEST_SQL = """
select l.id, l.title, l.short_title, l.number, l.country, c.name as country_name, l.year,
       json_group_array(a.alias) as aliases,
       (select json_group_array(t.title) from law_titles t where t.law_id = l.id) as local_titles
from laws l join countries c on c.code = l.country left join aliases a on a.law_id = l.id
group by l.id
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


async def cited(db: Any, q: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The laws `q` cites exactly, best form first, and the member states it names."""
    laws: dict[str, dict[str, Any]] = {}
    countries: list[str] = []
    for row in (await db.execute(ALIAS_SQL, {"key": search_key(q)})).dicts():
        if row["law_id"] is None:
            countries.append(row["country"])
        else:
            laws.setdefault(row["law_id"], {"id": row["law_id"], "cited_as": row["alias"], "cited_form": row["form"]})
    return list(laws.values()), sorted(set(countries))


async def suggestions(db: Any, q: str) -> list[dict[str, Any]]:
    """The laws whose titles, short titles or aliases come nearest to `q`."""
    laws = []
    for row in (await db.execute(SUGGEST_SQL)).dicts():
        texts = [row["title"], row["short_title"], *json.loads(row.pop("aliases")), *json.loads(row.pop("local_titles"))]
        laws.append({**row, "texts": texts})
    return nearest(q, laws)


async def search(db: Any, q: str) -> list[dict[str, Any]]:
    """Laws matching `q`, best first, each with what matched."""
    return (await search_all(db, q))["results"]


async def search_all(db: Any, q: str) -> dict[str, Any]:
    """Laws matching `q`, best first (those it cites exactly, then those of a
    member state it names, then full-text matches); the member states it names;
    and, when nothing matched, suggestions."""
    q = " ".join("".join(ch if ch.isprintable() else " " for ch in q).split())[:200]  # FTS5 stops at NUL
    q = ascii_digits(q)
    if not q:
        return {"results": [], "countries": [], "suggestions": []}
    exact, country_codes = await cited(db, q)
    hits: dict[str, dict[str, Any]] = {}
    for row in exact:
        hits[row["id"]] = {**row, "matched_titles": [], "matched_provisions": []}
    for code in country_codes:
        for row in (await db.execute(COUNTRY_LAWS_SQL, {"country": code})).dicts():
            hits.setdefault(row["id"], {"id": row["id"], "matched_titles": [], "matched_provisions": []})

    def hit(row: dict[str, Any]) -> dict[str, Any]:
        return hits.setdefault(row["id"], {**row, "matched_titles": [], "matched_provisions": []})

    words = {escape_fts(q), escape_fts(fold(q))} - {""}  # nothing left to match (only quotes): no query
    for query in sorted(words):
        for row in (await db.execute(LAW_SQL, {"q": query, "limit": LIMIT})).dicts():
            hit(row)
    if len(q) >= 3:
        seen_titles: set[tuple[str, str]] = set()
        for query in sorted({phrase(q), phrase(fold(q))}):
            for row in (await db.execute(TITLE_SQL, {"q": query, "limit": LIMIT})).dicts():
                if (row["id"], row["matched"]) not in seen_titles:
                    seen_titles.add((row["id"], row["matched"]))
                    hits.setdefault(row["id"], {"id": row["id"], "matched_titles": [], "matched_provisions": []})[
                        "matched_titles"
                    ].append({"lang": row["lang"], "title": row["matched"]})
    for row in (await db.execute(PROVISION_SQL, {"q": escape_fts(q), "limit": LIMIT})).dicts() if escape_fts(q) else []:
        hits.setdefault(row["id"], {"id": row["id"], "matched_titles": [], "matched_provisions": []})[
            "matched_provisions"
        ].append({"ref": row["ref"], "heading": row["heading"]})
    missing = [i for i, h in hits.items() if "title" not in h]
    if missing:
        for row in (await db.execute(LAWS_BY_ID, {"ids": json.dumps(missing)})).dicts():
            hits[row["id"]].update(row)
    countries = (await db.execute(COUNTRIES_SQL, {"codes": json.dumps(country_codes)})).dicts() if country_codes else []
    results = list(hits.values())[:LIMIT]
    return {"results": results, "countries": countries, "suggestions": [] if results else await suggestions(db, q)}


async def search_view(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")[:1000]
    found = await search_all(origin.database(datasette), q)
    if request.args.get("_format") == "json":
        return Response.json({"q": q, **found})
    return Response.html(await datasette.render_template("search.html", {"q": q, **found}, request=request))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/search$", search_view)]
