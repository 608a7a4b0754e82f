"""The web site: Datasette configured exactly as `lawrepo serve` runs it, on the
database built from the shipped records, through its in-process test client."""

from __future__ import annotations

import datetime as dt
import importlib.util
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import quote

import pytest
import yaml
from bs4 import BeautifulSoup
from datasette.app import Datasette

from ingest.build.tables import VOCAB_TABLES
from tests.helpers import AREAS, ROOT, make_datasette

PDPA = "th-personal-data-protection-act-2019"
VN_ETA_2005 = "vn-law-on-e-transactions-2005"
VN_ETA_2023 = "vn-law-on-e-transactions-2023"
COUNTRIES = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"}


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Datasette:
    return make_datasette(built_db)


async def get_ok(ds: Datasette, path: str) -> Any:
    response = await ds.client.get(path)
    assert response.status_code == 200, f"{path}: {response.status_code}\n{response.text[:2000]}"
    return response


async def rows(ds: Datasette, path: str) -> list[dict[str, Any]]:
    sep = "&" if "?" in path else "?"
    return (await get_ok(ds, f"{path}{sep}_shape=array")).json()


async def soup(ds: Datasette, path: str) -> BeautifulSoup:
    return BeautifulSoup((await get_ok(ds, path)).text, "html.parser")


def db_rows(db_path: Path, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        conn.row_factory = sqlite3.Row
        return conn.execute(sql, params).fetchall()


def load_plugin(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"site_plugin_{name}", ROOT / "plugins" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- every page answers -------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/about",
        "/laws",
        "/laws/laws",
        f"/law/{PDPA}",
        f"/law/{VN_ETA_2005}",
        "/country/TH",
        "/country/vn",
        "/freshness",
        "/compare",
        "/compare/platforms",
        "/codebook",
        "/progress",
        "/laws/reviews",
        "/reconcile/unctad",
        "/exports",
        "/laws/country_area_status",
        "/laws/law_relations",
        "/laws/coverage",
        "/laws/countries",
        "/laws/vocabularies",
        *[f"/laws/{table}" for table in sorted(VOCAB_TABLES.values())],
        "/search?q=protection",
        "/search",
        "/laws/laws?_search=protection",
        f"/laws/laws/{PDPA}",
        "/laws/laws.csv?_stream=on&_size=max",
        "/laws/country_area_matrix.csv",
        "/laws.db",
        "/assets/site.css",
    ],
)
async def test_page_answers(ds: Datasette, path: str) -> None:
    await get_ok(ds, path)


@pytest.mark.parametrize(
    "path", ["/law/xx-no-such-law-2000", "/law/th-personal-data-protection-act-2019x", "/country/QQ", "/country/thailand"]
)
async def test_unknown_ids_are_404(ds: Datasette, path: str) -> None:
    response = await ds.client.get(path)
    assert response.status_code == 404
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text(strip=True) == "Not found"


# --- metadata and configuration ---------------------------------------------


