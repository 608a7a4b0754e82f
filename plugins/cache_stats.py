"""/-/lawrepo-cache.json: how the in-memory page cache of this server is doing
(ingest/site/page_cache.py): hits, misses, hit rate, entries, bytes kept and
the byte budget. Each replica reports its own; never cached anywhere."""

from __future__ import annotations

from typing import Any

from datasette import Response, hookimpl

from ingest.site import page_cache


async def cache_stats_view(request: Any) -> Response:
    return Response.json({"ok": True, **page_cache.CACHE.stats()}, headers={"Cache-Control": "no-store"})


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/-/lawrepo-cache\.json$", cache_stats_view)]
