"""Rendered pages of the immutable database, kept in memory.

The database is served immutable, so a page is a function of the database
file, its URL, the configured base URL and today's date (some pages depend
on it). The site's own pages (compare, freshness) are kept here once
rendered, least recently used first out; the LAWREPO_PAGE_CACHE environment
variable sets how many (0 turns the cache off). A mutable database is never
cached, and neither is the answer to a request carrying a cookie or
credentials (a signed-in moderator, a flash message): so a cached page holds
nothing from a request but its path and query, and the Host header never
reaches a page (ingest/site/request_rules.py).
"""

from __future__ import annotations

import os
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from typing import Any

from datasette import Response

from ingest.site import origin


class PageCache:
    """Least-recently-used rendered pages: (status, content type, headers, body)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.pages: OrderedDict[tuple[str, ...], tuple[int, str, dict[str, str], Any]] = OrderedDict()

    def get(self, key: tuple[str, ...]) -> Response | None:
        hit = self.pages.get(key)
        if hit is None:
            return None
        self.pages.move_to_end(key)
        status, content_type, headers, body = hit
        return Response(body, status=status, content_type=content_type, headers=dict(headers))

    def put(self, key: tuple[str, ...], response: Response) -> None:
        if self.size <= 0:
            return
        self.pages[key] = (response.status, response.content_type, dict(response.headers), response.body)
        self.pages.move_to_end(key)
        while len(self.pages) > self.size:
            self.pages.popitem(last=False)


CACHE = PageCache(int(os.environ.get("LAWREPO_PAGE_CACHE", "256")))


def cacheable(request: Any) -> bool:
    """A GET whose answer holds nothing of the request but its path and query."""
    return request.method == "GET" and not request.headers.get("cookie") and not request.headers.get("authorization")


async def serve(db: Any, request: Any, day: str, render: Callable[[], Awaitable[Response]]) -> Response:
    """The cached page for this request, or `render()`'s, kept when the database is immutable."""
    if db.is_mutable or not cacheable(request):
        return await render()
    key = (
        str(db.path),
        str(os.stat(db.path).st_mtime_ns) if db.path else "",
        origin.base_url(db.ds),
        request.path,
        request.query_string,
        day,
    )
    hit = CACHE.get(key)
    if hit is not None:
        return hit
    response = await render()
    if response.status in (200, 400, 404):
        CACHE.put(key, response)
    return response