def test_metadata_describes_every_table_and_column(built_db: Path) -> None:
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    assert metadata["license"] == "CC BY 4.0"
    assert metadata["license_url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert metadata["about_url"] == "/about"
    database = metadata["databases"]["laws"]
    assert database["license"] == metadata["license"] and database["source"] == metadata["source"]
    tables = database["tables"]
    names = [
        r["name"]
        for r in db_rows(
            built_db,
            "select name from sqlite_master where type in ('table', 'view') "
            "and name not like '%\\_fts\\_%' escape '\\' "
            "and name not like 'sqlite\\_%' escape '\\'",
        )
    ]
    assert names
    for name in names:
        assert name in tables, f"table {name} is not described"
        table = tables[name]
        assert table.get("description"), name
        assert (table["license"], table["license_url"], table["source"]) == (
            metadata["license"],
            metadata["license_url"],
            metadata["source"],
        ), name
        if name.endswith("_fts"):
            continue
        columns = [r["name"] for r in db_rows(built_db, f"select name from pragma_table_info('{name}')")]
        described = table.get("columns") or {}
        assert set(columns) == set(described), (
            f"{name}: undescribed {set(columns) - set(described)}, unknown {set(described) - set(columns)}"
        )
        assert all(described.values()), name


@pytest.mark.parametrize(
    ("table", "column", "vocabulary"),
    [
        ("laws", "status", "statuses"),
        ("laws", "instrument_type", "instrument_types"),
        ("laws", "principal_area", "areas"),
        ("laws", "verification", "verification_statuses"),
        ("laws", "evidence", "evidence_levels"),
        ("law_areas", "area", "areas"),
        ("law_titles", "lang", "languages"),
        ("relations", "type", "relation_types"),
        ("links", "kind", "link_kinds"),
        ("alignments", "instrument", "international_instruments"),
        ("coverage", "status", "coverage_statuses"),
    ],
)
def test_column_descriptions_list_the_allowed_values(built_db: Path, table: str, column: str, vocabulary: str) -> None:
    metadata = yaml.safe_load((ROOT / "metadata.yml").read_text(encoding="utf-8"))
    text = metadata["databases"]["laws"]["tables"][table]["columns"][column]
    codes = [r["code"] for r in db_rows(built_db, f"select code from [{vocabulary}] order by position")]
    missing = [
        c
        for c in codes
        if c not in text.replace("\n", " ").split(" ") and f"{c}," not in text and f"{c}." not in text and f"{c}:" not in text
    ]
    assert not missing, f"{table}.{column} does not list {missing}"


def test_files_table_hidden_content_tables_shown() -> None:
    config = yaml.safe_load((ROOT / "datasette.yaml").read_text(encoding="utf-8"))
    tables = config["databases"]["laws"]["tables"]
    assert tables["files"]["hidden"] is True
    assert [t for t, c in tables.items() if c.get("hidden")] == ["files"]
    assert config["settings"]["suggest_facets"] is False


async def test_label_columns(ds: Datasette) -> None:
    db = ds.get_database("laws")
    assert await db.label_column_for_table("countries") == "name"
    assert await db.label_column_for_table("laws") == "title"
    assert await db.label_column_for_table("vocabularies") == "title"
    for table in VOCAB_TABLES.values():
        assert await db.label_column_for_table(table) == "label", table


async def test_laws_default_facets_and_sort(ds: Datasette) -> None:
    data = (await get_ok(ds, "/laws/laws.json?_extra=facet_results&_extra=human_description_en")).json()
    facets = data["facet_results"]["results"]
    assert {"country", "status", "instrument_type", "areas"} <= set(facets)
    assert facets["areas"]["type"] == "linked"
    assert {r["value"] for r in facets["areas"]["results"]} == set(AREAS)
    conn = sqlite3.connect(ds.get_database("laws").path)
    expected = dict(conn.execute("SELECT area, count(*) FROM law_areas GROUP BY area"))
    assert {r["value"]: r["count"] for r in facets["areas"]["results"]} == expected
    assert {r["value"] for r in facets["country"]["results"]} == COUNTRIES
    assert data["human_description_en"] == "sorted by year descending"
    years = [r["year"] for r in data["rows"] if r["year"] is not None]
    assert years == sorted(years, reverse=True)


# --- stored queries -----------------------------------------------------------


async def test_stored_queries_have_titles_and_descriptions(ds: Datasette) -> None:
    names = {"laws_in_force", "country_area_matrix", "laws_by_area", "recent_changes", "not_recently_verified"}
    for name in names:
        query = await ds.get_query("laws", name)
        assert query is not None, name
        assert query.title and query.description, name


async def test_laws_in_force(ds: Datasette, built_db: Path) -> None:
    found = await rows(ds, "/laws/laws_in_force.json?country=TH")
    ids = {r["Law id"] for r in found}
    assert PDPA in ids
    assert {r["Status"] for r in found} <= {"In force", "Partly in force"}
    expected = {
        r["id"]
        for r in db_rows(built_db, "select id from laws where country = 'TH' and status in ('in-force', 'partly-in-force')")
    }
    assert ids == expected
    assert {r["Law id"] for r in await rows(ds, "/laws/laws_in_force.json?country=th")} == ids
    vn = {r["Law id"] for r in await rows(ds, "/laws/laws_in_force.json?country=VN")}
    assert VN_ETA_2023 in vn and VN_ETA_2005 not in vn  # superseded


async def test_country_area_matrix(ds: Datasette) -> None:
    matrix = await rows(ds, "/laws/country_area_matrix.json")
    assert len(matrix) == 11
    assert {r["country"] for r in matrix} == COUNTRIES
    assert all(set(AREAS) <= set(r) for r in matrix)
    by_country = {r["country"]: r for r in matrix}
    assert "PDPA" in by_country["TH"]["data-protection"]
    assert "2019" in by_country["TH"]["data-protection"]
    assert by_country["VN"]["e-transactions"].startswith("Law on E-Transactions (2023)")
    allowed_words = {"none", "draft", "partial", "unknown"}
    for r in matrix:
        for area in AREAS:
            cell = r[area]
            assert cell, (r["country"], area)
            if " " not in cell:
                assert cell in allowed_words, (r["country"], area, cell)


async def test_laws_by_area(ds: Datasette, built_db: Path) -> None:
    found = await rows(ds, "/laws/laws_by_area.json?area=data-protection")
    ids = {r["Law id"] for r in found}
    assert PDPA in ids
    expected = {r["law_id"] for r in db_rows(built_db, "select law_id from law_areas where area = 'data-protection'")}
    assert ids == expected
    assert all(r["Status"] for r in found)
    assert len({r["Member state"] for r in found}) > 5
    pdpa = next(r for r in found if r["Law id"] == PDPA)
    assert pdpa["Principal area of the law"] == "yes" and pdpa["Member state"] == "Thailand" and pdpa["Status"] == "In force"


async def test_recent_changes(ds: Datasette, built_db: Path) -> None:
    found = await rows(ds, "/laws/recent_changes.json")
    assert found
    today = dt.datetime.now(dt.UTC).date().isoformat()
    dates = [r["date"] for r in found]
    assert dates == sorted(dates, reverse=True)
    column = {
        "adopted": "adopted",
        "promulgated": "promulgated",
        "entered into force": "in_force",
        "repealed": "repealed",
        "sources checked": "last_verified",
    }
    laws = {r["id"]: r for r in db_rows(built_db, "select * from laws")}
    for r in found:
        law = laws[r["law_id"]]
        assert law[column[r["event"]]] == r["date"]
        assert r["date"] <= today
        recorded = [law[c] for c in column.values() if law[c] and law[c][0].isdigit() and law[c] <= today]
        assert r["date"] == max(recorded)
        if r["legal_event"]:
            assert law[column[r["legal_event"]]] == r["legal_event_date"]
            assert r["legal_event"] != "sources checked"


def year_ago(today: dt.date) -> dt.date:
    try:
        return today.replace(year=today.year - 1)
    except ValueError:  # 29 February: SQLite's date('now', '-12 months') gives 1 March
        return dt.date(today.year - 1, 3, 1)


async def test_not_recently_verified(ds: Datasette, built_db: Path) -> None:
    cutoff = year_ago(dt.datetime.now(dt.UTC).date()).isoformat()
    found = await rows(ds, "/laws/not_recently_verified.json")
    for r in found:
        assert r["last_verified"] is None or r["last_verified"] < cutoff
    expected = {
        r["id"]
        for r in db_rows(built_db, "select id, last_verified from laws")
        if r["last_verified"] is None or r["last_verified"] < cutoff
    }
    assert {r["law_id"] for r in found} == expected


async def test_not_recently_verified_on_aged_records(built_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "laws.db"
    shutil.copyfile(built_db, path)
    today = dt.datetime.now(dt.UTC).date()
    recent = (today - dt.timedelta(days=330)).isoformat()
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("update laws set last_verified = ?", (today.isoformat(),))
        conn.execute("update laws set last_verified = null where id = ?", (PDPA,))
        conn.execute("update laws set last_verified = '2000-01-01' where id = ?", (VN_ETA_2005,))
        conn.execute("update laws set last_verified = ? where id = ?", (recent, VN_ETA_2023))
        conn.commit()
    found = await rows(make_datasette(path), "/laws/not_recently_verified.json")
    assert [(r["law_id"], r["last_verified"]) for r in found] == [(PDPA, None), (VN_ETA_2005, "2000-01-01")]


# --- the law page -------------------------------------------------------------


async def test_law_page_reads_like_a_reference_entry(ds: Datasette, built_db: Path) -> None:
    law = db_rows(built_db, "select * from laws where id = ?", (PDPA,))[0]
    page = await soup(ds, f"/law/{PDPA}")
    assert page.h1.get_text(strip=True) == law["title"]
    text = page.get_text(" ", strip=True)
    label = db_rows(built_db, "select label from verification_statuses where code = ?", (law["verification"],))[0]["label"]
    assert "In force" in text and label.lower() in text.lower()
    assert "28 May 2019" in text  # in force
    assert f"laws/{law['file']}" in text
    thai = page.find(attrs={"lang": "th"})
    assert thai is not None and thai.get_text() == law["local_title"]
    assert page.find("a", href="/country/TH").get_text(strip=True) == "Thailand"
    assert page.find("a", href="/area/data-protection")
    for source in db_rows(built_db, "select citation from sources where law_id = ?", (PDPA,)):
        assert source["citation"] in text
    summary = page.find(id="summary").find_next("div", class_="markdown")
    assert summary is not None and "Personal Data Protection Committee" in summary.get_text()


async def test_law_page_number_status_and_relations(ds: Datasette, built_db: Path) -> None:
    old = db_rows(built_db, "select * from laws where id = ?", (VN_ETA_2005,))[0]
    page = await soup(ds, f"/law/{VN_ETA_2005}")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == old["title"]
    assert old["number"] and old["number"] in text
    assert "Superseded" in text
    replaced_by = page.find("a", href=f"/law/{VN_ETA_2023}")
    assert replaced_by is not None
    assert replaced_by.find_previous("span", class_="rel-type").get_text() == "Replaced by"
    new_page = await soup(ds, f"/law/{VN_ETA_2023}")
    back = new_page.find("a", href=f"/law/{VN_ETA_2005}")
    assert back is not None and back.find_previous("span", class_="rel-type").get_text() == "Replaces"
    # every relation of the view is linked
    for r in db_rows(built_db, "select target_id from law_relations where law_id = ?", (VN_ETA_2023,)):
        assert new_page.find("a", href=f"/law/{r['target_id']}"), r["target_id"]


async def test_unknown_in_force_date_is_shown_plainly(ds: Datasette, built_db: Path) -> None:
    unknown = db_rows(built_db, "select id from laws where in_force = 'unknown' order by id limit 1")
    if not unknown:
        pytest.skip("no record has an unknown in-force date")
    page = await soup(ds, f"/law/{unknown[0]['id']}")
    dd = page.find("dt", string="In force").find_next_sibling("dd")
    assert dd.get_text(" ", strip=True).startswith("unknown")


# --- home, about, country --------------------------------------------------------


async def test_home_page(ds: Datasette, built_db: Path) -> None:
    page = await soup(ds, "/")
    text = page.get_text(" ", strip=True)
    assert page.h1.get_text(strip=True) == "ASEAN E-Commerce Law Repository"
    assert "Outcome 9" in text and "Outcome 10" in text and "2017–2025" in text
    assert "Records are unverified unless marked otherwise." in text
    assert page.find("a", href="https://creativecommons.org/licenses/by/4.0/")
    for country in db_rows(
        built_db,
        "select c.code, c.name, count(l.id) as n from countries c left join laws l on l.country = c.code group by c.code",
    ):
        link = page.select_one("ul.country-list").find("a", href=f"/country/{country['code']}")
        assert link is not None and link.get_text(strip=True) == country["name"]
        assert f"{country['n']} law" in link.find_parent("li").get_text()
    matrix = page.find("table", class_="matrix")
    assert len(matrix.tbody.find_all("tr")) == 11
    assert len(matrix.thead.find_all("th")) == 1 + len(AREAS)
    thailand = matrix.find("a", href="/country/TH").find_parent("tr")
    assert thailand.find("a", href=f"/law/{PDPA}").get_text(strip=True) == "PDPA"
    search = page.find("form", action="/search")
    assert search.find("input", attrs={"name": "q"})
    for href in [
        "/download/laws.csv",
        "/laws/laws.json?_size=max",
        "/download/matrix.csv",
        "/laws/country_area_matrix.json?_shape=array",
        "/laws.db",
        "/area/platforms",
        "/laws/country_area_matrix",
    ]:
        assert page.find("a", href=href), href


async def test_home_matrix_matches_view(ds: Datasette, built_db: Path) -> None:
    page = await soup(ds, "/")
    links = {a["href"] for a in page.find("table", class_="matrix").find_all("a")}
    for cell in db_rows(built_db, "select law_id from country_area_status where law_id is not null"):
        assert f"/law/{cell['law_id']}" in links


async def test_about_page_explains_vocabularies(ds: Datasette, built_db: Path) -> None:
    text = (await soup(ds, "/about")).get_text(" ", strip=True)
    for table in ("areas", "statuses", "verification_statuses", "evidence_levels", "coverage_statuses"):
        for r in db_rows(built_db, f"select label from [{table}]"):
            assert r["label"] in text, (table, r["label"])
    assert "lawrepo validate" in text and "laws/" in text and "CC BY 4.0" in text


async def test_country_page(ds: Datasette, built_db: Path) -> None:
    page = await soup(ds, "/country/kh")
    assert page.h1.get_text(strip=True) == "Cambodia"
    for law in db_rows(built_db, "select id from laws where country = 'KH'"):
        assert page.find("a", href=f"/law/{law['id']}"), law["id"]
    gaps = page.find(id="gaps").find_next_siblings("section", class_="gap-block")
    notes = [r["note"] for r in db_rows(built_db, "select note from coverage where country = 'KH'")]
    assert len(gaps) == len(notes)
    for note in notes:
        assert note in page.get_text()


# --- search -------------------------------------------------------------------
# Datasette's table search (?_search=) runs a full-text MATCH on the table's FTS
# index. By default each word is quoted (so FTS operators in a query are taken
# literally) and the words must all occur, in any order. With _searchmode=raw
# the query goes to SQLite FTS5 as written: a double-quoted phrase then needs
# its words adjacent and in that order.


async def search_ids(ds: Datasette, table: str, query: str, raw: bool = False, key: str = "id") -> set[str]:
    mode = "&_searchmode=raw" if raw else ""
    found = await rows(ds, f"/laws/{table}.json?_search={quote(query)}{mode}&_size=max")
    return {r[key] for r in found}


async def test_search_an_english_title_word(ds: Datasette) -> None:
    assert PDPA in await search_ids(ds, "laws", "Personal Data Protection")
    assert PDPA in await search_ids(ds, "laws", "protection")


async def test_search_vietnamese_without_diacritics(ds: Datasette) -> None:
    # laws_fts.search_folded holds the titles folded (đ -> d, accents dropped)
    assert VN_ETA_2023 in await search_ids(ds, "laws", "giao dich dien tu")
    assert VN_ETA_2023 in await search_ids(ds, "laws", '"giao dich dien tu"', raw=True)
    assert VN_ETA_2023 in await search_ids(ds, "laws", "Giao dịch điện tử")
    # the words, but not as a phrase
    assert VN_ETA_2023 in await search_ids(ds, "laws", "dien tu giao dich")
    assert VN_ETA_2023 not in await search_ids(ds, "laws", '"dien tu giao dich"', raw=True)


async def test_search_thai_title_substring(ds: Datasette) -> None:
    # law_titles_fts is a trigram index: any part of a title of three characters or more
    # matches, as Thai is written without spaces between words.
    assert PDPA in await search_ids(ds, "law_titles", "ข้อมูลส่วนบุคคล", key="law_id")
    assert PDPA in await search_ids(ds, "law_titles", '"คุ้มครองข้อมูล"', raw=True, key="law_id")


async def search_page_ids(ds: Datasette, query: str) -> list[str]:
    data = (await get_ok(ds, f"/search?q={quote(query)}&_format=json")).json()
    return [r["id"] for r in data["results"]]


async def test_search_page_finds_titles_in_every_form(ds: Datasette) -> None:
    assert PDPA in await search_page_ids(ds, "personal data protection")
    assert VN_ETA_2023 in await search_page_ids(ds, "giao dich dien tu")
    assert VN_ETA_2023 in await search_page_ids(ds, "Giao dịch điện tử")
    assert PDPA in await search_page_ids(ds, "ข้อมูลส่วนบุคคล")  # a substring of the Thai title
    assert "ph-electronic-commerce-act-2000" in await search_page_ids(ds, "8792")
    assert await search_page_ids(ds, "zzzz-no-such-law") == []


async def test_area_facet_counts_within_a_filter(ds: Datasette) -> None:
    data = (await get_ok(ds, "/laws/laws.json?country=TH&_extra=facet_results")).json()
    areas = {r["value"]: r["count"] for r in data["facet_results"]["results"]["areas"]["results"]}
    conn = sqlite3.connect(ds.get_database("laws").path)
    expected = dict(
        conn.execute(
            "SELECT la.area, count(*) FROM law_areas la JOIN laws l ON l.id = la.law_id WHERE l.country = 'TH' GROUP BY la.area"
        )
    )
    assert areas == expected


async def test_search_page_html_shows_what_matched(ds: Datasette) -> None:
    page = await soup(ds, f"/search?q={quote('ข้อมูลส่วนบุคคล')}")
    item = page.find("a", href=f"/law/{PDPA}").find_parent("li")
    assert item.find("span", lang="th") is not None
    assert page.find("input", attrs={"name": "q"})["value"] == "ข้อมูลส่วนบุคคล"
    empty = await soup(ds, "/search?q=zzzz-no-such-law")
    assert "No law found" in empty.get_text()


async def test_search_page_escapes_the_query(ds: Datasette) -> None:
    response = await get_ok(ds, "/search?q=%3Cscript%3Ealert(1)%3C/script%3E")
    assert "<script>alert(1)" not in response.text


# --- safe Markdown ------------------------------------------------------------

HOSTILE = (
    "Intro *text*.\n\n<script>alert(1)</script>\n\nAn image <img src=x onerror=alert(1)> here, "
    "[a link](javascript:alert(1)) and [a good one](https://example.org/)."
)


@pytest.fixture(scope="module")
def hostile_ds(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Datasette:
    path = tmp_path_factory.mktemp("hostile") / "laws.db"
    shutil.copyfile(built_db, path)
    with closing(sqlite3.connect(path)) as conn:
        conn.execute("update laws set summary = ? where id = ?", (HOSTILE, PDPA))
        conn.commit()
    return make_datasette(path)


def assert_no_live_hostile_html(html: str) -> None:
    assert "<script>alert" not in html
    assert "onerror" not in html
    assert "javascript:" not in html.lower()
    page = BeautifulSoup(html, "html.parser")
    assert not [s for s in page.find_all("script") if "alert" in s.get_text()]
    assert not page.find_all("img", src="x")
    for tag in page.find_all(True):
        assert not [a for a, v in tag.attrs.items() if a.lower().startswith("on") and "alert" in str(v)], tag
        assert not str(tag.get("href", "")).strip().lower().startswith("javascript"), tag


@pytest.mark.parametrize("path", [f"/law/{PDPA}", f"/laws/laws/{PDPA}", f"/laws/laws?id={PDPA}", "/laws/laws?_search=Intro"])
async def test_hostile_summary_is_rendered_safely(hostile_ds: Datasette, path: str) -> None:
    html = (await get_ok(hostile_ds, path)).text
    assert_no_live_hostile_html(html)
    page = BeautifulSoup(html, "html.parser")
    rendered = page.find("div", class_="markdown")
    assert rendered is not None
    assert rendered.find("em").get_text() == "text"
    assert rendered.find("a", href="https://example.org/").get_text() == "a good one"


async def test_summaries_render_as_markdown_in_the_table(ds: Datasette) -> None:
    page = await soup(ds, f"/laws/laws?id={PDPA}")
    cell = page.find("td", class_="col-summary")
    assert cell is not None and cell.find("div", class_="markdown").find("p")
    title = page.find("td", class_="col-title").find("a")
    assert title["href"] == f"/law/{PDPA}"


@pytest.mark.parametrize(
    ("source", "absent", "present"),
    [
        ("<script>alert(1)</script>", ["<script", "alert"], []),
        ("a <img src=x onerror=alert(1)> b", ["<img", "onerror"], ["a", "b"]),
        ("[x](javascript:alert(1))", ["javascript", "href"], [">x</a>"]),
        ("[x](JavaScript:alert(1))", ["avascript", "href"], []),
        ("[x](data:text/html;base64,PHNjcmlwdD4=)", ["data:", "href"], []),
        ('<a href="javascript:alert(1)">y</a>', ["<a", "javascript"], ["y"]),
        ("<div onclick=alert(1)>block</div>\n\nafter", ["<div onclick", "onclick", "block"], ["<p>after</p>"]),
        ("<!-- hidden -->shown", ["hidden", "<!--"], ["shown"]),
        ("![img](https://example.org/x.png)", ["<img"], []),
        ("`<b>code</b>`", ["<b>"], ["<code>&lt;b&gt;code&lt;/b&gt;</code>"]),
        (
            "[ok](https://example.org/) *em* **strong** & &copy; 5 < 6",
            [],
            [
                '<a href="https://example.org/" rel="nofollow noopener noreferrer">ok</a>',
                "<em>em</em>",
                "<strong>strong</strong>",
                "&amp;",
                "©",
                "5 &lt; 6",
            ],
        ),
        ("- one\n- two", [], ["<ul>", "<li>one</li>"]),
    ],
)
def test_render_markdown_safely(source: str, absent: list[str], present: list[str]) -> None:
    render = load_plugin("safe_markdown").render_markdown_safely
    html = str(render(source))
    assert html.startswith('<div class="markdown">')
    for s in absent:
        assert s not in html, (s, html)
    for s in present:
        assert s in html, (s, html)


def test_render_markdown_safely_empty() -> None:
    render = load_plugin("safe_markdown").render_markdown_safely
    assert str(render(None)) == "" and str(render("")) == ""


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ("2019-05-24", '<time datetime="2019-05-24">24 May 2019</time>'),
        ("2020-02", '<time datetime="2020-02">February 2020</time>'),
        ("2020", '<time datetime="2020">2020</time>'),
        ("unknown", "unknown"),
        ("<b>", "&lt;b&gt;"),
        (None, ""),
    ],
)
def test_legal_date(value: str | None, text: str) -> None:
    assert str(load_plugin("site_pages").legal_date(value)) == text
