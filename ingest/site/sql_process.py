"""The public's arbitrary SQL, run in worker processes of its own.

Requests in the arbitrary-SQL lane (ingest/site/sql_lane.py) that query a
database file have their queries run by `processes` worker processes
(ingest/site/sql_worker.py) instead of threads of the site's process, so the
site's pages never share an interpreter with them: a slow query runs at a
lower CPU priority in another process, and one that outlives its time limit
by `GRACE` seconds is killed (its worker replaced on the next query). The
rows come back as tuples and are made sqlite3.Row objects again here, so
Datasette renders them as it renders its own.

Datasette's `Database.execute` is wrapped once; anything not in the lane,
and in-memory databases, run as before.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import os
import queue
import select
import sqlite3
import subprocess
import sys
import threading
import weakref
from collections.abc import Callable, Coroutine
from pathlib import Path
from typing import Any

from datasette.database import Database, QueryInterrupted, Results

import ingest
from ingest.site import sql_lane, sql_limits
from ingest.site.sql_worker import Query, read_message, write_message

GRACE = 2.0  # seconds past its time limit before a query's worker is killed
ERRORS: dict[str, type[sqlite3.Error]] = {
    name: getattr(sqlite3, name)
    for name in ("OperationalError", "DatabaseError", "IntegrityError", "ProgrammingError", "DataError", "NotSupportedError")
}
ERRORS["ResultTooBig"] = sql_limits.ResultTooBig


def worker_environment() -> dict[str, str]:
    """This process's environment, with the folder holding the `ingest`
    package first on the path (installed or not, the worker imports it)."""
    env = dict(os.environ)
    root = str(Path(ingest.__file__).resolve().parent.parent)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH", "")) if p)
    return env


class Worker:
    """One worker process, started when first needed and again after it is killed."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> subprocess.Popen[bytes]:
        if self.process is None or self.process.poll() is not None:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "ingest.site.sql_worker"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                close_fds=True,
                env=worker_environment(),
            )
        return self.process

    def call(self, query: Query) -> tuple[Any, ...]:
        """The worker's reply, or ("interrupted",) after killing a worker
        that ran `GRACE` seconds past the query's time limit (or died)."""
        process = self.start()
        assert process.stdin is not None and process.stdout is not None
        try:
            write_message(process.stdin, query)
            ready, _, _ = select.select([process.stdout], [], [], query.time_limit_ms / 1000 + GRACE)
            if ready:
                return tuple(read_message(process.stdout))
        except (OSError, EOFError, ValueError):
            pass
        self.stop()
        return ("interrupted",)

    def stop(self) -> None:
        if self.process is not None:
            with contextlib.suppress(OSError):
                self.process.kill()
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=5)
            for stream in (self.process.stdin, self.process.stdout):
                with contextlib.suppress(OSError):
                    if stream is not None:
                        stream.close()
            self.process = None


class ProcessLane:
    """`count` workers; each query waits (on a thread of its own) for an idle one."""

    def __init__(self, count: int) -> None:
        self.workers = [Worker() for _ in range(max(1, count))]
        self.idle: queue.Queue[Worker] = queue.Queue()
        for worker in self.workers:
            self.idle.put(worker)
        self.threads = concurrent.futures.ThreadPoolExecutor(
            max_workers=len(self.workers), thread_name_prefix=sql_lane.THREAD_PREFIX + "-wait"
        )
        self.describing = threading.local()

    def call(self, query: Query) -> tuple[Any, ...]:
        worker = self.idle.get()
        try:
            return worker.call(query)
        finally:
            self.idle.put(worker)

    def rows(self, values: list[tuple[Any, ...]], description: Any) -> list[sqlite3.Row]:
        """sqlite3.Row objects of `values`, named by `description`."""
        if not values or not description:
            return []
        conn = getattr(self.describing, "conn", None)
        if conn is None:
            conn = self.describing.conn = sqlite3.connect(":memory:", check_same_thread=False)
        names = ", ".join('NULL AS "{}"'.format(str(d[0]).replace('"', '""')) for d in description)
        cursor = conn.execute(f"SELECT {names} LIMIT 0")
        return [sqlite3.Row(cursor, row) for row in values]

    def execute(self, query: Query) -> tuple[Any, ...]:
        """Run `query`; the reply with its rows made sqlite3.Row objects."""
        reply = self.call(query)
        if reply[0] == "ok":
            _, values, truncated, description = reply
            return ("ok", self.rows(values, description), truncated, description)
        return reply

    def shutdown(self) -> None:
        for worker in self.workers:
            worker.stop()
        self.threads.shutdown(wait=False, cancel_futures=True)


