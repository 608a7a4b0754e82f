"""Cache-Control on every response, by page kind (ingest/site/cache_headers.py),
so identical read-only replicas can stand behind a CDN (README, Deployment)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from datasette import hookimpl

from ingest.site import cache_headers
from ingest.site.cache_headers import cache_control

Message = MutableMapping[str, Any]


@hookimpl
def asgi_wrapper() -> Callable[[Any], Any]:
    def wrap(app: Any) -> Any:
        async def wrapped(scope: Message, receive: Any, send: Callable[[Message], Awaitable[None]]) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            path, personal = scope.get("path", ""), cache_headers.personal(scope)

            async def with_header(message: Message) -> None:
                if message["type"] == "http.response.start":
                    headers = list(message.get("headers") or [])
                    sets_cookie = any(k.lower() == b"set-cookie" for k, _ in headers)
                    value = cache_control(path, int(message["status"]), personal or sets_cookie)
                    headers = [(k, v) for k, v in headers if k.lower() != b"cache-control"]
                    headers.append((b"cache-control", value.encode("latin-1")))
                    message = {**message, "headers": headers}
                await send(message)

            await app(scope, receive, with_header)

        return wrapped

    return wrap
