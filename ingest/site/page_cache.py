"""Rendered pages of the immutable database, kept in memory, bounded by bytes.

The database is served immutable, so a page is a function of the database
file, its path, the parameters it reads, the configured base URL and today's
date (some pages depend on it). The site's own pages (compare, country, area,
progress, codebook, freshness) are kept here once rendered, least recently
used first out, within a budget of bytes: `LAWREPO_PAGE_CACHE_MB` (default
64; `0` turns the cache off; the older `LAWREPO_PAGE_CACHE=0` still does). A
page larger than the whole budget is served but not kept. Every kept byte is
counted: the body, the headers, the key and a fixed allowance per entry.

Only canonical addresses are kept. A page's key holds the parameters that
page reads (`PAGE_PARAMS`), sorted by name (values of a repeated parameter
keep their order); any other parameter is dropped, and the page is rendered
from the canonical query too, so `?utm_source=x` or `?_=123` reaches the same
entry as the bare address and can neither grow the cache nor show up in the
page. Distinct junk query strings therefore add nothing.

A mutable database is never cached, and neither is the answer to a request
carrying a cookie or credentials (a signed-in moderator, a flash message):
so a cached page holds nothing from a request but its path and canonical
query, and the Host header never reaches a page (ingest/site/request_rules.py).
Hits, misses, entries and bytes are reported at /-/lawrepo-cache.json
(plugins/cache_stats.py).
"""

from __future__ import annotations

import os
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode

from datasette import Response

from ingest.site import origin

MB = 1024 * 1024
DEFAULT_MB = 64.0
ENTRY_OVERHEAD = 600  # bytes: the entry's objects, its place in the order, the response rebuilt from it

# The parameters each cached page reads; everything else is left out of its key and of the page.
_FORMAT = frozenset({"_format"})
PAGE_PARAMS: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(r"^/compare(/[^/]+)?(\.\w+)?$"), _FORMAT | {"as_of"}),
    (re.compile(r"^/side-by-side(\.\w+)?$"), _FORMAT | {"countries", "c", "area", "as_of", "diff"}),
    (re.compile(r"^/(country|area)/[^/]+(\.\w+)?$"), _FORMAT),
    (re.compile(r"^/(progress|codebook|freshness)(\.\w+)?$"), _FORMAT),
]

Key = tuple[str, ...]


@dataclass(frozen=True)
class Entry:
    status: int
    content_type: str
    headers: tuple[tuple[str, str], ...]
    body: bytes
    size: int


def _body_bytes(body: Any) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body or b"")


def entry_size(key: Key, headers: list[tuple[str, str]], content_type: str, body: bytes) -> int:
    """The bytes an entry is counted as: body, headers, key and the fixed allowance."""
    text = sum(len(part.encode("utf-8", "replace")) for part in key)
    text += sum(len(k) + len(v) for k, v in headers) + len(content_type)
    return len(body) + text + ENTRY_OVERHEAD


class PageCache:
    """Least-recently-used rendered pages whose counted bytes never exceed `max_bytes`."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max(0, int(max_bytes))
        self.pages: OrderedDict[Key, Entry] = OrderedDict()
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def get_entry(self, key: Key) -> Entry | None:
        hit = self.pages.get(key)
        if hit is None:
            self.misses += 1
            return None
        self.hits += 1
        self.pages.move_to_end(key)
        return hit

    def get(self, key: Key) -> Response | None:
        hit = self.get_entry(key)
        if hit is None:
            return None
        return Response(hit.body, status=hit.status, content_type=hit.content_type, headers=dict(hit.headers))

    def put(self, key: Key, response: Response) -> bool:
        """Keep `response` under `key` (see put_entry)."""
        headers = [(str(k), str(v)) for k, v in dict(response.headers).items()]
        return self.put_entry(key, response.status, response.content_type, headers, _body_bytes(response.body))

    def put_entry(self, key: Key, status: int, content_type: str, headers: list[tuple[str, str]], body: bytes) -> bool:
        """Keep an answer under `key`, dropping the least recently used pages to
        make room; False (and nothing kept) when it alone exceeds the budget."""
        size = entry_size(key, headers, content_type, body)
        self._drop(key)
        if size > self.max_bytes:
            return False
        while self.bytes + size > self.max_bytes:
            self._drop(next(iter(self.pages)))
        self.pages[key] = Entry(status, content_type, tuple(headers), body, size)
        self.bytes += size
        return True

    def _drop(self, key: Key) -> None:
        old = self.pages.pop(key, None)
        if old is not None:
            self.bytes -= old.size

    def clear(self) -> None:
        self.pages.clear()
        self.bytes = self.hits = self.misses = 0

    def stats(self) -> dict[str, Any]:
        asked = self.hits + self.misses
        return {
            "hits": self.hits,
            "misses": self.misses,
            "hit_rate": round(self.hits / asked, 4) if asked else None,
            "entries": len(self.pages),
            "bytes": self.bytes,
            "max_bytes": self.max_bytes,
        }


def budget_from_env(env: dict[str, str] | os._Environ[str] = os.environ) -> int:
    """The cache's budget in bytes: LAWREPO_PAGE_CACHE_MB (default 64); 0 when
    it or the older LAWREPO_PAGE_CACHE is 0. A value that is not a number is
    refused at start rather than silently ignored."""
    if env.get("LAWREPO_PAGE_CACHE", "").strip() == "0":
        return 0
    raw = env.get("LAWREPO_PAGE_CACHE_MB", "").strip()
    try:
        mb = float(raw) if raw else DEFAULT_MB
    except ValueError:
        raise SystemExit(f"LAWREPO_PAGE_CACHE_MB must be a number of megabytes, not {raw!r}") from None
    if mb < 0:
        raise SystemExit(f"LAWREPO_PAGE_CACHE_MB must be 0 or more, not {raw!r}")
    return int(mb * MB)


CACHE = PageCache(budget_from_env())


def page_params(path: str) -> frozenset[str]:
    for pattern, params in PAGE_PARAMS:
        if pattern.match(path):
            return params
    return _FORMAT


def canonical_query(path: str, query_string: str) -> str:
    """The query with only the parameters the page at `path` reads, sorted by
    name (a repeated parameter's values in their order), empty values kept."""
    wanted = page_params(path)
    pairs = [(k, v) for k, v in parse_qsl(query_string, keep_blank_values=True) if k in wanted]
    pairs.sort(key=lambda kv: kv[0])  # stable: repeated parameters keep their order
    return urlencode(pairs)


def cacheable(request: Any) -> bool:
    """A GET whose answer holds nothing of the request but its path and query."""
    return request.method == "GET" and not request.headers.get("cookie") and not request.headers.get("authorization")


async def serve(db: Any, request: Any, day: str, render: Callable[[], Awaitable[Response]]) -> Response:
    """The cached page for this request, or `render()`'s, kept when the database is immutable.
    The page is rendered from the canonical query (the parameters it reads, sorted)."""
    cache = CACHE
    query = canonical_query(request.path, request.query_string)
    if query != request.query_string:
        request.scope["query_string"] = query.encode("latin-1")
    if db.is_mutable or not cacheable(request) or cache.max_bytes <= 0:
        return await render()
    key = (
        str(db.path),
        str(os.stat(db.path).st_mtime_ns) if db.path else "",
        origin.base_url(db.ds),
        request.path,
        query,
        day,
    )
    hit = cache.get(key)
    if hit is not None:
        return hit
    response = await render()
    if response.status in (200, 400, 404):
        cache.put(key, response)
    return response
