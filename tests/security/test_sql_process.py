"""The public's SQL runs in worker processes: rows and errors come back as
Datasette expects them, the time limit interrupts a query, a worker that
outlives it is killed and replaced, and the live server's lane uses them."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import psutil
import pytest
from datasette.database import QueryInterrupted

from ingest.site import sql_lane, sql_limits, sql_process
from ingest.site.sql_worker import Query
from tests.security.conftest import Live

SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"


@pytest.fixture
def database(tmp_path: Path) -> str:
    path = tmp_path / "small.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table t (id integer primary key, name text, data blob, score real)")
        conn.executemany("insert into t values (?, ?, ?, ?)", [(i, f"n{i}", bytes([i]), i / 2) for i in range(1, 31)])
    return f"file:{path}?immutable=1"


@pytest.fixture
def lane() -> Iterator[sql_process.ProcessLane]:
    processes = sql_process.ProcessLane(1)
    yield processes
    processes.shutdown()


def worker_pid(lane: sql_process.ProcessLane) -> int:
    process = lane.workers[0].process
    assert process is not None
    return process.pid


def test_rows_come_back_as_sqlite_rows(lane: sql_process.ProcessLane, database: str) -> None:
    status, rows, truncated, description = lane.execute(
        Query(database, "select id, name, data, score, null as name from t where id <= :n", {"n": 3}, 0, 1000)
    )
    assert status == "ok" and truncated is False
    assert [d[0] for d in description] == ["id", "name", "data", "score", "name"]
    assert all(isinstance(row, sqlite3.Row) for row in rows)
    assert [tuple(row) for row in rows] == [(i, f"n{i}", bytes([i]), i / 2, None) for i in (1, 2, 3)]
    assert rows[1]["score"] == 1.0 and rows[2].keys() == ["id", "name", "data", "score", "name"]


def test_fetch_truncates(lane: sql_process.ProcessLane, database: str) -> None:
    status, rows, truncated, _ = lane.execute(Query(database, "select id from t order by id", None, 10, 1000))
    assert (status, [r[0] for r in rows], truncated) == ("ok", list(range(1, 11)), True)


def test_errors_keep_their_kind(lane: sql_process.ProcessLane, database: str) -> None:
    reply = lane.execute(Query(database, "select * from nowhere", None, 0, 1000))
    with pytest.raises(sqlite3.OperationalError, match="no such table: nowhere"):
        sql_process.result(reply, "select * from nowhere", None)
    # the arbitrary-SQL limits hold in the worker: the authorizer, the value size, the result size
    refused = lane.execute(Query(database, "select fts3_tokenizer('simple')", None, 0, 1000))
    assert refused[0] == "error" and "not authorized" in refused[2]
    too_long = lane.execute(Query(database, "select randomblob(300000000)", None, 0, 1000))
    assert too_long[0] == "error" and "string or blob too big" in too_long[2]
    too_big = lane.execute(Query(database, "select hex(randomblob(400000)) from t", None, 0, 1000))
    assert too_big[:2] == ("error", "ResultTooBig")
    with pytest.raises(sql_limits.ResultTooBig):
        sql_process.result(too_big, "", None)


def test_time_limit_interrupts_and_the_worker_stays(lane: sql_process.ProcessLane, database: str) -> None:
    assert lane.execute(Query(database, "select 1", None, 0, 1000))[0] == "ok"
    pid = worker_pid(lane)
    reply = lane.execute(Query(database, SLOW, None, 0, 100))
    assert reply == ("interrupted",)
    with pytest.raises(QueryInterrupted):
        sql_process.result(reply, SLOW, None)
    assert worker_pid(lane) == pid
    assert lane.execute(Query(database, "select count(*) from t", None, 0, 1000))[1][0][0] == 30


def test_a_worker_past_its_grace_is_killed_and_replaced(
    lane: sql_process.ProcessLane, database: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert lane.execute(Query(database, "select 1", None, 0, 1000))[0] == "ok"
    first = psutil.Process(worker_pid(lane))
    # the site waits 0.1 s for a query its worker only interrupts after 3 s
    monkeypatch.setattr(sql_process, "GRACE", -2.9)
    assert lane.execute(Query(database, SLOW, None, 0, 3000)) == ("interrupted",)
    assert not first.is_running() or first.status() == psutil.STATUS_ZOMBIE
    monkeypatch.setattr(sql_process, "GRACE", 2.0)
    assert lane.execute(Query(database, "select count(*) from t", None, 0, 1000))[1][0][0] == 30
    assert worker_pid(lane) != first.pid


def test_only_bindable_parameters_are_sent() -> None:
    def token() -> str:
        return "secret"

    assert sql_process.bindable({"n": 1, "s": "x", "b": b"y", "f": 0.5, "z": None, "csrftoken": token}) == {
        "n": 1,
        "s": "x",
        "b": b"y",
        "f": 0.5,
        "z": None,
    }
    assert sql_process.bindable(None) is None


@pytest.mark.parametrize(("value", "expected"), [("false", False), ("true", True), ("0", False), (True, True)])
def test_processes_setting(value: object, expected: bool) -> None:
    assert sql_lane.Settings.from_config({"processes": value}).processes is expected


def test_processes_setting_refuses_words() -> None:
    with pytest.raises(ValueError, match="processes is true or false"):
        sql_lane.Settings.from_config({"processes": "maybe"})


def workers_of(live: Live) -> list[psutil.Process]:
    return [p for p in live.process.children(recursive=True) if "ingest.site.sql_worker" in " ".join(p.cmdline())]


def test_live_lane_runs_in_a_worker_process(live: Live) -> None:
    with live.client() as client:
        answer = client.get("/laws/-/query.json", params={"sql": "select count(*) as n from laws", "_shape": "array"})
        assert answer.status_code == 200
        expected = client.get("/laws/laws.json", params={"_size": "1", "_extra": "count"}).json()["count"]
        assert answer.json() == [{"n": expected}]
        workers = workers_of(live)
        assert workers, "the query ran without a worker process"
        assert all(w.nice() >= 10 for w in workers)
        same = client.get("/laws/-/query.json", params={"sql": "select 1 as a, 2 as a", "_shape": "arrays"})
        assert same.json()["rows"] == [[1, 2]]


def test_the_lane_has_its_own_time_limit() -> None:
    assert sql_lane.time_limit(1000) == 1000  # a page's query: Datasette's limit
    lane, limit = sql_lane.LANE.set(sql_lane.SQL), sql_lane.TIME_LIMIT_MS.set(800)
    try:
        assert sql_lane.time_limit(1000) == 800
        assert sql_lane.time_limit(50) == 50  # a shorter budget asked for (facet suggestions) stays
    finally:
        sql_lane.TIME_LIMIT_MS.reset(limit)
        sql_lane.LANE.reset(lane)
    assert sql_lane.Settings().time_limit_ms < 1000
