"""A first visit that works: no dead ends (a crawl from the home page), area
pages, downloads that download, one renderer for every answer, labels that
tell the truth, and "report a problem" links."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
from collections import deque
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urldefrag, urlsplit

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from datasette.app import Datasette

from ingest.cli.main import main
from tests import answers_fixture as fx
from tests.helpers import make_datasette

REPO = "https://github.com/example/asean-law"
BASE = "https://law.example.org"
SITE = {"lawrepo": {"base_url": BASE, "repository_url": REPO}}
MAX_PAGES = 300


@pytest.fixture(scope="module")
def ds(compare_db: Path) -> Datasette:
    return make_datasette(compare_db)


@pytest.fixture(scope="module")
def configured(compare_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Datasette:
    """The site with its addresses configured (its own copy of the database: the page cache is per database file)."""
    path = tmp_path_factory.mktemp("configured") / "laws.db"
    shutil.copyfile(compare_db, path)
    return make_datasette(path, plugins=SITE)


async def soup(ds: Datasette, path: str) -> BeautifulSoup:
    response = await ds.client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}\n{response.text[:800]}"
    return BeautifulSoup(response.text, "html.parser")


# --- 1. no dead ends ------------------------------------------------------------------


def worth_following(href: str) -> bool:
    """Internal page links; not the database file, the forms' moderator pages or sort/facet permutations."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or parts.path.endswith(".db"):
        return False
    if parts.path.startswith(("/submissions/", "/-/")):
        return False
    return not any(key.startswith("_") and key not in ("_search",) for key in parse_qs(parts.query))


async def test_crawl_from_the_home_page_finds_no_dead_end(ds: Datasette) -> None:
    """Every internal link of every page kind answers 2xx/3xx, and no page opens with an error."""
    seen = {"/"}
    queue = deque(["/"])
    kinds: set[str] = set()
    visited = 0
    while queue and visited < MAX_PAGES:
        path = queue.popleft()
        response = await ds.client.get(path)
        visited += 1
        assert 200 <= response.status_code < 400, f"{path}: {response.status_code}"
        kinds.add("/".join(urlsplit(path).path.split("/")[:2]))
        if not response.headers.get("content-type", "").startswith("text/html"):
            continue
        page = BeautifulSoup(response.text, "html.parser")
        error = page.select_one(".error, [role=alert]")
        assert error is None, f"{path} opens with an error: {error.get_text(' ', strip=True)[:200]}"
        for a in page.find_all("a", href=True):
            href = urldefrag(a["href"])[0]
            if href and worth_following(href) and href not in seen:
                seen.add(href)
                queue.append(href)
    assert visited >= 100, visited  # the crawl reached far
    expected = {"/law", "/country", "/area", "/compare", "/side-by-side", "/codebook", "/progress", "/about", "/download"}
    assert expected <= kinds, expected - kinds


async def test_typed_mistakes_still_get_a_clear_message(ds: Datasette) -> None:
    response = await ds.client.get("/side-by-side?c=TH&c=XX")
    assert response.status_code == 400
    assert "not a member state code: XX" in BeautifulSoup(response.text, "html.parser").find(class_="error").get_text()


# --- 2. area pages -----------------------------------------------------------------------


async def test_area_page_lists_every_member_state(ds: Datasette, compare_db: Path) -> None:
    page = await soup(ds, "/area/data-protection")
    assert page.h1.get_text(strip=True) == "Personal data protection"
    conn = sqlite3.connect(compare_db)
    countries = dict(conn.execute("select code, name from countries"))
    for code, name in countries.items():
        block = page.find("section", id=code)
        assert block is not None and name in block.h2.get_text(), code
    thailand = page.find("section", id="TH")
    assert thailand.find("a", href=f"/law/{fx.PDPA}") is not None
    assert "In force" in thailand.get_text() and "Unverified" in thailand.get_text()  # words, not codes
    assert "in-force" not in thailand.get_text()
    none = conn.execute("select country, note from coverage where area = 'data-protection' and status = 'none'").fetchone()
    text = page.find("section", id=none[0]).get_text(" ", strip=True)
    assert "Coverage: no law." in text and none[1][:60] in text
    assert page.find("a", href="/compare/data-protection") and page.find("a", href="/side-by-side?area=data-protection")
    data = (await ds.client.get("/area/data-protection.json")).json()
    assert data["ok"] and {c["code"] for c in data["countries"]} == set(countries)
    rows = list(csv.DictReader(io.StringIO((await ds.client.get("/area/data-protection.csv")).content.decode("utf-8-sig"))))
    pdpa = next(r for r in rows if r["Law id"] == fx.PDPA)
    assert (pdpa["Member state"], pdpa["Status"], pdpa["Principal area of the law"]) == ("Thailand", "In force", "yes")
    assert (await ds.client.get("/area/no-such-area")).status_code == 404


