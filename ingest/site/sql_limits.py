"""SQLite's run-time limits and authorizer on every connection the site opens.

Two sets of limits: the site's own queries (pages, stored queries, table
pages, exports) and the public's arbitrary SQL (`?sql=`, `/-/query`,
`_where=`), which runs in worker processes or on threads of its own
(ingest/site/sql_lane.py, sql_process.py) with
tighter ones. Either way one query cannot build a value bigger than
`LENGTH` bytes, so `randomblob`, `zeroblob`, `printf('%.*c', …)` and
`replace()` fail at once ("string or blob too big") instead of filling the
server's memory; the authorizer refuses functions that leak or explode and
hides the database file's path from `pragma_database_list`; and on the
arbitrary-SQL threads a query's rows may hold at most `result_bytes` in
all, counted as they are fetched.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

# Functions no query of ours needs and no reader should call:
# fts3_tokenizer returns a native pointer (a memory address) and, with one
# argument more, installs one; load_extension and readfile/writefile/edit
# reach outside the database.
DENIED_FUNCTIONS = frozenset({"fts3_tokenizer", "load_extension", "readfile", "writefile", "edit"})
# printf('%.*c', 2000000000, 'x') runs for seconds inside one call, before
# the length limit can stop it: the public's SQL does without printf/format.
DENIED_FOR_ARBITRARY = DENIED_FUNCTIONS | {"printf", "format"}
# Columns read as NULL: the database file's path (pragma_database_list.file).
HIDDEN_COLUMNS = frozenset({("pragma_database_list", "file")})

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """SQLite's run-time limits (sqlite3.Connection.setlimit) for one lane."""

    length: int  # the longest string or blob a query may build, in bytes
    sql_length: int  # the longest SQL text
    expr_depth: int
    compound_select: int
    function_arg: int
    variable_number: int
    column: int
    like_pattern_length: int
    result_bytes: int  # all the values of one query's rows together (0: not counted)
    denied: frozenset[str] = DENIED_FUNCTIONS

    def pairs(self) -> list[tuple[int, int]]:
        return [
            (sqlite3.SQLITE_LIMIT_LENGTH, self.length),
            (sqlite3.SQLITE_LIMIT_SQL_LENGTH, self.sql_length),
            (sqlite3.SQLITE_LIMIT_EXPR_DEPTH, self.expr_depth),
            (sqlite3.SQLITE_LIMIT_COMPOUND_SELECT, self.compound_select),
            (sqlite3.SQLITE_LIMIT_FUNCTION_ARG, self.function_arg),
            (sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, self.variable_number),
            (sqlite3.SQLITE_LIMIT_COLUMN, self.column),
            (sqlite3.SQLITE_LIMIT_LIKE_PATTERN_LENGTH, self.like_pattern_length),
            (sqlite3.SQLITE_LIMIT_ATTACHED, 0),
            (sqlite3.SQLITE_LIMIT_TRIGGER_DEPTH, 10),
            (sqlite3.SQLITE_LIMIT_WORKER_THREADS, 0),
        ]


# The site's own queries: generous, but still bounded.
PAGES = Limits(
    length=32 * MB,
    sql_length=1_000_000,
    expr_depth=1000,
    compound_select=500,
    function_arg=127,
    variable_number=32766,
    column=2000,
    like_pattern_length=50_000,
    result_bytes=0,
)
# The public's SQL: a few MB per value and per result, short SQL.
ARBITRARY = Limits(
    length=1 * MB,
    sql_length=20_000,
    expr_depth=200,
    compound_select=50,
    function_arg=64,
    variable_number=100,
    column=200,
    like_pattern_length=1000,
    result_bytes=5 * MB,
    denied=DENIED_FOR_ARBITRARY,
)


class ResultTooBig(sqlite3.OperationalError):
    """A query's rows hold more than the lane allows."""


