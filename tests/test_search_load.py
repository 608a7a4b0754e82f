"""Search under load: a query over the time limit answers 503 with a clear page
and Retry-After (never a 500); full-text queries rank a bounded candidate set
and the nearest titles come from a bounded set too."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

from ingest.site import search
from ingest.site.suggest import prefix_query
from tests.helpers import make_datasette


@pytest.fixture(scope="module")
def slow(built_db: Path) -> Datasette:
    # the search's time budget is spent at its first step: as if the server were swamped
    return make_datasette(built_db, plugins={"lawrepo": {"search_time_limit_ms": 0}})


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Datasette:
    return make_datasette(built_db)


async def test_a_search_out_of_time_is_a_503_page_with_retry_after(slow: Datasette) -> None:
    response = await slow.client.get("/search?q=" + quote("personal data"))
    assert response.status_code == 503, response.text[:500]
    assert int(response.headers["retry-after"]) > 0
    assert response.headers["cache-control"] == "no-store"
    page = BeautifulSoup(response.text, "html.parser")
    alert = page.find(class_="search-busy")
    assert alert is not None and alert.get("role") == "alert"
    assert "Try a narrower search" in alert.get_text()
    # the search box is still there, holding the search, so it can be narrowed at once
    assert page.find("input", attrs={"name": "q"})["value"] == "personal data"
    assert "Server error" not in response.text and "Traceback" not in response.text


async def test_a_search_out_of_time_as_json(slow: Datasette) -> None:
    response = await slow.client.get("/search?q=electronic&_format=json")
    assert response.status_code == 503 and int(response.headers["retry-after"]) > 0
    data = response.json()
    assert data["ok"] is False and data["q"] == "electronic" and "narrower search" in data["error"]


async def test_the_same_search_in_time_answers_200(ds: Datasette) -> None:
    response = await ds.client.get("/search?q=" + quote("personal data"))
    assert response.status_code == 200 and "search-busy" not in response.text


def test_prefix_query_matches_title_words_by_their_first_letters() -> None:
    assert prefix_query("Electronc Transactons Act") == '{title short_title number search_folded} : ("act"* OR "ele"* OR "tra"*)'
    assert prefix_query("Giao dịch") == '{title short_title number search_folded} : ("dic"* OR "gia"*)'
    assert prefix_query("  --  ") == ""


def test_ranking_is_bounded_to_the_candidates(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With a candidate set of one, a common word gives at most one law per index;
    with the default, every match of the shipped records is ranked."""
    with closing(sqlite3.connect(built_db)) as conn:
        matches = conn.execute("select count(*) from laws_fts where laws_fts match 'electronic'").fetchone()[0]
        assert matches > 3
        everything = [r for r in search.search(conn, "electronic") if "rank" in r]  # rows of the laws' own index
        assert len(everything) == min(matches, search.LIMIT)
        monkeypatch.setattr(search, "CANDIDATES", 1)
        bounded = [r for r in search.search(conn, "electronic") if "rank" in r]
    assert len(bounded) == 1
