"""What is still to be checked against the official texts (ingest/site/checking.py):
the figures per member state, the law records not yet checked with what each
lacks, the legal bases without a quote, their section of the /freshness page,
its JSON, and the `records_to_check` stored query."""

from __future__ import annotations

import copy
import datetime as dt
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup

from ingest.build.database import build
from ingest.site import checking, verification_table
from tests.helpers import ROOT, dated_datasette, good_answer, law, make_root, write, write_law

TODAY = dt.date(2026, 6, 30)
SSO = "https://sso.agc.gov.sg/Act/TEST"
ALL_FACTS = ["number", "dates.adopted", "dates.in_force", "status"]
LINK = {"url": f"{SSO}?WholeDoc=1", "kind": "text", "language": "en", "official": True, "title": "Official text"}


def official(supports: list[str], provisions: list[str]) -> dict[str, Any]:
    return {"citation": "Singapore Statutes Online", "url": SSO, "supports": supports, "provisions": provisions}


def record(law_id: str, title: str, sources: list[dict[str, Any]], level: str, evidence: str, **more: Any) -> dict[str, Any]:
    return law(
        id=law_id,
        title=title,
        provenance={
            "sources": sources,
            "verification": level,
            "evidence": evidence,
            "last_verified": "2026-05-01",
            **({"note": "The dates were read in a blog post only."} if evidence != "seen" else {}),
        },
        **more,
    )


CHECKED = "sg-checked-act-2010"
ONE_SHORT = "sg-one-short-act-2011"
WEAK = "sg-weak-act-2012"
FAR = "sg-far-act-2013"
LAWS = [
    record(CHECKED, "Checked Act 2010", [official(ALL_FACTS, ["s 6"])], "checked-official-text", "seen", links=[LINK]),
    record(ONE_SHORT, "One Short Act 2011", [official(ALL_FACTS[:3], ["s 6"])], "unverified", "seen", links=[LINK]),
    record(WEAK, "Weak Act 2012", [official(ALL_FACTS, ["s 6"])], "unverified", "weak-source", links=[LINK]),
    record(
        FAR,
        "Far Act 2013",
        [{"citation": "A blog post", "url": "https://blog.example.com/far-act"}],
        "unverified",
        "weak-source",
        provisions=[
            {"ref": "s 6", "heading": "Legal recognition", "summary": "Records are not denied effect."},
            {"ref": "s 7", "heading": "Writing", "summary": "Records satisfy writing."},
        ],
    ),
]