def uri(db: Database) -> str | None:
    """The URI Datasette opens `db` with for reading, or None for a database in memory."""
    if not db.path or db.is_memory or db.memory_name:
        return None
    if db.mode is not None:
        return f"file:{db.path}?mode={db.mode}"
    if db.is_mutable:
        return f"file:{db.path}?mode=ro" + ("&nolock=1" if db.ds.nolock else "")
    return f"file:{db.path}?immutable=1"


BINDABLE = (str, int, float, bytes, type(None))


def bindable(params: Any) -> Any:
    """`params` as the worker can be sent them: the values SQLite can bind
    (Datasette adds others, such as a CSRF token function, that no SQL uses)."""
    if params is None:
        return None
    if isinstance(params, dict):
        return {key: value for key, value in params.items() if isinstance(value, BINDABLE)}
    return [value if isinstance(value, BINDABLE) else str(value) for value in params]


def result(reply: tuple[Any, ...], sql: str, params: Any) -> Results:
    """Datasette's Results for a reply, or the error it stands for raised."""
    if reply[0] == "ok":
        _, rows, truncated, description = reply
        return Results(rows, truncated, description)
    if reply[0] == "interrupted":
        raise QueryInterrupted(sqlite3.OperationalError("interrupted"), sql, params)
    _, name, message = reply
    raise ERRORS.get(name, sqlite3.DatabaseError)(message)


ExecuteFn = Callable[..., Coroutine[Any, Any, Results]]


def routed(original: ExecuteFn, lane: Callable[[Any], ProcessLane | None]) -> ExecuteFn:
    """Database.execute, sending the arbitrary-SQL lane's queries on a database
    file to its datasette's worker processes (`lane(datasette)`, None for none)."""

    async def execute(
        self: Database,
        sql: str,
        params: Any = None,
        truncate: bool = False,
        custom_time_limit: int | None = None,
        page_size: int | None = None,
        log_sql_errors: bool = True,
    ) -> Results:
        processes = lane(self.ds) if sql_lane.LANE.get() == sql_lane.SQL else None
        address = uri(self) if processes is not None else None
        if processes is None or address is None:
            return await original(self, sql, params, truncate, custom_time_limit, page_size, log_sql_errors)
        time_limit_ms = self.ds.sql_time_limit_ms
        if custom_time_limit and custom_time_limit < time_limit_ms:
            time_limit_ms = custom_time_limit
        time_limit_ms = sql_lane.time_limit(time_limit_ms)
        max_rows = self.ds.max_returned_rows
        if max_rows == (page_size or self.ds.page_size):
            max_rows += 1
        query = Query(address, sql, bindable(params), max_rows if (max_rows and truncate) else 0, time_limit_ms)
        loop = asyncio.get_running_loop()
        reply = await loop.run_in_executor(processes.threads, processes.execute, query)
        return result(reply, sql, params)

    execute.original = original  # type: ignore[attr-defined]
    return execute


LANES: weakref.WeakKeyDictionary[Any, ProcessLane] = weakref.WeakKeyDictionary()


def lane_of(datasette: Any) -> ProcessLane | None:
    return LANES.get(datasette)


def install(datasette: Any, count: int) -> None:
    """Run `datasette`'s arbitrary-SQL lane in `count` worker processes (0: on threads as before);
    the workers end with the datasette (or with the site's process: they read until it closes their pipe)."""
    if not hasattr(Database.execute, "original"):
        Database.execute = routed(Database.execute, lane_of)
    if count > 0 and datasette not in LANES:
        lane = LANES[datasette] = ProcessLane(count)
        weakref.finalize(datasette, lane.shutdown)
