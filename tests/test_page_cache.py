"""The page cache is bounded by bytes, reports its figures, and keeps only
canonical addresses (ingest/site/page_cache.py, /-/lawrepo-cache.json)."""

from __future__ import annotations

from collections import OrderedDict
from pathlib import Path

import pytest
from datasette import Response
from datasette.app import Datasette
from hypothesis import given, settings
from hypothesis import strategies as st

from ingest.site import page_cache
from ingest.site.page_cache import ENTRY_OVERHEAD, MB, PageCache, budget_from_env, canonical_query
from tests.helpers import make_datasette

# --- the cache itself -------------------------------------------------------------


def page(size: int, status: int = 200) -> Response:
    return Response("x" * size, status=status, content_type="text/html; charset=utf-8")


def test_least_recently_used_pages_go_first() -> None:
    sample = page(100)
    one_page = page_cache.entry_size(("a",), list(dict(sample.headers).items()), sample.content_type, b"x" * 100)
    cache = PageCache(2 * one_page + one_page // 2)  # room for two pages
    for name in ("a", "b", "c"):
        assert cache.put((name,), page(100))
    assert cache.get(("a",)) is None
    hit = cache.get(("b",))
    assert hit is not None and hit.body == b"x" * 100 and hit.status == 200
    cache.put(("d",), page(100))  # b was used last, so c goes
    assert cache.get(("c",)) is None and cache.get(("b",)) is not None
    assert cache.bytes <= cache.max_bytes


def test_a_page_larger_than_the_budget_is_not_kept_and_evicts_nothing() -> None:
    cache = PageCache(10_000)
    assert cache.put(("small",), page(1000))
    assert not cache.put(("huge",), page(20_000))
    assert cache.get(("huge",)) is None and cache.get(("small",)) is not None
    assert cache.stats()["entries"] == 1


def test_an_off_cache_keeps_nothing() -> None:
    off = PageCache(0)
    assert not off.put(("a",), page(1))
    assert off.get(("a",)) is None and off.bytes == 0


def test_stats_count_hits_misses_entries_and_bytes() -> None:
    cache = PageCache(1 * MB)
    assert cache.stats() == {"hits": 0, "misses": 0, "hit_rate": None, "entries": 0, "bytes": 0, "max_bytes": MB}
    cache.get(("a",))
    cache.put(("a",), page(500))
    cache.get(("a",))
    cache.get(("a",))
    cache.get(("b",))
    stats = cache.stats()
    assert (stats["hits"], stats["misses"], stats["hit_rate"], stats["entries"]) == (2, 2, 0.5, 1)
    assert 500 + ENTRY_OVERHEAD < stats["bytes"] < 500 + ENTRY_OVERHEAD + 200


keys = st.text(alphabet="abcdef", min_size=1, max_size=3)
operations = st.lists(st.tuples(st.sampled_from(["put", "get"]), keys, st.integers(min_value=0, max_value=30_000)), max_size=120)


@settings(max_examples=300, deadline=None)
@given(budget=st.integers(min_value=0, max_value=80_000), ops=operations)
def test_never_over_its_byte_bound_and_its_figures_are_right(budget: int, ops: list[tuple[str, str, int]]) -> None:
    """Any sequence of pages of any sizes: the counted bytes never exceed the
    bound, always equal the sum of the kept entries, the pages kept are exactly
    those of a plain least-recently-used model, and hits and misses add up."""
    cache = PageCache(budget)
    model: OrderedDict[str, int] = OrderedDict()  # key -> counted size, oldest first
    bodies: dict[str, int] = {}
    hits = misses = 0
    for op, name, size in ops:
        key = (name,)
        if op == "put":
            response = page(size)
            counted = page_cache.entry_size(key, list(dict(response.headers).items()), response.content_type, b"x" * size)
            model.pop(name, None)
            if counted <= budget:
                while sum(model.values()) + counted > budget:
                    model.popitem(last=False)
                model[name] = counted
                bodies[name] = size
            cache.put(key, response)
        else:
            got = cache.get(key)
            if name in model:
                hits += 1
                model.move_to_end(name)
                assert got is not None and got.body == b"x" * bodies[name]
            else:
                misses += 1
                assert got is None
        assert cache.bytes <= budget
        assert cache.bytes == sum(e.size for e in cache.pages.values()) == sum(model.values())
        assert list(cache.pages) == [(k,) for k in model]
    stats = cache.stats()
    assert (stats["hits"], stats["misses"], stats["entries"], stats["bytes"]) == (hits, misses, len(model), cache.bytes)


def test_the_budget_comes_from_the_environment() -> None:
    assert budget_from_env({}) == 64 * MB
    assert budget_from_env({"LAWREPO_PAGE_CACHE_MB": "8"}) == 8 * MB
    assert budget_from_env({"LAWREPO_PAGE_CACHE_MB": "0.5"}) == MB // 2
    assert budget_from_env({"LAWREPO_PAGE_CACHE_MB": "0"}) == 0
    assert budget_from_env({"LAWREPO_PAGE_CACHE": "0", "LAWREPO_PAGE_CACHE_MB": "8"}) == 0  # the older switch still turns it off
    assert budget_from_env({"LAWREPO_PAGE_CACHE": "256"}) == 64 * MB  # a page count no longer sets the size
    for bad in ("lots", "-1"):
        with pytest.raises(SystemExit, match="LAWREPO_PAGE_CACHE_MB"):
            budget_from_env({"LAWREPO_PAGE_CACHE_MB": bad})


# --- canonical addresses ---------------------------------------------------------------


def test_the_key_keeps_only_the_parameters_the_page_reads_sorted() -> None:
    assert canonical_query("/compare", "utm_source=mail&as_of=2020-01-01&_=1") == "as_of=2020-01-01"
    assert canonical_query("/compare/data-protection.json", "x=1") == ""
    # a repeated parameter keeps its values in their order; names are sorted
    assert canonical_query("/side-by-side", "diff=1&c=VN&junk=2&area=platforms&c=TH") == "area=platforms&c=VN&c=TH&diff=1"
    assert canonical_query("/country/TH", "_format=json&page=2") == "_format=json"
    assert canonical_query("/freshness", "as_of=2020-01-01") == ""


@settings(max_examples=200, deadline=None)
@given(
    junk=st.lists(
        st.tuples(st.text(min_size=1, max_size=8).filter(lambda k: k not in {"as_of", "_format"}), st.text(max_size=8)),
        max_size=6,
    )
)
def test_junk_parameters_never_change_the_key(junk: list[tuple[str, str]]) -> None:
    from urllib.parse import urlencode

    query = urlencode([*junk, ("as_of", "2020-01-01")])
    assert canonical_query("/compare", query) == "as_of=2020-01-01"


# --- through the site ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Datasette:
    return make_datasette(built_db)


async def stats(ds: Datasette) -> dict[str, object]:
    response = await ds.client.get("/-/lawrepo-cache.json")
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    data: dict[str, object] = response.json()
    return data


async def test_the_figures_are_reported(ds: Datasette, fresh_cache: PageCache) -> None:
    assert (await ds.client.get("/compare")).status_code == 200
    assert (await ds.client.get("/compare")).status_code == 200
    assert (await ds.client.get("/compare/data-protection.json")).status_code == 200
    figures = await stats(ds)
    assert figures["ok"] is True
    assert (figures["hits"], figures["misses"], figures["entries"]) == (1, 2, 2)
    assert figures["hit_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert figures["bytes"] == fresh_cache.bytes and 0 < fresh_cache.bytes <= figures["max_bytes"] == 64 * MB


async def test_distinct_junk_query_strings_do_not_grow_it(ds: Datasette, fresh_cache: PageCache) -> None:
    first = await ds.client.get("/compare?as_of=2020-01-01")
    size = fresh_cache.bytes
    for i in range(40):
        response = await ds.client.get(f"/compare?utm_source=report{i}&as_of=2020-01-01&_={i}")
        assert response.status_code == 200
        assert f"report{i}" not in response.text  # the page is the canonical one, links and all
        assert response.text == first.text
    assert fresh_cache.bytes == size and fresh_cache.stats()["entries"] == 1
    # the same parameters in another order are the same page
    a = await ds.client.get("/side-by-side?c=TH&area=data-protection&c=PH")
    b = await ds.client.get("/side-by-side?area=data-protection&c=TH&junk=1&c=PH")
    assert a.status_code == b.status_code == 200 and a.text == b.text
    assert fresh_cache.stats()["entries"] == 2


async def test_any_sequence_of_distinct_urls_stays_within_the_bound(ds: Datasette, monkeypatch: pytest.MonkeyPatch) -> None:
    small = PageCache(300_000)
    monkeypatch.setattr(page_cache, "CACHE", small)
    for year in range(1990, 2026):
        for path in (f"/compare?as_of={year}-01-01", f"/compare/platforms.json?as_of={year}-06-30"):
            assert (await ds.client.get(path)).status_code == 200
            assert small.bytes <= 300_000
    assert small.stats()["entries"] < 72  # older pages made room


async def test_a_request_with_a_cookie_is_neither_served_from_nor_kept_in_the_cache(
    ds: Datasette, fresh_cache: PageCache
) -> None:
    assert (await ds.client.get("/codebook", cookies={"ds_actor": "x"})).status_code == 200
    assert fresh_cache.stats()["entries"] == 0
