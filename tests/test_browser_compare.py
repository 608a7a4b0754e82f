"""The side-by-side page in a real browser: chosen with the form (no
JavaScript), the rows where the answers differ highlighted in a screenshot,
the "differences only" switch, and a clean A4 print."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHROMIUM, serve

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed")

HIGHLIGHT = (0xFF, 0xF4, 0xCC)  # background of tr.differs in static/site.css
A4_LANDSCAPE_CONTENT = round((297 - 2 * 12) / 25.4 * 96)  # CSS pixels between the 12 mm margins of @page


@pytest.fixture(scope="module")
def server(compare_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(compare_db, tmp_path_factory.mktemp("server") / "server.log")


def share_of_highlight(shot: Any, box: dict[str, float]) -> float:
    """The share of pixels of `box` (CSS pixels, scale 1) with the highlight colour."""
    region = shot.crop(
        (int(box["x"]) + 2, int(box["y"]) + 2, int(box["x"] + box["width"]) - 2, int(box["y"] + box["height"]) - 2)
    ).convert("RGB")
    data = region.tobytes()
    pixels = [tuple(data[i : i + 3]) for i in range(0, len(data), 3)]
    return sum(1 for p in pixels if p == HIGHLIGHT) / max(len(pixels), 1)


def test_side_by_side_highlights_differences(server: str, browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    expect = sync_api.expect
    page.goto(f"{server}/side-by-side")
    page.get_by_label("Thailand").check()
    page.get_by_label("Philippines").check()
    page.get_by_label("Area").select_option("data-protection")
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("h1")).to_contain_text("Philippines · Thailand")  # in the order of the form
    assert "c=PH" in page.url and "c=TH" in page.url and "area=data-protection" in page.url

    differs = page.locator("tr.differs")
    same = page.locator("tr.same")
    expect(differs.first).to_be_visible()
    assert differs.count() >= 1 and same.count() >= 1
    expect(page.locator('tr[data-indicator="pdp-breach-deadline-hours"]')).to_have_class("differs")
    expect(page.locator('tr[data-indicator="pdp-comprehensive-law"]')).to_have_class("same")

    path = tmp_path / "side-by-side.png"
    page.screenshot(path=str(path), full_page=True)
    shot = Image.open(io.BytesIO(path.read_bytes()))
    for i in range(differs.count()):
        box = differs.nth(i).bounding_box()
        assert box and share_of_highlight(shot, box) > 0.3, (i, box)
    for i in range(same.count()):
        box = same.nth(i).bounding_box()
        assert box and share_of_highlight(shot, box) == 0, (i, box)

    # differences only
    page.get_by_label("Differences only").check()
    page.get_by_role("button", name="Compare").click()
    expect(page.locator("tr.same")).to_have_count(0)
    assert page.locator("tr.differs").count() == differs.count()

    # print: the form goes, the highlight stays, the table fits A4 landscape
    page.emulate_media(media="print")
    page.set_viewport_size({"width": A4_LANDSCAPE_CONTENT, "height": 760})
    expect(page.locator("form.pick")).to_be_hidden()
    expect(page.locator("header.hd")).to_be_hidden()
    expect(page.locator(".print-only")).to_be_visible()
    printed = tmp_path / "side-by-side-print.png"
    page.screenshot(path=str(printed), full_page=True)
    shot = Image.open(io.BytesIO(printed.read_bytes()))
    box = page.locator("tr.differs").first.bounding_box()
    assert box and share_of_highlight(shot, box) > 0.3
    assert page.evaluate("document.documentElement.scrollWidth") <= A4_LANDSCAPE_CONTENT  # nothing cut off
    pdf = page.pdf(format="A4", landscape=True, print_background=True)
    assert pdf[:5] == b"%PDF-" and pdf.count(b"/Type /Page") >= 2  # the page tree and at least one page
    context.close()


def test_area_matrix_and_as_of_form(server: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    expect = sync_api.expect
    page.goto(f"{server}/compare")
    page.get_by_role("link", name="Personal data protection").first.click()
    expect(page.locator("h1")).to_contain_text("Personal data protection")
    cell = page.locator('td[data-country="TH"][data-indicator="pdp-breach-deadline-hours"]')
    expect(cell.locator(".flag-disputed")).to_have_text("disputed")
    page.get_by_label("As of").fill("2018-01-01")
    page.get_by_role("button", name="Show").click()
    assert "as_of=2018-01-01" in page.url
    expect(page.locator('td[data-country="TH"][data-indicator="pdp-comprehensive-law"] .answer')).to_have_text("No")
    context.close()
