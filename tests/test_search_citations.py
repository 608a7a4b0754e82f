"""Search by the ways laws are cited and member states are named: the aliases
table built per record (ingest/build/aliases.py) and the /search page."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from datasette.app import Datasette
from hypothesis import example, given, settings
from hypothesis import strategies as st

from ingest.build.aliases import law_aliases, number_aliases
from ingest.build.database import build, read_previous
from ingest.common.text import _joined as joined
from ingest.common.text import _tokens as tokens
from ingest.common.text import search_key
from tests.helpers import law, make_datasette, make_root, write_law

# (what a person types, the law that must come first)
CITATIONS = [
    ("UU 27/2022", "id-personal-data-protection-law-2022"),
    ("UU No. 27 Tahun 2022", "id-personal-data-protection-law-2022"),
    ("Law No. 27 of 2022", "id-personal-data-protection-law-2022"),
    ("27/2022", "id-personal-data-protection-law-2022"),
    ("PP 71/2019", "id-electronic-systems-and-transactions-regulation-2019"),
    ("RA 10173", "ph-data-privacy-act-2012"),
    ("R.A. No. 10173", "ph-data-privacy-act-2012"),
    ("Republic Act 10173", "ph-data-privacy-act-2012"),
    ("EO 810", "ph-executive-order-810-digital-signature-certification-scheme-2009"),
    ("Act 709", "my-personal-data-protection-act-2010"),
    ("PDPA 2012", "sg-personal-data-protection-act-2012"),
    ("PDPA 2010", "my-personal-data-protection-act-2010"),
    ("20/2023/QH15", "vn-law-on-e-transactions-2023"),
    ("Luật số 20/2023/QH15", "vn-law-on-e-transactions-2023"),
    ("Decree 13/2023/ND-CP", "vn-personal-data-protection-decree-2023"),
    ("Nghị định 13/2023/NĐ-CP", "vn-personal-data-protection-decree-2023"),
    ("nghi dinh 13/2023/nd-cp", "vn-personal-data-protection-decree-2023"),
    ("Lei n.º 8/2016", "tl-consumer-protection-law-2016"),
    ("Lei 8/2016", "tl-consumer-protection-law-2016"),
    ("Law No. 31/NA", "la-amended-law-on-electronic-transactions-2022"),
    ("Cap 50A", "sg-computer-misuse-act-1993"),
    ("PDPA 2562", "th-personal-data-protection-act-2019"),
    ("PDPA 2019", "th-personal-data-protection-act-2019"),
    ("Personal Data Protection Act 2562", "th-personal-data-protection-act-2019"),
    ("พ.ร.บ. คุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒", None),  # Thai digits: see the test below
]
# (a name or code, the member state)
NAMES = [
    ("Vietnam", "VN"),
    ("Viet Nam", "VN"),
    ("Việt Nam", "VN"),
    ("viet-nam", "VN"),
    ("VNM", "VN"),
    ("Burma", "MM"),
    ("Myanmar", "MM"),
    ("မြန်မာ", "MM"),
    ("Kampuchea", "KH"),
    ("កម្ពុជា", "KH"),
    ("Lao PDR", "LA"),
    ("Laos", "LA"),
    ("East Timor", "TL"),
    ("Timor Leste", "TL"),
    ("TLS", "TL"),
    ("ประเทศไทย", "TH"),
    ("Siam", "TH"),
    ("Philippines", "PH"),
    ("Brunei", "BN"),
]


@pytest.fixture(scope="module")
def ds(built_db: Path) -> Datasette:
    return make_datasette(built_db)


async def found(ds: Datasette, q: str) -> dict:
    response = await ds.client.get(f"/search?q={quote(q)}&_format=json")
    assert response.status_code == 200, response.text[:500]
    return response.json()


@pytest.mark.parametrize(("q", "first"), [c for c in CITATIONS if c[1]])
async def test_each_citation_form_finds_its_law_first(ds: Datasette, q: str, first: str) -> None:
    results = (await found(ds, q))["results"]
    assert results, q
    assert results[0]["id"] == first, (q, [r["id"] for r in results[:5]])
    assert results[0]["cited_as"]


async def test_an_exact_number_ranks_before_other_decrees_of_its_kind(ds: Datasette) -> None:
    # "Decree ... ND-CP" words match every decree; the one with the number comes first
    ids = [r["id"] for r in (await found(ds, "Decree 13/2023/ND-CP"))["results"]]
    assert ids[0] == "vn-personal-data-protection-decree-2023"
    assert "vn-personal-data-protection-decree-2025" in ids[1:]


async def test_thai_buddhist_era_years_and_thai_digits(ds: Datasette) -> None:
    be = {r["id"] for r in (await found(ds, "2562"))["results"]}
    assert {"th-personal-data-protection-act-2019", "th-cybersecurity-act-2019"} <= be
    assert {r["id"] for r in (await found(ds, "B.E. 2562"))["results"]} >= {"th-personal-data-protection-act-2019"}
    thai_digits = {r["id"] for r in (await found(ds, "พ.ศ. ๒๕๖๒"))["results"]}
    assert thai_digits == {r["id"] for r in (await found(ds, "พ.ศ. 2562"))["results"]}
    assert "th-personal-data-protection-act-2019" in thai_digits
    # a Thai title typed with Thai digits is found in the title written with Arabic ones
    title = (await found(ds, "คุ้มครองข้อมูลส่วนบุคคล พ.ศ. ๒๕๖๒"))["results"]
    assert title and title[0]["id"] == "th-personal-data-protection-act-2019"


@pytest.mark.parametrize(("q", "code"), NAMES)
async def test_member_states_by_every_name_and_code(ds: Datasette, q: str, code: str) -> None:
    result = await found(ds, q)
    assert [c["code"] for c in result["countries"]] == [code], q
    assert result["results"] and all(r["country"] == code for r in result["results"]), q


async def test_no_hit_suggests_the_nearest_titles(ds: Datasette) -> None:
    result = await found(ds, "personal data protecton")
    assert result["results"] == []
    assert result["suggestions"] and all("Personal Data Protection" in s["title"] for s in result["suggestions"])
    result = await found(ds, "Electronc Transactons Act")
    assert any(s["id"] == "sg-electronic-transactions-act-2010" for s in result["suggestions"])
    assert (await found(ds, "zzzz qqqq"))["suggestions"] == []
    page = await ds.client.get("/search?q=" + quote("personal data protecton"))
    assert page.status_code == 200 and "Nearest titles" in page.text and "/law/th-personal-data-protection-act-2019" in page.text


async def test_the_page_shows_the_citation_and_the_member_state(ds: Datasette) -> None:
    page = (await ds.client.get("/search?q=" + quote("UU 27/2022"))).text
    assert "<q>UU 27/2022</q>" in page and 'href="/law/id-personal-data-protection-law-2022"' in page
    page = (await ds.client.get("/search?q=Burma")).text
    assert 'Member state: <a href="/country/MM">Myanmar</a>' in page
    page = (await ds.client.get("/search?q=" + quote("<script>x</script>"))).text
    assert "<script>x</script>" not in page


def test_search_keys_ignore_what_citations_vary_in() -> None:
    same = [
        ["UU No. 27 Tahun 2022", "UU 27/2022", "uu 27 / 2022", "UU Nomor 27 Tahun 2022"],
        ["R.A. No. 10173", "RA 10173", "ra10173"],
        ["Nghị định 13/2023/NĐ-CP", "Nghi dinh so 13/2023/ND-CP"],
        ["Lei n.º 8/2016", "Lei nº 8/2016", "Lei 8/2016"],
        ["Viet Nam", "Vietnam", "Việt-Nam"],
        ["พ.ศ. ๒๕๖๒", "พ.ศ. 2562"],
        ["၂၀၁၉", "2019"],
    ]
    for forms in same:
        assert len({search_key(f) for f in forms}) == 1, forms
    assert search_key("27/2022") != search_key("2/72022")
    assert search_key("Act 709") != search_key("Act 70 9")
    assert search_key("") == search_key(" / ") == ""


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from([*"0123456789 ./-_,aAnNoOzZ\t", "No.", "Tahun", "of"]), max_size=20).map("".join))
@example("9 9")
@example("UU No. 27 Tahun 2022")
def test_ascii_search_keys_agree_with_the_per_character_reading(text: str) -> None:
    # most citations are ASCII and take a shorter path; it must give the key every other text gets
    assert search_key(text) == joined(tokens(text))


def test_number_aliases_per_country() -> None:
    keys = {search_key(a) for a in number_aliases("Law No. 27 of 2022", "ID", "law")}
    assert {search_key(x) for x in ["UU 27/2022", "Undang-Undang 27/2022", "27/2022", "Law 27/2022"]} <= keys
    keys = {search_key(a) for a in number_aliases("13/2023/ND-CP", "VN", "decree")}
    assert {search_key(x) for x in ["Decree 13/2023/ND-CP", "Nghị định 13/2023/NĐ-CP", "13/2023"]} <= keys
    keys = {search_key(a) for a in number_aliases("Republic Act No. 10173", "PH", "act")}
    assert search_key("RA 10173") in keys and search_key("10173") not in keys
    assert number_aliases("", "SG", "act") == []
    thai = law(id="th-example-act-2019", country="TH", title="Example Act B.E. 2562 (2019)", short_title="EA", number=None)
    got = {a: form for a, form in law_aliases(thai, 2019)}
    assert got["EA 2562"] == got["EA 2019"] == "citation" and got["2562"] == got["พ.ศ. 2562"] == "year"


def test_aliases_follow_a_changed_record_in_an_incremental_build(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = write_law(root, law())
    db = tmp_path / "laws.db"
    build(root, db)

    def aliases() -> set[str]:
        with closing(sqlite3.connect(db)) as conn:
            return {r[0] for r in conn.execute("select alias from aliases where law_id = 'sg-example-act-2010'")}

    assert "No. 1 of 2010" in aliases()
    write_law(root, law(number="Act 7 of 2010"))
    corpus, counts = build(root, db, previous=read_previous(db))
    assert counts and not corpus.problems
    assert "Act 7 of 2010" in aliases() and "No. 1 of 2010" not in aliases()
    with closing(sqlite3.connect(db)) as conn:
        names = {r[0] for r in conn.execute("select alias from aliases where law_id is null and country = 'SG'")}
    assert {"SG", "SGP", "Singapore", "Singapura"} <= names
    assert path.exists()
