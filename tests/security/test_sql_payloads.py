"""The probes of arbitrary SQL that once took gigabytes or leaked, against a
live server: each is a 4xx naming what it hit, and the server's memory rises
by less than 50 MB. The held ones (writes, ATTACH, load_extension, readfile)
stay held."""

from __future__ import annotations

import pytest

from tests.security.conftest import MB, Live, PeakRss

# (name, sql, format, words the answer must hold)
REFUSED = [
    ("randomblob", "select hex(randomblob(300000000))", "json", "one value may be at most 1 MB"),
    ("zeroblob", "select replace(hex(zeroblob(100000000)), '0', 'x')", "json", "one value may be at most 1 MB"),
    ("printf width", "select printf('%.*c', 2000000000, 'x')", "json", "not authorized"),
    ("format width", "select format('%.*c', 2000000000, 'x')", "json", "not authorized"),
    ("many big rows", "select hex(randomblob(400000)) from laws", "json", "The result is too large"),
    ("many big columns", "select " + ", ".join(["hex(randomblob(400000))"] * 30), "json", "The result is too large"),
    ("streamed csv", "select hex(randomblob(400000)) from laws", "csv", "The result is too large"),
    ("html form", "select hex(randomblob(300000000))", "html", "one value may be at most 1 MB"),
    ("fts3_tokenizer", "select hex(fts3_tokenizer('simple'))", "json", "not authorized"),
    ("load_extension", "select load_extension('/tmp/x')", "json", "not authorized"),
    ("readfile", "select readfile('/etc/passwd')", "json", "no such function"),
    ("attach", "attach database '/tmp/x.db' as x", "json", "must be a SELECT"),
    ("insert", "insert into laws (id) values ('x')", "json", "must be a SELECT"),
    ("drop", "drop table laws", "json", "must be a SELECT"),
    ("pragma statement", "pragma database_list", "json", "must be a SELECT"),
    ("deep expression", "select 1" + " + 1" * 300, "json", "at most 200 levels"),
    ("nested parentheses", "select " + "(" * 300 + "1" + ")" * 300, "json", "parser stack overflow"),
    ("compound", " union all ".join(["select 1"] * 60), "json", "compound SELECT"),
    ("slow", "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c", "json", "too long"),
]


def query_path(fmt: str) -> str:
    return {"json": "/laws/-/query.json", "csv": "/laws/-/query.csv", "html": "/laws/-/query"}[fmt]


@pytest.mark.parametrize(("name", "sql", "fmt", "words"), REFUSED, ids=[r[0] for r in REFUSED])
def test_payload_is_refused_with_bounded_memory(live: Live, name: str, sql: str, fmt: str, words: str) -> None:
    params = {"sql": sql, **({"_stream": "1"} if fmt == "csv" else {})}
    with live.client() as client, PeakRss(live) as memory:
        r = client.get(query_path(fmt), params=params)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert words in r.text, r.text[:500]
    assert memory.rise < 50 * MB, f"{name}: server memory rose by {memory.rise / MB:.0f} MB"


def test_database_path_is_not_readable(live: Live) -> None:
    with live.client() as client:
        rows = client.get("/laws/-/query.json", params={"sql": "select * from pragma_database_list"}).json()["rows"]
    assert rows and all(row["file"] is None for row in rows), rows


def test_build_bookkeeping_is_public_and_holds_no_absolute_path(live: Live) -> None:
    # `files`: the build's record files (below laws/) and their digests; documented in metadata.yml
    with live.client() as client:
        rows = client.get("/laws/-/query.json", params={"sql": "select path, kind from files"}).json()["rows"]
    assert rows and all(not r["path"].startswith("/") and ".." not in r["path"] for r in rows), rows[:3]


def test_small_values_and_ordinary_queries_still_work(live: Live) -> None:
    with live.client() as client:
        ok = client.get(
            "/laws/-/query.json", params={"sql": "select length(hex(randomblob(1000))) as n, count(*) as laws from laws"}
        )
        assert ok.status_code == 200 and ok.json()["rows"][0]["n"] == 2000
        assert ok.json()["rows"][0]["laws"] > 0
        # the site's own pages use the wider limits of their own lane
        assert client.get("/compare.json").status_code == 200
        assert client.get("/laws/laws.csv", params={"_stream": "1", "_size": "max"}).status_code == 200


def test_a_client_mistake_leaves_no_traceback(live: Live) -> None:
    with live.client() as client:
        for _, sql, _, _ in REFUSED[:3]:
            client.get("/laws/-/query.json", params={"sql": sql})
    assert "Traceback" not in live.log_text()
