"""The Singapore Statutes Online parser: our own small pages with SSO's structure, the real saved
print view of the Goods and Services Tax Act 1993 when it is present, refusals through the CLI,
and hostile input."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.importers.model import Draft, Refusal
from ingest.importers.page import load
from ingest.importers.parsers import sso
from tests.helpers import FIXTURES, LAWS

DATA = Path(__file__).parent / "data" / "import" / "sso"
EXAMPLE = DATA / "example-act-print.html"
LAZY = DATA / "example-act-lazy.html"
GST = FIXTURES / "sso" / "gst-act-1993.html"
MARKUP = re.compile(r"<[a-zA-Z/!]|onerror|javascript:|alert\(")


def read(path: Path, url: str | None = None) -> Draft:
    page = load(path.read_bytes(), url=url)
    assert sso.detect(page)
    return sso.parse(page)


def plain(draft: Draft) -> None:
    """No field of the draft holds markup or script text."""
    texts = [draft.title, draft.local_title, draft.number, draft.agency, draft.url, *draft.amendments, *draft.notes]
    texts += [x for p in draft.provisions for x in (p.ref, p.heading, p.url)]
    for text in texts:
        assert text is None or not MARKUP.search(text), text


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["import", *args])
    return result.exit_code, result.stdout, result.stderr


# --------------------------------------------------------------------------
# our own pages


def test_print_view_facts() -> None:
    d = read(EXAMPLE)
    assert d.source == "sso" and d.language == "en"
    assert d.title == "Example Act 2020" and d.local_title is None
    assert d.number == "Act 99 of 2020"
    assert d.instrument_type == "act"
    assert d.url == "https://sso.agc.gov.sg/Act/EA2020"  # from the print view's PDF link
    assert d.dates == {"adopted": "2020-10-05", "in_force": "2020-11-02"}  # third reading; first commencement
    assert d.status == "in-force"
    assert d.current_as_at == "2025-03-03"
    assert d.agency is None
    assert d.amendments == ["[5/2021]", "[Act 5 of 2021 wef 01/06/2021]", "[S 12/2021]"]
    assert any("2021 revised edition" in n for n in d.notes)
    assert any("2 Parts" in n for n in d.notes)
    plain(d)


def test_print_view_provisions() -> None:
    d = read(EXAMPLE)
    base = "https://sso.agc.gov.sg/Act/EA2020?ProvIds="
    assert [(p.ref, p.heading, p.url) for p in d.provisions] == [
        ("s 1", "Short title", base + "pr1-"),
        ("s 2", "Interpretation", base + "pr2-"),
        ("s 2A", "Meaning of “example”", base + "pr2A-"),
        ("s 3", "Duty to give examples", base + "pr3-"),
        ("s 4", "Repealed by Act 5 of 2021", base + "pr4-"),
        ("First Schedule", "Sample forms", base + "Sc1-"),
        ("Second Schedule", None, base + "Sc2-"),  # no heading in the text: none is made up
    ]


def test_lazy_view_says_what_it_lacks() -> None:
    d = read(LAZY)
    assert d.title == "Sample Records Act 2018"
    assert d.dates == {"in_force": "2019-01-01"}
    assert d.number is None  # no legislative history on the page
    assert d.status is None and d.current_as_at is None  # "Version as at" is not the current version
    assert d.url is None and [(p.ref, p.url) for p in d.provisions] == [("s 1", None)]
    notes = " ".join(d.notes)
    assert "lists 4 entries but the page holds the text of 1 sections" in notes
    assert "Version as at 1 January 2022" in notes
    assert "no deep links" in notes


def test_detect() -> None:
    assert sso.detect(load(EXAMPLE.read_bytes()))
    other = b"<html><head><title>Some other site</title></head><body><p>Text</p></body></html>"
    assert not sso.detect(load(other))
    assert sso.detect(load(other, url="https://sso.agc.gov.sg/Act/EA2020"))


def test_address_only_from_the_page(tmp_path: Path) -> None:
    """The address a saved file was said to come from does not make deep links; the page's own does."""
    html = re.sub(r'href="https://sso[^"]*"', 'href="x.pdf"', EXAMPLE.read_text(encoding="utf-8"))
    page = load(html.encode(), url="https://sso.agc.gov.sg/Act/OTHER")
    d = sso.parse(page)
    assert d.url is None and all(p.url is None for p in d.provisions)
    canonical = html.replace("</head>", '<link rel="canonical" href="https://sso.agc.gov.sg/Act/EA2020"></head>')
    assert sso.parse(load(canonical.encode())).provisions[0].url == "https://sso.agc.gov.sg/Act/EA2020?ProvIds=pr1-"
    both = canonical.replace('href="x.pdf"', 'href="https://sso.agc.gov.sg/Act/OTHER2020?ViewType=Pdf"')
    d = sso.parse(load(both.encode()))
    assert d.url is None and any("more than one SSO document" in n for n in d.notes)


