"""The LawPhil importer: its own small pages (always on) and the real saved pages (skipped when absent)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.importers import registry
from ingest.importers.model import Draft, Refusal
from ingest.importers.page import clean, load
from ingest.importers.parsers import lawphil
from tests.helpers import FIXTURES, LAWS, draft_texts

DATA = Path(__file__).parent / "data" / "import" / "lawphil"
ACT = DATA / "example-act.html"
CODE = DATA / "example-code.html"
REAL = FIXTURES / "lawphil"
URL = "https://lawphil.net/statutes/repacts/ra2021/ra_99002_2021.html"


def read(data: bytes, url: str | None = None) -> Draft:
    return registry.read(load(data, url=url), "lawphil")


def assert_plain(draft: Draft) -> None:
    for text in draft_texts(draft):
        assert not re.search(r"[<>]|alert|onerror|javascript", text, re.I), text
        assert "\ufffd" not in text or text in draft.notes, text


def cli(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import", *args])
    return result.exit_code, result.stdout, result.stderr


# --------------------------------------------------------------------------
# our own pages


def test_header_number_date_title_and_sections() -> None:
    draft = read(ACT.read_bytes())
    assert draft.source == "lawphil"
    assert draft.number == "Republic Act No. 99001"
    assert draft.instrument_type == "act"
    assert draft.dates == {"adopted": "2020-03-03"}
    assert draft.status is None and draft.agency is None and draft.url is None
    assert draft.title == "Parañaque Example Registry Act of 2020"
    assert [(p.ref, p.heading) for p in draft.provisions] == [
        ("Sec. 1", "Short Title"),  # its <b> was opened in the PART heading before it
        ("Sec. 2", "Declaration of Policy"),  # "—" after the heading
        ("Sec. 3", "Duties of the Niño Office"),  # a lost dash (U+FFFD) inside the italics
        ("Sec. 4", "Cross-Examination"),
        ("Sec. 5", "Amendment of the Example Code"),  # the quoted "Sec. 9." of another Act is not one of its sections
        ("Sec. 5-A", "Fees"),
        ("Sec. 6", "Effectivity Clause"),
    ]
    assert all(p.url is None for p in draft.provisions)
    assert any("confirms" in n and "Approved: March 3, 2020" in n for n in draft.notes)
    assert_plain(draft)


def test_the_declared_windows_1252_is_not_trusted_for_utf8_bytes() -> None:
    data = ACT.read_bytes()
    assert b"charset=windows-1252" in data and "ñ".encode() in data
    page = load(data)
    assert page.encoding == "utf-8"
    body = clean(page.soup.body)
    assert "Parañaque" in body and "Policy. —" in body and "Ã" not in body
    assert lawphil.parse(page).provisions[2].heading == "Duties of the Niño Office"


def test_real_windows_1252_bytes_still_read() -> None:
    text = ACT.read_text(encoding="utf-8").replace("\ufffd", "-")
    page = load(text.encode("cp1252"))
    assert "Parañaque" in clean(page.soup.body) and "—" in clean(page.soup.body)
    assert lawphil.parse(page).title == "Parañaque Example Registry Act of 2020"


def test_articles_the_approved_line_long_title_and_anchors() -> None:
    draft = read(CODE.read_bytes(), url=URL)
    assert draft.number == "Republic Act No. 99002"
    assert draft.dates == {"adopted": "2021-08-05"}  # from "Approved: AUG 5 2021"; the header has no date
    assert draft.title == "AN ACT PROVIDING FOR AN EXAMPLE CODE OF CONDUCT FOR ONLINE SELLERS"
    assert [(p.ref, p.heading, p.url) for p in draft.provisions] == [
        ("Art. 1", "Scope", URL + "#art1"),
        ("Art. 2", "Definitions", URL + "#art2"),
        ("Art. 3", None, None),
        ("Art. 4", "Effectivity", None),
    ]
    assert draft.url == URL


def test_a_heading_without_italics_is_read_only_when_a_full_stop_and_a_dash_close_it() -> None:
    data = CODE.read_bytes().replace(b"</b> Every seller", b"</b> Names of sellers. - Every seller")
    data = data.replace(b"<i>Effectivity.</i> - This Code", b"This Code - once published - takes effect")
    found = {p.ref: p.heading for p in read(data).provisions}
    assert (found["Art. 3"], found["Art. 4"]) == ("Names of sellers", None)


def test_header_and_approved_dates_that_disagree_give_no_date() -> None:
    data = ACT.read_bytes().replace(b"<p>March 3, 2020</p>", b"<p>March 4, 2020</p>")
    draft = read(data)
    assert "adopted" not in draft.dates
    assert any("different dates" in n for n in draft.notes)


def test_a_date_on_the_line_after_the_header_and_lapsed_into_law() -> None:
    data = CODE.read_bytes().replace(b"No. 99002</p>", b"No. 99002<br />July 27, 2021</p>")
    data = data.replace(b"<p>Approved: AUG 5 2021</p>", b"<p>Lapsed into law on July 27, 2021 without the signature</p>")
    draft = read(data)
    assert draft.dates == {"adopted": "2021-07-27"}
    assert any("lapsed" in n for n in draft.notes)


def test_repeated_numbers_are_left_out_and_said() -> None:
    data = ACT.read_bytes().replace(b'"Sec. 9. <i>Entries', b"Sec. 2. <i>Entries")
    draft = read(data)
    assert [p.ref for p in draft.provisions].count("Sec. 2") == 1
    assert any("already read" in n for n in draft.notes)


def test_other_kinds_of_statute() -> None:
    data = ACT.read_bytes().replace(b"REPUBLIC ACT NO. 99001", b"EXECUTIVE ORDER NO. 9001")
    draft = read(data)
    assert (draft.number, draft.instrument_type) == ("Executive Order No. 9001", "order")
    data = ACT.read_bytes().replace(b"REPUBLIC ACT NO. 99001", b"BATAS PAMBANSA BLG. 901")
    draft = read(data)
    assert (draft.number, draft.instrument_type) == ("Batas Pambansa Blg. 901", None)  # the type is the caller's


def test_detection() -> None:
    assert registry.choose(load(ACT.read_bytes())).NAME == "lawphil"  # the footer's "Lawphil Project"
    other = b"<html><body><p>" + b"Some page about something else. " * 30 + b"</p></body></html>"
    assert not lawphil.detect(load(other))
    assert lawphil.detect(load(other, url="https://lawphil.net/statutes/repacts/ra2000/ra_8792_2000.html"))


def test_a_list_of_statutes_is_refused() -> None:
    rows = "".join(f"<tr><td>Republic Act No. {n} March {n - 99000}, 2020</td></tr>" for n in range(99001, 99030))
    data = f"<html><body><table>{rows}</table><a class='id'>The Lawphil Project</a></body></html>".encode()
    with pytest.raises(Refusal, match="no numbered sections"):
        read(data)
    two = ACT.read_bytes().replace(b'<p align="center"><i>Be it', b"<p>REPUBLIC ACT NO. 99009</p><p><i>Be it")
    with pytest.raises(Refusal, match="2 statutes"):
        read(two)


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"<html><body></body></html>",
        b"<html><body><p>Section 1.",
        b"<p><b>Section 1. <i>Short</i></p></b></i><td><tr>Section 2.<<<>>> <i>x" * 40,
        b"\x00\xff\xfe<html>" + bytes(range(256)) * 20,
    ],
)
def test_malformed_or_empty_pages_draft_or_refuse(data: bytes) -> None:
    try:
        draft = read(data)
    except Refusal:
        return
    assert_plain(draft)


def test_deep_nesting_and_script_in_headings() -> None:
    text = ACT.read_text(encoding="utf-8")
    text = text.replace(
        "<i>Declaration of Policy.</i>",
        '<i>Declaration <script>alert(1)</script>of <img src=x onerror="alert(2)">Policy &lt;b onclick=alert(3)&gt;.</i>',
    )
    text = text.replace('This Act shall be known as the "', "This Act shall be known as the \"<span onmouseover='alert(4)'>")
    deep = "<div><b><i>" * 200 + "</i></b></div>" * 200
    text = text.replace("<blockquote>", "<blockquote>" + "<div>" * 200, 1).replace("</blockquote>", deep + "</blockquote>")
    draft = read(text.encode())
    assert draft.provisions[1].heading == "Declaration of Policy"
    assert draft.title == "Parañaque Example Registry Act of 2020"
    assert len(draft.provisions) == 7
    assert_plain(draft)


def test_cli_refuses_a_page_that_is_not_the_law_expected(tmp_path: Path) -> None:
    out = tmp_path / "out.yml"
    code, stdout, stderr = cli(
        str(ACT), "--country", "PH", "--expect", "Republic Act No. 10173", "--laws", str(LAWS), "--out", str(out)
    )
    assert code == 1
    assert stderr.strip() == (
        f"{ACT}: expected Republic Act No. 10173, but the page holds Republic Act No. 99001 (Parañaque Example Registry Act of 2020)"
    )
    assert stdout == "" and not out.exists()


def test_cli_prints_a_valid_record_of_our_page() -> None:
    code, stdout, stderr = cli(
        str(ACT), "--country", "PH", "--expect", "Republic Act No. 99001", "--status", "in-force", "--area", "platforms",
        "--id", "ph-example-registry-act-2020", "--laws", str(LAWS),
    )  # fmt: skip
    assert code == 0, stderr
    rec = yaml.safe_load(stdout)
    assert (rec["number"], rec["dates"], rec["instrument_type"]) == ("Republic Act No. 99001", {"adopted": "2020-03-03"}, "act")
    assert [p["ref"] for p in rec["provisions"]] == ["Sec. 1", "Sec. 2", "Sec. 3", "Sec. 4", "Sec. 5", "Sec. 5-A", "Sec. 6"]


# --------------------------------------------------------------------------
# the real saved pages

REAL_PAGES = {
    "ra-8792-e-commerce.html": (
        "Republic Act No. 8792",
        "2000-06-14",
        "Electronic Commerce Act of 2000",
        {"Sec. 1": "Short Title", "Sec. 15": "Cross-Examination", "Sec. 30": "Extent of Liability of a Service Provider",
         "Sec. 42": "Effectivity"},
    ),
    "ra-10173-data-privacy-act.html": (
        "Republic Act No. 10173",
        "2012-08-15",
        "Data Privacy Act of 2012",
        {"Sec. 1": "Short Title", "Sec. 14": "Subcontract of Personal Information",
         "Sec. 39": "Implementing Rules and Regulations (IRR)", "Sec. 45": "Effectivity Clause"},
    ),
    "ra-8484-access-devices-regulation.html": (
        "Republic Act No. 8484",
        "1998-02-11",
        "Access Devices Regulation Act of 1998",
        {"Sec. 4": "Credit Card Application and Solicitation", "Sec. 15": "Loss of access devices",
         "Sec. 20": "Effectivity clause"},
    ),
    "ra-9995-anti-voyeurism.html": (
        "Republic Act No. 9995",
        "2010-02-15",
        "Anti-Photo and Video Voyeurism Act of 2009",
        {"Sec. 4": "Prohibited Acts", "Sec. 8": "Separability Clause", "Sec. 10": "Effectivity Clause"},
    ),
}  # fmt: skip
COUNTS = {"ra-8792-e-commerce.html": 42, "ra-10173-data-privacy-act.html": 45, "ra-8484-access-devices-regulation.html": 20,
          "ra-9995-anti-voyeurism.html": 10}  # fmt: skip


def real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} is not available")
    return path


@pytest.mark.parametrize("name", sorted(REAL_PAGES))
def test_real_page(name: str) -> None:
    data = real(name).read_bytes()
    number, adopted, title, headings = REAL_PAGES[name]
    draft = registry.read(load(data))  # detected, not named
    assert draft.source == "lawphil"
    assert (draft.number, draft.instrument_type, draft.dates, draft.title) == (number, "act", {"adopted": adopted}, title)
    assert draft.status is None and draft.url is None
    # every section: counted from the raw bytes, paragraphs that open with "Section N." (bold or not)
    raw = sorted(set(re.findall(rb"<p[^>]*>\s*(?:<b>\s*)?Section (\d+)\.", data)), key=int)
    assert len(raw) == COUNTS[name]
    assert [p.ref for p in draft.provisions] == [f"Sec. {n.decode()}" for n in raw]
    found = {p.ref: p.heading for p in draft.provisions}
    for ref, heading in headings.items():
        assert found[ref] == heading
    assert all(p.heading for p in draft.provisions)
    # LawPhil has no anchors for sections, so no deep link is made up
    assert not re.search(rb"<(?:p|a)\b[^>]*\b(?:id|name)=", data)
    assert all(p.url is None for p in draft.provisions)
    assert_plain(draft)


def test_real_page_lost_characters_are_not_kept_in_headings() -> None:
    data = real("ra-10173-data-privacy-act.html").read_bytes()
    assert data.decode("utf-8").count("\ufffd") > 50  # the saved copy's losses, in UTF-8 bytes under a windows-1252 tag
    draft = read(data)
    assert all("\ufffd" not in (p.heading or "") for p in draft.provisions)
    assert any("U+FFFD" in n for n in draft.notes)


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("ra-8792-e-commerce.html", []),
        ("ra-10173-data-privacy-act.html", []),
        ("ra-8484-access-devices-regulation.html", ["--area", "consumer-protection"]),
        ("ra-9995-anti-voyeurism.html", ["--area", "platforms"]),
    ],
)
def test_real_page_through_the_cli(name: str, args: list[str], laws_copy: Path) -> None:
    path = real(name)
    number, adopted, _, _ = REAL_PAGES[name]
    for recorded in (laws_copy / "ph").glob("*.yml"):  # so the page is a new law, not a recorded one
        if f'number: "{number}"' in recorded.read_text(encoding="utf-8"):
            recorded.unlink()
    code, stdout, stderr = cli(
        str(path), "--country", "PH", "--expect", number, "--status", "in-force", "--id", "ph-imported-test-act",
        "--laws", str(laws_copy), *args,
    )  # fmt: skip
    assert code == 0, stderr
    rec = yaml.safe_load(stdout)
    assert (rec["number"], rec["dates"], rec["instrument_type"]) == (number, {"adopted": adopted}, "act")
    assert len(rec["provisions"]) == COUNTS[name]
    assert rec["provenance"]["sources"][0]["supports"] == ["title", "instrument_type", "number", "dates.adopted"]


def test_real_page_refused_as_another_law() -> None:
    path = real("ra-8792-e-commerce.html")
    code, stdout, stderr = cli(str(path), "--country", "PH", "--expect", "Republic Act No. 10173", "--laws", str(LAWS))
    assert code == 1 and stdout == ""
    assert stderr.strip().splitlines() == [
        f"{path}: expected Republic Act No. 10173, but the page holds Republic Act No. 8792 (Electronic Commerce Act of 2000)"
    ]
