"""A live server on loopback for the attack suite: `lawrepo serve`'s command
line on the shipped records (tests/helpers.serve), its process for memory
readings, and its log for tracebacks."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import psutil
import pytest

from bench.run import tree_rss
from tests.helpers import serve

MB = 1024 * 1024
# what must never reach a response: a memory address, an absolute filesystem path
ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{10,16}\b")
PATHS = re.compile(r"(?<![\w.:/])/(?:work|home|tmp|usr|opt|var|root|app|etc)/[\w./-]+")


@dataclass
class Live:
    base: str
    process: psutil.Process
    log: Path

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.base, timeout=60, **kwargs)

    def rss(self) -> int:
        """The server's memory: its process and its children (the public's SQL runs in worker processes)."""
        return tree_rss(self.process.pid)

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")


def server_process(base: str) -> psutil.Process:
    """The child of this process serving `base` (helpers.serve starts it)."""
    port = base.rsplit(":", 1)[1]
    for child in psutil.Process().children(recursive=True):
        try:
            if port in " ".join(child.cmdline()):
                return child
        except psutil.NoSuchProcess:
            continue
    raise RuntimeError(f"no server process for {base}")


def live_server(db: Path, log: Path, settings: dict[str, str] | None = None) -> Iterator[Live]:
    for base in serve(db, log, settings=settings, env={"LAWREPO_BASE_URL": "", "LAWREPO_PAGE_CACHE": "256"}):
        yield Live(base, server_process(base), log)


@pytest.fixture(scope="session")
def live(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    """The site as deployed, with the limits of datasette.yaml but the SQL rate per
    client raised (the suite sends hundreds of queries; test_lane.py tests the rate)."""
    settings = {"plugins.hardening.rate": "100000/minute"}
    yield from live_server(built_db, tmp_path_factory.mktemp("live") / "server.log", settings)


class PeakRss:
    """The highest RSS of a process while the block runs, sampled every 10 ms."""

    def __init__(self, live: Live) -> None:
        self.live = live
        self.peak = 0
        self.before = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.live.rss())
            time.sleep(0.01)

    def __enter__(self) -> PeakRss:
        self.before = self.peak = self.live.rss()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.live.rss())

    @property
    def rise(self) -> int:
        return self.peak - self.before
