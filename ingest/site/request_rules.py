"""What a request must be before the site answers it, as ASGI middleware.

- Methods: GET and HEAD everywhere (HEAD is answered as GET without the
  body); POST also on the contributors' forms; anything else is 405 with
  `Allow`.
- Sizes: the query string, the number of parameters and each parameter are
  capped (`Settings`); beyond, 400 naming the cap. A table page's filters
  must name a column and an operator (ingest/site/table_params.py).
- Datasette's instance pages under `/-/` are served only where a reader
  needs them (`PUBLIC_INSTANCE_PAGES`); the rest (databases and their paths,
  threads, plugins, settings, debugging tools) answer 404.
- One origin: a GET or HEAD is handled as if sent to the configured base URL
  (ingest/site/origin.py), so no page, feed, facet link or JSON `next_url`
  can carry the request's `Host` or `X-Forwarded-*` headers.
- Arbitrary SQL goes through its lane (ingest/site/sql_lane.py), and the
  body of its response is capped at `max_response_mb` (a streamed CSV stops
  there; a whole response over it becomes 400); a failed query is a 400,
  its message naming the limit it hit.
"""

from __future__ import annotations

import json
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ingest.site import sql_lane, sql_limits

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

READ_METHODS = ("GET", "HEAD")
FORM_PATHS = re.compile(r"^/(submit|submissions/.*)$")
PUBLIC_INSTANCE_PAGES = re.compile(
    r"^/-/($|\.json$|versions(\.json)?$|lawrepo-cache\.json$|static/|static-plugins/|jump(\.json)?$|schema(\.json|\.md)?$)"
)
ARBITRARY_SQL_PATH = re.compile(r"/-/query(\.[a-z]+)?$")
FORWARDED = {b"x-forwarded-host", b"x-forwarded-proto", b"x-forwarded-port", b"forwarded"}
KB = 1024
# Datasette's SQL page shows a failed query's error in the form, with 200.
QUERY_ERROR = b'<p class="message-error">'


async def answer(send: Send, status: int, text: str, path: str, headers: dict[str, str] | None = None) -> None:
    """A short response: JSON for `.json` paths, else plain text."""
    if path.endswith(".json"):
        body = json.dumps({"ok": False, "status": status, "error": text}).encode()
        content_type = "application/json; charset=utf-8"
    else:
        body = (text + "\n").encode()
        content_type = "text/plain; charset=utf-8"
    raw = [(b"content-type", content_type.encode()), (b"content-length", str(len(body)).encode())]
    raw += [(k.lower().encode(), v.encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw})
    await send({"type": "http.response.body", "body": body})


def size_problem(query: bytes, settings: sql_lane.Settings) -> str | None:
    """Why the query string is too big, or None."""
    if len(query) > settings.max_query_kb * KB:
        return f"The address is too long: its query may be at most {settings.max_query_kb:g} KB."
    try:
        pairs = parse_qsl(query.decode("latin-1"), keep_blank_values=True)
    except ValueError:
        return "The address's query could not be read."
    if len(pairs) > settings.max_params:
        return f"Too many parameters: at most {settings.max_params}."
    for key, value in pairs:
        cap = settings.max_sql_kb if key == "sql" else settings.max_param_kb
        if len(key) + len(value.encode("utf-8", "replace")) > cap * KB:
            return f"The parameter {key[:40]!r} is too long: at most {cap:g} KB."
    return None


def is_arbitrary_sql(path: str, query: bytes) -> bool:
    if ARBITRARY_SQL_PATH.search(path):
        return True
    keys = {k for k, _ in parse_qsl(query.decode("latin-1"), keep_blank_values=True)}
    return bool(keys & {"sql", "_where"})


def client_of(scope: Scope, settings: sql_lane.Settings) -> str:
    if settings.client_header:
        wanted = settings.client_header.lower().encode()
        for name, value in scope.get("headers") or []:
            if name == wanted and value:
                return str(value.decode("latin-1").split(",")[0].strip())
    client = scope.get("client")
    return str(client[0]) if client else "unknown"


def as_configured_origin(scope: Scope, base_url: str) -> Scope:
    """`scope` with its Host and scheme from `base_url` and no forwarding headers."""
    parts = urlsplit(base_url)
    headers = [(k, v) for k, v in scope.get("headers") or [] if k not in FORWARDED and k != b"host"]
    headers.append((b"host", parts.netloc.encode("latin-1")))
    return {**scope, "headers": headers, "scheme": parts.scheme or "http"}


