"""A first visit in a real browser: no page kind scrolls sideways at 390 px,
side by side becomes one card per question on a phone, report links are
there to tap, and the side-by-side and compare pages print on A4 with their
date, filling the pages."""

from __future__ import annotations

import io
import math
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests import answers_fixture as fx
from tests.helpers import CHROMIUM, serve

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
pypdf = pytest.importorskip("pypdf", reason="pypdf is not installed")

PHONE = {"width": 390, "height": 844}
PAGE_KINDS = {
    "home": "/",
    "law": f"/law/{fx.PDPA}",
    "country": "/country/TH",
    "area": "/area/data-protection",
    "compare": "/compare",
    "compare area": "/compare/data-protection",
    "side by side, nothing chosen": "/side-by-side",
    "side by side": "/side-by-side?c=TH&c=PH&c=VN",
    "progress": "/progress",
    "codebook": "/codebook",
    "freshness": "/freshness",
    "reconcile": "/reconcile/unctad",
    "about": "/about",
    "search": "/search?q=data",
    "exports": "/exports",
    "submit": "/submit",
    "laws table": "/laws/laws",
    "law row": f"/laws/laws/{fx.PDPA}",
    "database": "/laws",
    "stored query": "/laws/laws_in_force?country=TH",
    "not found": "/no-such-page",
}
A4_LANDSCAPE_MM = (297, 210)
MARGIN_MM = 12  # @page margin in static/site.css


@pytest.fixture(scope="module")
def server(compare_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {"LAWREPO_BASE_URL": "https://law.example.org", "LAWREPO_REPOSITORY_URL": "https://github.com/example/asean-law"}
    yield from serve(compare_db, tmp_path_factory.mktemp("server") / "server.log", env=env)


@pytest.fixture(scope="module")
def phone(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport=PHONE)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("kind", list(PAGE_KINDS))
def test_no_page_kind_scrolls_sideways_on_a_phone(server: str, phone: Any, kind: str) -> None:
    response = phone.goto(server + PAGE_KINDS[kind])
    assert response is not None and response.status in (200, 404)
    width = phone.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{kind}: {width} px wide"


def test_side_by_side_is_one_card_per_question_on_a_phone(server: str, phone: Any, tmp_path: Path) -> None:
    phone.goto(f"{server}/side-by-side?c=TH&c=PH&area=data-protection")
    expect = sync_api.expect
    expect(phone.locator("table.side-by-side-table thead")).to_be_hidden()
    card = phone.locator('tr[data-indicator="pdp-breach-deadline-hours"]')
    question, thailand, philippines = (card.locator(s).bounding_box() for s in ("th.q", "td >> nth=0", "td >> nth=1"))
    assert question and thailand and philippines
    # stacked: the same left edge and full width, one under the other
    assert abs(question["x"] - thailand["x"]) < 2 and abs(thailand["x"] - philippines["x"]) < 2
    assert question["y"] < thailand["y"] < philippines["y"]
    assert thailand["width"] > 0.8 * (PHONE["width"] - 40)
    names = card.locator("td").evaluate_all("cells => cells.map(c => getComputedStyle(c, '::before').content)")
    assert names == ['"Thailand"', '"Philippines"']
    expect(card.locator("td").nth(0).locator(".answer")).to_have_text("72 hours")
    # no word broken inside: each chip and label of the card is laid out on whole words
    broken = phone.evaluate(
        """() => [...document.querySelectorAll('table.side-by-side-table .answer, table.side-by-side-table .flag')]
             .filter(e => e.getClientRects().length > 1 && !e.textContent.trim().includes(' ')).map(e => e.textContent)"""
    )
    assert broken == []
    phone.screenshot(path=str(tmp_path / "side-by-side-phone.png"), full_page=True)


def test_report_a_problem_links_are_there_to_tap(server: str, phone: Any) -> None:
    phone.goto(f"{server}/law/{fx.PDPA}")
    expect = sync_api.expect
    expect(phone.locator("header a.report-problem")).to_be_visible()
    issue = phone.locator("header a.report-issue")
    expect(issue).to_have_attribute("href", re.compile(r"^https://github\.com/example/asean-law/issues/new\?title="))
    phone.locator("header a.report-problem").click()
    phone.wait_for_url(re.compile(r"/submit\?law="))
    expect(phone.locator("h1")).to_be_visible()
    phone.goto(f"{server}/compare/data-protection")
    links = phone.locator('td[data-country="TH"][data-indicator="pdp-max-fine"] a.question-answer')
    expect(links).to_have_text("Report a problem")


def test_country_page_has_a_list_of_areas_to_jump_to(server: str, phone: Any) -> None:
    phone.goto(f"{server}/country/TH")
    jump = phone.locator("nav.jump").first
    jump.get_by_role("link", name="Personal data protection").click()
    assert phone.url.endswith("#area-data-protection")
    top = phone.locator("#area-data-protection").bounding_box()
    assert top is not None and -2 <= top["y"] < PHONE["height"] / 2  # scrolled to it


def pdf_pages(page: Any) -> tuple[list[str], float]:
    """The text of each printed page, and how many A4 pages the content would fill end to end."""
    page.emulate_media(media="print")
    width_px = round((A4_LANDSCAPE_MM[0] - 2 * MARGIN_MM) / 25.4 * 96)
    height_px = (A4_LANDSCAPE_MM[1] - 2 * MARGIN_MM) / 25.4 * 96
    page.set_viewport_size({"width": width_px, "height": 800})
    filled = page.evaluate("document.documentElement.scrollHeight") / height_px
    reader = pypdf.PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    return [p.extract_text() for p in reader.pages], filled


@pytest.mark.parametrize(
    "path, date",
    [
        ("/side-by-side?c=TH&c=PH", None),
        ("/side-by-side?c=TH&c=PH&area=data-protection&as_of=2020-01-01", "1 January 2020"),
        ("/compare", None),
        ("/compare/data-protection?as_of=2023-01-01", "1 January 2023"),
    ],
)
def test_print_states_the_date_and_fills_the_pages(server: str, browser: Any, path: str, date: str | None) -> None:
    page = browser.new_page()
    page.goto(server + path)
    today = page.evaluate("document.querySelector('.print-line time').textContent")
    texts, filled = pdf_pages(page)
    page.close()
    first = " ".join(texts[0].split())
    assert f"as of {date or today}" in first and "today" not in first.lower()
    assert "https://law.example.org" + path.split("?")[0] in first and "data version" in first
    assert len(texts) <= math.ceil(filled) + 1, (len(texts), filled)  # pages filled, not one row a page
    if len(texts) > 1 and "side-by-side" in path:
        assert "Question" in texts[1]  # the header row repeats on the next page
