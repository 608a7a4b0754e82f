"""Reconciliation with the UNCTAD Global Cyberlaw Tracker: the parser of its two
files, the snapshot, the disagreements, the command, the tables and the page.

The small input files in tests/data/unctad/ reproduce the structures of the
real ones; the law records below are test records built for them (modelled on
real laws, but test input, not data). The real 2026 files are used when
../shared/fixtures/unctad/ is present."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ingest.build import peer_tables
from ingest.build import peers as reconcile
from ingest.build.database import build
from ingest.cli import reconcile as cli_reconcile
from ingest.reconcile import unctad
from ingest.records import yamlsafe
from ingest.rules import reading
from ingest.rules.corpus import validate
from tests.helpers import FIXTURES, law, make_root, write, write_law

DATA = Path(__file__).resolve().parent / "data" / "unctad"
REAL = FIXTURES / "unctad"
TODAY = dt.date(2026, 4, 30)


def _profile(code: str, name: str, iso3: str, m49: str, since: str, coverage: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "code": code,
        "name": name,
        "iso3": iso3,
        "m49": m49,
        "asean_member_since": since,
        "official_languages": ["en"],
        "coverage": [
            {"area": a, "status": s, "note": f"Test statement: {s}. Second sentence.", "sources": [{"citation": "test"}]}
            for a, s in coverage
        ],
        "provenance": {"sources": [{"citation": "test"}], "verification": "unverified", "evidence": "seen"},
    }


def _law(
    law_id: str,
    title: str,
    areas: list[str],
    number: str | None = None,
    status: str = "in-force",
    dates: dict[str, str] | None = None,
    **more: Any,
) -> dict[str, Any]:
    year = law_id.rsplit("-", 1)[1]
    return law(
        id=law_id,
        country=law_id[:2].upper(),
        title=title,
        number=number,
        areas=areas,
        status=status,
        dates=dates or {"adopted": f"{year}-01-10", "in_force": f"{year}-03-01"},
        **more,
    )


def make_laws(tmp: Path) -> Path:
    """Test records for Brunei, Singapore, Timor-Leste and Viet Nam, one case of each disagreement."""
    root = make_root(
        tmp, coverage=[{"area": "platforms", "status": "unknown", "note": "Not researched.", "sources": [{"citation": "test"}]}]
    )
    write(
        root / "countries" / "bn.yml",
        _profile("BN", "Brunei Darussalam", "BRN", "096", "1984-01-07", [("cybersecurity", "unknown"), ("platforms", "unknown")]),
    )
    write(
        root / "countries" / "tl.yml",
        _profile(
            "TL",
            "Timor-Leste",
            "TLS",
            "626",
            "2025-10-26",
            [("consumer-protection", "partial"), ("data-protection", "none"), ("cybersecurity", "draft")],
        ),
    )
    write(
        root / "countries" / "vn.yml",
        _profile("VN", "Viet Nam", "VNM", "704", "1995-07-28", [("cybersecurity", "partial"), ("platforms", "unknown")]),
    )
    et, es, cp, dp, cy = "e-transactions", "e-signatures", "consumer-protection", "data-protection", "cybersecurity"
    records = [
        _law("bn-electronic-transactions-order-2000", "Electronic Transactions Act (Chapter 196)", [et, es], "Cap. 196"),
        _law("bn-consumer-protection-fair-trading-order-2011", "Consumer Protection (Fair Trading) Order, 2011", [cp]),
        _law(
            "bn-personal-data-protection-order-2025",
            "Personal Data Protection Order, 2025",
            [dp],
            status="enacted-not-in-force",
            dates={"adopted": "2025-01"},
        ),
        _law(
            "sg-electronic-transactions-act-1998",
            "Electronic Transactions Act (Cap. 88)",
            [et, es],
            "Cap. 88",
            status="superseded",
            dates={"adopted": "1998-06-29", "in_force": "1998-07-10", "repealed": "2010-07-01"},
        ),
        _law(
            "sg-electronic-transactions-act-2010",
            "Electronic Transactions Act 2010",
            [et, es],
            "No. 16 of 2010",
            relations=[{"type": "replaces", "target": "sg-electronic-transactions-act-1998"}],
        ),
        _law(
            "sg-consumer-protection-fair-trading-act-2003", "Consumer Protection (Fair Trading) Act 2003", [cp], "Act 27 of 2003"
        ),
        _law("sg-personal-data-protection-act-2012", "Personal Data Protection Act 2012", [dp], "No. 26 of 2012"),
        _law("sg-online-criminal-harms-act-2023", "Online Criminal Harms Act 2023", [cy]),
        _law(
            "tl-e-commerce-and-e-signatures-decree-law-2024",
            "General Legal Regime for Electronic Commerce",
            [et, es, cp, "platforms"],
            "Decree-Law No. 12/2024",
        ),
        _law("tl-draft-cybercrime-law-2025", "Draft cybercrime legislation", [cy], status="draft", dates={"adopted": "2025-03"}),
        _law(
            "vn-law-on-e-transactions-2005",
            "Law on E-Transactions (2005)",
            [et, es],
            "51/2005/QH11",
            status="superseded",
            dates={"adopted": "2005-11-29", "in_force": "2006-03-01"},
        ),
        _law(
            "vn-law-on-e-transactions-2023",
            "Law on E-Transactions (2023)",
            [et, es],
            "20/2023/QH15",
            dates={"adopted": "2023-06-22", "in_force": "2024-07-01"},
            relations=[{"type": "replaces", "target": "vn-law-on-e-transactions-2005"}],
            links=[{"url": "https://legislation.example.org/vn/20-2023", "kind": "text", "language": "vi", "official": True}],
        ),
        _law(
            "vn-law-on-protection-of-consumers-rights-2010",
            "Law on Protection of Consumers' Rights (2010)",
            [cp],
            "59/2010/QH12",
            status="superseded",
            dates={"adopted": "2010-11-17", "in_force": "2011-07-01"},
        ),
        _law(
            "vn-law-on-protection-of-consumer-rights-2023",
            "Law on Protection of Consumer Rights (2023)",
            [cp],
            "19/2023/QH15",
            dates={"adopted": "2023-06-20", "in_force": "2024-07-01"},
            relations=[{"type": "replaces", "target": "vn-law-on-protection-of-consumers-rights-2010"}],
        ),
        _law("vn-law-on-information-technology-2006", "Law on Information Technology", [dp], "67/2006/QH11"),
        _law(
            "vn-law-on-personal-data-protection-2025",
            "Law on Personal Data Protection",
            [dp],
            "91/2025/QH15",
            dates={"adopted": "2025-06-26", "in_force": "2026-01-01"},
        ),
        _law("vn-example-network-rules-2015", "Example Rules on Network Safety", [cy]),
    ]
    for rec in records:
        write_law(root, rec)
    return root


@pytest.fixture(scope="module")
def test_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("reconcile")
    root = make_laws(tmp)
    corpus, written = build(root, tmp / "laws.db", today=TODAY)
    assert not corpus.problems, "\n".join(map(str, corpus.problems))
    assert written
    return tmp / "laws.db"


def _snapshot(laws_dir: Path, data: Path = DATA) -> dict[str, Any]:
    snap, _ = unctad.snapshot(
        unctad.read_data(data / "data.csv"),
        unctad.read_links(data / "document_links.json"),
        unctad.read_profiles(laws_dir / "countries"),
        files=["data.csv", "document_links.json"],
        taken=TODAY,
    )
    return snap


def _ro(db: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"file:{db}?mode=ro", uri=True)


# --- the parser ------------------------------------------------------------


def test_data_csv_rows_by_zero_padded_m49_with_statuses() -> None:
    rows = unctad.read_data(DATA / "data.csv")
    assert set(rows) == {"096", "250", "702", "626", "764", "704"}
    assert rows["096"].name == "Brunei Darussalam"
    assert rows["096"].statuses == {
        "Electronic Transactions": "Legislation",
        "Consumer Protection": "Legislation",
        "Privacy and Data Protection": "No Legislation",
        "Cybercrime": "Legislation",
    }
    assert rows["250"].statuses["Consumer Protection"] == "No Data"
    assert rows["702"].statuses["Cybercrime"] == "Draft Legislation"


def test_links_json_false_no_data_hash_and_line_breaks() -> None:
    links = unctad.read_links(DATA / "document_links.json")
    assert links["096"]["Privacy and Data Protection"].links == []
    assert not links["096"]["Privacy and Data Protection"].no_data
    france = links["250"]
    assert france["Consumer Protection"].no_data and france["Consumer Protection"].links == []
    assert france["Privacy and Data Protection"].no_data
    assert [x.url for x in france["Privacy and Data Protection"].links] == ["#"]
    brunei_cp = links["096"]["Consumer Protection"].links
    assert brunei_cp[0].title == "Consumer Protection (Fair Trading) (Amendment) Order, 2015"  # <br> read as a space
    assert brunei_cp[0].url == "#"
    assert brunei_cp[1].url == "http://laws.example.org/bn/Gazette_PDF/20"  # cut short, kept as given
    singapore = links["702"]
    assert (
        singapore["Electronic Transactions"].links[0].title
        == "Electronic Transactions Act 2010, Cap 88 (in English) (Revised 2020)"
    )  # a line break in the title
    assert "&WholeDoc=1" in singapore["Cybercrime"].links[0].url and "&amp;" not in singapore["Cybercrime"].links[0].url
    assert links["764"]["Electronic Transactions"].links[0].url.endswith("/th/dl_link.php?nid=3")  # line break in a URL


@pytest.mark.parametrize(
    "name, text, expected",
    [
        (
            "data.csv",
            "code,country,Electronic Transactions,Consumer Protection,Cybercrime\n096,Brunei,Legislation,x,y\n",
            "data.csv:1: missing column(s) 'Privacy and Data Protection'",
        ),
        (
            "data.csv",
            "code,country,Electronic Transactions,Consumer Protection,Privacy and Data Protection,Cybercrime\n"
            "096,Brunei,Legislation,Legislation,Legislation,Legislation\n"
            "702,Singapore,Legislation,Maybe,Legislation,Legislation\n",
            "data.csv:3: Consumer Protection: 'Maybe' is not one of Legislation, Draft Legislation, No Legislation, No Data",
        ),
        (
            "data.csv",
            "code,country,Electronic Transactions,Consumer Protection,Privacy and Data Protection,Cybercrime\n"
            "BRN,Brunei,Legislation,Legislation,Legislation,Legislation\n",
            "data.csv:2: code: 'BRN' is not a UN M49 numeric code",
        ),
        (
            "data.csv",
            "code,country,Electronic Transactions,Consumer Protection,Privacy and Data Protection,Cybercrime\n"
            "096,Brunei,Legislation,Legislation\n",
            "data.csv:2: 4 fields where the header has 6",
        ),
        ("data.csv", "", "data.csv: the file is empty"),
        (
            "links.json",
            '{"096": {"countryName": "Brunei",\n "Electronic Transactions": [["#", "x"],]}}',
            "links.json:2: malformed JSON",
        ),
        ("links.json", "[1, 2]", "links.json: the top level must be an object keyed by M49 code, not list"),
        (
            "links.json",
            '{"096": {"Electronic Transactions": false, "Consumer Protection": false, "Cybercrime": false}}',
            "links.json: key '096': the area 'Privacy and Data Protection' is missing",
        ),
        (
            "links.json",
            '{"096": {"Electronic Transactions": [["#"]], "Consumer Protection": false, '
            '"Privacy and Data Protection": false, "Cybercrime": false}}',
            "links.json: key '096' → 'Electronic Transactions'[0]: must be a pair [url, title] of texts",
        ),
        (
            "links.json",
            '{"096": {"Electronic Transactions": "yes", "Consumer Protection": false, '
            '"Privacy and Data Protection": false, "Cybercrime": false}}',
            "links.json: key '096' → 'Electronic Transactions': must be false or a list of [url, title] pairs",
        ),
    ],
)
def test_bad_input_names_file_and_line_or_key(tmp_path: Path, name: str, text: str, expected: str) -> None:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    reader = unctad.read_data if name.endswith(".csv") else unctad.read_links
    with pytest.raises(unctad.UnctadError) as err:
        reader(path)
    assert expected in str(err.value)


def test_missing_and_binary_files(tmp_path: Path) -> None:
    with pytest.raises(unctad.UnctadError, match=r"nothing\.csv: no such file"):
        unctad.read_data(tmp_path / "nothing.csv")
    (tmp_path / "bin.json").write_bytes(b'{"a":\n"\xff"}')
    with pytest.raises(unctad.UnctadError, match=r"bin\.json:2: not UTF-8 text"):
        unctad.read_links(tmp_path / "bin.json")


# --- reading citations and matching them to records -------------------------


@pytest.mark.parametrize(
    "title, numbers, years",
    [
        ("Law on Electronic Transactions No. 20/NA, 2012", [("20", None, "na")], {2012}),
        (
            "Law on Consumer Protection, promulgated by Royal Code No. NS/RKM/ 1119/016, dated on 02-11-2019",
            [("1119/16", None, "rkm")],
            {2019},
        ),
        ("Law on E-Transactions No.51/2005/QH11 (in English)", [("51", 2005, "qh11")], {2005}),
        ("Republic act 10173 data privacy act of 2012", [("10173", None, "ra")], {2012}),
        ("Personal Data Protection Act 2010 (Act 709)", [("709", None, "act")], {2010}),
        ("Personal Data Protection (Amendment) Act 2024 (Act A1727)", [("a1727", None, "act")], {2024}),
        ("Indonesian Law Number 19 of 2016 governing cyberspace", [("19", 2016, None)], {2016}),
        ("Cybersecurity Act No.9/ 2018 (in English)", [("9", 2018, None)], {2018}),
        ("Electronic Transactions Act No. 196 (revised in 2008)", [("196", None, None)], set()),
        ("Electronic Transactions Act 2010, Cap 88 (Revised 2020)", [("88", None, "cap")], {2010}),
        ("Personal Data Protection Act, B. E. 2562, 2019 (in Thai)", [], {2019}),
        ("Computer Crimes Act (No. 2) B.E. 2560 (amended in 2017)", [], {2017}),
        ("PP No. 80/2019 / Permendag No. 50/2020", [("80", 2019, None), ("50", 2020, None)], {2019, 2020}),
    ],
)
def test_citations_read_numbers_and_years(title: str, numbers: list[tuple], years: set[int]) -> None:
    from ingest.build.citations import cite

    cit = cite(title)
    assert [(n.serial, n.year, n.tag) for n in cit.numbers] == numbers
    assert cit.years == years


@pytest.mark.parametrize(
    "country, title, url, ids, how",
    [
        (
            "SG",
            "Electronic Transactions Act 2010, Cap 88 (in English) (Revised 2020)",
            "",
            ["sg-electronic-transactions-act-2010"],
            "title and year",
        ),  # Cap. 88 was also the 1998 Act's chapter
        ("SG", "Personal Data Protection Act No. 26 2012", "", ["sg-personal-data-protection-act-2012"], "number"),
        (
            "SG",
            "Consumer Protection (Fair Trading) Act, Act 27 of 2003",
            "#",
            ["sg-consumer-protection-fair-trading-act-2003"],
            "number",
        ),
        ("BN", "Electronic Transactions Act No. 196 (revised in 2008)", "", ["bn-electronic-transactions-order-2000"], "number"),
        (
            "BN",
            "Consumer Protection (Fair Trading) Order, 2011",
            "",
            ["bn-consumer-protection-fair-trading-order-2011"],
            "title and year",
        ),
        ("VN", "Law No. 67/2006/QH11 on Information Technology", "", ["vn-law-on-information-technology-2006"], "number"),
        ("VN", "Law on E-transactions (LET 2023)", "#", ["vn-law-on-e-transactions-2023"], "title and year"),
        (
            "VN",
            "English version",
            "https://laws.example.org/vn/Law-20-2023-QH15-Electronic-Transactions.html",
            ["vn-law-on-e-transactions-2023"],
            "address",
        ),
        ("TL", "Decree-Law no. 12/2024)", "", ["tl-e-commerce-and-e-signatures-decree-law-2024"], "number"),
        ("VN", "Law on Personal Data Protection No. 91/2024/QH15", "", [], ""),  # the year in the number differs
        ("SG", "Personal Data Protection Act 2015", "", [], ""),  # no record of that year
    ],
)
def test_matching_documents_to_records(test_db: Path, country: str, title: str, url: str, ids: list[str], how: str) -> None:
    from ingest.build.record_match import Records

    with closing(_ro(test_db)) as conn:
        found = Records.load(conn, [country]).match(country, title, url)
    assert (found.ids, found.how) == (ids, how)


# --- the snapshot ----------------------------------------------------------


def test_snapshot_keeps_only_our_member_states_mapped_by_profile_m49(tmp_path: Path) -> None:
    root = make_laws(tmp_path)
    snap = _snapshot(root)
    assert [c["country"] for c in snap["countries"]] == ["BN", "SG", "TL", "VN"]  # not France, not Thailand (no profile)
    by = {c["country"]: c for c in snap["countries"]}
    assert by["BN"]["m49"] == "096" and by["VN"]["name"] == "Viet Nam"
    areas = {a["area"]: a for a in by["BN"]["areas"]}
    assert areas["Privacy and Data Protection"] == {
        "area": "Privacy and Data Protection",
        "status": "No Legislation",
        "links": [],
    }
    assert areas["Consumer Protection"]["links"][1] == {
        "url": "http://laws.example.org/bn/Gazette_PDF/20",
        "title": "Consumer Protection (Fair Trading) Order, 2011",
    }
    assert snap["source"] == {
        "description": snap["source"]["description"],
        "files": ["data.csv", "document_links.json"],
        "taken": "2026-04-30",
    }
    assert "acknowledgement" in snap["acknowledgement"]
    # the profiles decide the mapping: a profile with another M49 code takes that row
    vn = yamlsafe.load((root / "countries" / "vn.yml").read_bytes())[0]
    write(root / "countries" / "vn.yml", {**vn, "m49": "764"})
    moved = {c["country"]: c for c in _snapshot(root)["countries"]}
    assert moved["VN"]["name"] == "Thailand"


def test_snapshot_text_loads_without_aliases_and_passes_its_schema(tmp_path: Path) -> None:
    root = make_laws(tmp_path)
    snap = _snapshot(root)
    shared = {"url": "#", "title": "the same object twice"}
    snap["countries"][0]["areas"][0]["links"] = [shared, shared]
    text = unctad.dump(snap)
    assert text.splitlines()[0] == "# yaml-language-server: $schema=../schemas/peer.schema.json"
    assert 'm49: "096"' in text
    loaded, _ = yamlsafe.load(text.encode())
    assert loaded["countries"][0]["areas"][0]["links"] == [shared, shared]
    assert reading.read_one(str(root / "schemas"), "peer", "unctad.yml", text.encode()).problems == []
    bad = text.replace("status: Draft Legislation", "status: Drafted")
    problems = reading.read_one(str(root / "schemas"), "peer", "unctad.yml", bad.encode()).problems
    assert problems and "'Drafted' is not an allowed value" in problems[0].message


# --- the reconciliation ----------------------------------------------------


def _found(db: Path, snap: dict[str, Any]) -> reconcile.Result:
    with closing(_ro(db)) as conn:
        return reconcile.reconcile(snap, conn)


def test_every_kind_is_found_where_the_fixtures_put_it(test_db: Path, tmp_path: Path) -> None:
    result = _found(test_db, _snapshot(make_laws(tmp_path)))
    got = {(d["country"], d["unctad_area"], d["kind"], tuple(d["law_ids"])) for d in result.disagreements}
    expected = {
        ("BN", "Consumer Protection", "unmatched-document", ()),
        ("BN", "Privacy and Data Protection", "we-record-law-they-list-missing", ("bn-personal-data-protection-order-2025",)),
        ("BN", "Cybercrime", "they-list-law-we-record-unknown", ()),
        ("BN", "Cybercrime", "unmatched-document", ()),  # no computer misuse record among the test records
        (
            "SG",
            "Electronic Transactions",
            "they-list-replaced-law",
            ("sg-electronic-transactions-act-1998", "sg-electronic-transactions-act-2010"),
        ),
        ("SG", "Electronic Transactions", "document-without-url", ("sg-electronic-transactions-act-1998",)),
        ("SG", "Consumer Protection", "we-record-law-they-list-missing", ("sg-consumer-protection-fair-trading-act-2003",)),
        ("SG", "Consumer Protection", "status-contradicts-links", ("sg-consumer-protection-fair-trading-act-2003",)),
        ("SG", "Privacy and Data Protection", "unmatched-document", ()),
        ("SG", "Cybercrime", "we-record-law-they-list-draft", ("sg-online-criminal-harms-act-2023",)),
        ("SG", "Cybercrime", "draft-link-for-enacted-law", ("sg-online-criminal-harms-act-2023",)),
        ("TL", "Consumer Protection", "they-list-law-we-record-partial", ("tl-e-commerce-and-e-signatures-decree-law-2024",)),
        ("TL", "Privacy and Data Protection", "they-list-draft-we-record-none", ()),
        ("TL", "Privacy and Data Protection", "unmatched-document", ()),
        ("TL", "Cybercrime", "they-list-law-we-record-none", ("tl-draft-cybercrime-law-2025",)),
        ("TL", "Cybercrime", "status-contradicts-links", ()),
        (
            "VN",
            "Electronic Transactions",
            "link-title-contradicts-url",
            ("vn-law-on-e-transactions-2005", "vn-law-on-e-transactions-2023"),
        ),
        ("VN", "Electronic Transactions", "document-without-url", ("vn-law-on-e-transactions-2023",)),
        (
            "VN",
            "Consumer Protection",
            "ambiguous-document",
            ("vn-law-on-protection-of-consumer-rights-2023", "vn-law-on-protection-of-consumers-rights-2010"),
        ),
        ("VN", "Consumer Protection", "document-in-other-area", ("vn-law-on-information-technology-2006",)),
        ("VN", "Privacy and Data Protection", "they-omit-current-law", ("vn-law-on-personal-data-protection-2025",)),
        ("VN", "Privacy and Data Protection", "unmatched-document", ()),
        (
            "VN",
            "Privacy and Data Protection",
            "they-list-replaced-law",
            ("vn-law-on-protection-of-consumers-rights-2010", "vn-law-on-protection-of-consumer-rights-2023"),
        ),
        ("VN", "Privacy and Data Protection", "document-without-url", ("vn-law-on-protection-of-consumers-rights-2010",)),
        ("VN", "Cybercrime", "we-record-partial-they-list-missing", ("vn-example-network-rules-2015",)),
    }
    assert got == expected
    assert {k for _, _, k, _ in got} == set(reconcile.KINDS)
    assert len(result.status) == 16 and sum(s["disagreements"] for s in result.status) == len(result.disagreements)


def test_reasons_name_both_sides(test_db: Path, tmp_path: Path) -> None:
    result = _found(test_db, _snapshot(make_laws(tmp_path)))
    by = {(d["country"], d["kind"]): d for d in result.disagreements}
    brunei = by[("BN", "we-record-law-they-list-missing")]["reason"]
    assert "'No Legislation' for Privacy and Data Protection in Brunei Darussalam" in brunei
    assert "Personal Data Protection Order, 2025 (enacted, not yet in force)" in brunei
    replaced = by[("SG", "they-list-replaced-law")]["reason"]
    assert "'Electronic Transactions Act (Cap. 88), 1998'" in replaced
    assert "as superseded, replaced by Electronic Transactions Act 2010 (No. 16 of 2010)" in replaced
    url = by[("VN", "link-title-contradicts-url")]
    assert url["reason"] == (
        "UNCTAD's link for Electronic Transactions is titled 'Law on E-Transactions No.51/2005/QH11 (in English)', "
        "which names our record Law on E-Transactions (2005) (51/2005/QH11) (superseded), but its address "
        "(https://laws.example.org/vn/Law-20-2023-QH15-Electronic-Transactions.html) is that of "
        "Law on E-Transactions (2023) (20/2023/QH15) (in force since 2024-07-01)."
    )
    assert url["match"] == "number" and url["their_status"] == "Legislation"
    no_address = [d["reason"] for d in result.disagreements if d["kind"] == "document-without-url"]
    assert any(
        "our record Law on E-Transactions (2023) (20/2023/QH15) gives its official text at "
        "https://legislation.example.org/vn/20-2023" in r
        for r in no_address
    )
    unmatched = [d["reason"] for d in result.disagreements if d["kind"] == "unmatched-document"]
    assert any("none of our records for Viet Nam carries the number 53/2022/ND-CP" in r for r in unmatched)
    assert any(
        "the nearest, Consumer Protection (Fair Trading) Order, 2011 (in force since 2011-03-01), is of another year" in r
        for r in unmatched
    )
    assert "links no document" in by[("TL", "they-list-law-we-record-none")]["reason"]
    for d in result.disagreements:
        assert "UNCTAD" in d["reason"] and (
            "we record" in d["reason"]
            or "our record" in d["reason"]
            or "none of our records" in d["reason"]
            or "its links" in d["reason"]
            or "tells apart the records" in d["reason"]
        ), d


def test_a_record_change_changes_the_result(tmp_path: Path) -> None:
    """Recorded the replacement of Brunei's 2011 Order: the tracker's link to it becomes a replaced law."""
    root = make_laws(tmp_path)
    write_law(
        root,
        _law(
            "bn-consumer-protection-fair-trading-order-2011",
            "Consumer Protection (Fair Trading) Order, 2011",
            ["consumer-protection"],
            status="superseded",
        ),
    )
    write_law(
        root,
        _law(
            "bn-consumer-protection-order-2024",
            "Consumer Protection Order, 2024",
            ["consumer-protection"],
            relations=[{"type": "replaces", "target": "bn-consumer-protection-fair-trading-order-2011"}],
        ),
    )
    corpus, _ = build(root, tmp_path / "laws.db", today=TODAY)
    assert not corpus.problems, corpus.problems
    result = _found(tmp_path / "laws.db", _snapshot(root))
    brunei = [
        (d["kind"], d["law_ids"])
        for d in result.disagreements
        if d["country"] == "BN" and d["unctad_area"] == "Consumer Protection"
    ]
    assert (
        "they-list-replaced-law",
        ["bn-consumer-protection-fair-trading-order-2011", "bn-consumer-protection-order-2024"],
    ) in brunei


def test_write_tables_creates_fills_and_drops(test_db: Path, tmp_path: Path) -> None:
    db = tmp_path / "copy.db"
    shutil.copyfile(test_db, db)
    snap = _snapshot(make_laws(tmp_path))
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        first = peer_tables.write_tables(conn, snap)
        again = peer_tables.write_tables(conn, snap)  # rewritten, not added to
        assert conn.execute("SELECT count(*) FROM peer_disagreements").fetchone()[0] == len(again.disagreements)
        assert len(first.disagreements) == len(again.disagreements) > 0
        row = conn.execute(
            "SELECT country, kind, their_title, their_url, law_id, law_ids, match FROM peer_disagreements "
            "WHERE kind = 'link-title-contradicts-url'"
        ).fetchone()
        assert row == (
            "VN",
            "link-title-contradicts-url",
            "Law on E-Transactions No.51/2005/QH11 (in English)",
            "https://laws.example.org/vn/Law-20-2023-QH15-Electronic-Transactions.html",
            "vn-law-on-e-transactions-2005",
            '["vn-law-on-e-transactions-2005", "vn-law-on-e-transactions-2023"]',
            "number",
        )
        status = conn.execute(
            "SELECT their_status, their_links, our_status, our_statement, our_law_id, disagreements "
            "FROM peer_status WHERE country = 'TL' AND unctad_area = 'Consumer Protection'"
        ).fetchone()
        assert status == ("Legislation", 1, "in-force", "partial", "tl-e-commerce-and-e-signatures-decree-law-2024", 1)
        assert conn.execute("SELECT peer, files, taken FROM peer_snapshots").fetchall() == [
            ("unctad", '["data.csv", "document_links.json"]', "2026-04-30")
        ]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        peer_tables.write_tables(conn, None)
        left = conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'peer_%' AND type = 'table'").fetchall()
        assert left == []


# --- the command -----------------------------------------------------------


def _invoke(*args: str) -> Any:
    return CliRunner().invoke(cli_reconcile.command, ["unctad", *args], catch_exceptions=False)


def _args(root: Path, db: Path, data: Path = DATA) -> list[str]:
    return ["--data", str(data / "data.csv"), "--links", str(data / "document_links.json"), "--db", str(db), "--laws", str(root)]


def test_command_writes_the_snapshot_and_a_report(test_db: Path, tmp_path: Path) -> None:
    root = make_laws(tmp_path)
    report = tmp_path / "out" / "unctad.md"
    result = _invoke(
        *_args(root, test_db), "--report", str(report), "--source-date", "2026-04-27", "--source-ref", "example/repo@abc123"
    )
    assert result.exit_code == 0, result.output
    found = _found(test_db, _snapshot(root))
    counts = reconcile.counts(found)
    assert f"{len(found.disagreements)} disagreements: " in result.stdout
    assert f"{counts['unmatched-document']} unmatched-document" in result.stdout
    snapshot = root / "peers" / "unctad.yml"
    saved, _ = yamlsafe.load(snapshot.read_bytes())
    assert saved["source"]["date"] == "2026-04-27" and saved["source"]["ref"] == "example/repo@abc123"
    assert saved["source"]["taken"] == dt.date.today().isoformat()
    assert not list((root / "peers").glob(".*"))  # no temporary file left
    corpus = validate(root, today=TODAY)
    assert not corpus.problems, corpus.problems
    assert corpus.peer_files["unctad"][1]["countries"] == saved["countries"]
    text = report.read_text(encoding="utf-8")
    assert text.startswith("# Differences between the UNCTAD Global Cyberlaw Tracker and the ASEAN E-Commerce Law Repository")
    assert f"Prepared on {dt.date.today().isoformat()}" in text and "version of 2026-04-27" in text
    assert "## Viet Nam (VN)" in text and "## Method" in text
    assert (
        "- Our record: **Law on E-Transactions (2023)** — number 20/2023/QH15 — in force since 2024-07-01 — "
        "official text: [https://legislation.example.org/vn/20-2023](<https://legislation.example.org/vn/20-2023>) — record `vn-law-on-e-transactions-2023` "
        "(laws/vn/law-on-e-transactions-2023.yml, unverified)"
    ) in text
    assert text.count("\n### ") == len(found.disagreements)
    assert saved["acknowledgement"] in text


def test_markdown_report_shows_their_text_as_text(test_db: Path, tmp_path: Path) -> None:
    from ingest.reconcile import report as reconcile_report

    snap = _snapshot(make_laws(tmp_path))
    snap["countries"][0]["areas"][1]["links"] = [{"url": "javascript:alert(1)", "title": "<script>x</script> [a](b) | c"}]
    with closing(_ro(test_db)) as conn:
        text = reconcile_report.render("md", snap, reconcile.reconcile(snap, conn), conn, TODAY)
    assert "<script>" not in text and "[a](b)" not in text and "(javascript:" not in text
    assert "UNCTAD's document: &lt;script&gt;x&lt;/script&gt; \\[a\\](b) | c (address given: `javascript:alert(1)`)" in text


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_command_report_formats(test_db: Path, tmp_path: Path, fmt: str) -> None:
    root = make_laws(tmp_path)
    report = tmp_path / f"unctad.{fmt}"
    result = _invoke(*_args(root, test_db), "--no-save", "--report", str(report), "--format", fmt)
    assert result.exit_code == 0, result.output
    assert not (root / "peers").exists()
    found = _found(test_db, _snapshot(root))
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(report.read_text(encoding="utf-8"))))
        assert len(rows) == len(found.disagreements)
        assert {r["kind"] for r in rows} == set(reconcile.KINDS)
        assert rows[0]["country"] == "BN" and rows[0]["kind_label"] == "We cannot match their document"
    else:
        data = json.loads(report.read_text(encoding="utf-8"))
        assert data["counts"] == reconcile.counts(found)
        d = next(d for d in data["disagreements"] if d["kind"] == "they-omit-current-law")
        assert d["laws"][0]["id"] == "vn-law-on-personal-data-protection-2025"
        assert d["laws"][0]["number"] == "91/2025/QH15"


@pytest.mark.parametrize(
    "broken, expected",
    [
        ("data.csv", "data.csv:1: missing column(s) 'Cybercrime'"),
        ("document_links.json", "document_links.json:1: malformed JSON"),
        ("missing", "data.csv: no such file"),
    ],
)
def test_command_bad_input_exits_1_with_a_message_and_writes_nothing(
    test_db: Path, tmp_path: Path, broken: str, expected: str
) -> None:
    root = make_laws(tmp_path)
    data = tmp_path / "in"
    if broken != "missing":
        shutil.copytree(DATA, data)
    if broken == "data.csv":
        (data / "data.csv").write_text(
            "code,country,Electronic Transactions,Consumer Protection,"
            "Privacy and Data Protection\n096,Brunei,Legislation,Legislation,Legislation\n"
        )
    elif broken == "document_links.json":
        (data / "document_links.json").write_text("{'096': false}")
    report = tmp_path / "report.md"
    result = _invoke(*_args(root, test_db, data), "--report", str(report))
    assert result.exit_code == 1
    assert expected in result.output and "Traceback" not in result.output
    assert not (root / "peers").exists() and not report.exists()


def test_command_without_a_database_says_to_build(tmp_path: Path) -> None:
    root = make_laws(tmp_path)
    result = _invoke(*_args(root, tmp_path / "none.db"))
    assert result.exit_code == 1
    assert "none.db does not exist: run `lawrepo build` first" in result.output
    assert not (root / "peers").exists()


def test_command_rejects_a_bad_source_date(test_db: Path, tmp_path: Path) -> None:
    result = _invoke(*_args(make_laws(tmp_path), test_db), "--source-date", "27/04/2026")
    assert result.exit_code == 2 and "is not a date" in result.output


# --- the real 2026 files ---------------------------------------------------


@pytest.fixture(scope="module")
def real() -> list[dict[str, Any]]:
    if not (REAL / "data.csv").exists() or not (REAL / "document_links.json").exists():
        pytest.skip(f"{REAL} is absent")
    return []


def test_real_files_parse_and_map_every_member_state(real: list, corpus: Any) -> None:
    rows = unctad.read_data(REAL / "data.csv")
    links = unctad.read_links(REAL / "document_links.json")
    assert len(rows) > 150 and len(set(links) & set(rows)) > 150
    snap = _snapshot(Path(corpus.root), REAL)
    assert {c["country"] for c in snap["countries"]} == set(corpus.countries)
    assert all(len(c["areas"]) == 4 for c in snap["countries"])
    assert reading.read_one(str(Path(corpus.root) / "schemas"), "peer", "unctad.yml", unctad.dump(snap).encode()).problems == []


def test_real_files_find_the_known_disagreements(real: list, corpus: Any, built_db: Path) -> None:
    """The disagreements noted for the tracker's 2026 data that our records support."""
    found = _found(built_db, _snapshot(Path(corpus.root), REAL)).disagreements

    def having(country: str, area: str, kind: str, law_id: str | None = None) -> dict[str, Any]:
        hits = [
            d
            for d in found
            if d["country"] == country
            and d["unctad_area"] == area
            and d["kind"] == kind
            and (law_id is None or law_id in d["law_ids"])
        ]
        assert hits, f"{country} {area} {kind} {law_id}: not found in\n" + "\n".join(
            f"{d['country']} {d['unctad_area']} {d['kind']} {d['law_ids']}" for d in found
        )
        return hits[0]

    # our Brunei profile states the Order covers the area in part (private sector only)
    brunei = having(
        "BN", "Privacy and Data Protection", "we-record-partial-they-list-missing", "bn-personal-data-protection-order-2025"
    )
    assert "'No Legislation'" in brunei["reason"] and "Personal Data Protection Order, 2025" in brunei["reason"]
    myanmar = having("MM", "Cybercrime", "we-record-law-they-list-draft", "mm-cybersecurity-law-2025")
    assert "'Draft Legislation'" in myanmar["reason"] and "Cybersecurity Law" in myanmar["reason"]
    singapore = having("SG", "Consumer Protection", "status-contradicts-links", "sg-consumer-protection-fair-trading-act-2003")
    assert "'No Legislation'" in singapore["reason"] and "Consumer Protection (Fair Trading) Act 2003" in singapore["reason"]
    having("SG", "Consumer Protection", "we-record-law-they-list-missing", "sg-consumer-protection-fair-trading-act-2003")
    timor = having("TL", "Cybercrime", "status-contradicts-links")
    assert "'Legislation'" in timor["reason"] and "no document" in timor["reason"]
    lao = having("LA", "Electronic Transactions", "they-list-replaced-law", "la-law-on-electronic-transactions-2012")
    assert "la-amended-law-on-electronic-transactions-2022" in lao["law_ids"] and "No. 20/NA" in lao["reason"]
    indonesia = having(
        "ID",
        "Consumer Protection",
        "they-list-replaced-law",
        "id-minister-of-trade-regulation-on-trade-through-electronic-systems-2020",
    )
    assert "id-minister-of-trade-regulation-on-trade-through-electronic-systems-2023" in indonesia["law_ids"]
    vietnam = having("VN", "Electronic Transactions", "link-title-contradicts-url", "vn-law-on-e-transactions-2023")
    assert vietnam["law_ids"] == ["vn-law-on-e-transactions-2005", "vn-law-on-e-transactions-2023"]
    cambodia = having("KH", "Privacy and Data Protection", "they-list-law-we-record-partial")
    assert "Article 32 of the Law on Electronic Commerce" in cambodia["reason"] and "partial" in cambodia["reason"]
    # Cambodia's consumer protection law is cited by its royal kram number and matched
    assert not [d for d in found if d["country"] == "KH" and d["kind"] == "unmatched-document"]
    # consistent entries give no disagreement: Malaysia's data protection link is our PDPA 2010
    assert not [d for d in found if d["country"] == "MY" and d["unctad_area"] == "Privacy and Data Protection"]


