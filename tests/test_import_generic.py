"""The generic reader: schema.org Legislation, ELI, Dublin Core and Open Graph metadata."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.importers import registry
from ingest.importers.model import Refusal
from ingest.importers.page import load
from ingest.importers.parsers import generic
from tests.helpers import FIXTURES, LAWS, draft_texts, read_draft

DATA = Path(__file__).parent / "data" / "import" / "generic"
JSON_LD = DATA / "jsonld-act.html"
ELI = DATA / "eli-decree.html"
DC = DATA / "dc-regulation.html"
OG_ONLY = DATA / "og-only.html"
REAL_JDIH = FIXTURES / "jdih" / "uu-27-2022-details.html"
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!]")


def json_ld_parts(html: str) -> list[str]:
    """The parts a page's JSON-LD names, counted without the reader: every identifier or name of a Section."""
    block = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert block
    return re.findall(r'"(?:legislationIdentifier|name)":\s*"(Section [0-9A-Z]+)"', block.group(1))


def invoke(*args: str):
    return CliRunner().invoke(main, ["import", *args])


# --------------------------------------------------------------------------
# our own fixtures


def test_schema_org_legislation() -> None:
    d = read_draft(JSON_LD)
    assert d.source == "generic"
    assert d.url == "https://legislation.example.gov/act/2020/12"  # the canonical link, not og:url
    assert d.language == "en"
    assert d.title == "Example Electronic Commerce Act 2020" and d.local_title is None
    assert d.number == "Act 12 of 2020"
    assert d.instrument_type == "act"
    assert d.dates == {"adopted": "2020-03-04", "promulgated": "2020-03-11"}
    assert d.status == "in-force"
    assert d.agency == "Example Parliament"
    assert d.current_as_at == "2024-01-01"
    parts = json_ld_parts(JSON_LD.read_text(encoding="utf-8"))
    assert len(d.provisions) == len(parts) == 4
    assert [p.ref for p in d.provisions] == ["s 1", "s 2", "s 6A", "s 6B"]
    assert (d.provisions[0].heading, d.provisions[0].url) == ("Short title", "https://legislation.example.gov/act/2020/12#s1")
    assert (d.provisions[1].heading, d.provisions[1].url) == ("Interpretation", "https://legislation.example.gov/act/2020/12#s2")
    assert d.provisions[3].heading == "Electronic contracts" and d.provisions[3].url is None


def test_eli_meta_tags() -> None:
    d = read_draft(ELI)
    assert d.url == "https://leis.example.gov/eli/dl/2021/77/jo"
    assert d.language == "pt"
    assert d.title is None
    assert d.local_title == "Decreto-Lei n.º 77/2021, de 28 de janeiro, sobre o comércio de exemplo"
    assert d.number == "77/2021"
    assert d.instrument_type == "decree-law"
    assert d.dates == {"adopted": "2021-01-28", "promulgated": "2021-01-30", "in_force": "2021-02-01", "repealed": "2023-06-30"}
    assert d.status == "repealed"
    assert d.agency is None  # eli:passed_by is an address, not a name
    assert d.provisions == []


def test_dublin_core_meta_tags() -> None:
    d = read_draft(DC)
    assert d.url is None  # the page states no address for itself
    assert d.language == "en-GB"
    assert d.title == "Example Online Marketplace Regulations 2019"  # DC.title, not the og:title with the site's name
    assert d.number == "S.I. 45 of 2019"
    assert d.instrument_type == "regulations"
    assert d.dates == {"promulgated": "2019-08-15", "adopted": "2019-08-01"}
    assert any("DC.date" in n for n in d.notes)  # which line the adopted date came from
    assert d.status is None  # the page does not say
    assert d.agency == "Ministry of Examples"


def test_open_graph_alone_is_not_detected_nor_read() -> None:
    page = load(OG_ONLY.read_bytes())
    assert not generic.detect(page)
    with pytest.raises(Refusal, match="no parser recognises"):
        registry.read(page)
    with pytest.raises(Refusal, match="no schema.org Legislation, ELI or Dublin Core"):
        registry.read(page, "generic")


def test_the_generic_reader_comes_last() -> None:
    assert generic.PRIORITY == 90
    assert list(registry.parsers())[-1] == "generic"
    jdih_page = Path(__file__).parent / "data" / "import" / "jdih" / "uu-99-2031-details.html"
    assert generic.detect(load(jdih_page.read_bytes()))  # it carries a Legislation block ...
    assert registry.choose(load(jdih_page.read_bytes())).NAME == "jdih"  # ... but the site's parser is chosen


@pytest.mark.parametrize(
    ("value", "status"),
    [
        ("InForce", "in-force"),
        ("https://schema.org/NotInForce", "repealed"),
        ("PartiallyInForce", "partly-in-force"),
        ("Unknown", None),
    ],
)
def test_legal_force(value: str, status: str | None) -> None:
    assert generic.legal_force(value) == status
    assert generic.legal_force({"@id": f"http://schema.org/{value}"}) == status


def test_a_date_that_is_not_a_date_is_left_out() -> None:
    html = JSON_LD.read_text(encoding="utf-8").replace('"legislationDate": "2020-03-04"', '"legislationDate": "2020-02-30"')
    d = registry.read(load(html.encode()))
    assert "adopted" not in d.dates
    assert any("2020-02-30" in n for n in d.notes)


# --------------------------------------------------------------------------
# through the command


