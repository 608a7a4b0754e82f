"""The Cache-Control header of every response, by page kind.

The database is served immutable and every replica serves the same image, so
a shared cache (a CDN) may keep what the site answers anonymously: pages for
ten minutes, downloads for an hour, static assets for a day, each served stale
while it is refreshed (`stale-while-revalidate`) so a traffic spike reaches
the replicas as one request per address and period. Some pages depend on
today's date (laws coming into force, records turning stale), hence the short
page lifetime; a deploy purges the CDN. Never kept anywhere: the
contributors' forms and moderation (`/submit`, `/submissions/…`), any answer
to a request carrying a cookie or credentials or setting a cookie, a server's
own figures (`/-/lawrepo-cache.json`, `/-/versions.json`, its health check)
and a refusal that is about load (429, 5xx: `Retry-After` says when to come
back). A client's mistake (4xx) is kept one minute.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

PAGE = "public, max-age=600, stale-while-revalidate=3600"
DOWNLOAD = "public, max-age=3600, stale-while-revalidate=86400"
ASSET = "public, max-age=86400, stale-while-revalidate=604800"
CLIENT_ERROR = "public, max-age=60"
NO_STORE = "no-store"
PRIVATE = "private, no-store"

PRIVATE_PATHS = re.compile(r"^/(submit|submissions/.*)$")
UNCACHED_PATHS = re.compile(r"^/-/(lawrepo-cache|versions)(\.json)?$")
ASSET_PATHS = re.compile(r"^/(assets|-/static|-/static-plugins)/|^/favicon\.ico$")
DOWNLOAD_PATHS = re.compile(r"^/([a-z0-9_-]+\.db|download/.*|exports/.+)$")


PERSONAL_HEADERS = (b"cookie", b"authorization")


def personal(scope: Mapping[str, Any]) -> bool:
    """Whether an ASGI request carries a cookie or credentials: its answer is that person's."""
    return any(k.lower() in PERSONAL_HEADERS and v for k, v in scope.get("headers") or [])


def kind(path: str) -> str:
    """The page kind that decides the header: private, uncached, asset, download or page."""
    if PRIVATE_PATHS.match(path):
        return "private"
    if UNCACHED_PATHS.match(path):
        return "uncached"
    if ASSET_PATHS.match(path):
        return "asset"
    if DOWNLOAD_PATHS.match(path):
        return "download"
    return "page"


def cache_control(path: str, status: int, personal: bool) -> str:
    """The header for a response with `status` at `path`; `personal` when the
    request carried a cookie or credentials or the response sets a cookie."""
    page_kind = kind(path)
    if personal or page_kind == "private":
        return PRIVATE
    if page_kind == "uncached" or status == 429 or status >= 500:
        return NO_STORE
    if status >= 400:
        return CLIENT_ERROR
    return {"asset": ASSET, "download": DOWNLOAD}.get(page_kind, PAGE)
