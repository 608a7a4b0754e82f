"""One origin, from configuration: a request's Host and X-Forwarded-* headers
reach no page, feed, CSV, JSON link or header, whether the page comes from the
page cache or not."""

from __future__ import annotations

import pytest

from tests.security.conftest import Live
from tests.security.pages import PAGES

EVIL = "evil.example"
POISON = {"host": EVIL, "x-forwarded-host": EVIL, "x-forwarded-proto": "https", "forwarded": f"host={EVIL};proto=https"}
CONFIGURED = "http://127.0.0.1:8001"  # datasette.yaml's base_url


@pytest.mark.parametrize("path", PAGES)
def test_host_header_reaches_nothing(live: Live, path: str) -> None:
    with live.client() as client:
        for method in ("GET", "HEAD"):
            poisoned = client.request(method, path, headers=POISON)
            assert poisoned.status_code < 500, (path, poisoned.status_code)
            assert EVIL not in poisoned.text, (method, path, poisoned.text[poisoned.text.find(EVIL) - 200 :][:400])
            assert EVIL not in str(poisoned.headers), (method, path, poisoned.headers)
        # the page cache keeps what the poisoned request got: the next reader sees no trace of it
        plain = client.get(path)
        assert EVIL not in plain.text, path
        assert plain.status_code == poisoned.status_code, path


def test_absolute_addresses_come_from_configuration(live: Live) -> None:
    with live.client() as client:
        feed = client.get("/exports/laws.atom", headers=POISON).text
        assert f"<id>{CONFIGURED}/law/" in feed
        csv_text = client.get("/exports/atr-legal-documents.csv", headers=POISON).text
        assert f"{CONFIGURED}/law/" in csv_text
        # the page prints its canonical address: the parameters it reads, sorted (ingest/site/page_cache.py)
        side = client.get("/side-by-side?c=TH&c=VN&area=e-transactions", headers=POISON).text
        assert f'<span class="print-url">{CONFIGURED}/side-by-side?area=e-transactions&amp;c=TH&amp;c=VN</span>' in side
        facets = client.get("/laws/laws.json?_facet=country", headers=POISON).json()
        assert facets["next_url"].startswith(f"{CONFIGURED}/laws/laws.json")
        toggles = [v["toggle_url"] for v in facets["facet_results"]["results"]["country"]["results"]]
        assert toggles and all(t.startswith(f"{CONFIGURED}/") for t in toggles)


def test_head_answers_like_get_without_a_body(live: Live) -> None:
    with live.client() as client:
        got, head = client.get("/compare"), client.head("/compare")
    assert head.status_code == got.status_code == 200
    assert head.content == b"" and head.headers["content-type"] == got.headers["content-type"]