async def test_home_and_law_pages_link_to_area_pages(ds: Datasette) -> None:
    home = await soup(ds, "/")
    assert home.find("a", href="/area/platforms") and not home.find("a", href=re.compile("laws_by_area"))
    law = await soup(ds, f"/law/{fx.PDPA}")
    assert law.find("a", href="/area/data-protection")


async def test_stored_queries_hide_their_sql_and_name_columns_in_words(ds: Datasette) -> None:
    page = await soup(ds, "/laws/laws_by_area?area=data-protection")
    assert page.find("textarea") is None  # the SQL is shown only when asked for
    headers = [th.get_text(" ", strip=True) for th in page.select("table.rows-and-columns thead th")]
    assert "Member state" in headers and "Principal area of the law" in headers and "principal" not in headers
    assert page.find("a", href=f"/law/{fx.PDPA}") is not None


# --- 3. downloads ----------------------------------------------------------------------


def spreadsheet(response: Any, filename: str) -> list[dict[str, str]]:
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == f'attachment; filename="{filename}"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # Excel reads the file as UTF-8
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_every_csv_link_on_the_home_page_downloads_a_file(ds: Datasette) -> None:
    home = await soup(ds, "/")
    links = [a["href"] for a in home.find_all("a", href=True) if "csv" in a["href"].lower()]
    assert {"/download/laws.csv", "/download/matrix.csv"} <= set(links)
    for href in links:
        response = await ds.client.get(href)
        assert response.headers["content-disposition"].startswith("attachment; filename="), href
        assert response.headers["content-type"] == "text/csv; charset=utf-8", href


async def test_laws_download_has_public_columns_and_local_titles(ds: Datasette, compare_db: Path) -> None:
    rows = spreadsheet(await ds.client.get("/download/laws.csv"), "asean-ecommerce-laws.csv")
    conn = sqlite3.connect(compare_db)
    assert len(rows) == conn.execute("select count(*) from laws").fetchone()[0]
    assert not {"search_folded", "file", "unsupported", "id"} & set(rows[0])
    assert {"Member state", "Title", "Titles in the official languages", "Status", "Verification", "Page"} <= set(rows[0])
    titles = dict(conn.execute("select t.law_id, t.title from law_titles t where t.position = 0"))
    assert titles, "the records carry local titles"
    for r in rows:  # every local title arrives intact, whatever its script
        if r["Law id"] in titles:
            assert r["Titles in the official languages"].split(" / ")[0] == titles[r["Law id"]], r["Law id"]
    assert any(re.search("[\u0e00-\u0e7f]", r["Titles in the official languages"]) for r in rows)  # Thai
    assert any("Luật" in r["Titles in the official languages"] for r in rows)  # Vietnamese
    pdpa = next(r for r in rows if r["Law id"] == fx.PDPA)
    assert pdpa["Status"] == "In force" and pdpa["Page"] == f"http://127.0.0.1:8001/law/{fx.PDPA}"
    matrix = spreadsheet(await ds.client.get("/download/matrix.csv"), "asean-member-states-by-area.csv")
    assert len(matrix) == 11 and "Personal data protection" in matrix[0]


async def test_page_csv_links_download(ds: Datasette) -> None:
    for path, name in (
        ("/compare.csv", "compare.csv"),
        ("/country/TH.csv", "country-TH.csv"),
        ("/area/platforms.csv", "area-platforms.csv"),
    ):
        assert spreadsheet(await ds.client.get(path), name), path
    dated = await ds.client.get("/compare/data-protection.csv?as_of=2020-01-01")
    assert dated.headers["content-disposition"] == 'attachment; filename="compare-data-protection-as-of-2020-01-01.csv"'


# --- 4. one renderer -----------------------------------------------------------------------


def answer_html(html: str, country: str, indicator: str) -> str:
    found = BeautifulSoup(html, "html.parser").find(
        "div", class_="answer-view", attrs={"data-country": country, "data-indicator": indicator}
    )
    assert found is not None, (country, indicator)
    return str(found)


async def test_the_same_answer_reads_the_same_on_every_page(ds: Datasette, compare_db: Path, tmp_path: Path) -> None:
    pages = {
        "law page": f"/law/{fx.PDPA}",
        "country page": "/country/TH",
        "area matrix": "/compare/data-protection",
        "side by side": "/side-by-side?c=TH&c=PH&area=data-protection",
    }
    for country, indicator, label in (("TH", "pdp-breach-deadline-hours", "72 hours"), ("TH", "pdp-comprehensive-law", "Yes")):
        shown = {name: answer_html((await ds.client.get(path)).text, country, indicator) for name, path in pages.items()}
        out = tmp_path / "th.html"
        result = CliRunner().invoke(main, ["worksheet", "TH", "--format", "html", "--out", str(out), "--db", str(compare_db)])
        assert result.exit_code == 0, result.output
        shown["worksheet"] = answer_html(out.read_text(encoding="utf-8"), country, indicator)
        first = shown["law page"]
        assert all(html == first for html in shown.values()), shown
        view = BeautifulSoup(first, "html.parser")
        assert view.find(class_="answer").get_text() == label
        assert view.find("a", href=f"/law/{fx.PDPA}#provision-0").get_text() == "PDPA, s 2"
        assert view.find(class_="since").get_text() == "since 1 June 2022"
        assert view.find(class_="checked").get_text() == "Not verified against the official text; review: " + (
            "disputed" if indicator == "pdp-breach-deadline-hours" else "draft"
        )


