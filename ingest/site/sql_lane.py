"""The public's arbitrary SQL in a lane of its own.

A request that runs SQL of its own (`?sql=`, `/<db>/-/query`, a table page
with `_where=`) runs its queries in `running` worker processes of their own
(ingest/site/sql_process.py; with `processes: false`, on as many separate
threads), at a lower CPU priority, so the site's pages, table pages and
stored queries never wait behind it, for a thread or for the interpreter. At most `running` such requests
run at once and `queued` more wait, each at most `wait_seconds`; beyond that
the client gets 429 with Retry-After. Each client may start `rate` of them
(a `limits` rate such as "60/minute"). Settings: `plugins: hardening:` in
datasette.yaml (see `Settings`).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import contextvars
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, fields
from typing import Any

from limits import RateLimitItem, parse
from limits.storage import MemoryStorage
from limits.strategies import MovingWindowRateLimiter

PLUGIN = "hardening"
THREAD_PREFIX = "lawrepo-sql"
LANE: contextvars.ContextVar[str] = contextvars.ContextVar("lawrepo_lane", default="pages")
# the lane's own time limit, set with LANE for a request in it (0: Datasette's alone)
TIME_LIMIT_MS: contextvars.ContextVar[int] = contextvars.ContextVar("lawrepo_sql_time_limit_ms", default=0)
SQL = "sql"


@dataclass(frozen=True)
class Settings:
    """The lane's settings (datasette.yaml `plugins: hardening:`)."""

    running: int = 1  # arbitrary-SQL requests running at once (and threads or processes for them)
    processes: bool = True  # run them in worker processes (ingest/site/sql_process.py), not threads
    time_limit_ms: int = 800  # the public's SQL stops here, or at Datasette's sql_time_limit_ms if sooner
    queued: int = 4  # waiting beyond those; more get 429
    wait_seconds: float = 3.0  # longest wait in the queue before 429
    rate: str = "60/minute"  # per client; "" turns it off
    client_header: str = ""  # a header the proxy sets to the client's address
    max_response_mb: float = 10.0  # a JSON or CSV body built from arbitrary SQL
    max_param_kb: float = 4.0  # one query-string parameter (sql: max_sql_kb)
    max_sql_kb: float = 20.0
    max_params: int = 100
    max_query_kb: float = 64.0  # the whole query string

    @classmethod
    def from_config(cls, config: dict[str, Any] | None) -> Settings:
        config = config or {}
        known = {f.name: f.type for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in config.items():
            if key not in known:
                raise ValueError(f"plugins.hardening: unknown setting {key!r}; known: {', '.join(sorted(known))}")
            default = getattr(cls, key)
            if isinstance(default, bool) and isinstance(value, str):
                if value.lower() not in ("true", "false", "1", "0", "on", "off"):
                    raise ValueError(f"plugins.hardening: {key} is true or false, not {value!r}")
                value = value.lower() in ("true", "1", "on")
            values[key] = type(default)(value)
        return cls(**values)


class LaneExecutor(concurrent.futures.Executor):
    """Datasette's executor, split: work submitted while LANE is "sql" goes
    to the arbitrary-SQL threads, everything else to Datasette's own."""

    def __init__(self, pages: concurrent.futures.Executor, threads: int) -> None:
        self.pages = pages
        self.sql = concurrent.futures.ThreadPoolExecutor(
            max_workers=max(1, threads), thread_name_prefix=THREAD_PREFIX, initializer=lower_priority
        )

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> concurrent.futures.Future[Any]:
        pool = self.sql if LANE.get() == SQL else self.pages
        return pool.submit(fn, *args, **kwargs)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        self.sql.shutdown(wait=wait, cancel_futures=cancel_futures)
        self.pages.shutdown(wait=wait, cancel_futures=cancel_futures)


def lower_priority() -> None:
    """Give this thread a lower CPU priority (Linux: per thread), so pages win a busy CPU."""
    with contextlib.suppress(AttributeError, OSError):  # not Linux, or not allowed: the lane still bounds it
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 10)


def time_limit(ms: int) -> int:
    """`ms`, or the lane's own time limit when the current request is in the lane and it is shorter."""
    cap = TIME_LIMIT_MS.get() if LANE.get() == SQL else 0
    return min(ms, cap) if cap > 0 else ms


def on_sql_thread() -> bool:
    return threading.current_thread().name.startswith(THREAD_PREFIX)


def interrupting(original: Callable[[Any, int], Any]) -> Callable[[Any, int], Any]:
    """Datasette's time limit, but on the arbitrary-SQL threads by interrupting the
    query from a timer: Datasette's way calls back into Python every 1000 SQLite
    instructions, so threads running slow SQL would keep taking the interpreter's
    lock that the pages' threads need; interrupted, they run without it."""

    @contextlib.contextmanager
    def timelimit(conn: Any, ms: int) -> Iterator[None]:
        if not on_sql_thread():
            with original(conn, ms):
                yield
            return
        timer = threading.Timer(time_limit(ms) / 1000, conn.interrupt)
        timer.daemon = True
        timer.start()
        try:
            yield
        finally:
            timer.cancel()

    timelimit.original = original  # type: ignore[attr-defined]
    return timelimit


def install(datasette: Any, settings: Settings) -> None:
    """Split the datasette's executor (once; nothing to do when it runs without
    threads) and time the arbitrary-SQL threads' queries by interrupting them."""
    import datasette.database as database

    executor = getattr(datasette, "executor", None)
    if executor is not None and not isinstance(executor, LaneExecutor):
        datasette.executor = LaneExecutor(executor, settings.running)
    if not hasattr(database.sqlite_timelimit, "original"):
        database.sqlite_timelimit = interrupting(database.sqlite_timelimit)
    from ingest.site import sql_process  # it needs this module's lane marker

    sql_process.install(datasette, settings.running if settings.processes else 0)


class Busy(Exception):
    """The lane is full or the client is over its rate: 429 after `retry_after` seconds."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)


class Gate:
    """At most `running` holders at once and `queued` waiting, first come first served."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.running = 0
        self.waiters: deque[asyncio.Future[None]] = deque()
        self.limiter = MovingWindowRateLimiter(MemoryStorage())
        self.rate: RateLimitItem | None = parse(settings.rate) if settings.rate else None

    def check_rate(self, client: str) -> None:
        if self.rate is None or self.limiter.hit(self.rate, client):
            return
        reset = self.limiter.get_window_stats(self.rate, client).reset_time
        raise Busy(
            f"Too many SQL queries from this address: at most {self.settings.rate}. Try again later.",
            int(reset - time.time()) + 1,
        )

    async def acquire(self) -> None:
        if self.running < self.settings.running and not self.waiters:
            self.running += 1
            return
        if len(self.waiters) >= self.settings.queued:
            raise Busy("The server is busy running other people's SQL queries. Try again in a moment.", 2)
        waiter = asyncio.get_running_loop().create_future()
        self.waiters.append(waiter)
        try:
            await asyncio.wait_for(asyncio.shield(waiter), self.settings.wait_seconds)
        except TimeoutError:
            if waiter.done():  # handed a slot just as the wait ended: keep it
                return
            self.waiters.remove(waiter)
            waiter.cancel()
            raise Busy("The server is busy running other people's SQL queries. Try again in a moment.", 2) from None
        except BaseException:
            if waiter in self.waiters:
                self.waiters.remove(waiter)
            if waiter.done() and not waiter.cancelled():
                self.release()
            raise

    def release(self) -> None:
        while self.waiters:
            waiter = self.waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)  # the slot passes to the next in line
                return
        self.running -= 1
