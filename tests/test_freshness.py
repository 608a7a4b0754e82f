"""Coverage and freshness (ingest/freshness.py): the figures of each member
state and area, the stale rules, the possible unrecorded replacements, the
/freshness page and the text of `lawrepo stats --freshness`, on a small laws
folder with today fixed."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
import yaml
from bs4 import BeautifulSoup
from click.testing import CliRunner

from ingest.build.database import build
from ingest.site import freshness, freshness_text
from tests.helpers import ROOT, dated_datasette, law, make_root, write, write_law

TODAY = dt.date(2026, 6, 30)  # stale: sources not checked since 2025-06-30; ageing: oldest before 2025-09-30
ETA = "sg-electronic-transactions-act-2010"
ETA_AMENDMENT = "sg-electronic-transactions-amendment-act-2015"
ETA_NEW = "sg-electronic-transactions-act-2024"
PDPA = "sg-personal-data-protection-act-2012"
CPFTA = "sg-consumer-protection-act-2003"
BILL = "sg-cybersecurity-bill-2026"


def provenance(last_verified: str | None) -> dict[str, Any]:
    p: dict[str, Any] = {"sources": [{"citation": "A test source"}], "verification": "unverified", "evidence": "seen"}
    if last_verified:
        p["last_verified"] = last_verified
    return p


LAWS = [
    law(
        id=ETA,
        title="Electronic Transactions Act 2010",
        areas=["e-transactions", "e-signatures"],
        provenance=provenance("2026-05-01"),
    ),
    law(
        id=ETA_AMENDMENT,
        title="Electronic Transactions (Amendment) Act 2015",
        number="No. 2 of 2015",
        dates={"adopted": "2015-03-01", "in_force": "2015-06-01"},
        provenance=provenance("2026-05-01"),
        relations=[{"type": "amends", "target": ETA}],
    ),
    law(
        id=ETA_NEW,
        title="Electronic Transactions Act 2024",
        number="No. 9 of 2024",
        dates={"adopted": "2024-02-01", "in_force": "2024-05-01"},
        provenance=provenance("2026-05-01"),
    ),
    law(
        id=PDPA,
        title="Personal Data Protection Act 2012",
        number="No. 26 of 2012",
        areas=["data-protection"],
        dates={"adopted": "2012-10-15", "in_force": "2013-01-02"},
        provenance=provenance("2025-01-15"),
    ),
    law(
        id=CPFTA,
        title="Consumer Protection Act 2003",
        number="No. 3 of 2003",
        areas=["consumer-protection"],
        dates={"adopted": "2003-11-01", "in_force": "2004-03-01"},
        provenance=provenance("2025-08-01"),
    ),
    law(
        id=BILL,
        title="Cybersecurity Bill",
        instrument_type="bill",
        status="draft",
        number=None,
        dates=None,
        areas=["cybersecurity"],
        provisions=None,
        provenance=provenance(None),
    ),
]


def answer(
    indicator: str, value: str, verified: str, status: str = "unverified", review: dict[str, Any] | None = None, **more: Any
) -> dict[str, Any]:
    return {
        "indicator": indicator,
        "value": value,
        **more,
        "verification": {
            "status": status,
            "by": "Test editors",
            "on": verified,
            "evidence": "seen",
            "sources": [{"citation": "A test source"}],
        },
        "review": review or {"status": "draft"},
    }


QUOTE = {"text": "The words of the section.", "lang": "en", "url": "https://sso.agc.gov.sg/Act/TEST?ProvIds=pr6-"}
ANSWERS = [
    answer(
        "et-legal-recognition",
        "yes",
        "2026-05-01",
        status="checked-official-text",
        review={"status": "peer-reviewed", "by": "A test panel", "on": "2026-06-01"},
        since="2010-07-01",
        basis=[{"law": ETA, "provision": "s 6", "quote": dict(QUOTE)}],
        note="Records keep their effect.",
    ),
    answer("et-contract-formation", "unknown", "2025-03-01", note="The contract rules were not read."),
    answer(
        "pdp-comprehensive-law",
        "yes",
        "2026-04-01",
        status="checked-official-text",
        review={"status": "internally-reviewed", "by": "A second editor", "on": "2026-04-20"},
        basis=[{"law": PDPA, "provision": "s 6", "quote": dict(QUOTE)}],
        note="A general law.",
    ),
]


def make_db(tmp: Path, laws: list[dict[str, Any]], answers: list[dict[str, Any]]) -> Path:
    root = make_root(tmp)
    shutil.copytree(ROOT / "laws" / "codebook", root / "codebook")
    for rec in laws:
        write_law(root, copy.deepcopy(rec))
    if answers:
        write(root / "answers" / "sg.yml", {"country": "SG", "answers": copy.deepcopy(answers)})
    corpus, counts = build(root, tmp / "laws.db", today=TODAY)
    assert not corpus.problems, "\n".join(map(str, corpus.problems))
    assert counts
    return tmp / "laws.db"


def connect(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_db(tmp_path_factory.mktemp("freshness"), LAWS, ANSWERS)


@pytest.fixture(scope="module")
def report(db: Path) -> dict[str, Any]:
    with closing(connect(db)) as conn:
        return freshness.freshness(conn, TODAY)


def indicator_count(db: Path, area: str) -> int:
    with closing(connect(db)) as conn:
        return conn.execute("SELECT count(*) FROM indicators WHERE area = ? AND withdrawn_in IS NULL", (area,)).fetchone()[0]


# --- figures per member state and area ---------------------------------------


def test_cutoffs_are_twelve_and_nine_months_before_today(report: dict[str, Any]) -> None:
    assert (report["today"], report["stale_before"], report["ageing_before"]) == ("2026-06-30", "2025-06-30", "2025-09-30")


def test_cell_counts_laws_answers_and_shares(report: dict[str, Any], db: Path) -> None:
    (sg,) = report["countries"]
    et = sg["cells"]["e-transactions"]
    assert (et["laws"], et["enacted"], et["answers"]) == (3, 3, 2)
    assert et["indicators"] == indicator_count(db, "e-transactions") > 2
    assert (et["unknown"], et["unverified"], et["peer_reviewed"]) == (0.5, 0.5, 0.5)
    assert (et["last_verified"], et["oldest_verified"], et["last_reviewed"]) == ("2026-05-01", "2025-03-01", "2026-06-01")
    assert (et["stale_laws"], et["stale_answers"], et["replacements"], et["stale"]) == (0, 1, 1, 2)
    assert et["band"] == "stale"
    dp = sg["cells"]["data-protection"]
    assert (dp["laws"], dp["answers"], dp["unknown"], dp["unverified"], dp["peer_reviewed"]) == (1, 1, 0.0, 0.0, 0.0)
    # the answer was verified after the law: the later date is the cell's; the law is stale
    assert (dp["last_verified"], dp["last_reviewed"], dp["stale_laws"], dp["band"]) == ("2026-04-01", "2026-04-20", 1, "stale")


def test_a_law_counts_in_every_area_it_covers(report: dict[str, Any]) -> None:
    es = report["countries"][0]["cells"]["e-signatures"]
    assert (es["laws"], es["enacted"], es["answers"]) == (1, 1, 0)
    assert (es["unknown"], es["unverified"], es["peer_reviewed"]) == (None, None, None)
    assert (es["last_verified"], es["band"]) == ("2026-05-01", "current")


def test_bands(report: dict[str, Any]) -> None:
    cells = report["countries"][0]["cells"]
    assert {a: c["band"] for a, c in cells.items()} == {
        "e-transactions": "stale",
        "e-signatures": "current",
        "data-protection": "stale",
        "consumer-protection": "ageing",  # verified 2025-08-01: not stale yet, but before 2025-09-30
        "platforms": "empty",
        "cybersecurity": "stale",
    }
    assert cells["platforms"]["statement"] == "partial"
    assert report["totals"]["bands"] == {"current": 1, "ageing": 1, "stale": 3, "empty": 1}


def test_a_draft_never_verified_is_stale(report: dict[str, Any]) -> None:
    cyber = report["countries"][0]["cells"]["cybersecurity"]
    assert (cyber["laws"], cyber["enacted"], cyber["last_verified"], cyber["stale_laws"]) == (1, 0, None, 1)


# --- stale items ---------------------------------------------------------------------


def test_stale_laws_oldest_first_never_verified_first(report: dict[str, Any]) -> None:
    assert [(r["law_id"], r["last_verified"]) for r in report["stale_laws"]] == [(BILL, None), (PDPA, "2025-01-15")]
    assert report["stale_laws"][1]["area"] == "data-protection"
    assert report["totals"]["stale_laws"] == 2


def test_stale_answers(report: dict[str, Any]) -> None:
    assert [(r["country"], r["indicator"], r["area"], r["verified_on"]) for r in report["stale_answers"]] == [
        ("SG", "et-contract-formation", "e-transactions", "2025-03-01")
    ]


def test_verified_exactly_twelve_months_ago_is_not_stale(tmp_path: Path) -> None:
    db = make_db(tmp_path, [law(id=ETA, provenance=provenance("2025-06-30"))], [])
    with closing(connect(db)) as conn:
        data = freshness.freshness(conn, TODAY)
        assert data["stale_laws"] == [] and data["countries"][0]["cells"]["e-transactions"]["band"] == "ageing"
        data = freshness.freshness(conn, TODAY + dt.timedelta(days=1))
        assert [r["law_id"] for r in data["stale_laws"]] == [ETA]


def test_limit_cuts_the_lists_not_the_totals(db: Path) -> None:
    with closing(connect(db)) as conn:
        data = freshness.freshness(conn, TODAY, limit=1)
    assert [r["law_id"] for r in data["stale_laws"]] == [BILL]
    assert data["totals"]["stale_laws"] == 2


# --- possible unrecorded replacements ---------------------------------------------


def test_unlinked_later_law_with_the_same_title_is_a_possible_replacement(report: dict[str, Any]) -> None:
    pairs = [(p["earlier"]["id"], p["later"]["id"], p["area"], p["instrument_type"]) for p in report["replacements"]]
    # the 2015 amendment is linked to the 2010 Act, so it is not listed; the 2024 Act is linked to neither
    assert pairs == [(ETA, ETA_NEW, "e-transactions", "act")]


def test_a_recorded_relation_in_either_direction_clears_the_pair(tmp_path: Path) -> None:
    laws = [rec if rec["id"] != ETA_NEW else {**rec, "relations": [{"type": "amends", "target": ETA}]} for rec in LAWS]
    with closing(connect(make_db(tmp_path, laws, ANSWERS))) as conn:
        assert freshness.replacements(conn) == []
        assert freshness.freshness(conn, TODAY)["countries"][0]["cells"]["e-transactions"]["replacements"] == 0


def test_other_instrument_type_or_title_is_not_a_replacement(tmp_path: Path) -> None:
    laws = [rec for rec in LAWS if rec["id"] != ETA_NEW] + [
        law(
            id="sg-electronic-transactions-regulations-2024",
            title="Electronic Transactions Regulations 2024",
            instrument_type="regulations",
            number=None,
            dates={"adopted": "2024-02-01", "in_force": "2024-05-01"},
        ),
        law(
            id="sg-electronic-signatures-act-2024",
            title="Electronic Signatures Act 2024",
            number=None,
            dates={"adopted": "2024-02-01", "in_force": "2024-05-01"},
        ),
    ]
    with closing(connect(make_db(tmp_path, laws, []))) as conn:
        assert freshness.replacements(conn) == []


def memory_db(laws: list[tuple[str, int, str]], relations: list[tuple[str, str]]) -> sqlite3.Connection:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE laws (id, country, principal_area, instrument_type, year, title, status)")
    conn.execute("CREATE TABLE relations (law_id, type, target_id)")
    conn.executemany("INSERT INTO laws VALUES (?, 'SG', 'e-transactions', 'act', ?, 'Electronic Transactions Act', ?)", laws)
    conn.executemany("INSERT INTO relations VALUES (?, 'amends', ?)", relations)
    return conn


def pairs_of(conn: sqlite3.Connection) -> list[tuple[str, str]]:
    return [(p["earlier"]["id"], p["later"]["id"]) for p in freshness.replacements(conn)]


def test_each_later_law_is_paired_with_the_earliest_unlinked_one() -> None:
    conn = memory_db([("a", 2001, "in-force"), ("b", 2010, "in-force"), ("c", 2019, "in-force")], [])
    assert pairs_of(conn) == [("a", "b"), ("a", "c")]
    conn = memory_db([("a", 2001, "in-force"), ("b", 2010, "in-force"), ("c", 2019, "in-force")], [("b", "a")])
    assert pairs_of(conn) == [("a", "c")]
    conn = memory_db([("a", 2001, "in-force"), ("b", 2010, "in-force"), ("c", 2019, "in-force")], [("c", "a")])
    assert pairs_of(conn) == [("a", "b"), ("b", "c")]  # b is linked to neither a nor c
    # linked through a third law of the same set: c and b both amend a
    conn = memory_db([("a", 2001, "in-force"), ("b", 2010, "in-force"), ("c", 2019, "in-force")], [("b", "a"), ("c", "a")])
    assert pairs_of(conn) == []


def test_only_enacted_laws_of_different_years_are_paired() -> None:
    assert pairs_of(memory_db([("a", 2010, "in-force"), ("b", 2010, "in-force")], [])) == []
    assert pairs_of(memory_db([("a", 2001, "superseded"), ("b", 2010, "in-force")], [])) == []
    assert pairs_of(memory_db([("a", 2001, "in-force"), ("b", 2010, "draft")], [])) == []
    assert pairs_of(memory_db([("a", 2001, "in-force"), ("b", 2010, "enacted-not-in-force")], [])) == [("a", "b")]


@pytest.mark.parametrize(
    "first, second, same",
    [
        ("Electronic Transactions Act B.E. 2544 (2001)", "Electronic Transactions Act (No. 3) B.E. 2562 (2019)", True),
        (
            "Law on Electronic Information and Transactions",
            "Law on the Second Amendment to Law No. 11 of 2008 on Electronic Information and Transactions",
            True,
        ),
        ("Law on Electronic Transactions", "Law on Electronic Transactions (Amended)", True),
        ("Electronic Transactions Act (Chapter 196)", "Electronic Transactions Act 2010", True),
        ("Luật Giao dịch điện tử", "Luat giao dich dien tu 2023", True),
        ("Law on Protection of Consumers' Rights (2010)", "Law on Protection of Consumer Rights (2023)", True),
        ("Electronic Transactions Act 2010", "Electronic Signatures Act 2010", False),
        ("Personal Data Protection Act 2012", "Personal Data Protection (Amendment) Act 2020", True),
        ("Cybersecurity Act 2018", "Cybersecurity (Critical Infrastructure) Act 2024", False),
    ],
)
def test_title_words(first: str, second: str, same: bool) -> None:
    assert (freshness.title_words(first) == freshness.title_words(second)) is same


# --- the page ------------------------------------------------------------------------


@pytest.fixture
def ds(db: Path, monkeypatch: pytest.MonkeyPatch) -> Any:
    return dated_datasette(db, monkeypatch, TODAY)


async def get(ds: Any, path: str, status: int = 200) -> Any:
    response = await ds.client.get(path)
    assert response.status_code == status, f"{path}: {response.status_code}\n{response.text[:1500]}"
    return response


def td(soup: BeautifulSoup, country: str, area: str) -> Any:
    found = soup.find("td", attrs={"data-country": country, "data-area": area})
    assert found is not None, (country, area)
    return found


async def test_page_heat_map(ds: Any, db: Path) -> None:
    soup = BeautifulSoup((await get(ds, "/freshness")).text, "html.parser")
    et = td(soup, "SG", "e-transactions")
    assert et["data-band"] == "stale" and "fresh-stale" in et["class"]
    assert et.find("a")["href"] == "/country/SG#area-e-transactions"
    text = " ".join(et.get_text(" ").split())
    n = indicator_count(db, "e-transactions")
    assert "3 laws, 3 enacted" in text
    assert f"2 of {n} answered: 50% unknown, 50% unverified, 50% peer reviewed" in text
    assert "sources checked 1 May 2026" in text and "reviewed 1 June 2026" in text and "2 to check again" in text
    assert td(soup, "SG", "consumer-protection")["data-band"] == "ageing"
    assert td(soup, "SG", "e-signatures")["data-band"] == "current"
    empty = td(soup, "SG", "platforms")
    assert empty["data-band"] == "empty" and "statement: partial" in empty.get_text()
    legend = " ".join(soup.find("ul", class_="fresh-legend").get_text(" ").split())
    assert "Stale (3 cells)" in legend and "Empty (1 cells)" in legend


async def test_page_lists_stale_items_with_links(ds: Any) -> None:
    soup = BeautifulSoup((await get(ds, "/freshness")).text, "html.parser")
    rows = soup.find("table", class_="stale-laws").find("tbody").find_all("tr")
    assert [r["data-law"] for r in rows] == [BILL, PDPA]
    assert rows[0].find("a", href=f"/law/{BILL}") is not None and "never" in rows[0].get_text()
    answer_row = soup.find("tr", attrs={"data-answer": "SG/et-contract-formation"})
    assert answer_row.find("a", href="/country/SG#et-contract-formation") is not None
    pair = soup.find("tr", attrs={"data-earlier": ETA, "data-later": ETA_NEW})
    assert pair.find("a", href=f"/law/{ETA}") and pair.find("a", href=f"/law/{ETA_NEW}")
    rules = soup.find("dl", class_="rules").get_text()
    assert "12 months" in rules and "distinctive words" in rules


async def test_page_json_and_csv(ds: Any, report: dict[str, Any]) -> None:
    data = (await get(ds, "/freshness.json")).json()
    assert data["ok"] is True
    assert data["countries"][0]["cells"] == report["countries"][0]["cells"]
    assert data["totals"] == report["totals"]
    response = await get(ds, "/freshness.csv")
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="freshness.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [(r["country"], r["area"], r["band"]) for r in rows] == [
        ("SG", a, report["countries"][0]["cells"][a]["band"])
        for a in ("e-transactions", "e-signatures", "data-protection", "consumer-protection", "platforms", "cybersecurity")
    ]
    assert rows[0]["stale_answers"] == "1" and rows[0]["unknown"] == "0.5"
    await get(ds, "/freshness?_format=xml", status=404)


# --- `lawrepo stats --freshness` ------------------------------------------------------


def test_text_table(db: Path) -> None:
    with closing(connect(db)) as conn:
        text = freshness_text.text_table(conn, TODAY)
    lines = text.splitlines()
    assert (
        lines[0]
        == "Freshness on 2026-06-30: stale = sources not checked since 2025-06-30; ageing = oldest check of sources before 2025-09-30."
    )
    header = lines[2].split()
    assert header[:5] == ["Country", "Area", "Laws", "Enacted", "Answers"]
    rows = {tuple(line.split()[:2]): line.split() for line in lines if line.startswith("Singapore")}
    assert rows[("Singapore", "e-transactions")][2:] == [
        "3",
        "3",
        "2",
        "50%",
        "50%",
        "50%",
        "2026-05-01",
        "2026-06-01",
        "2",
        "stale",
    ]
    assert rows[("Singapore", "e-signatures")][2:] == ["1", "1", "0", "-", "-", "-", "2026-05-01", "-", "0", "current"]
    assert rows[("Singapore", "platforms")][-2:] == ["empty", "(partial)"]
    assert "Cells: 1 current, 1 ageing, 3 stale, 1 empty." in lines
    assert "Law records whose sources were not checked since 2025-06-30 (2):" in lines
    assert f"  never       {BILL}  (SG, cybersecurity)" in lines
    assert "  2025-03-01  SG et-contract-formation" in lines
    assert f"  {ETA} (2010) -> {ETA_NEW} (2024): no relation recorded" in lines


def test_text_table_says_how_many_more(db: Path) -> None:
    with closing(connect(db)) as conn:
        lines = freshness_text.text_table(conn, TODAY, limit=1).splitlines()
    assert "  … and 1 more" in lines


# --- the stored query and `lawrepo stats --freshness` ---------------------------------


def test_stored_query_lists_the_same_stale_records(db: Path, report: dict[str, Any]) -> None:
    with closing(connect(db)) as conn:
        conn.row_factory = sqlite3.Row
        rows = [dict(r) for r in conn.execute(freshness.STALE_RECORDS_SQL, {"today": TODAY.isoformat()})]
        # left empty, :today is the real date (SQLite's date('now'))
        real = [dict(r) for r in conn.execute(freshness.STALE_RECORDS_SQL, {"today": ""})]
        cutoff = conn.execute("SELECT date('now', '-12 months')").fetchone()[0]
        assert all(r["verified_on"] is None or r["verified_on"] < cutoff for r in real)
        assert {r["law_id"] for r in real if r["kind"] == "law"} >= {BILL, PDPA}
    # oldest first: never verified, then 2025-01-15, then 2025-03-01
    assert [(r["kind"], r["law_id"] or r["indicator"], r["verified_on"]) for r in rows] == [
        ("law", BILL, None),
        ("law", PDPA, "2025-01-15"),
        ("answer", "et-contract-formation", "2025-03-01"),
    ]
    assert {r["law_id"] for r in rows if r["kind"] == "law"} == {r["law_id"] for r in report["stale_laws"]}
    assert {r["indicator"] for r in rows if r["kind"] == "answer"} == {r["indicator"] for r in report["stale_answers"]}


def test_stored_query_in_the_site_config_is_this_one() -> None:
    config = yaml.safe_load((ROOT / "datasette.yaml").read_text(encoding="utf-8"))
    query = config["databases"]["laws"].get("queries", {}).get("stale_records")
    if query is None:
        pytest.skip("the stale_records stored query is not in datasette.yaml yet")
    assert query["sql"].strip() == freshness.STALE_RECORDS_SQL.strip()


def test_stats_freshness_prints_the_text_table(db: Path) -> None:
    from ingest.cli.main import main

    if not any("--freshness" in p.opts for p in main.commands["stats"].params):
        pytest.skip("`lawrepo stats --freshness` is not wired into ingest/cli.py yet")
    result = CliRunner().invoke(
        main, ["stats", "--freshness", "--laws", str(db.parent / "laws"), "--db", str(db), "--today", TODAY.isoformat()]
    )
    assert result.exit_code == 0, result.output
    with closing(connect(db)) as conn:
        assert result.output == freshness_text.text_table(conn, TODAY)