def test_cli_prints_a_valid_record() -> None:
    r = invoke(str(JSON_LD), "--country", "SG", "--id", "sg-example-electronic-commerce-act-2020", "--laws", str(LAWS))
    assert r.exit_code == 0, r.output
    rec = yaml.safe_load(r.stdout)
    assert rec["number"] == "Act 12 of 2020"
    assert rec["dates"] == {"adopted": "2020-03-04", "promulgated": "2020-03-11"}
    assert rec["status"] == "in-force"
    assert len(rec["provisions"]) == 4
    assert rec["provisions"][0] == {
        "ref": "s 1",
        "heading": "Short title",
        "url": "https://legislation.example.gov/act/2020/12#s1",
    }


def test_cli_prints_a_record_from_eli_meta_tags() -> None:
    r = invoke(str(ELI), "--country", "TL", "--id", "tl-example-decree-law-2021", "--area", "e-transactions", "--laws", str(LAWS))
    assert r.exit_code == 0, r.output
    rec = yaml.safe_load(r.stdout)
    assert rec["number"] == "77/2021"
    assert rec["instrument_type"] == "decree-law"
    assert rec["dates"]["repealed"] == "2023-06-30"
    assert rec["status"] == "repealed"


@pytest.mark.parametrize(
    ("path", "args"),
    [
        (JSON_LD, ["--country", "VN", "--expect", "20/2023/QH15"]),
        (DC, ["--country", "MY", "--expect", "S.I. 46 of 2019"]),
        (OG_ONLY, ["--country", "SG", "--expect", "Act 12 of 2020", "--source", "generic"]),
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

FILLER = b"<p>" + b"Filler text that makes the page long enough to be read. " * 12 + b"</p>"


def ld(obj: object) -> bytes:
    return b'<script type="application/ld+json">' + json.dumps(obj).replace("</", "<\\/").encode() + b"</script>"


HOSTILE = [
    b"<html><head><meta name='DC.title' content='Example <b>Act"
    + b"'></head><body><p>unclosed <div><table><tr><td>cell"
    + FILLER,
    b"<html><head><meta name='DC.title' content='x'></head><body></body></html>",
    b"<html><head><meta property='eli:title' content='Deep'></head><body>" + b"<div>" * 200 + FILLER + b"</div>" * 200,
    b"<html><head>"
    + ld(
        {
            "@type": "Legislation",
            "name": "<img src=x onerror=alert(1)>Example Act<script>alert(2)</script>",
            "legislationIdentifier": "<b onclick=alert(3)>Act 1</b>",
            "legislationPassedBy": {"name": "&lt;script&gt;alert(4)&lt;/script&gt;Parliament"},
            "legislationType": ["Act", {"x": 1}],
            "legislationDate": {"bad": True},
            "inLanguage": 42,
            "hasPart": [
                {"name": "Section 1", "headline": "<svg onload=alert(5)>Heading", "url": "javascript:alert(6)"},
                "x",
                None,
            ],
        }
    )
    + b"</head><body>"
    + FILLER,
    b"<html><head>" + b'<script type="application/ld+json">' + b"[" * 5000 + b"]" * 5000 + b"</script>"
    b"<meta name='DCTERMS.title' content='After deep JSON'></head><body>" + FILLER,
    b"<html><head>" + b'<script type="application/ld+json">{"@type": "Legislation", "name": </script></head><body>' + FILLER,
    b"<html><head>"
    + ld({"@graph": [{"@graph": [{"@graph": [{"@type": "Legislation", "name": "Nested"}]}]}]})
    + ld({"@type": "Legislation", "hasPart": {"hasPart": {"hasPart": {"name": "Section 9"}}}})
    + b"</head><body>"
    + FILLER,
]


@pytest.mark.parametrize(
    "data", HOSTILE, ids=["malformed", "empty-body", "deep", "script-in-json-ld", "deep-json", "broken-json", "graphs"]
)
def test_hostile_pages_give_plain_drafts_or_refusals(data: bytes) -> None:
    try:
        draft = registry.read(load(data), "generic")
    except Refusal:
        return
    for value in draft_texts(draft):
        assert not MARKUP.search(value), value
        assert "alert(2)" not in value and "javascript:" not in value


def test_markup_in_json_ld_is_dropped_from_every_field() -> None:
    d = registry.read(load(HOSTILE[3]), "generic")
    assert d.title == "Example Act"
    assert d.number == "Act 1"
    assert d.provisions[0].ref == "s 1" and d.provisions[0].heading == "Heading" and d.provisions[0].url is None
    assert d.dates == {}


# --------------------------------------------------------------------------
# real saved pages (skipped when ../shared/fixtures is absent)

REAL_PAGES = sorted(FIXTURES.glob("*/*.html")) if FIXTURES.exists() else []


@pytest.mark.parametrize("path", REAL_PAGES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_real_pages_without_law_metadata_are_not_taken(path: Path) -> None:
    """None of the saved official pages of the other sources carries Legislation, ELI or Dublin Core metadata,
    so the generic reader neither claims them nor invents a record from them."""
    page = load(path.read_bytes())
    if generic.legislation(page) is not None:
        pytest.skip("this page carries a Legislation block")
    assert not generic.detect(page)
    with pytest.raises(Refusal):
        registry.read(page, "generic")


def test_real_jdih_page_through_the_generic_reader() -> None:
    if not REAL_JDIH.exists():
        pytest.skip(f"{REAL_JDIH} is not present")
    d = read_draft(REAL_JDIH, "generic")
    assert d.url == "https://peraturan.bpk.go.id/Details/229798/uu-no-27-tahun-2022"
    assert d.language == "id"
    assert d.local_title == "Undang-undang (UU) Nomor 27 Tahun 2022 tentang Pelindungan Data Pribadi"
    assert d.number == "UU 27/2022"  # the JSON-LD legislationIdentifier, as given
    assert d.instrument_type == "law"
    assert d.dates == {"adopted": "2022-10-17"}  # legislationDate; the block gives no other date
    assert d.status == "in-force"
    assert d.provisions == []
