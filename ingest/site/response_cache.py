"""Datasette's own pages of the immutable database, kept in the page cache.

The site's pages (compare, country, freshness…) keep their rendered answer
in the page cache (ingest/site/page_cache.py). Datasette's table pages and
the law pages are rendered by Datasette itself, so they are kept here, one
level down: the answer's bytes are recorded as they are sent and replayed
for the next request of the same canonical address, in the same cache and
under the same byte budget.

What is kept: an anonymous GET (no cookie, no credentials) of a table or
view page, HTML, JSON or CSV (`/<db>/<table>`, `.json`, `.csv`), of the
home page, a law page (`/law/<id>`), or the exports page with its feed and
Data Package, answered 200 with a body of at most `MAX_BODY` bytes and no
cookie set. Its key holds the parameters in canonical order; a table page's
filters must name its columns (request_rules refuses the rest with 400) and
its underscore parameters must be Datasette's own (`TABLE_PARAMS`), else
the answer is not kept (arbitrary SQL, `_where=`, never is: it runs in its
own lane), and neither is a streamed whole table (`_stream=`), nor any
answer over `MAX_BODY`: it passes through as it streams.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

from ingest.site import cache_headers, page_cache

Message = MutableMapping[str, Any]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Message, Callable[[], Awaitable[Message]], Send], Awaitable[None]]

MAX_BODY = 2 * 1024 * 1024
# Datasette's table-page parameters whose answer depends on nothing but them
TABLE_PARAMS = frozenset(
    {
        "_col",
        "_extra",
        "_facet",
        "_facet_array",
        "_facet_size",
        "_labels",
        "_next",
        "_nocol",
        "_nocount",
        "_nofacet",
        "_nolabels",
        "_search",
        "_searchmode",
        "_shape",
        "_size",
        "_sort",
        "_sort_desc",
        "_json",
        "_nl",
    }
)
# pages that read no parameters: the home page, the law pages, the exports page, its feed and Data Package
PLAIN_PAGES = re.compile(r"^/(law/[^/]+|exports|exports/laws\.atom|exports/datapackage\.json)?$")


def key_query(path: str, query: bytes, database: str) -> str | None:
    """The canonical query of a page kept here, or None for a page that is not."""
    pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    if PLAIN_PAGES.match(path):
        return "" if not pairs else None
    parts = path.split("/")
    if len(parts) != 3 or parts[1] != database or parts[2].startswith("-"):
        return None
    for name, _ in pairs:
        if name.startswith("_") and name not in TABLE_PARAMS:
            return None
    pairs.sort(key=lambda kv: kv[0])  # stable: a repeated parameter keeps its order
    return urlencode(pairs)


def anonymous(scope: Message) -> bool:
    return scope.get("method") == "GET" and not cache_headers.personal(scope)


async def replay(entry: page_cache.Entry, send: Send) -> None:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in entry.headers]
    await send({"type": "http.response.start", "status": entry.status, "headers": headers})
    await send({"type": "http.response.body", "body": entry.body, "more_body": False})


async def through(app: App, scope: Message, receive: Any, send: Send, key_parts: tuple[str, ...], database: str) -> None:
    """Answer from the cache, or let `app` answer and keep what it sent.
    `key_parts` says what else the bytes depend on (the database file and its
    time, the configured base URL, today's date)."""
    cache = page_cache.CACHE
    query = key_query(scope.get("path", ""), scope.get("query_string", b""), database)
    if query is None or cache.max_bytes <= 0 or not anonymous(scope):
        await app(scope, receive, send)
        return
    key = (*key_parts, scope["path"], query)
    hit = cache.get_entry(key)
    if hit is not None:
        await replay(hit, send)
        return
    start: Message = {}
    chunks: list[bytes] = []
    size = 0
    keep = True

    async def recording(message: Message) -> None:
        nonlocal size, keep
        if message["type"] == "http.response.start":
            start.update(message)
            headers = message.get("headers") or []
            keep = message["status"] == 200 and not any(k.lower() == b"set-cookie" for k, _ in headers)
        elif message["type"] == "http.response.body" and keep:
            body = bytes(message.get("body") or b"")
            size += len(body)
            keep = size <= MAX_BODY
            chunks.append(body)
            if keep and not message.get("more_body"):
                headers = [(k.decode("latin-1"), v.decode("latin-1")) for k, v in start.get("headers") or []]
                content_type = next((v for k, v in headers if k.lower() == "content-type"), "")
                cache.put_entry(key, 200, content_type, headers, b"".join(chunks))
        await send(message)

    await app(scope, receive, recording)
