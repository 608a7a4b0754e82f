"""Security headers on every response, and spreadsheet-safe CSV from Datasette.

- Every response: `X-Content-Type-Options`, `Referrer-Policy`,
  `X-Frame-Options`, `Permissions-Policy`, `Cross-Origin-Opener-Policy`, and a
  Content-Security-Policy: for HTML pages the one ingest/site/csp.py works out
  from the page (its known inline scripts by hash), for everything else one
  that allows nothing.
- Every `.csv` response (Datasette's table, row and query CSV included) has
  cells that a spreadsheet would run as formulas escaped as it streams
  (ingest/common/csvtext.py); the JSON stays exact. It is also a download:
  `text/csv; charset=utf-8`, an attachment named after the page, starting
  with the UTF-8 byte order mark that spreadsheets need to read Thai, Khmer,
  Lao, Burmese and Vietnamese text. The open exports under /exports/ are
  served exactly as `lawrepo export` wrote them (its writer escapes cells;
  the Data Package has no byte order mark).
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from datasette import hookimpl

from ingest.common.csvtext import SafeStream
from ingest.site import csp

Message = MutableMapping[str, Any]
OURS = {name.encode("latin-1") for name in (*csp.COMMON, "content-security-policy")}


def _headers(headers: list[tuple[bytes, bytes]], policy: str, drop_length: bool = False) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() not in OURS and not (drop_length and k.lower() == b"content-length")]
    kept += [(k.encode("latin-1"), v.encode("latin-1")) for k, v in csp.COMMON.items()]
    kept.append((b"content-security-policy", policy.encode("latin-1")))
    return kept


def _content_type(headers: list[tuple[bytes, bytes]]) -> str:
    for k, v in headers:
        if k.lower() == b"content-type":
            return v.decode("latin-1")
    return ""


BOM = "\ufeff"
EXPORTS = "/exports/"


def _as_download(headers: list[tuple[bytes, bytes]], path: str) -> list[tuple[bytes, bytes]]:
    """CSV headers that make a browser save the file, named after the page."""
    kept = [(k, v) for k, v in headers if k.lower() != b"content-type"]
    if not any(k.lower() == b"content-disposition" for k, _ in kept):
        name = re.sub(r"[^A-Za-z0-9._-]+", "-", path.strip("/").replace("/", "-")) or "data.csv"
        kept.append((b"content-disposition", f'attachment; filename="{name}"'.encode("latin-1")))
    kept.append((b"content-type", b"text/csv; charset=utf-8"))
    return kept


class _Response:
    """What one response's messages need on their way out."""

    def __init__(self, path: str, send: Callable[[Message], Awaitable[None]]) -> None:
        self.path = path
        self.send = send
        self.start: Message | None = None
        self.page: list[bytes] = []
        self.csv: SafeStream | None = None
        self.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        self.started_csv = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            headers = list(message.get("headers") or [])
            kind = _content_type(headers)
            if csp.is_html(kind):
                self.start = message  # sent with the page's policy once the page is whole
                return
            # the open exports are served byte for byte as `lawrepo export` wrote them (already safe)
            is_csv = self.path.endswith(".csv") and not self.path.startswith(EXPORTS)
            out = _headers(headers, csp.DATA_POLICY, drop_length=is_csv)
            if is_csv:
                self.csv = SafeStream()
                out = _as_download(out, self.path)
            await self.send({**message, "headers": out})
            return
        if message["type"] != "http.response.body":
            await self.send(message)
            return
        more = message.get("more_body", False)
        body = message.get("body", b"")
        if self.start is not None:
            self.page.append(body)
            if more:
                return
            page = b"".join(self.page)
            policy = csp.page_policy(page.decode("utf-8", "replace"))
            start, self.start, self.page = self.start, None, []
            await self.send({**start, "headers": _headers(list(start.get("headers") or []), policy)})
            await self.send({**message, "body": page})
            return
        if self.csv is not None:
            text = self.csv.feed(self.decoder.decode(body, final=not more))
            if not more:
                text += self.csv.close()
            if not self.started_csv and text:
                self.started_csv = True
                text = text if text.startswith(BOM) else BOM + text
            await self.send({**message, "body": text.encode("utf-8")})
            return
        await self.send(message)


@hookimpl
def asgi_wrapper() -> Callable[[Any], Any]:
    def wrap(app: Any) -> Any:
        async def wrapped(scope: Message, receive: Any, send: Any) -> None:
            if scope["type"] != "http":
                await app(scope, receive, send)
                return
            await app(scope, receive, _Response(scope.get("path", ""), send))

        return wrapped

    return wrap
