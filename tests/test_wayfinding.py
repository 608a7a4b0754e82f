"""The menu's sections and Datasette's table pages for readers, through
Datasette's test client (the browser tests are in test_browser_wayfinding.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

from ingest.site import menu
from ingest.site.table_page import label, readable
from tests.helpers import make_datasette


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Datasette:
    return make_datasette(built_db)


@pytest.mark.parametrize(
    ("path", "section"),
    [
        ("/", None),
        ("/laws/laws", "Laws"),
        ("/laws/laws.csv", "Laws"),
        ("/laws", "Laws"),
        ("/law/th-personal-data-protection-act-2019", "Laws"),
        ("/lawsuit", None),
        ("/laws.db", "Downloads"),
        ("/exports/datapackage.json", "Downloads"),
        ("/country/TH", "Member states"),
        ("/countries", "Member states"),
        ("/compare", "Compare"),
        ("/compare/data-protection", "Compare"),
        ("/area/data-protection", "Compare"),
        ("/codebook", "Compare"),
        ("/side-by-side", "Side by side"),
        ("/search", "Search"),
        ("/submit", "About / Contribute"),
        ("/about", "About / Contribute"),
    ],
)
def test_each_page_belongs_to_one_section(path: str, section: str | None) -> None:
    here = menu.current(path)
    assert (here.label if here else None) == section
    items = menu.items(path)
    assert [i["label"] for i in items] == [s.label for s in menu.SECTIONS]
    assert sum(bool(i["current"]) for i in items) == (0 if section is None else 1)


@pytest.mark.parametrize("path", ["/", "/laws/laws", "/laws", "/laws/countries/TH", "/country/TH", "/search?q=x", "/countries"])
async def test_every_page_has_the_menu(ds: Datasette, path: str) -> None:
    response = await ds.client.get(path)
    assert response.status_code == 200
    page = BeautifulSoup(response.text, "html.parser")
    links = page.select("header.hd details.site-menu li a")
    assert [a.get_text(strip=True) for a in links] == [s.label for s in menu.SECTIONS]
    assert page.select_one("header.hd a.site-name")["href"] == "/"


async def test_the_member_states_page(ds: Datasette) -> None:
    page = BeautifulSoup((await ds.client.get("/countries")).text, "html.parser")
    assert page.h1.get_text(strip=True) == "Member states"
    assert len(page.select("ul.country-list li")) == 11
    assert len(page.select("table.glance-grid tbody tr")) == 11


async def test_the_laws_table_for_readers(ds: Datasette) -> None:
    html = (await ds.client.get("/laws/laws")).text
    page = BeautifulSoup(html, "html.parser")
    notes = page.select_one("details.column-notes")
    assert notes is not None and not notes.has_attr("open")
    assert notes.summary.get_text(strip=True) == "What the columns mean"
    assert notes.select_one("dl.column-descriptions dt")
    # the facets come before the filter form, and the rows after both
    assert html.index('class="facet-results"') < html.index('class="core filters"') < html.index('class="rows-and-columns"')
    heads = {th["data-column"]: th.get_text(" ", strip=True) for th in page.select("table.rows-and-columns th")}
    assert heads["instrument_type"].startswith("Instrument type") and heads["id"].startswith("ID")
    assert (
        page.select_one('.facet-info[data-column="instrument_type"] .facet-info-name strong')
        .get_text(" ", strip=True)
        .startswith("Instrument type")
    )
    for control in page.select("form.filters select, form.filters input[type=text]"):
        assert control.get("aria-label") or control.get("id") and page.find("label", attrs={"for": control["id"]}), control
    assert page.select_one("h2.table-summary")
    # sorting by a column still works through its readable head
    link = page.select_one('th[data-column="country"] a')
    assert link["href"].endswith("_sort=country") and link.get_text(strip=True) == "Country"


def test_labels_and_rewrites() -> None:
    assert label("instrument_type") == "Instrument type"
    assert label("iso3") == "ISO alpha-3"
    assert label("x") == "X"
    # nothing to rewrite: unchanged
    plain = "<p>no table here</p>"
    assert readable(plain) == plain
    # a facet block after the form moves before it, whole
    html = (
        '<form class="core filters"></form><p>x</p><div class="facet-results"><div>a</div><div>b</div></div><div class="t"></div>'
    )
    assert (
        readable(html)
        == '<div class="facet-results"><div>a</div><div>b</div></div>\n<form class="core filters"></form><p>x</p><div class="t"></div>'
    )
