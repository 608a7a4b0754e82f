"""The contributors' path in a real browser: `lawrepo serve`'s command line on a
copy of the laws folder, with a moderator configured through the environment;
a correction suggested from a law page, tracked, reviewed and accepted by the
moderator, then exported into its record file, which validates; the form on a
phone-sized screen."""

from __future__ import annotations

import secrets
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.rules.corpus import validate
from ingest.submissions import moderators
from tests.helpers import CHROMIUM, LAWS, assert_png, serve

if not CHROMIUM.exists():
    pytest.skip(f"{CHROMIUM} is not installed", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")

PDPA = "th-personal-data-protection-act-2019"
RECORD = Path("th") / "personal-data-protection-act-2019.yml"
MODERATOR = "mod"
PASSWORD = "a moderator's long password"
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="module")
def writer(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The site with its forms: the records' copy, the submissions database and the moderator."""
    tmp = tmp_path_factory.mktemp("writer")
    laws = tmp / "laws"
    shutil.copytree(LAWS, laws)
    submissions = tmp / "submissions.db"
    env = {
        "LAWREPO_SUBMISSIONS_DB": str(submissions),
        "LAWREPO_MODERATORS": f"{MODERATOR}:{moderators.hash_password(PASSWORD, iterations=1000)}",
        "DATASETTE_SECRET": secrets.token_hex(32),
    }
    for base in serve(built_db, tmp / "server.log", {"plugins.submissions.laws_dir": str(laws)}, env):
        yield {"base": base, "laws": laws, "db": submissions}


def test_suggest_track_moderate_and_export_a_correction(writer: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    base, laws = writer["base"], writer["laws"]
    expect = sync_api.expect
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/law/{PDPA}")
    page.get_by_role("link", name="Suggest a correction").first.click()
    page.wait_for_url(f"{base}/submit?law={PDPA}")
    expect(page.locator("h1")).to_have_text("Suggest a correction")
    in_force = page.locator("#f-in_force")
    expect(in_force).to_have_value("2019-05-28")
    in_force.fill("2019-05-29")
    page.locator("#f-source").fill("Royal Gazette vol. 136 part 69A, p. 52")
    page.locator("#f-comment").fill("The Act came into force on the day after its publication.")
    page.get_by_role("button", name="Send for moderation").click()
    page.wait_for_url(f"{base}/submissions/*")
    tracking = page.url
    sid = tracking.rsplit("/", 1)[1]
    expect(page.locator("h1")).to_have_text("Your submission")
    expect(page.locator(".submission-status")).to_have_text("waiting for a moderator")
    context.close()

    moderator = browser.new_context(viewport={"width": 1280, "height": 900})
    page = moderator.new_page()
    page.goto(f"{base}/submissions/queue")
    expect(page.locator("body")).to_contain_text("Only moderators can see submissions")
    page.goto(f"{base}/submissions/login")
    page.get_by_label("Name").fill(MODERATOR)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{base}/submissions/queue")
    expect(page.locator("h1")).to_have_text("Submissions: pending")
    page.locator(f'table.queue a[href="/submissions/review/{sid}"]').click()
    page.wait_for_url(f"{base}/submissions/review/{sid}")
    changed = page.locator("table.diff tr.changed")
    expect(changed).to_have_count(1)
    expect(changed.locator("th")).to_have_text("In force")
    expect(changed.locator("mark")).to_have_text("2019-05-29")
    expect(changed.locator("td").first).to_have_text("2019-05-28")
    background = changed.locator("mark").evaluate("e => getComputedStyle(e).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent"), background
    page.screenshot(path=str(tmp_path / "review.png"), full_page=True)
    page.get_by_label("Note (why)").fill("Checked against the Royal Gazette.")
    page.get_by_role("button", name="Accept").click()
    page.wait_for_url(f"{base}/submissions/review/{sid}")
    expect(page.locator(".submission-status")).to_have_text("accepted")
    expect(page.locator("body")).to_contain_text(f"accepted by {MODERATOR} — Checked against the Royal Gazette.")
    moderator.close()

    sender = browser.new_page()
    sender.goto(tracking)
    expect(sender.locator(".submission-status")).to_have_text("accepted")
    sender.close()
    assert_png(tmp_path / "review.png")

    result = CliRunner().invoke(main, ["submissions", "export", "--db", str(writer["db"]), "--laws", str(laws)])
    assert result.exit_code == 0, result.output
    text = (laws / RECORD).read_text(encoding="utf-8")
    assert "in_force: 2019-05-29" in text and "in_force: 2019-05-28" not in text
    assert f"submission {sid} by anonymous; accepted by {MODERATOR}" in text
    assert (LAWS / RECORD).read_text(encoding="utf-8") != text  # the copy, not the repository's records
    found = validate(laws)
    assert not found.problems, "\n".join(map(str, found.problems))


def test_the_form_fits_a_phone(writer: dict[str, Any], browser: Any, tmp_path: Path) -> None:
    context = browser.new_context(viewport=PHONE, device_scale_factor=1, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{writer['base']}/submit?law={PDPA}")
    sync_api.expect(page.locator("form.contribution")).to_be_visible()
    shot = tmp_path / "submit-phone.png"
    page.screenshot(path=str(shot), full_page=True)
    widths = page.evaluate(
        "() => ({page: document.documentElement.scrollWidth, body: document.body.scrollWidth,"
        " form: document.querySelector('form.contribution').getBoundingClientRect().right,"
        " viewport: window.innerWidth})"
    )
    assert widths["viewport"] == PHONE["width"], widths
    assert max(widths["page"], widths["body"], widths["form"]) <= widths["viewport"], widths
    page.evaluate("() => window.scrollTo(500, 0)")
    assert page.evaluate("() => window.scrollX") == 0
    context.close()
    assert_png(shot)
