"""Fetching statute pages politely: httpx with a timeout, a size cap, a
User-Agent naming the project, at most one request per second to a host, and
conditional requests (ETag / Last-Modified) against a local cache so that an
unchanged page costs the site nothing.

The cache keeps, per address, the validators and the last body; a 304 answer
reuses the body. Only validators are needed here, so this is a few lines rather
than a full RFC 9111 cache.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

from ingest import __version__
from ingest.common.atomic import write_bytes, write_text
from ingest.importers.model import Refusal
from ingest.importers.page import MAX_BYTES

USER_AGENT = f"lawrepo/{__version__} (ASEAN e-commerce law repository; importer and source watch)"
TIMEOUT = httpx.Timeout(30.0, connect=10.0)
MIN_INTERVAL = 1.0  # seconds between two requests to the same host


@dataclass
class Fetched:
    url: str  # the final address, after redirects
    data: bytes
    status: int  # 200, or 304 when the cached copy was still current
    from_cache: bool


class Fetcher:
    """One client for a run: polite to every host it visits."""

    def __init__(
        self, cache_dir: Path | None = None, client: httpx.Client | None = None, min_interval: float = MIN_INTERVAL
    ) -> None:
        self.cache_dir = cache_dir
        self.client = client or httpx.Client(timeout=TIMEOUT, follow_redirects=True, headers={"User-Agent": USER_AGENT})
        self.min_interval = min_interval
        self._last: dict[str, float] = {}
        self._lock = threading.Lock()

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _wait_turn(self, host: str) -> None:
        with self._lock:
            wait = self._last.get(host, 0.0) + self.min_interval - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            self._last[host] = time.monotonic()

    def _paths(self, url: str) -> tuple[Path, Path] | None:
        return cache_paths(self.cache_dir, url) if self.cache_dir else None

    def get(self, url: str) -> Fetched:
        """The page at `url`; Refusal with a clear message on any failure."""
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise Refusal(f"{url!r} is not an http(s) address")
        headers: dict[str, str] = {}
        paths = self._paths(url)
        cached: dict[str, str] = {}
        if paths and paths[0].exists() and paths[1].exists():
            cached = json.loads(paths[0].read_text(encoding="utf-8"))
            if cached.get("etag"):
                headers["If-None-Match"] = cached["etag"]
            if cached.get("last_modified"):
                headers["If-Modified-Since"] = cached["last_modified"]
        self._wait_turn(parts.hostname)
        try:
            with self.client.stream("GET", url, headers=headers) as response:
                if response.status_code == 304 and paths:
                    return Fetched(cached.get("url", url), paths[1].read_bytes(), 304, True)
                if response.status_code >= 400:
                    raise Refusal(f"{url} answered {response.status_code} {response.reason_phrase}")
                declared = response.headers.get("content-length")
                if declared and declared.isdigit() and int(declared) > MAX_BYTES:
                    raise Refusal(f"{url} is {int(declared) // (1024 * 1024)} MB, more than an importer reads")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():
                    size += len(chunk)
                    if size > MAX_BYTES:
                        raise Refusal(f"{url} is more than {MAX_BYTES // (1024 * 1024)} MB; stopped reading")
                    chunks.append(chunk)
                data = b"".join(chunks)
                final = str(response.url)
                validators = {
                    "etag": response.headers.get("etag", ""),
                    "last_modified": response.headers.get("last-modified", ""),
                    "url": final,
                }
        except httpx.HTTPError as exc:
            raise Refusal(f"{url} could not be fetched: {exc.__class__.__name__}: {exc}") from None
        if paths:  # the body is kept for check-quotes; the validators make the next request conditional
            write_bytes(paths[1], data)
            write_text(paths[0], json.dumps(validators))
        return Fetched(final, data, 200, False)


def cache_paths(cache_dir: Path, url: str) -> tuple[Path, Path]:
    """(validators, body) of the cached copy of `url`."""
    key = hashlib.sha256(url.encode("utf-8")).hexdigest()
    return cache_dir / f"{key}.json", cache_dir / f"{key}.body"


def cached_body(cache_dir: Path, url: str) -> bytes | None:
    """The last body fetched from `url`, if kept."""
    body = cache_paths(cache_dir, url)[1]
    return body.read_bytes() if body.exists() else None
