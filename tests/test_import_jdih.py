"""The JDIH BPK importer: detail pages of peraturan.bpk.go.id read into drafts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.importers import registry
from ingest.importers.model import Refusal
from ingest.importers.page import load
from ingest.importers.parsers import jdih
from tests.helpers import FIXTURES, LAWS, draft_texts, read_draft

DATA = Path(__file__).parent / "data" / "import" / "jdih"
LAW = DATA / "uu-99-2031-details.html"
REGULATION = DATA / "permen-7-2030-details.html"
SEARCH = DATA / "search-results.html"
REAL = FIXTURES / "jdih" / "uu-27-2022-details.html"  # a saved peraturan.bpk.go.id detail page of UU 27/2022
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!]")


def pasal_anchors(html: str) -> int:
    """Provisions a page marks for itself: elements whose id or name is a Pasal, or headings that start with one."""
    anchors = re.findall(r"""\b(?:id|name)\s*=\s*["']?pasal""", html, re.I)
    headings = re.findall(r"<h[1-6][^>]*>\s*Pasal\s+\d+", html, re.I)
    return len(anchors) + len(headings)


def invoke(*args: str):
    return CliRunner().invoke(main, ["import", *args])


# --------------------------------------------------------------------------
# our own fixtures


def test_a_law_detail_page() -> None:
    d = read_draft(LAW)
    assert d.source == "jdih"
    assert d.url == "https://peraturan.bpk.go.id/Details/900000/uu-no-99-tahun-2031"
    assert d.language == "id"
    assert d.title is None
    assert d.local_title == "Undang-undang (UU) Nomor 99 Tahun 2031 tentang Contoh Perdagangan Elektronik"
    assert d.number == "Law No. 99 of 2031"
    assert d.instrument_type == "law"
    assert d.dates == {"adopted": "2031-03-02", "promulgated": "2031-03-03", "in_force": "2032-01-01"}
    assert d.status == "in-force"
    assert d.agency is None  # "Indonesia, Pemerintah Pusat" names no body
    assert d.amendments == []  # "Belum Tersedia"
    assert d.provisions == [] and pasal_anchors(LAW.read_text(encoding="utf-8")) == 0
    notes = " ".join(d.notes)
    assert "Nomor 99, Tahun 2031 (UU 99/2031)" in notes
    assert "1/PUU-XC/2032" in notes
    assert "https://peraturan.bpk.go.id/Read/900001/Contoh.pdf" in notes


def test_a_ministerial_regulation_revoked_with_its_relations() -> None:
    d = read_draft(REGULATION)
    assert d.number == "Permencontoh No. 7 of 2030"
    assert d.instrument_type == "ministerial-regulation"
    assert d.status == "repealed"
    assert d.agency == "Kementerian Contoh"
    # "31 Februari 2030" is no date: left out, and said so
    assert d.dates == {"adopted": "2030-07-09"}
    assert any("31 Februari 2030" in n for n in d.notes)
    assert d.amendments == [
        "Dicabut dengan: Permencontoh No. 8 Tahun 2031 tentang Toko Daring Contoh Baru",
        "Mengubah: Permencontoh No. 2 Tahun 2029 tentang Toko Contoh",
    ]
    assert "dates.repealed" not in d.supports()  # the page gives no date of revocation


def test_detection() -> None:
    assert registry.choose(load(LAW.read_bytes())).NAME == "jdih"
    page = load(b"<html><body><p>x</p></body></html>", url="https://peraturan.bpk.go.id/Details/1/x")
    assert jdih.detect(page)
    assert not jdih.detect(load(b"<html><body><p>x</p></body></html>", url="https://example.gov/bpk.go.id"))
    assert not jdih.detect(load((Path(__file__).parent / "data" / "import" / "generic" / "jsonld-act.html").read_bytes()))


@pytest.mark.parametrize(
    ("value", "day"),
    [
        ("17 Oktober 2022", "2022-10-17"),
        ("1 Nopember 2000", "2000-11-01"),
        ("5 mei 1999", "1999-05-05"),
        ("2019-10-04", "2019-10-04"),
        ("31 Februari 2030", None),
        ("17 Octember 2022", None),
        ("Oktober 2022", None),
    ],
)
def test_indonesian_dates(value: str, day: str | None) -> None:
    assert jdih.indonesian_date(value) == day


