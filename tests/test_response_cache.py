"""Datasette's own table and law pages are kept in the page cache once
answered, under canonical addresses only (ingest/site/response_cache.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from datasette.app import Datasette

from ingest.site import page_cache
from ingest.site.page_cache import PageCache
from ingest.site.response_cache import key_query
from tests.helpers import make_datasette


@pytest.mark.parametrize(
    ("path", "query", "expected"),
    [
        ("/laws/laws", b"", ""),
        ("/laws/laws.json", b"status=in-force&country=TH&_size=5", "_size=5&country=TH&status=in-force"),
        ("/laws/laws", b"_facet=country&_sort=year&_facet=status", "_facet=country&_facet=status&_sort=year"),
        ("/laws/laws", b"_where=1", None),  # arbitrary SQL: its own lane
        ("/laws/laws", b"_trace=1", None),
        ("/laws/laws", b"_stream=1", None),
        ("/laws/laws", b"_utm=x", None),  # not Datasette's: not kept
        ("/laws/laws.csv", b"_size=100&country=TH", "_size=100&country=TH"),
        ("/exports/laws.atom", b"", ""),
        ("/exports/datapackage.json", b"", ""),
        ("/exports/laws.csv", b"", None),  # the whole table, streamed
        ("/laws/-/query", b"sql=select+1", None),
        ("/laws", b"", None),
        ("/other/laws", b"", None),
        ("/law/th-some-act", b"", ""),
        ("/", b"", ""),
        ("/", b"q=x", None),
        ("/law/th-some-act", b"x=1", None),
        ("/compare", b"", None),  # the site's pages are cached where they are rendered
    ],
)
def test_only_canonical_addresses_are_kept(path: str, query: bytes, expected: str | None) -> None:
    assert key_query(path, query, "laws") == expected


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Datasette:
    return make_datasette(built_db)


async def test_a_table_page_is_answered_once_then_replayed(ds: Datasette, fresh_cache: PageCache) -> None:
    first = await ds.client.get("/laws/laws?country=TH&status=in-force")
    assert first.status_code == 200 and fresh_cache.stats()["entries"] == 1
    again = await ds.client.get("/laws/laws?status=in-force&country=TH")  # the same page, parameters in another order
    assert again.status_code == 200 and again.text == first.text
    assert again.headers["content-type"] == first.headers["content-type"]
    assert (fresh_cache.hits, fresh_cache.stats()["entries"]) == (1, 1)
    as_json = await ds.client.get("/laws/laws.json?country=TH&_size=3")
    assert as_json.status_code == 200 and len(as_json.json()["rows"]) == 3
    assert (await ds.client.get("/laws/laws.json?_size=3&country=TH")).json() == as_json.json()
    assert fresh_cache.hits == 2


@pytest.mark.parametrize(
    "path", ["/law/sg-electronic-transactions-act-2010", "/", "/exports/laws.atom", "/laws/laws.csv?country=TH"]
)
async def test_plain_pages_and_table_csv_are_kept(ds: Datasette, fresh_cache: PageCache, path: str) -> None:
    first = await ds.client.get(path)
    second = await ds.client.get(path)
    assert first.status_code == second.status_code == 200 and first.text == second.text
    assert fresh_cache.hits == 1


async def test_what_is_not_kept(ds: Datasette, fresh_cache: PageCache) -> None:
    assert (await ds.client.get("/law/no-such-law")).status_code == 404
    assert (await ds.client.get("/laws/laws?nope=1")).status_code == 400  # refused before the cache
    assert (await ds.client.get("/laws/laws", cookies={"ds_actor": "x"})).status_code == 200
    assert (await ds.client.get("/laws/laws.csv?_stream=on")).status_code == 200
    assert (await ds.client.get("/exports/laws.csv")).status_code == 200
    assert fresh_cache.stats()["entries"] == 0


async def test_the_bound_holds_for_table_pages(ds: Datasette, monkeypatch: pytest.MonkeyPatch) -> None:
    small = PageCache(200_000)
    monkeypatch.setattr(page_cache, "CACHE", small)
    for size in range(1, 40):
        assert (await ds.client.get(f"/laws/laws.json?_size={size}")).status_code == 200
        assert small.bytes <= 200_000
    assert 0 < small.stats()["entries"] < 39
