"""Cache-Control per page kind (ingest/site/cache_headers.py, plugins/cache_headers.py):
what a CDN in front of read-only replicas may keep, and for how long; and the
replica image `lawrepo package` writes sends the same headers."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest
from datasette.app import Datasette

from ingest.site import cache_headers, package
from tests.helpers import free_port, make_datasette
from tests.test_package import image_server, instructions

PDPA = "th-personal-data-protection-act-2019"
PAGE, DOWNLOAD, ASSET = cache_headers.PAGE, cache_headers.DOWNLOAD, cache_headers.ASSET

# (path, expected status, expected Cache-Control): one row per page kind
KINDS = [
    ("/", 200, PAGE),
    (f"/law/{PDPA}", 200, PAGE),
    ("/laws/laws", 200, PAGE),  # Datasette's own table page: its max-age=5 replaced
    ("/laws/laws.json?_shape=array&_size=2", 200, PAGE),
    ("/laws/laws.csv?_size=2", 200, PAGE),
    ("/search?q=electronic", 200, PAGE),
    ("/compare", 200, PAGE),
    ("/compare/data-protection.json", 200, PAGE),
    ("/side-by-side?c=TH&c=VN&area=data-protection", 200, PAGE),
    ("/country/TH", 200, PAGE),
    ("/area/platforms", 200, PAGE),
    ("/freshness.csv", 200, PAGE),
    ("/codebook", 200, PAGE),
    ("/laws.db", 200, DOWNLOAD),
    ("/download/laws.csv", 200, DOWNLOAD),
    ("/assets/site.css", 200, ASSET),
    ("/law/no-such-law", 404, cache_headers.CLIENT_ERROR),
    ("/compare?as_of=not-a-date", 400, cache_headers.CLIENT_ERROR),
    ("/-/lawrepo-cache.json", 200, cache_headers.NO_STORE),
    ("/-/versions.json", 200, cache_headers.NO_STORE),
    ("/submit", 200, cache_headers.PRIVATE),
]


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Datasette:
    return make_datasette(built_db)


@pytest.mark.parametrize(("path", "status", "expected"), KINDS)
async def test_each_page_kind_has_its_cache_control(ds: Datasette, path: str, status: int, expected: str) -> None:
    response = await ds.client.get(path)
    assert response.status_code == status, response.text[:300]
    assert response.headers.get_list("cache-control") == [expected], path


async def test_a_request_with_a_cookie_or_credentials_is_never_kept(ds: Datasette) -> None:
    for headers in ({"cookie": "ds_actor=x"}, {"authorization": "Bearer x"}):
        response = await ds.client.get("/compare", headers=headers)
        assert response.status_code == 200 and response.headers["cache-control"] == cache_headers.PRIVATE


def test_the_rules_by_status_and_path() -> None:
    assert cache_headers.cache_control("/compare", 503, False) == "no-store"
    assert cache_headers.cache_control("/search", 429, False) == "no-store"
    assert cache_headers.cache_control("/compare", 200, True) == cache_headers.PRIVATE
    assert cache_headers.cache_control("/submissions/queue", 200, False) == cache_headers.PRIVATE
    assert cache_headers.cache_control("/exports/laws.atom", 200, False) == DOWNLOAD
    assert all("stale-while-revalidate" in v and v.startswith("public") for v in (PAGE, DOWNLOAD, ASSET))


def test_the_replica_image_sends_them(built_db: Path, tmp_path: Path) -> None:
    """The reader image's own commands, run in the folder `lawrepo package` writes,
    with the image's environment (LAWREPO_SUBMISSIONS=off)."""
    context = tmp_path / "docker"
    package.write_context(Path(__file__).resolve().parent.parent, built_db, context, base_url="https://laws.example.org")
    image_env: dict[str, Any] = {}
    for word, rest in instructions(context / "Dockerfile"):
        if word == "ENV":
            image_env.update(part.split("=", 1) for part in rest.split())
    assert image_env["LAWREPO_SUBMISSIONS"] == "off"
    port = free_port()
    env = {
        **image_env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(context),
        "PORT": str(port),
    }
    with image_server(context, env, tmp_path / "server.log") as base, httpx.Client(base_url=base, timeout=30) as client:
        for path, status, expected in [
            ("/", 200, PAGE),
            ("/compare.json", 200, PAGE),
            ("/laws.db", 200, DOWNLOAD),
            ("/assets/site.css", 200, ASSET),
            ("/submit", 404, cache_headers.PRIVATE),  # the forms are on the writer
        ]:
            response = client.get(path)
            assert response.status_code == status, (path, response.text[:300])
            assert response.headers["cache-control"] == expected, path
        stats = client.get("/-/lawrepo-cache.json")
        assert stats.headers["cache-control"] == "no-store" and json.loads(stats.text)["ok"] is True