async def test_law_page_lists_each_answer_once_current_first(ds: Datasette) -> None:
    page = await soup(ds, f"/law/{fx.PDPA}")
    section = page.find("h2", id="cited-by").find_parent("section")
    views = section.select(".answer-view")
    keys = [(v["data-country"], v["data-indicator"], v.find(class_="since").get_text()) for v in views]
    assert len(keys) == len(set(keys))  # an answer resting on two provisions is listed once
    earlier = section.find("details", class_="earlier")
    assert earlier.summary.get_text().startswith("Earlier answers")
    partly = earlier.find("div", attrs={"data-indicator": "pdp-comprehensive-law"})
    assert "from 28 May 2019 until 1 June 2022" in partly.get_text(" ", strip=True)
    current = [v for v in views if v.find_parent("details") is None]
    assert current and all("until" not in v.find(class_="since").get_text() for v in current)


# --- 5. labels that tell the truth ------------------------------------------------------


async def test_last_verified_only_for_a_checked_record(configured: Datasette, compare_db: Path) -> None:
    conn = sqlite3.connect(compare_db)
    (unverified_id,) = conn.execute("select id from laws where verification = 'unverified' order by id limit 1").fetchone()
    unverified = await soup(configured, f"/law/{unverified_id}")
    assert unverified.find("dt", string="Last verified") is None
    checked = unverified.find("dt", string="Checked").find_next_sibling("dd").get_text(" ", strip=True)
    assert checked.startswith(("Not yet:", "In part:"))
    checked = conn.execute(
        "select id, last_verified from laws where verification != 'unverified' and last_verified is not null order by id"
    ).fetchone()
    assert checked is not None
    page = await soup(configured, f"/law/{checked[0]}")
    dd = page.find("dt", string="Last verified").find_next_sibling("dd")
    assert "against" in dd.get_text() and "Checked by" in dd.get_text()


async def test_printable_pages_state_date_address_and_data_version(configured: Datasette) -> None:
    for path in (
        "/side-by-side?c=TH&c=PH",
        "/compare?as_of=2020-01-01",
        "/compare/data-protection",
        f"/law/{fx.PDPA}",
        "/country/TH",
        "/area/platforms",
    ):
        line = (await soup(configured, path)).find(class_="print-line")
        assert line is not None, path
        text = " ".join(line.get_text(" ", strip=True).split())
        assert re.search(r"as of \d{1,2} [A-Z][a-z]+ \d{4}", text) and "today" not in text, (path, text)
        assert f"printed from {BASE}{path.replace('&', '&')}" in text, (path, text)
        assert re.search(r"data version \d{4}-\d{2}-\d{2} \([0-9a-f]{10}\)", text), (path, text)
    dated = (await soup(configured, "/compare?as_of=2020-01-01")).find(class_="print-line").get_text(" ", strip=True)
    assert "as of 1 January 2020" in dated


# --- 8. report a problem -------------------------------------------------------------------


async def test_report_a_problem_on_law_pages_and_answers(configured: Datasette, ds: Datasette) -> None:
    law = await soup(configured, f"/law/{fx.PDPA}")
    assert law.find("a", class_="report-problem", href=f"/submit?law={fx.PDPA}")
    issue = law.find("a", class_="report-issue")
    query = parse_qs(urlsplit(issue["href"]).query)
    assert issue["href"].startswith(f"{REPO}/issues/new?") and query["title"] == [f"Law record {fx.PDPA}"]
    assert "What is wrong" in query["body"][0] and f"{BASE}/law/{fx.PDPA}" in query["body"][0]
    record = law.find("a", class_="record-file")
    assert record["href"].startswith(f"{REPO}/blob/main/laws/th/") and record.get_text().startswith("laws/th/")
    assert law.find("footer", class_="ft").find("a", href=REPO)
    about = await soup(configured, "/about")
    assert about.find("a", class_="repository", href=REPO)
    matrix = await soup(configured, "/compare/data-protection")
    views = matrix.select("td.answer-cell .answer-view")
    assert len(views) == 11 * 12
    for view in views:
        assert (
            view.find("a", class_="question-answer")["href"]
            == f"/submit?country={view['data-country']}&indicator={view['data-indicator']}"
        )
        assert view.find("a", class_="report-issue")["href"].startswith(f"{REPO}/issues/new?title=Answer+{view['data-country']}+")
    # without a repository address: the form only, no dead link
    plain = await soup(ds, f"/law/{fx.PDPA}")
    assert plain.find("a", class_="report-problem") and plain.find("a", class_="report-issue") is None
    assert plain.find("a", class_="record-file") is None and plain.find("code", string=re.compile("^laws/th/"))
