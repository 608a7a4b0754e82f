"""The site in a real browser: the `lawrepo serve` command line started on a free
port, driven by headless Chromium through Playwright."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.helpers import CHROMIUM, assert_png, serve

PDPA = "th-personal-data-protection-act-2019"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")


@pytest.fixture(scope="module")
def server(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from serve(built_db, tmp_path_factory.mktemp("server") / "server.log")


def test_home_page_and_a_law_page(server: str, browser: Any, tmp_path: Path) -> None:
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/")
    expect = sync_api.expect
    expect(page.locator("h1")).to_have_text("ASEAN E-Commerce Law Repository")
    expect(page.get_by_role("heading", name="Member states × areas", exact=True)).to_be_visible()
    expect(page.get_by_text("Records are unverified unless marked otherwise.").first).to_be_visible()
    cell = page.locator("table.matrix tr", has=page.locator('a[href="/country/TH"]')).locator(f'a[href="/law/{PDPA}"]')
    expect(cell).to_be_visible()
    expect(cell).to_have_text("PDPA")
    home = tmp_path / "home.png"
    page.screenshot(path=str(home), full_page=True)

    cell.click()
    page.wait_for_url(f"{server}/law/{PDPA}")
    expect(page.locator("h1")).to_have_text("Personal Data Protection Act B.E. 2562 (2019)")
    expect(page.locator("header .status")).to_have_text("In force")
    expect(page.locator('[lang="th"]').first).to_be_visible()
    expect(page.get_by_role("heading", name="Sources and verification")).to_be_visible()
    law = tmp_path / "law.png"
    page.screenshot(path=str(law), full_page=True)

    page.emulate_media(media="print")
    expect(page.locator("header.hd")).to_be_hidden()
    printed = tmp_path / "law-print.png"
    page.screenshot(path=str(printed), full_page=True)
    page.close()

    for path in (home, law, printed):
        assert_png(path)


def test_pages_need_no_javascript(server: str, browser: Any) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    expect = sync_api.expect
    page.goto(f"{server}/law/vn-law-on-e-transactions-2005")
    expect(page.locator("h1")).to_have_text("Law on E-Transactions (2005)")
    page.get_by_role("link", name="Law on E-Transactions (2023)").click()
    expect(page.locator("h1")).to_have_text("Law on E-Transactions (2023)")
    page.goto(f"{server}/")
    page.get_by_role("searchbox").fill("giao dich dien tu")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator('ol.results a[href="/law/vn-law-on-e-transactions-2023"]')).to_be_visible()
    page.get_by_role("searchbox").fill("ข้อมูลส่วนบุคคล")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.locator('ol.results a[href="/law/th-personal-data-protection-act-2019"]')).to_be_visible()
    context.close()


def test_the_content_security_policy_blocks_nothing_the_pages_use(server: str, browser: Any) -> None:
    """Datasette's own scripts still run (the SQL editor, the column chooser) and
    no page reports a script or style it refused."""
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    refused: list[str] = []
    page.on("console", lambda m: refused.append(f"{page.url}: {m.text}") if "Content Security Policy" in m.text else None)
    for path in ("/", f"/law/{PDPA}", "/laws/laws", "/compare", "/side-by-side?countries=TH,VN", "/search?q=data"):
        response = page.goto(f"{server}{path}")
        assert response is not None and "script-src" in response.headers["content-security-policy"]
    page.goto(f"{server}/laws/-/query?sql=select+1")
    sync_api.expect(page.locator(".cm-editor")).to_be_visible()
    page.goto(f"{server}/laws/laws")
    page.set_viewport_size({"width": 390, "height": 800})
    page.get_by_role("button", name="Choose columns").first.click()
    sync_api.expect(page.locator("dialog[open]")).to_be_visible()
    page.close()
    assert refused == []
