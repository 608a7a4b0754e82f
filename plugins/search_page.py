"""One search box for the whole repository: /search?q=...

Looks in three full-text indexes and merges the hits per law:
- `laws_fts`: English titles, short titles, numbers, summaries, and local
  titles as written and without diacritics (so "giao dich dien tu" finds
  "Luật Giao dịch điện tử");
- `law_titles_fts` (trigram): any part of a local-language title, for scripts
  written without spaces (Thai, Khmer, Lao, Burmese); three characters or more;
- `provisions_fts`: provision references, headings and summaries.

Works without JavaScript; `?q=...&_format=json` gives the same results as JSON.
"""

from __future__ import annotations

import json
from typing import Any

from datasette import Response, hookimpl
from datasette.utils import escape_fts

from ingest.common.text import fold

DATABASE = "laws"
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
LAWS_BY_ID = """
select l.id, l.title, l.short_title, l.number, l.country, c.name as country_name, l.year, l.status,
       s.label as status_label
from laws l join countries c on c.code = l.country join statuses s on s.code = l.status
where l.id in (select value from json_each(:ids))
"""


def phrase(text: str) -> str:
    """A query that matches `text` as a phrase (for the trigram index: a substring)."""
    return '"' + text.replace('"', '""') + '"'


async def search(db: Any, q: str) -> list[dict[str, Any]]:
    """Laws matching `q`, best first, each with what matched."""
    q = " ".join("".join(ch if ch.isprintable() else " " for ch in q).split())[:200]  # FTS5 stops at NUL
    if not q:
        return []
    hits: dict[str, dict[str, Any]] = {}

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
    return list(hits.values())[:LIMIT]


async def search_view(datasette: Any, request: Any) -> Response:
    q = request.args.get("q", "")
    results = await search(datasette.get_database(DATABASE), q)
    if request.args.get("_format") == "json":
        return Response.json({"q": q, "results": results})
    return Response.html(await datasette.render_template("search.html", {"q": q, "results": results}, request=request))


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/search$", search_view)]