def test_no_status_when_the_front_says_repealed() -> None:
    html = EXAMPLE.read_text(encoding="utf-8").replace("2021 REVISED EDITION", "REPEALED")
    d = sso.parse(load(html.encode()))
    assert d.status is None and d.current_as_at == "2025-03-03"


def test_an_sso_page_without_a_law_is_refused(tmp_path: Path) -> None:
    words = " ".join(["Search results for legislation on Singapore Statutes Online."] * 12)
    path = tmp_path / "search.html"
    path.write_text(f"<html><head><title>Search - Singapore Statutes Online</title></head><body><p>{words}</p></body></html>")
    with pytest.raises(Refusal, match="save its print view"):
        sso.parse(load(path.read_bytes()))
    code, out, err = run(str(path), "--country", "SG", "--laws", str(LAWS))
    assert code == 1 and out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err


# --------------------------------------------------------------------------
# through the CLI


def test_cli_prints_a_valid_record(laws_copy: Path) -> None:
    code, out, err = run(
        str(EXAMPLE), "--country", "SG", "--id", "sg-example-act-2020", "--area", "e-transactions", "--laws", str(laws_copy)
    )
    assert code == 0, err
    rec = yaml.safe_load(out)
    assert rec["number"] == "Act 99 of 2020" and rec["status"] == "in-force"
    assert rec["dates"] == {"adopted": "2020-10-05", "in_force": "2020-11-02"}
    assert len(rec["provisions"]) == 7
    assert rec["provisions"][-1] == {
        "ref": "Second Schedule",
        "heading": "(no heading in the text)",
        "url": "https://sso.agc.gov.sg/Act/EA2020?ProvIds=Sc2-",
    }


def test_cli_refuses_another_number(tmp_path: Path) -> None:
    out_file = tmp_path / "out.yml"
    code, out, err = run(
        str(EXAMPLE), "--country", "SG", "--expect", "Act 31 of 1993", "--out", str(out_file), "--laws", str(LAWS)
    )
    assert code == 1 and out == "" and not out_file.exists()
    assert err.strip() == f"{EXAMPLE}: expected Act 31 of 1993, but the page holds Act 99 of 2020 (Example Act 2020)"


# --------------------------------------------------------------------------
# hostile input