@pytest.mark.parametrize(
    ("bentuk", "short", "nomor", "kind", "number"),
    [
        ("Undang-undang (UU)", "UU", "27", "law", "Law No. 27 of 2022"),
        ("Peraturan Pemerintah (PP)", "PP", "71", "government-regulation", "GR No. 71 of 2022"),
        ("Peraturan Menteri Perdagangan", "Permendag", "50", "ministerial-regulation", "Permendag No. 50 of 2022"),
        ("Peraturan Presiden (Perpres)", "Perpres", "95", "regulations", "Perpres No. 95 of 2022"),
        ("Peraturan Pemerintah Pengganti Undang-undang (Perpu)", "Perpu", "2", None, "Perpu No. 2 of 2022"),
        ("Peraturan Otoritas Jasa Keuangan", "POJK", "11/POJK.03/2022", None, "POJK No. 11/POJK.03/2022"),
    ],
)
def test_forms_and_numbers(bentuk: str, short: str, nomor: str, kind: str | None, number: str) -> None:
    assert jdih.instrument(jdih.form_of(bentuk)) == kind
    assert jdih.number(nomor, "2022", short, kind) == number


def test_rows_and_json_ld_that_disagree_are_refused() -> None:
    html = LAW.read_text(encoding="utf-8").replace('"legislationIdentifier":"UU 99/2031"', '"legislationIdentifier":"UU 98/2031"')
    with pytest.raises(Refusal, match="contradicts itself"):
        registry.read(load(html.encode()))


def test_a_search_page_is_refused() -> None:
    with pytest.raises(Refusal, match="detail page"):
        read_draft(SEARCH)


# --------------------------------------------------------------------------
# through the command


def test_cli_prints_a_valid_record(tmp_path: Path) -> None:
    r = invoke(str(LAW), "--country", "ID", "--id", "id-example-electronic-trade-law-2031", "--area", "e-transactions")
    assert r.exit_code == 0, r.output
    rec = yaml.safe_load(r.stdout)
    assert rec["id"] == "id-example-electronic-trade-law-2031"
    assert rec["number"] == "Law No. 99 of 2031"
    assert rec["instrument_type"] == "law"
    assert rec["status"] == "in-force"
    assert rec["dates"] == {"adopted": "2031-03-02", "promulgated": "2031-03-03", "in_force": "2032-01-01"}
    assert "provisions" not in rec
    assert rec["links"][0]["url"] == "https://peraturan.bpk.go.id/Details/900000/uu-no-99-tahun-2031"


@pytest.mark.parametrize(
    ("path", "args"),
    [
        (LAW, ["--country", "VN", "--expect", "20/2023/QH15"]),
        (LAW, ["--country", "ID", "--expect", "UU 98/2031"]),
        (SEARCH, ["--country", "ID", "--expect", "UU 99/2031", "--source", "jdih"]),
    ],
)
def test_cli_refuses_a_page_that_is_not_the_law_expected(path: Path, args: list[str], tmp_path: Path) -> None:
    out = tmp_path / "draft.yml"
    r = invoke(str(path), *args, "--laws", str(LAWS), "--out", str(out))
    assert r.exit_code == 1
    assert r.exception is None or isinstance(r.exception, SystemExit)
    assert "Traceback" not in r.output
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(str(path))
    assert not out.exists()


# --------------------------------------------------------------------------
# hostile input


HOSTILE = [
    b"<html><body><div class='col-lg-3 fw-bold'>Judul<div class='col-lg-9'>Undang-undang <b>Nomor 1",
    b"<html><body></body></html>",
    b"<html><body>"
    + b"<div>" * 200
    + b"<div class='col-lg-3 fw-bold'>Judul</div><div class='col-lg-9'>Deep</div>"
    + b"</div>" * 200,
    LAW.read_bytes()
    .replace(b"Contoh Perdagangan Elektronik\n", b"<img src=x onerror=alert(1)>Contoh<script>alert(2)</script>\n")
    .replace(b">99</div>", b"><b onmouseover=alert(3)>99</b></div>")
    .replace(b"2 Maret 2031", b"&lt;script&gt;alert(4)&lt;/script&gt;")
    .replace(b"Undang-undang (UU)</div>", b"<svg onload=alert(5)>Undang-undang (UU)</svg></div>"),
    LAW.read_bytes().replace(b'"name":"Undang-undang', b'"name":"<script>alert(6)</script>Undang-undang')
    + b"<p>"
    + b"[" * 5000
    + b"</p>",
    LAW.read_bytes().replace(b'{"@context"', b"[" * 3000 + b'{"@context"').replace(b'"InForce"}', b'"InForce"}' + b"]" * 3000),
]


