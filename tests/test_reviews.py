"""Reviews (Outcome 9): worksheets out, filled worksheets back in as review
records, and the answers' review status following completed reviews."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner

from ingest.build.database import build
from ingest.cli.main import main
from tests.helpers import make_datasette, write

PEER = [
    "--id",
    "th-2026-peer-review",
    "--type",
    "peer",
    "--title",
    "Peer review of Thailand's data protection law",
    "--party",
    "SG",
    "--party",
    "body:ACCEC",
    "--held",
    "2026-11-20",
]
DISPUTE = "Thailand holds that the 72 hours run from the assessment of the breach."


@pytest.fixture
def repo(laws_copy: Path) -> dict[str, Path]:
    """A copy of the shipped records, built."""
    db = laws_copy.parent / "laws.db"
    corpus, counts = build(laws_copy, db)
    assert not corpus.problems and counts
    return {"laws": laws_copy, "db": db}


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def sheet_rows(repo: dict[str, Path], *extra: str) -> list[dict[str, str]]:
    result = run("worksheet", "TH", "--format", "csv", "--db", str(repo["db"]), *extra)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def write_sheet(path: Path, rows: list[dict[str, str]]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def fill(rows: list[dict[str, str]], indicator: str, **values: str) -> None:
    row = next(r for r in rows if r["indicator"] == indicator)
    row.update(values)


def answer(db: Path, indicator: str) -> tuple[Any, ...]:
    with closing(sqlite3.connect(db)) as conn:
        return conn.execute(
            "select review_status, dispute, review_id from answers where country = 'TH' and indicator = ? and period = 0",
            (indicator,),
        ).fetchone()


# --- the round trip ------------------------------------------------------------------


def test_worksheet_to_review_to_answers(repo: dict[str, Path], tmp_path: Path) -> None:
    rows = sheet_rows(repo, "--area", "data-protection")
    assert len(rows) == 12 and {r["area"] for r in rows} == {"data-protection"}
    pdpa = next(r for r in rows if r["indicator"] == "pdp-comprehensive-law")
    assert pdpa["current_answer"] == "yes" and pdpa["legal_basis"].startswith("PDPA") and pdpa["since"]
    assert pdpa["assessment"] == ""
    # an unverified answer is an open question; a checked one is not
    with closing(sqlite3.connect(repo["db"])) as conn:
        status = dict(conn.execute("select indicator, verification from answers where country = 'TH' and period = 0"))
    for r in rows:
        assert ("unverified" in r["open_questions"]) == (status[r["indicator"]] == "unverified"), r["indicator"]
    assert "unverified" in status.values()
    assert answer(repo["db"], "pdp-comprehensive-law")[0] == "draft"

    fill(rows, "pdp-comprehensive-law", assessment="aligned", comment="A general law applies.", response="agrees")
    fill(
        rows,
        "pdp-breach-deadline-hours",
        assessment="partly-aligned",
        recommendation="Say when the 72 hours start.",
        response="disputes",
        dispute=DISPUTE,
    )
    fill(rows, "pdp-registration", assessment="not-assessed")
    sheet = write_sheet(tmp_path / "filled.csv", rows)
    result = run("review", "import", str(sheet), *PEER, "--laws", str(repo["laws"]))
    assert result.exit_code == 0, result.output
    record = repo["laws"] / "reviews" / "th-2026-peer-review.yml"
    assert record.exists() and "findings" in record.read_text()

    corpus, counts = build(repo["laws"], repo["db"])
    assert not corpus.problems and counts
    assert answer(repo["db"], "pdp-comprehensive-law") == ("peer-reviewed", None, "th-2026-peer-review")
    status, dispute, review_id = answer(repo["db"], "pdp-breach-deadline-hours")
    assert status == "disputed" and DISPUTE in dispute and review_id == "th-2026-peer-review"
    assert answer(repo["db"], "pdp-registration")[0] == "draft"  # not assessed: unchanged
    # the next worksheet lists the dispute as an open question
    again = next(r for r in sheet_rows(repo) if r["indicator"] == "pdp-breach-deadline-hours")
    assert again["review_status"] == "disputed" and "disputed: TH disputes" in again["open_questions"]


async def test_the_site_reflects_a_review(repo: dict[str, Path], tmp_path: Path) -> None:
    rows = sheet_rows(repo, "--area", "data-protection")
    fill(rows, "pdp-comprehensive-law", assessment="aligned", response="agrees")
    fill(rows, "pdp-breach-deadline-hours", assessment="gap", response="disputes", dispute=DISPUTE)
    assert run("review", "import", str(write_sheet(tmp_path / "f.csv", rows)), *PEER, "--laws", str(repo["laws"])).exit_code == 0
    build(repo["laws"], repo["db"])
    ds = make_datasette(repo["db"])
    page = BeautifulSoup((await ds.client.get("/review/th-2026-peer-review")).text, "html.parser")
    assert page.h1.get_text(strip=True) == "Peer review of Thailand's data protection law"
    assert "Singapore" in page.find("dl", class_="facts").get_text() and "ACCEC" in page.find("dl", class_="facts").get_text()
    finding = page.find("tr", id="pdp-breach-deadline-hours")
    assert finding.find(class_="assessment").get_text() == "Gap" and DISPUTE in finding.get_text()
    country = BeautifulSoup((await ds.client.get("/country/TH")).text, "html.parser")
    history = country.find(id="reviews").find_next("ul", class_="reviews")
    assert history.find("a", href="/review/th-2026-peer-review") is not None
    sg = BeautifulSoup((await ds.client.get("/country/SG")).text, "html.parser")
    assert sg.find("a", href="/review/th-2026-peer-review") is not None  # a party to it
    matrix = BeautifulSoup((await ds.client.get("/compare/data-protection")).text, "html.parser")
    cell = matrix.find("td", attrs={"data-country": "TH", "data-indicator": "pdp-breach-deadline-hours"})
    assert "is-disputed" in cell["class"]
    cell = matrix.find("td", attrs={"data-country": "TH", "data-indicator": "pdp-comprehensive-law"})
    assert "is-peer-reviewed" in cell["class"]
    listing = await ds.client.get("/laws/reviews.json?_shape=array&_facet=type")
    assert [r["id"] for r in listing.json()] == ["th-2026-peer-review"]


# --- bad sheets ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "changes, column, message",
    [
        (
            {"indicator": "pdp-no-such-question", "assessment": "gap"},
            "indicator",
            "'pdp-no-such-question' is not an indicator of the codebook",
        ),
        ({"assessment": "fine"}, "assessment", "'fine' is not one of aligned, partly-aligned, gap, not-assessed"),
        ({"assessment": "gap", "response": "maybe"}, "response", "'maybe' is not one of agrees, disputes, no-response"),
        ({"assessment": "gap", "response": "disputes"}, "dispute", "is required when the response is 'disputes'"),
        ({"assessment": "gap", "dispute": "We object."}, "response", "must be 'disputes' when a dispute is given"),
        ({"comment": "Discussed, no conclusion."}, "assessment", "is empty but other columns are filled"),
    ],
)
def test_every_bad_row_is_reported_with_its_line(
    repo: dict[str, Path], tmp_path: Path, changes: dict[str, str], column: str, message: str
) -> None:
    rows = sheet_rows(repo, "--area", "data-protection")
    fill(rows, "pdp-comprehensive-law", assessment="aligned")  # a good row beside the bad one
    rows[4].update(changes)  # the fifth row: line 6 of the file
    result = run("review", "import", str(write_sheet(tmp_path / "bad.csv", rows)), *PEER, "--laws", str(repo["laws"]))
    assert result.exit_code == 1
    assert f"bad.csv:6: {column}: {message}" in result.output, result.output
    assert "nothing was written" in result.output
    assert not (repo["laws"] / "reviews").exists()


def test_several_bad_rows_all_reported(repo: dict[str, Path], tmp_path: Path) -> None:
    rows = sheet_rows(repo, "--area", "data-protection")
    rows[0].update(assessment="good")
    rows[2].update(assessment="gap", response="disputes")
    rows[3].update(country="SG", assessment="gap")
    result = run("review", "import", str(write_sheet(tmp_path / "bad.csv", rows)), *PEER, "--laws", str(repo["laws"]))
    assert result.exit_code == 1
    assert "bad.csv:2: assessment:" in result.output and "bad.csv:4: dispute:" in result.output
    assert "country: the sheet mixes member states (SG, TH)" in result.output


def test_duplicate_rows_and_review_rules_point_at_lines(repo: dict[str, Path], tmp_path: Path) -> None:
    rows = sheet_rows(repo, "--area", "data-protection")
    rows[0].update(assessment="aligned")
    rows.append(dict(rows[0]))  # the same indicator twice: the last line of the file
    result = run("review", "import", str(write_sheet(tmp_path / "dup.csv", rows)), *PEER, "--laws", str(repo["laws"]))
    assert result.exit_code == 1
    assert f"dup.csv:{len(rows) + 1}: indicator: 'pdp-comprehensive-law' has two findings" in result.output
    # a future held date is the command's option, not a row
    rows.pop()
    future = [*PEER[:-1], "2999-01-01"]
    result = run("review", "import", str(write_sheet(tmp_path / "f.csv", rows)), *future, "--laws", str(repo["laws"]))
    assert result.exit_code == 1 and "f.csv: dates.held: 2999-01-01 is in the future" in result.output


def test_sheet_that_is_not_a_worksheet(repo: dict[str, Path], tmp_path: Path) -> None:
    other = tmp_path / "other.csv"
    other.write_text("name,value\na,b\n", encoding="utf-8")
    result = run("review", "import", str(other), *PEER, "--laws", str(repo["laws"]))
    assert result.exit_code == 1 and "other.csv:1: the header lacks the column(s) country, indicator" in result.output
    binary = tmp_path / "binary.csv"
    binary.write_bytes(b"\xff\xfe\x00\x01garbage")
    result = run("review", "import", str(binary), *PEER, "--laws", str(repo["laws"]))
    assert result.exit_code == 1 and "cannot be read as a UTF-8 CSV file" in result.output
    assert "Traceback" not in result.output
    huge = tmp_path / "huge.csv"
    huge.write_text('country,indicator\n"' + "x" * 200_000 + '",e\n', encoding="utf-8")
    limit = csv.field_size_limit(131_072)  # Python's default; a library imported by another test may raise it
    try:
        result = run("review", "import", str(huge), *PEER, "--laws", str(repo["laws"]))
    finally:
        csv.field_size_limit(limit)
    assert result.exit_code == 1 and "field larger than field limit" in result.output
    assert not isinstance(result.exception, csv.Error)


def test_existing_review_is_not_overwritten(repo: dict[str, Path], tmp_path: Path) -> None:
    rows = sheet_rows(repo, "--area", "data-protection")
    fill(rows, "pdp-comprehensive-law", assessment="aligned")
    sheet = write_sheet(tmp_path / "f.csv", rows)
    assert run("review", "import", str(sheet), *PEER, "--laws", str(repo["laws"])).exit_code == 0
    again = run("review", "import", str(sheet), *PEER, "--laws", str(repo["laws"]))
    assert again.exit_code == 1 and "already exists" in again.output
    assert run("review", "import", str(sheet), *PEER, "--laws", str(repo["laws"]), "--replace").exit_code == 0


# --- review records written by hand -------------------------------------------------------


def test_review_record_rules(repo: dict[str, Path]) -> None:
    base = {
        "id": "th-2025-internal-review",
        "type": "internal",
        "country": "TH",
        "title": "Internal review",
        "parties": [{"country": "TH"}],
        "scope": {"laws": ["vn-law-on-e-transactions-2023"]},
        "dates": {"planned": "2025-01-10"},
        "status": "planned",
        "findings": [{"indicator": "et-legal-recognition", "assessment": "aligned"}],
    }
    write(repo["laws"] / "reviews" / "th-2025-wrong-name.yml", base)
    result = run("validate", str(repo["laws"]))
    assert result.exit_code == 1
    out = result.output
    assert "id: is 'th-2025-internal-review' but the file is named th-2025-wrong-name.yml" in out
    assert "scope.laws[0]: vn-law-on-e-transactions-2023 is a law of VN, not of the reviewed state TH" in out
    assert "findings[0].assessment: a planned review has not assessed anything yet" in out
    write(repo["laws"] / "reviews" / "th-2025-wrong-name.yml", {**base, "status": "completed", "findings": []})
    assert "dates.held: a completed review needs the date it was held" in run("validate", str(repo["laws"])).output


# --- worksheet formats ------------------------------------------------------------------------


def test_worksheet_formats(repo: dict[str, Path], tmp_path: Path) -> None:
    md = run("worksheet", "th", "--db", str(repo["db"])).stdout
    assert md.startswith("# Review worksheet: Thailand (TH)")
    assert "## Personal data protection" in md and "Personal Data Protection Act B.E. 2562 (2019)" in md
    assert "`pdp-breach-deadline-hours`" in md
    out = tmp_path / "th.html"
    assert run("worksheet", "TH", "--format", "html", "--out", str(out), "--db", str(repo["db"])).exit_code == 0
    html = out.read_text()
    page = BeautifulSoup(html, "html.parser")
    assert "@page { size: A4" in page.style.get_text() and len(page.select("td.fill")) == 48
    assert all(not td.get_text(strip=True) for td in page.select("td.fill"))
    bad = run("worksheet", "XX", "--db", str(repo["db"]))
    assert bad.exit_code == 1 and "no member state has the code 'XX'" in bad.output
    bad = run("worksheet", "TH", "--area", "taxation", "--db", str(repo["db"]))
    assert bad.exit_code == 1 and "no indicators in the area(s) taxation" in bad.output
    missing = run("worksheet", "TH", "--db", str(tmp_path / "none.db"))
    assert missing.exit_code == 1 and "run `lawrepo build` first" in missing.output


def test_worksheet_prints_on_a4(repo: dict[str, Path], tmp_path: Path, browser: Any) -> None:
    out = tmp_path / "th.html"
    run("worksheet", "TH", "--format", "html", "--out", str(out), "--db", str(repo["db"]))
    page = browser.new_page()
    page.goto(out.as_uri())
    page.emulate_media(media="print")
    width = round((210 - 2 * 12) / 25.4 * 96)  # A4 portrait between the 12 mm side margins
    page.set_viewport_size({"width": width, "height": 1000})
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    pdf = page.pdf(prefer_css_page_size=True)
    boxes = re.findall(rb"/MediaBox \[\s*0 0 ([0-9.]+) ([0-9.]+)\s*\]", pdf)
    assert pdf[:5] == b"%PDF-" and boxes, pdf[:200]
    assert all(round(float(w)) == 595 and round(float(h)) == 842 for w, h in boxes)  # A4 is 595 x 842 points
    page.close()


def test_review_template_is_a_valid_review(laws_copy: Path) -> None:
    (laws_copy / "reviews").mkdir()
    text = (laws_copy / "REVIEW-TEMPLATE.yml").read_text(encoding="utf-8")
    (laws_copy / "reviews" / "th-2026-peer-review.yml").write_text(text.replace("$schema=schemas/", "$schema=../schemas/"))
    result = run("validate", str(laws_copy))
    assert result.exit_code == 0, result.output
    schema_fields = set(json.loads((laws_copy / "schemas" / "review.schema.json").read_text())["properties"])
    assert all(f"{name}:" in text for name in schema_fields)  # the template documents every field