HOSTILE = {
    "malformed": b"<html><body><div class='legis'><table><tr><td class='actHd' id='aT-'>Broken Act 2001<td class='prov1Hdr'"
    b" id='pr1-'><b>Short <i>title</td></tr><div class='prov1Rep' id='pr2-'><strong>2.</strong> [<em>Repealed</div>",
    "empty": b"<html><head><title>Empty - Singapore Statutes Online</title></head><body></body></html>",
    "deep": b"<html><body><td class='actHd'>Deep Act 2002</td>"
    + b"<div>" * 200
    + b"<table><tr><td class='prov1Hdr' id='pr1-'>Deep heading</td></tr></table>"
    + b"</div>" * 200
    + b"</body></html>",
    "script": b"<html><body><div class='legis'><td class='actHd'>Evil Act 2003<script>alert(1)</script></td>"
    b"<td class='prov1Hdr' id='pr1-'><img src=x onerror=alert(1)>Heading<script>alert(2)</script></td>"
    b"<td class='prov1Hdr' id='pr2-\"><script>'>Bad id</td>"
    b"<td class='sHdr' id='Sc1-'>FIRST SCHEDULE<style>td{}</style></td><td class='scHdr' id='Sc1-he-'>"
    b"<a href='javascript:alert(3)'>Forms</a></td><div class='amendNote'><iframe src=x></iframe>[1/2003]</div>"
    b"<a href='javascript:alert(4)#'>x</a><a href='https://sso.agc.gov.sg/Act/E\"><script>?ViewType=Pdf'>p</a>"
    b"</div></body></html>",
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_input(name: str) -> None:
    page = load(HOSTILE[name] + b" " * 10)
    try:
        d = sso.parse(page)
    except Refusal as exc:
        assert str(exc) and not MARKUP.search(str(exc))
        return
    plain(d)
    assert all(re.fullmatch(r"s \d+[A-Za-z]*|[A-Z][a-z]+(-[A-Z][a-z]+)* Schedule", p.ref) for p in d.provisions)


def test_hostile_script_page_fields() -> None:
    d = sso.parse(load(HOSTILE["script"]))
    assert d.title == "Evil Act 2003"
    assert [(p.ref, p.heading) for p in d.provisions] == [("s 1", "Heading"), ("First Schedule", "Forms")]
    assert d.amendments == ["[1/2003]"] and d.url is None


def test_long_heading_is_shortened_and_said() -> None:
    html = EXAMPLE.read_text(encoding="utf-8").replace("Duty to give examples", "Duty " * 60)
    d = sso.parse(load(html.encode()))
    heading = d.provisions[3].heading or ""
    assert len(heading) <= 200 and heading.endswith("Duty…")
    assert any("shortened" in n for n in d.notes)


def test_deep_nesting_is_read() -> None:
    d = sso.parse(load(HOSTILE["deep"]))
    assert d.title == "Deep Act 2002" and [p.heading for p in d.provisions] == ["Deep heading"]


# --------------------------------------------------------------------------
# the real saved print view of the Goods and Services Tax Act 1993


@pytest.fixture(scope="module")
def gst() -> tuple[Draft, str]:
    if not GST.exists():
        pytest.skip(f"{GST} is not present")
    return read(GST), GST.read_text(encoding="utf-8")


def test_gst_facts(gst: tuple[Draft, str]) -> None:
    d, _ = gst
    assert d.title == "Goods and Services Tax Act 1993"
    assert d.number == "Act 31 of 1993"  # legislative history, entry 1
    assert d.instrument_type == "act"
    assert d.url == "https://sso.agc.gov.sg/Act/GSTA1993"
    # cDate "[26 November 1993: Except paragraph (3) of the Fifth Schedule; 1 April 1994: ...]";
    # legislative history "Date of Third Reading : 12 October 1993"
    assert d.dates == {"adopted": "1993-10-12", "in_force": "1993-11-26"}
    assert d.status == "in-force" and d.current_as_at == "2024-05-12"
    assert any("2020 revised edition" in n for n in d.notes)
    plain(d)


def test_gst_every_provision(gst: tuple[Draft, str]) -> None:
    d, raw = gst
    sections = set(re.findall(r'id="(pr\d+[A-Z]*-)"', raw))  # section ids, not subsections (pr2-ps1-)
    schedules = set(re.findall(r'<td class="sHdr" id="(Sc\d+-)"', raw))
    toc = raw.count('class="TocParagraph"')  # the table of contents lists every section, repealed ones too
    assert len(sections) == toc == 142 and len(schedules) == 10
    assert len(d.provisions) == len(sections) + len(schedules) == 152
    assert {p.url.rsplit("=", 1)[1] for p in d.provisions if p.url} == sections | schedules
    assert len({p.ref for p in d.provisions}) == 152
    by_ref = {p.ref: p for p in d.provisions}
    assert by_ref["s 1"].heading == "Short title"
    assert by_ref["s 3"].heading == "Meaning of “business”, etc."
    assert by_ref["s 83C"].heading == "Repealed by Act 42 of 2020"
    assert by_ref["s 94"].url == "https://sso.agc.gov.sg/Act/GSTA1993?ProvIds=pr94-"
    assert by_ref["Second Schedule"].heading == "Matters to be treated as supply of goods or services"
    assert by_ref["Tenth Schedule"].url == "https://sso.agc.gov.sg/Act/GSTA1993?ProvIds=Sc10-"
    assert by_ref["Fourth Schedule"].heading is None  # the page gives it no heading line
    assert [p.ref for p in d.provisions][:5] == ["s 1", "s 2", "s 2A", "s 3", "s 3A"]


def test_gst_amendment_notes(gst: tuple[Draft, str]) -> None:
    d, raw = gst
    assert len(d.amendments) == raw.count('<div class="amendNote">') == 694
    assert "[Act 35 of 2022 wef 01/01/2023]" in d.amendments


def test_gst_through_the_cli(laws_copy: Path) -> None:
    if not GST.exists():
        pytest.skip(f"{GST} is not present")
    code, out, err = run(
        str(GST), "--country", "SG", "--id", "sg-gst-act-1993-import", "--area", "e-transactions", "--laws", str(laws_copy)
    )
    assert code == 0, err
    rec = yaml.safe_load(out)
    assert rec["number"] == "Act 31 of 1993" and rec["instrument_type"] == "act" and rec["status"] == "in-force"
    assert rec["dates"] == {"adopted": "1993-10-12", "in_force": "1993-11-26"}
    assert len(rec["provisions"]) == len(rec["provenance"]["sources"][0]["provisions"]) == 152


def test_gst_refused_as_another_law() -> None:
    if not GST.exists():
        pytest.skip(f"{GST} is not present")
    code, out, err = run(str(GST), "--country", "VN", "--expect", "20/2023/QH15", "--laws", str(LAWS))
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        f"{GST}: expected 20/2023/QH15, but the page holds Act 31 of 1993 (Goods and Services Tax Act 1993)"
    ]