def authorizer(denied: frozenset[str]) -> Callable[[int, str | None, str | None, str | None, str | None], int]:
    """An authorizer refusing the `denied` functions and ATTACH, and hiding HIDDEN_COLUMNS."""

    def check(action: int, arg1: str | None, arg2: str | None, _db: str | None, _source: str | None) -> int:
        if action == sqlite3.SQLITE_FUNCTION and (arg2 or "").lower() in denied:
            return sqlite3.SQLITE_DENY
        if action == sqlite3.SQLITE_READ and ((arg1 or "").lower(), (arg2 or "").lower()) in HIDDEN_COLUMNS:
            return sqlite3.SQLITE_IGNORE
        if action in (sqlite3.SQLITE_ATTACH, sqlite3.SQLITE_DETACH):
            return sqlite3.SQLITE_DENY
        return sqlite3.SQLITE_OK

    return check


def value_bytes(row: tuple[Any, ...]) -> int:
    """About how many bytes a row's values take (text as UTF-8 is at least its length)."""
    return sum(len(v) if isinstance(v, str | bytes) else 8 for v in row)


class CountingRows:
    """A row factory giving sqlite3.Row objects (or, with `make=None`, the
    rows' tuples) while counting each cursor's bytes; raises ResultTooBig past
    `cap`, so a query's rows never pile up."""

    def __init__(self, cap: int, make: type[sqlite3.Row] | None = sqlite3.Row) -> None:
        self.cap = cap
        self.make = make
        self.seen: weakref.WeakKeyDictionary[sqlite3.Cursor, int] = weakref.WeakKeyDictionary()

    def __call__(self, cursor: sqlite3.Cursor, row: tuple[Any, ...]) -> sqlite3.Row | tuple[Any, ...]:
        total = self.seen.get(cursor, 0) + value_bytes(row)
        self.seen[cursor] = total
        if total > self.cap:
            raise ResultTooBig(
                f"The result is too large: more than {self.cap // MB} MB. "
                "Select fewer rows or columns (add a LIMIT), or download the whole database."
            )
        return row if self.make is None else self.make(cursor, row)


def apply(conn: sqlite3.Connection, limits: Limits) -> None:
    """Set `limits` and the authorizer on `conn`; count result bytes when the lane does."""
    for category, value in limits.pairs():
        conn.setlimit(category, value)
    conn.set_authorizer(authorizer(limits.denied))
    if limits.result_bytes:
        conn.row_factory = CountingRows(limits.result_bytes)


def for_this_thread() -> Limits:
    """The limits for a connection opened on the current thread: the
    arbitrary-SQL threads (named by ingest/site/sql_lane.py) get ARBITRARY."""
    from ingest.site.sql_lane import THREAD_PREFIX

    return ARBITRARY if threading.current_thread().name.startswith(THREAD_PREFIX) else PAGES


# SQLite's words for a limit it hit, and what to add so a reader knows which
# limit and what to do. Plain words only: they go into JSON and HTML as they are.
EXPLAINED = [
    ("string or blob too big", f"string or blob too big: one value may be at most {ARBITRARY.length // MB} MB here"),
    ("not authorized to use function", "not authorized here (fts3_tokenizer, printf, format and load_extension are refused)"),
    ("not authorized", "not authorized here (ATTACH and reading outside the database are refused)"),
    ("too many terms in compound SELECT", f"too many terms in compound SELECT: at most {ARBITRARY.compound_select} here"),
    ("Expression tree is too large", f"Expression tree is too large: at most {ARBITRARY.expr_depth} levels here"),
    ("too many SQL variables", f"too many SQL variables: at most {ARBITRARY.variable_number} here"),
    ("too many arguments on function", f"too many arguments on function: at most {ARBITRARY.function_arg} here"),
    ("statement too long", f"statement too long: at most {ARBITRARY.sql_length} bytes of SQL here"),
    ("too many columns in result set", f"too many columns in result set: at most {ARBITRARY.column} here"),
]


def explain(text: str) -> str:
    """`text` with the first SQLite limit message in it explained."""
    for words, explained in EXPLAINED:
        if words in text:
            return text.replace(words, explained, 1)
    return text


def message(error: BaseException) -> str | None:
    """A reader's sentence for an error one of the limits caused, or None."""
    text = str(error)
    if isinstance(error, ResultTooBig):
        return text
    explained = explain(text)
    return explained + "." if explained != text else None
