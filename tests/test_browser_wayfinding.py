"""Finding one's way, in a real browser: the site-wide menu on every page kind
(and its folded form on a phone, by keyboard too), the home page's search box
and grid, the matrices that scroll inside themselves with sticky heads, search
by each citation form, and an automated accessibility check (axe-core) of the
main pages with no serious or critical violation."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from ingest.site.menu import SECTIONS
from tests.helpers import CHROMIUM, serve
from tests.test_search_citations import CITATIONS

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
axe_script = pytest.importorskip("axe_playwright_python.base", reason="axe-playwright-python is not installed").AXE_SCRIPT

A4_LANDSCAPE_CONTENT = round((297 - 2 * 12) / 25.4 * 96)  # CSS pixels between the 12 mm margins of @page
# (page kind, address, the menu section marked current; None: no section)
PAGE_KINDS = [
    ("home", "/", None),
    ("laws table", "/laws/laws", "Laws"),
    ("database", "/laws", "Laws"),
    ("stored query", "/laws/laws_in_force?country=TH", "Laws"),
    ("row", "/laws/countries/TH", "Laws"),
    ("law", "/law/th-personal-data-protection-act-2019", "Laws"),
    ("member states", "/countries", "Member states"),
    ("country", "/country/TH", "Member states"),
    ("compare", "/compare", "Compare"),
    ("compare area", "/compare/data-protection", "Compare"),
    ("codebook", "/codebook", "Compare"),
    ("side by side", "/side-by-side?c=TH&c=PH", "Side by side"),
    ("progress", "/progress", "Progress"),
    ("freshness", "/freshness", "Freshness"),
    ("search", "/search?q=data", "Search"),
    ("downloads", "/exports", "Downloads"),
    ("about", "/about", "About / Contribute"),
    ("submit", "/submit", "About / Contribute"),
    ("not found", "/law/no-such-law", None),  # Datasette renders error pages without the request
]
AXE_PAGES = [
    "/",
    "/laws/laws",
    "/law/th-personal-data-protection-act-2019",
    "/country/TH",
    "/compare",
    "/compare/data-protection",
    "/side-by-side?c=TH&c=PH",
    "/search?q=data+protection",
    "/freshness",
    "/submit",
]


@pytest.fixture(scope="module")
def server(compare_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(compare_db, tmp_path_factory.mktemp("server") / "server.log")


def menu_links(page: Any) -> Any:
    return page.locator("header.hd details.site-menu > ul > li > a")


@pytest.mark.parametrize(("kind", "path", "section"), PAGE_KINDS, ids=[k for k, _, _ in PAGE_KINDS])
def test_the_menu_is_on_every_page_kind_with_its_section_marked(
    server: str, browser: Any, kind: str, path: str, section: str | None
) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + path)
    links = menu_links(page)
    assert links.all_inner_texts() == [s.label for s in SECTIONS], kind
    for i in range(links.count()):
        sync_api.expect(links.nth(i)).to_be_visible()
    current = page.locator("details.site-menu a[aria-current]")
    if section is None:
        sync_api.expect(current).to_have_count(0)
    else:
        sync_api.expect(current).to_have_count(1)
        sync_api.expect(current).to_have_text(section)
    # the breadcrumbs stay, below the menu (error pages have none)
    if section is not None:
        crumbs = page.locator("header.hd .crumbs")
        sync_api.expect(crumbs).to_be_visible()
        assert crumbs.bounding_box()["y"] > links.first.bounding_box()["y"]
    page.close()


def test_every_menu_entry_leads_to_a_page(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    for href in menu_links(page).evaluate_all("links => links.map(a => a.getAttribute('href'))"):
        response = page.goto(server + href)
        assert response is not None
        assert response.status == 200, href
        sync_api.expect(page.locator("h1")).to_have_count(1)
        sync_api.expect(page.locator("details.site-menu a[aria-current]")).to_have_count(1)
    page.close()


def test_the_menu_folds_on_a_phone_and_works_by_keyboard(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/laws/laws")
    menu = page.locator("details.site-menu")
    sync_api.expect(menu).not_to_have_attribute("open", "")
    sync_api.expect(menu_links(page).first).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.keyboard.press("Tab")  # the site's name
    page.keyboard.press("Tab")  # "Menu"
    assert page.evaluate("document.activeElement.textContent.trim()") == "Menu"
    page.keyboard.press("Enter")
    sync_api.expect(menu_links(page).first).to_be_visible()
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Laws"
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{server}/countries")
    sync_api.expect(page.locator("h1")).to_have_text("Member states")
    # without JavaScript the menu simply stays open
    context = browser.new_context(java_script_enabled=False, viewport={"width": 390, "height": 844})
    plain = context.new_page()
    plain.goto(server + "/compare")
    sync_api.expect(menu_links(plain).first).to_be_visible()
    context.close()
    page.close()


def test_home_opens_with_the_search_box_then_the_grid(server: str, browser: Any, tmp_path: Path, built_db: Path) -> None:
    for width, height in ((1280, 900), (390, 844)):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(server + "/")
        box = page.get_by_role("searchbox")
        sync_api.expect(box).to_be_visible()
        search_y = box.bounding_box()["y"]
        grid = page.locator("table.glance-grid")
        assert search_y < height, "the search box is in the first screen"
        assert search_y < grid.bounding_box()["y"] < page.locator("p.lede").bounding_box()["y"]
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        page.screenshot(path=str(tmp_path / f"home-{width}.png"))
        page.close()
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(server + "/")
    rows = page.locator("table.glance-grid tbody tr")
    sync_api.expect(rows).to_have_count(11)
    heads = page.locator("table.glance-grid thead th a")
    assert heads.evaluate_all("a => a.map(x => x.getAttribute('href'))") == [
        f"/area/{a}"
        for a in ["e-transactions", "e-signatures", "data-protection", "consumer-protection", "platforms", "cybersecurity"]
    ]
    cells = page.locator("table.glance-grid tbody td a")
    sync_api.expect(cells).to_have_count(11 * 6)
    # status and verification in words, and a link to that area of the country page
    thai = page.locator('table.glance-grid td a[href="/country/TH#area-data-protection"]')
    sync_api.expect(thai).to_contain_text("In force")
    (level,) = (
        sqlite3.connect(built_db)
        .execute(
            "select l.verification from principal_laws p join laws l on l.id = p.law_id"
            " where p.country = 'TH' and p.area = 'data-protection'"
        )
        .fetchone()
    )
    sync_api.expect(thai).to_contain_text("unverified" if level == "unverified" else "checked")
    timor = page.locator('table.glance-grid td a[href="/country/TL#area-data-protection"]')
    sync_api.expect(timor).to_contain_text("No law")
    thai.click()
    page.wait_for_url(f"{server}/country/TH#area-data-protection")
    sync_api.expect(page.locator("#area-data-protection")).to_be_in_viewport()
    page.close()


def test_a_wide_matrix_scrolls_inside_itself_with_sticky_heads(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(server + "/compare/data-protection")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    wrap = page.locator(".table-wrap").first
    assert wrap.evaluate("w => w.scrollWidth > w.clientWidth"), "the matrix is wider than the phone"
    first = page.locator("table.answers-matrix tbody th").first
    head = page.locator("table.answers-matrix thead th").nth(3)
    x = first.bounding_box()["x"]
    wrap.evaluate("w => { w.scrollLeft = 400; w.scrollTop = 300; }")
    assert wrap.evaluate("w => w.scrollLeft") > 0 and wrap.evaluate("w => w.scrollTop") > 0
    assert first.bounding_box()["x"] == pytest.approx(x, abs=1), "the first column stays"
    assert head.bounding_box()["y"] == pytest.approx(wrap.bounding_box()["y"], abs=2), "the header row stays at the top"
    sync_api.expect(head).to_be_in_viewport()
    # the legend tells unknown, not applicable and no answer apart
    legend = page.locator("dl.answer-legend")
    for word in ("Unknown", "Not applicable", "No answer recorded"):
        sync_api.expect(legend.get_by_text(word, exact=True)).to_be_visible()
    # printed on A4 landscape: nothing scrolls, nothing is cut off
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_CONTENT, "height": 760})
    assert wrap.evaluate("w => w.scrollWidth <= w.clientWidth + 1")
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_LANDSCAPE_CONTENT
    sync_api.expect(page.locator("header.hd")).to_be_hidden()
    page.close()


def test_search_by_each_citation_form_in_the_browser(server: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server + "/search")
    for q, first in [c for c in CITATIONS if c[1]]:
        page.get_by_role("searchbox").fill(q)
        page.get_by_role("button", name="Search", exact=True).click()
        sync_api.expect(page.locator("ol.results > li").first.locator("a").first).to_have_attribute("href", f"/law/{first}")
    page.goto(server + "/search?q=" + quote("Vietnam"))
    sync_api.expect(page.locator(".country-hit a")).to_have_attribute("href", "/country/VN")
    page.goto(server + "/search?q=" + quote("personal data protecton"))
    sync_api.expect(page.get_by_role("heading", name="Nearest titles")).to_be_visible()
    context.close()


def axe(page: Any) -> list[dict[str, Any]]:
    """The serious and critical violations axe-core finds on the page."""
    # Datasette's <navigation-search> element sets an own `matches` property (its search
    # results), which hides Element.prototype.matches from axe-core: give it back first
    page.evaluate("document.querySelectorAll('navigation-search').forEach(e => delete e.matches)")
    page.add_script_tag(content=axe_script)
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("width", [1280, 390])
def test_no_serious_accessibility_violations_on_the_main_pages(server: str, browser: Any, width: int) -> None:
    # axe-core is injected as an inline script, which the site's Content-Security-Policy
    # rightly refuses: the test's own page lets it in
    page = browser.new_page(viewport={"width": width, "height": 900}, bypass_csp=True)
    found = {}
    for path in AXE_PAGES:
        page.goto(server + path)
        bad = axe(page)
        if bad:
            found[path] = [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in bad]
    page.close()
    assert not found, found


def test_headings_are_in_order_on_the_main_pages(server: str, browser: Any) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    for path in AXE_PAGES:
        page.goto(server + path)
        levels = page.evaluate("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => +h.tagName[1])")
        assert levels and levels[0] == 1 and levels.count(1) == 1, (path, levels)
        jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
        assert not jumps, (path, levels)
    page.close()
