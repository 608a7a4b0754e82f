"""Every bad request is a 4xx with a readable message and no traceback in the
log; the site answers GET and HEAD only (POST on the contributors' forms);
nothing about the server (paths, memory addresses, debugging pages) leaks."""

from __future__ import annotations

from collections import Counter, deque
from urllib.parse import urljoin, urlsplit

import pytest
from bs4 import BeautifulSoup

from tests.helpers import ROOT
from tests.security.conftest import ADDRESS, PATHS, Live
from tests.security.pages import PAGES, ROUTES

METHODS = ["POST", "PUT", "DELETE", "PATCH", "TRACE", "OPTIONS", "CONNECT", "PROPFIND"]
BAD_PARAMS = [
    {"_facet": "nope"},
    {"_facet": "{bad"},
    {"_facet": '{"array": 1}'},
    {"_facet_array": "nope"},
    {"_facet_date": "nope"},
    {"_facet_size": "abc"},
    {"_sort": "nope"},
    {"_sort_desc": "nope"},
    {"_sort": "title", "_sort_desc": "year"},
    {"nope__exact": "1"},
    {"title__nope": "x"},
    {"year__gt": "abc"},
    {"year__in": "[1,"},
    {"_size": "-1"},
    {"_size": "abc"},
    {"_size": "100000"},
    {"_next": "garbage,,\x00"},
    {"_col": "nope"},
    {"_nocol": "nope"},
    {"_shape": "nope"},
    {"_extra": "nope"},
    {"_search": '"'},
    {"_where": "nope = 1"},
    {"_json": "nope"},
    {"_format": "xml"},
    {"as_of": "yesterday"},
    {"as_of": "2019-02-30"},
    {"c": "ZZ"},
    {"countries": "TH," * 50},
    {"area": "nope"},
    {"q": "\x00\x01\ud7ff" * 60},
    {"q": '"' * 150},
    {"sql": "select"},
    {"x": "y" * 5000},
    {f"p{i}": "1" for i in range(150)},
    {"sql": "select '" + "x" * 30_000 + "'"},
]


@pytest.mark.parametrize("path", [r for r in ROUTES if r != "/submit"])
def test_only_get_and_head(live: Live, path: str) -> None:
    with live.client() as client:
        for method in METHODS:
            r = client.request(method, path)
            assert r.status_code == 405, (method, path, r.status_code)
            assert r.headers["allow"] == "GET, HEAD", (method, path)
        assert client.head(path).status_code < 500


def test_forms_also_take_post_and_refuse_cross_site(live: Live) -> None:
    with live.client() as client:
        assert client.request("PUT", "/submit").headers["allow"] == "GET, HEAD, POST"
        cross = client.post("/submit", data={"kind": "law"}, headers={"sec-fetch-site": "cross-site"})
        assert cross.status_code == 403
    with live.client(cookies={"ds_actor": "forged", "lawrepo_moderator": "forged"}) as forging:
        assert forging.get("/submissions/queue").status_code == 403


def test_bad_parameters_are_4xx_on_every_route(live: Live) -> None:
    statuses: Counter[int] = Counter()
    with live.client() as client:
        for path in ROUTES:
            for params in BAD_PARAMS:
                r = client.get(path, params=params)
                statuses[r.status_code] += 1
                assert r.status_code < 500, (path, params, r.status_code, r.text[:300])
                assert not ADDRESS.search(r.text), (path, params)
    assert statuses[400] > 100, statuses  # the walk reaches the checks, not only 404s
    log = live.log_text()
    assert "Traceback" not in log and "Server error" not in log, log[-3000:]


@pytest.mark.parametrize(
    ("path", "params", "words"),
    [
        ("/laws/laws", {"_facet": "nope"}, "no such column: nope"),
        ("/laws/laws.json", {"_facet": "{bad"}, "Check the facets"),
        ("/laws/laws", {"_sort": "nope"}, "Cannot sort table by nope"),
        ("/laws/laws", {"nope__exact": "1"}, "laws has no column 'nope'"),
        ("/laws/laws.json", {"title__nope": "x"}, "no operator 'nope'"),
        ("/laws/laws", {"x": "y" * 5000}, "is too long: at most 4 KB"),
        ("/compare", {f"p{i}": "1" for i in range(150)}, "Too many parameters: at most 100"),
        ("/laws/-/query.json", {"sql": "select '" + "x" * 30_000 + "'"}, "at most 20 KB"),
        (
            "/laws/laws.json",
            {"_where": "(with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c) > 0"},
            "longer than the time limit",
        ),
    ],
)
def test_bad_request_says_what_is_wrong(live: Live, path: str, params: dict[str, str], words: str) -> None:
    with live.client() as client:
        r = client.get(path, params=params)
    assert r.status_code == 400, (r.status_code, r.text[:300])
    assert words in r.text, r.text[:600]


@pytest.mark.parametrize(
    "path",
    [
        "/-/databases.json",
        "/-/threads",
        "/-/plugins.json",
        "/-/settings.json",
        "/-/config.json",
        "/-/messages",
        "/-/patterns",
        "/-/allow-debug",
        "/-/permissions",
        "/-/api",
        "/-/create-token",
        "/-/actions.json",
        "/-/tasks",
    ],
)
def test_debugging_pages_are_withdrawn(live: Live, path: str) -> None:
    with live.client() as client:
        assert client.get(path).status_code == 404


def test_versions_stay_for_health_checks_and_hold_no_path(live: Live) -> None:
    with live.client() as client:
        r = client.get("/-/versions.json")
    assert r.status_code == 200 and r.json()["datasette"]["version"]
    assert not PATHS.search(r.text) and not ADDRESS.search(r.text)


def test_crawl_shows_no_path_or_address(live: Live) -> None:
    """Follow the site's links from the home page (at most three variants of a path
    and 250 pages): no response holds an absolute path or a memory address."""
    root = str(ROOT)
    seen: set[str] = set()
    per_path: Counter[str] = Counter()
    queue = deque(["/", "/nowhere", "/laws/laws/nowhere", "/laws/-/query?sql=select+*+from+nowhere", *PAGES])
    with live.client() as client:
        while queue and len(seen) < 250:
            url = queue.popleft()
            parts = urlsplit(url)
            if url in seen or parts.netloc or per_path[parts.path] >= 3 or parts.path.endswith(".db"):
                continue
            seen.add(url)
            per_path[parts.path] += 1
            r = client.get(url)
            assert r.status_code < 500, (url, r.status_code)
            text = r.text
            assert root not in text and not PATHS.search(text), (url, (PATHS.search(text) or [root])[0])
            assert not ADDRESS.search(text), (url, ADDRESS.search(text))
            if "html" in r.headers.get("content-type", ""):
                for a in BeautifulSoup(text, "html.parser").find_all("a", href=True):
                    href = urljoin(url, str(a["href"]))
                    if href.startswith("/"):
                        queue.append(href)
    assert len(seen) > 100, len(seen)