def answer(indicator: str, value: str, basis: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    if basis:
        return good_answer(indicator=indicator, value=value, basis=basis, since=None, note=None)
    return good_answer(indicator=indicator, value=value, basis=None, since=None, note="The contract rules were not read.")


QUOTE = {"text": "The words of the section.", "lang": "en", "url": f"{SSO}?ProvIds=pr6-"}
ANSWERS = [
    answer("et-legal-recognition", "yes", [{"law": CHECKED, "provision": "s 6", "quote": dict(QUOTE)}]),
    answer(
        "et-writing-original",
        "yes",
        [{"law": FAR, "provision": "s 7"}, {"law": CHECKED, "provision": "s 6", "quote": dict(QUOTE)}],
    ),
    answer("et-contract-formation", "unknown"),
]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("checking")
    root = make_root(tmp)
    shutil.copytree(ROOT / "laws" / "codebook", root / "codebook")
    for rec in LAWS:
        write_law(root, copy.deepcopy(rec))
    write(root / "answers" / "sg.yml", {"country": "SG", "answers": copy.deepcopy(ANSWERS)})
    corpus, _ = build(root, tmp / "laws.db", today=TODAY)
    assert not corpus.problems, "\n".join(map(str, corpus.problems))
    return tmp / "laws.db"


@pytest.fixture(scope="module")
def report(db: Path) -> dict[str, Any]:
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        return checking.report(conn)


def test_lacks_names_facts_in_words_and_groups_provisions() -> None:
    facts = ["number", "dates.in_force", "status", "provision s 6", "provision Part X", checking.OFFICIAL_LINK]
    assert checking.lacks(facts, "seen") == [
        "number",
        "in-force date",
        "status",
        "a link to the official text",
        "provisions s 6, Part X",
    ]
    assert checking.lacks(["provision s 15"], "partly-recalled") == [
        "provision s 15",
        "some facts are recalled, not seen in a source",
    ]
    assert checking.lacks([], "seen") == []


def test_unverified_records_nearest_to_checked_first(report: dict[str, Any]) -> None:
    rows = {r["law_id"]: r for r in report["laws"]}
    assert CHECKED not in rows
    assert [r["law_id"] for r in report["laws"]] == [ONE_SHORT, WEAK, FAR]
    assert rows[ONE_SHORT]["lacks"] == ["status"]
    assert rows[WEAK]["lacks"] == ["some facts rest on weak sources only"]
    assert rows[FAR]["lacks"] == [
        "number",
        "adoption date",
        "in-force date",
        "status",
        "a link to the official text",
        "provisions s 6, s 7",
        "some facts rest on weak sources only",
    ]
    assert report["totals"]["laws"] == 3


def test_unquoted_bases_of_known_answers_only(report: dict[str, Any]) -> None:
    # the quoted bases and the unknown answer are not listed
    assert [(r["indicator"], r["law_id"], r["provision"]) for r in report["bases"]] == [("et-writing-original", FAR, "s 7")]
    assert report["totals"]["bases"] == 1


def test_figures_are_those_of_lawrepo_stats(report: dict[str, Any], db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn:
        assert report["states"] == verification_table.rows(conn)
    sg = next(r for r in report["states"] if r["code"] == "SG")
    assert (sg["laws"], sg["checked"], sg["in_force"], sg["in_force_linked"]) == (4, 1, 4, 3)
    assert (sg["known"], sg["bases"], sg["quoted"]) == (2, 3, 2)


def test_limit_cuts_the_lists_not_the_totals(db: Path) -> None:
    with closing(sqlite3.connect(db)) as conn:
        cut = checking.report(conn, limit=1)
    assert [r["law_id"] for r in cut["laws"]] == [ONE_SHORT]
    assert cut["totals"] == {"laws": 3, "bases": 1}


def test_stored_query_lists_both_lists_whole(db: Path, report: dict[str, Any]) -> None:
    with closing(sqlite3.connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(checking.RECORDS_TO_CHECK_SQL)]
    laws = [r for r in rows if r["kind"] == "law"]
    assert {r["law_id"] for r in laws} == {r["law_id"] for r in report["laws"]}
    assert next(r for r in laws if r["law_id"] == ONE_SHORT)["lacks"] == "status"
    assert [r["kind"] for r in rows] == ["law"] * 3 + ["legal basis"]
    assert rows[-1]["indicator"] == "et-writing-original" and rows[-1]["lacks"] == "a quote of Far Act 2013, s 7"


def test_stored_query_in_the_site_config_is_this_one() -> None:
    config = yaml.safe_load((ROOT / "datasette.yaml").read_text(encoding="utf-8"))
    query = config["databases"]["laws"]["queries"]["records_to_check"]
    assert query["sql"].strip() == checking.RECORDS_TO_CHECK_SQL.strip()


@pytest.fixture
def ds(db: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return dated_datasette(db, monkeypatch, TODAY)


async def test_freshness_page_shows_what_is_left_to_check(ds: Any) -> None:
    response = await ds.client.get("/freshness")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    sg = soup.find("table", class_="checked-states").find("tr", attrs={"data-country": "SG"})
    cells = [" ".join(td.get_text(" ").split()) for td in sg.find_all("td")]
    assert cells == ["1 of 4 (25%)", "3 of 4 (75%)", "2 of 3 (67%)", "1 of 3 (33%)", "2 of 3 (67%)"]
    assert sg.find("a", href="/country/SG") is not None
    rows = soup.find("table", class_="to-check").find("tbody").find_all("tr")
    assert [r["data-law"] for r in rows] == [ONE_SHORT, WEAK, FAR]
    assert rows[0].find("a", href=f"/law/{ONE_SHORT}") is not None
    assert rows[0].find("td", class_="lacks").get_text() == "status"
    basis = soup.find("table", class_="unquoted").find("tr", attrs={"data-answer": "SG/et-writing-original"})
    assert basis.find("a", href=f"/law/{FAR}") is not None and "s 7" in basis.get_text()
    legend = soup.find("dl", class_="legend").get_text(" ")
    assert "Laws in force with a link to an official text." in legend
    assert soup.find("a", href="#checked") is not None


async def test_freshness_json_carries_the_report(ds: Any, report: dict[str, Any]) -> None:
    data = (await ds.client.get("/freshness.json")).json()
    assert data["checking"]["laws"] == report["laws"]
    assert data["checking"]["totals"] == report["totals"]
    assert data["checking"]["legend"] == verification_table.LEGEND


@pytest.mark.parametrize(
    ("law_id", "says"),
    [
        (ONE_SHORT, "In part: official texts support some of its facts; those named above still lack an official source."),
        (WEAK, 'In part: an official text supports every fact it states, but its evidence is rated "weak source only"'),
        (FAR, "Not yet: none of its sources is an official text."),
    ],
)
async def test_law_page_says_how_far_an_unverified_record_is_checked(ds: Any, law_id: str, says: str) -> None:
    response = await ds.client.get(f"/law/{law_id}")
    assert response.status_code == 200
    soup = BeautifulSoup(response.text, "html.parser")
    assert soup.find("dt", string="Last verified") is None
    assert soup.find("dt", string="Checked").find_next_sibling("dd").get_text(" ", strip=True).startswith(says)


async def test_home_page_notice_links_to_the_checked_figures(ds: Any) -> None:
    response = await ds.client.get("/")
    assert response.status_code == 200
    notice = BeautifulSoup(response.text, "html.parser").find("div", class_="notice")
    link = notice.find("a", href="/freshness#checked")
    assert link is not None and "what is left to check" in link.get_text()