def head_as_get(send: Send) -> Send:
    """A send that drops the body of a GET answered to a HEAD."""
    state = {"done": False}

    async def wrapped(message: Message) -> None:
        if message["type"] == "http.response.start":
            await send(message)
        elif message["type"] == "http.response.body" and not state["done"]:
            state["done"] = True
            await send({"type": "http.response.body", "body": b"", "more_body": False})

    return wrapped


def capped(send: Send, limit: int, path: str) -> Send:
    """A send that refuses a whole body over `limit` bytes with 400 and ends a streamed one there."""
    state: dict[str, Any] = {"start": None, "sent": 0, "over": False}
    message_text = (
        f"The response would be larger than {limit // (KB * KB)} MB, the limit for SQL queries. Select fewer rows or columns."
    )

    async def wrapped(message: Message) -> None:
        if state["over"]:
            return
        if message["type"] == "http.response.start":
            state["start"] = message
            return
        if message["type"] != "http.response.body":
            await send(message)
            return
        body = message.get("body", b"")
        more = message.get("more_body", False)
        if state["start"] is not None:
            start, state["start"] = state["start"], None
            if not more and len(body) > limit:
                state["over"] = True
                await answer(send, 400, message_text, path)
                return
            if not more and start["status"] == 200 and QUERY_ERROR in body:
                start = {**start, "status": 400}  # the SQL form showing an error: the query failed
            if not more and start["status"] == 400:
                body = sql_limits.explain(body.decode("utf-8", "replace")).encode()
                start = {**start, "headers": with_length(start.get("headers") or [], len(body))}
                message = {**message, "body": body}
            await send(start)
        state["sent"] += len(body)
        if state["sent"] > limit:
            state["over"] = True
            await send({"type": "http.response.body", "body": body[: max(0, limit - state["sent"] + len(body))]})
            return
        await send(message)

    return wrapped


def with_length(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    return [(k, v) for k, v in headers if k.lower() != b"content-length"] + [(b"content-length", str(length).encode())]


def middleware(
    app: App,
    settings: sql_lane.Settings,
    base_url: Callable[[], str],
    check: Callable[[str, bytes], Awaitable[str | None]] | None = None,
    keep: Callable[[App, Scope, Receive, Send], Awaitable[None]] | None = None,
) -> App:
    """The rules around `app`; `keep(app, scope, receive, send)`, when given,
    answers the requests outside the arbitrary-SQL lane (the response cache)."""
    gate = sql_lane.Gate(settings)

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        path: str = scope.get("path", "")
        method: str = scope.get("method", "GET")
        query: bytes = scope.get("query_string", b"")
        allowed = READ_METHODS + (("POST",) if FORM_PATHS.match(path) else ())
        if method not in allowed:
            await answer(send, 405, f"{method} is not allowed here.", path, {"Allow": ", ".join(allowed)})
            return
        if (problem := size_problem(query, settings)) is not None:
            await answer(send, 400, problem, path)
            return
        if path.startswith("/-/") and not PUBLIC_INSTANCE_PAGES.match(path):
            await answer(send, 404, "Not found.", path)
            return
        if check is not None and (problem := await check(path, query)) is not None:
            await answer(send, 400, problem, path)
            return
        if method in READ_METHODS:
            scope = as_configured_origin(scope, base_url())
        if method == "HEAD":
            scope = {**scope, "method": "GET"}
            send = head_as_get(send)
        if not is_arbitrary_sql(path, query):
            if keep is not None:
                await keep(app, scope, receive, send)
            else:
                await app(scope, receive, send)
            return
        try:
            gate.check_rate(client_of(scope, settings))
            await gate.acquire()
        except sql_lane.Busy as busy:
            await answer(send, 429, str(busy), path, {"Retry-After": str(busy.retry_after)})
            return
        token = sql_lane.LANE.set(sql_lane.SQL)
        limit = sql_lane.TIME_LIMIT_MS.set(settings.time_limit_ms)
        try:
            await app(scope, receive, capped(send, int(settings.max_response_mb * KB * KB), path))
        finally:
            sql_lane.TIME_LIMIT_MS.reset(limit)
            sql_lane.LANE.reset(token)
            gate.release()

    return wrapped
