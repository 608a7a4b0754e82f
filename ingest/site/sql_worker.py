"""A process that runs the public's arbitrary SQL, one query at a time.

    python -m ingest.site.sql_worker

The site starts a few of these (ingest/site/sql_process.py) so that the
public's SQL never shares an interpreter with the site's pages: a slow or
exploding query costs this process's time and memory, at a lower CPU
priority, and the site can kill it and start another. It reads requests
from standard input and writes replies to standard output, each a 4-byte
big-endian length and a pickle (the site is the only writer of the one and
reader of the other). It imports nothing but the standard library and the
limits every arbitrary-SQL connection gets (ingest/site/sql_limits.py), so
that it starts quickly and stays small.

A request is a `Query`; a reply is ("ok", rows, truncated, description),
("interrupted",) when the time limit stopped it, or ("error", class name,
message) for SQLite's errors.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import sqlite3
import struct
import sys
import threading
from dataclasses import dataclass
from typing import IO, Any

from ingest.site import sql_limits

HEADER = struct.Struct(">I")


@dataclass(frozen=True)
class Query:
    """One query: the database's URI (as Datasette opens it, read-only), the
    SQL and its parameters, how many rows to fetch (0: all) and the time limit."""

    uri: str
    sql: str
    params: Any
    fetch: int
    time_limit_ms: int


def write_message(stream: IO[bytes], message: Any) -> None:
    body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    stream.write(HEADER.pack(len(body)) + body)
    stream.flush()


def read_exactly(stream: IO[bytes], size: int) -> bytes:
    """`size` bytes, or EOFError when the stream ends first."""
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise EOFError
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def read_message(stream: IO[bytes]) -> Any:
    (size,) = HEADER.unpack(read_exactly(stream, HEADER.size))
    return pickle.loads(read_exactly(stream, size))


def connect(uri: str) -> sqlite3.Connection:
    """A read-only connection with the arbitrary-SQL limits, giving rows as tuples."""
    conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
    conn.text_factory = lambda value: str(value, "utf-8", "replace")
    sql_limits.apply(conn, sql_limits.ARBITRARY)
    conn.row_factory = sql_limits.CountingRows(sql_limits.ARBITRARY.result_bytes, make=None)
    conn.execute("PRAGMA query_only=1")
    return conn


def run(conn: sqlite3.Connection, query: Query) -> tuple[Any, ...]:
    """The reply to `query`, interrupted from a timer at its time limit."""
    timer = threading.Timer(query.time_limit_ms / 1000, conn.interrupt)
    timer.daemon = True
    timer.start()
    try:
        cursor = conn.execute(query.sql, query.params if query.params is not None else {})
        if query.fetch:
            rows = cursor.fetchmany(query.fetch + 1)
            truncated = len(rows) > query.fetch
            rows = rows[: query.fetch]
        else:
            rows, truncated = cursor.fetchall(), False
        return ("ok", [tuple(row) for row in rows], truncated, cursor.description)
    except sqlite3.Error as error:
        if error.args == ("interrupted",):
            return ("interrupted",)
        return ("error", type(error).__name__, str(error))
    finally:
        timer.cancel()


def serve(requests: IO[bytes], replies: IO[bytes]) -> None:
    """Answer requests until the site closes the pipe."""
    with contextlib.suppress(AttributeError, OSError):  # a lower priority where allowed
        os.nice(10)
    connections: dict[str, sqlite3.Connection] = {}
    while True:
        try:
            query = read_message(requests)
        except EOFError:
            return
        try:
            conn = connections.get(query.uri)
            if conn is None:
                conn = connections[query.uri] = connect(query.uri)
            reply = run(conn, query)
        except sqlite3.Error as error:  # the database could not be opened
            reply = ("error", type(error).__name__, str(error))
        write_message(replies, reply)


if __name__ == "__main__":
    replies = sys.stdout.buffer
    sys.stdout = sys.stderr  # nothing but replies goes down the pipe
    serve(sys.stdin.buffer, replies)