# --- the page --------------------------------------------------------------


@pytest.fixture(scope="module")
def page_db(test_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("page")
    db = tmp / "laws.db"
    shutil.copyfile(test_db, db)
    with closing(sqlite3.connect(db, isolation_level=None)) as conn:
        peer_tables.write_tables(conn, _snapshot(make_laws(tmp)))
    return db


async def test_page_groups_disagreements_by_country(page_db: Path) -> None:
    from bs4 import BeautifulSoup

    from tests.helpers import make_datasette

    ds = make_datasette(page_db)
    response = await ds.client.get("/reconcile/unctad")
    assert response.status_code == 200, response.text[:2000]
    page = BeautifulSoup(response.text, "html.parser")
    assert page.h1.get_text() == "Our records and the UNCTAD Global Cyberlaw Tracker"
    vn = page.find("section", attrs={"aria-labelledby": "c-VN"})
    assert vn.h2.get_text(strip=True) == "Viet Nam"
    items = vn.select("ol.disagreements > li")
    with closing(_ro(page_db)) as conn:
        expected = conn.execute("SELECT count(*) FROM peer_disagreements WHERE country = 'VN'").fetchone()[0]
    assert len(items) == expected
    contradiction = next(li for li in items if "link-title-contradicts-url" in str(li))
    hrefs = [a["href"] for a in contradiction.find_all("a")]
    assert "https://laws.example.org/vn/Law-20-2023-QH15-Electronic-Transactions.html" in hrefs
    assert "/law/vn-law-on-e-transactions-2005" in hrefs and "/law/vn-law-on-e-transactions-2023" in hrefs
    no_address = next(li for li in items if "document-without-url" in str(li))
    assert 'href="#"' not in str(no_address) and "no usable address" in no_address.get_text()
    rows = {
        tr.th.get_text(strip=True): [td.get_text(" ", strip=True) for td in tr.find_all("td")]
        for tr in vn.select("table.reconcile-status tbody tr")
    }
    assert rows["Privacy and Data Protection"][0] == "Legislation"
    assert rows["Cybercrime"][0] == "No Legislation" and "partial" in rows["Cybercrime"][2].lower()
    assert page.find("a", href="/reconcile/unctad.json") and page.find("a", href="/reconcile/unctad.csv")


async def test_page_json_and_csv(page_db: Path) -> None:
    from tests.helpers import make_datasette

    ds = make_datasette(page_db)
    data = (await ds.client.get("/reconcile/unctad.json")).json()
    assert data["ok"] and data["recorded"] and data["snapshot"]["peer"] == "unctad"
    assert [c["code"] for c in data["countries"]] == ["BN", "SG", "TL", "VN"]
    assert sum(len(c["disagreements"]) for c in data["countries"]) == data["total"]
    assert {k["code"] for k in data["kinds"] if k["count"]} == set(reconcile.KINDS)
    response = await ds.client.get("/reconcile/unctad.csv")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == data["total"] and rows[0]["country_name"] == "Brunei Darussalam"
    assert (await ds.client.get("/reconcile/unctad.svg")).status_code == 404


async def test_page_without_tables_says_none_recorded(test_db: Path, tmp_path: Path) -> None:
    from tests.helpers import make_datasette

    db = tmp_path / "laws.db"
    shutil.copyfile(test_db, db)
    ds = make_datasette(db)
    response = await ds.client.get("/reconcile/unctad")
    assert response.status_code == 200
    assert "No reconciliation with the UNCTAD Global Cyberlaw Tracker has been recorded" in response.text
    data = (await ds.client.get("/reconcile/unctad.json")).json()
    assert data == {"ok": True, "recorded": False, "peer": "unctad"}
    assert (await ds.client.get("/reconcile/unctad.csv")).text.lstrip("\ufeff").startswith("country,country_name,")