@pytest.mark.parametrize(
    "data", HOSTILE, ids=["malformed", "empty-body", "deep", "script-in-rows", "script-in-json-ld", "deep-json"]
)
def test_hostile_pages_give_plain_drafts_or_refusals(data: bytes) -> None:
    filler = b"<p>" + b"Teks pengisi halaman untuk pengujian. " * 20 + b"</p>"
    for page_bytes in (data, data.replace(b"<body>", b"<body>" + filler, 1)):
        try:
            draft = jdih.parse(load(page_bytes, url="https://peraturan.bpk.go.id/Details/1/x"))
        except Refusal:
            continue
        for value in draft_texts(draft):
            assert not MARKUP.search(value), value
            assert "alert(2)" not in value and "alert(6)" not in value  # script text never reaches a field


def test_script_attributes_never_reach_the_fields() -> None:
    draft = jdih.parse(load(HOSTILE[3]))
    assert draft.number == "Law No. 99 of 2031"
    assert draft.instrument_type == "law"
    assert "adopted" not in draft.dates
    assert not any(MARKUP.search(v) for v in draft_texts(draft))


# --------------------------------------------------------------------------
# the real saved page (skipped when ../shared/fixtures/jdih is absent)


@pytest.fixture
def real() -> Path:
    if not REAL.exists():
        pytest.skip(f"{REAL} is not present")
    return REAL


def test_real_detail_page(real: Path) -> None:
    d = read_draft(real)
    assert d.source == "jdih"
    assert d.url == "https://peraturan.bpk.go.id/Details/229798/uu-no-27-tahun-2022"
    assert d.number == "Law No. 27 of 2022"
    assert d.instrument_type == "law"
    assert d.local_title == "Undang-undang (UU) Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi"
    assert d.dates == {"adopted": "2022-10-17", "promulgated": "2022-10-17", "in_force": "2022-10-17"}
    assert d.status == "in-force"
    assert d.amendments == []
    # the detail page carries no articles: they are in the linked PDF
    assert len(d.provisions) == pasal_anchors(real.read_text(encoding="utf-8")) == 0
    assert any("https://peraturan.bpk.go.id/Read/224884/UU%20Nomor%2027%20Tahun%202022.pdf" in n for n in d.notes)
    assert any("151/PUU-XXII/2024" in n for n in d.notes)


def test_real_page_matches_the_recorded_law(real: Path) -> None:
    r = invoke(str(real), "--country", "ID", "--laws", str(LAWS))
    assert r.exit_code == 0, r.output
    assert "personal-data-protection-law-2022.yml" in r.stdout
    for field in ("number", "dates.", "status", "instrument_type"):
        assert f": {field}" not in r.stdout


def test_real_page_as_a_new_record(real: Path, laws_copy: Path) -> None:
    (laws_copy / "id" / "personal-data-protection-law-2022.yml").unlink()
    r = invoke(str(real), "--country", "ID", "--id", "id-pdp-law-import-test-2022", "--laws", str(laws_copy))
    assert r.exit_code == 0, r.output
    rec = yaml.safe_load(r.stdout)
    assert rec["number"] == "Law No. 27 of 2022"
    assert rec["dates"] == {"adopted": "2022-10-17", "promulgated": "2022-10-17", "in_force": "2022-10-17"}
    assert rec["areas"] == ["data-protection"]
    assert "provisions" not in rec


def test_real_page_refused_for_another_number(real: Path) -> None:
    r = invoke(str(real), "--country", "ID", "--expect", "UU 11/2008", "--laws", str(LAWS))
    assert r.exit_code == 1
    assert "Law No. 27 of 2022" in r.stderr and len(r.stderr.strip().splitlines()) == 1
