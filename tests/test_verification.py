"""Verification is earned: a record is checked against the official text only
when official sources support its number, dates, status and provisions, and an
answer only when each legal basis carries a quote from an official text."""

from __future__ import annotations

import copy
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.build.database import build
from ingest.records.sources import official_entry
from ingest.rules.corpus import validate
from ingest.rules.verification import OFFICIAL_LINK, derived_level, unsupported
from tests.helpers import law, make_root, write, write_law

HOSTS = [
    {"prefix": "gov.sg", "kind": "government", "label": "x"},
    {"prefix": "github.com/example/copies", "kind": "faithful-copy", "label": "x"},
    {"prefix": "GitHub.com/Owner/Saved-Texts/blob/abc123/act.pdf", "kind": "faithful-copy", "label": "x"},
]
SSO = "https://sso.agc.gov.sg/Act/EX2010"
OFFICIAL = {
    "citation": "SSO, current version",
    "url": SSO,
    "accessed": "2026-12-06",
    "supports": ["number", "dates.adopted", "dates.in_force", "status"],
    "provisions": ["s 6"],
}
LINK = {"url": SSO, "kind": "consolidated", "language": "en", "official": True}
QUOTE = {"text": "Information shall not be denied legal effect.", "lang": "en", "url": f"{SSO}?ProvIds=pr6-"}


def checked_law(**changes: Any) -> dict[str, Any]:
    rec = law(**{"links": [dict(LINK)], **changes})
    rec["provenance"] = {**rec["provenance"], "sources": [copy.deepcopy(OFFICIAL)], "verification": "checked-official-text"}
    return rec


def problems(root: Path) -> list[str]:
    return [str(p) for p in validate(root).problems]


@pytest.mark.parametrize(
    ("url", "official"),
    [
        ("https://sso.agc.gov.sg/Act/ETA2010", True),
        ("https://www.gov.sg/x", True),
        ("https://gov.sg", True),
        ("https://evilgov.sg/x", False),
        ("https://gov.sg.example.com/x", False),
        ("https://github.com/example/copies/blob/main/a.md", True),
        ("https://github.com/example/copies-not/a.md", False),
        ("https://github.com/example/other", False),
        ("https://github.com/Owner/Saved-Texts/blob/abc123/act.pdf", True),  # a path keeps its case
        ("https://www.GITHUB.com/Owner/Saved-Texts/blob/abc123/act.pdf", True),  # a host does not
        ("https://github.com/owner/saved-texts/blob/abc123/act.pdf", False),
        ("https://github.com/Owner/Saved-Texts/blob/abc123/other.pdf", False),
        (None, False),
    ],
)
def test_official_addresses(url: str | None, official: bool) -> None:
    assert bool(official_entry(url, HOSTS)) is official


def _first_matching(url: str | None, hosts: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The rule as the official-hosts file states it, entry by entry in listed order."""
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    for entry in hosts:
        prefix_host, slash, prefix_path = entry["prefix"].partition("/")
        prefix = prefix_host.lower() + slash + prefix_path
        if "/" in prefix:
            if host + parts.path == prefix or (host + parts.path).startswith(prefix.rstrip("/") + "/"):
                return entry
        elif host == prefix or host.endswith("." + prefix):
            return entry
    return None


_LABELS = st.sampled_from(["gov", "sg", "agc", "sso", "www", "example", "github", "com", "Gov"])
_NAMES = st.lists(_LABELS, min_size=1, max_size=4).map(".".join)
_PATHS = st.lists(st.sampled_from(["a", "b", "copies", "A", "Copies"]), max_size=3).map(lambda p: "/".join(["", *p]))


@given(
    prefixes=st.lists(st.one_of(_NAMES, st.tuples(_NAMES, _PATHS).map("".join)), min_size=1, max_size=6),
    hosts_and_paths=st.lists(st.tuples(_NAMES, _PATHS), min_size=1, max_size=8),
)
def test_address_lookup_finds_the_first_listed_entry(prefixes: list[str], hosts_and_paths: list[tuple[str, str]]) -> None:
    hosts = [{"prefix": p, "kind": "government", "label": str(i)} for i, p in enumerate(prefixes)]
    for host, path in hosts_and_paths:
        url = f"https://{host}{path}"
        assert official_entry(url, hosts) is _first_matching(url, hosts)


def test_address_lookup_follows_a_changed_list_of_hosts() -> None:
    hosts = [dict(h) for h in HOSTS]
    assert official_entry("https://example.org/x", hosts) is None
    hosts.append({"prefix": "example.org", "kind": "government", "label": "x"})
    assert official_entry("https://example.org/x", hosts) is hosts[-1]


def test_level_is_derived_from_what_official_sources_support() -> None:
    rec = checked_law()
    assert unsupported(rec, HOSTS) == [] and derived_level(rec, HOSTS) == "checked-official-text"
    rec["provenance"]["sources"][0]["supports"].remove("dates.in_force")
    rec["provenance"]["sources"][0]["provisions"] = []
    assert unsupported(rec, HOSTS) == ["dates.in_force", "provision s 6"]
    weak = {**OFFICIAL, "url": "https://blog.example.com/ex", "supports": ["dates.in_force"]}
    rec["provenance"]["sources"].append(weak)
    assert "dates.in_force" in unsupported(rec, HOSTS)  # a blog cannot support a checked fact
    rec = checked_law(links=[{**LINK, "url": "https://blog.example.com/ex"}])
    assert unsupported(rec, HOSTS) == [OFFICIAL_LINK]
    rec = checked_law(dates={"adopted": "2010-05-19", "in_force": "unknown"})
    assert unsupported(rec, HOSTS) == []  # an unknown date states nothing to support


def test_validate_refuses_a_level_the_sources_do_not_support(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    rec = checked_law()
    rec["provenance"]["sources"][0]["url"] = "https://lawfirm.example.com/note"
    write_law(root, rec)
    found = problems(root)
    assert (
        len(found) == 1
        and "provenance.verification: claims 'checked-official-text', but no official source "
        "supports: number, dates.adopted, dates.in_force, status, provision s 6"
        in found[0]
    )
    write_law(root, checked_law())
    assert problems(root) == []


def test_a_source_may_only_name_provisions_the_record_lists(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    rec = checked_law()
    rec["provenance"]["sources"][0]["provisions"] = ["s 6", "s 99"]
    write_law(root, rec)
    assert any("provenance.sources[0].provisions[1]: 's 99' is not among the record's provisions" in p for p in problems(root))


def test_quotes_are_short(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    rec = law()
    rec["provisions"][0]["quote"] = {**QUOTE, "text": " ".join(["word"] * 51)}
    write_law(root, rec)
    assert any("provisions[0].quote.text: has 51 words" in p for p in problems(root))


def answer(basis: dict[str, Any], status: str = "checked-official-text") -> dict[str, Any]:
    return {
        "country": "SG",
        "answers": [
            {
                "indicator": "et-legal-recognition",
                "value": "yes",
                "since": "2010-07-01",
                "basis": [basis],
                "note": "Records keep their effect.",
                "verification": {"status": status, "by": "Editors", "on": "2026-12-06", "evidence": "seen"},
                "review": {"status": "draft"},
            }
        ],
    }


def with_codebook(root: Path) -> Path:
    from tests.helpers import ROOT

    for name in ("codebook.yml", "e-transactions.yml"):
        write(root / "codebook" / name, None)
        (root / "codebook" / name).write_bytes((ROOT / "laws" / "codebook" / name).read_bytes())
    return root


def test_an_answer_is_checked_only_with_an_official_quote(tmp_path: Path) -> None:
    root = with_codebook(make_root(tmp_path))
    write_law(root, law())
    write(root / "answers" / "sg.yml", answer({"law": "sg-example-act-2010", "provision": "s 6"}))
    found = [p for p in problems(root) if "answers[0].verification.status" in p]
    assert len(found) == 1 and "legal basis 0 has no quote from an official text" in found[0]
    blog_quote = {**QUOTE, "url": "https://blog.example.com/ex"}
    write(root / "answers" / "sg.yml", answer({"law": "sg-example-act-2010", "provision": "s 6", "quote": blog_quote}))
    assert any("legal basis 0 has no quote" in p for p in problems(root))
    write(root / "answers" / "sg.yml", answer({"law": "sg-example-act-2010", "provision": "s 6", "quote": dict(QUOTE)}))
    assert not [p for p in problems(root) if "verification" in p]


def test_a_quote_on_the_law_record_checks_the_answers_citing_it(tmp_path: Path) -> None:
    root = with_codebook(make_root(tmp_path))
    rec = law()
    rec["provisions"][0]["quote"] = dict(QUOTE)
    write_law(root, rec)
    write(root / "answers" / "sg.yml", answer({"law": "sg-example-act-2010", "provision": "s 6"}))
    assert not [p for p in problems(root) if "verification" in p]


def test_the_database_shows_the_earned_level_and_what_is_unsupported(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_law(root, checked_law())
    unverified = law(id="sg-other-act-2011", links=[dict(LINK)])
    unverified["provenance"]["sources"] = [{**OFFICIAL, "supports": ["number", "status"], "provisions": []}]
    write_law(root, unverified)
    weak = checked_law(id="sg-weak-act-2012")
    weak["provenance"] = {**weak["provenance"], "verification": "unverified", "evidence": "weak-source", "note": "x"}
    write_law(root, weak)
    corpus, _ = build(root, tmp_path / "laws.db")
    assert not corpus.problems
    with closing(sqlite3.connect(tmp_path / "laws.db")) as conn:
        rows = dict(conn.execute("SELECT id, verification FROM laws"))
        unsup = dict(conn.execute("SELECT id, unsupported FROM laws"))
        official = conn.execute(
            "SELECT official, supports, provisions FROM sources WHERE law_id = 'sg-example-act-2010'"
        ).fetchone()
        quoted = conn.execute("SELECT quote_official FROM provisions WHERE law_id = 'sg-example-act-2010'").fetchone()
    assert rows == {
        "sg-example-act-2010": "checked-official-text",
        "sg-other-act-2011": "unverified",
        "sg-weak-act-2012": "unverified",
    }
    assert unsup["sg-example-act-2010"] == "[]"
    assert '"dates.adopted"' in unsup["sg-other-act-2011"] and '"provision s 6"' in unsup["sg-other-act-2011"]
    assert official == (1, '["number", "dates.adopted", "dates.in_force", "status"]', '["s 6"]') and quoted == (0,)


async def test_the_law_page_says_which_source_supports_each_fact(tmp_path: Path) -> None:
    from bs4 import BeautifulSoup

    from tests.helpers import make_datasette

    root = make_root(tmp_path)
    rec = checked_law()
    rec["provisions"][0]["url"] = f"{SSO}?ProvIds=pr6-"
    rec["provisions"][0]["quote"] = dict(QUOTE, via="A faithful copy")
    rec["provenance"]["sources"].append(
        {"citation": "A law firm's note", "url": "https://lawfirm.example.com/n", "supports": ["number"], "note": "A lead."}
    )
    write_law(root, rec)
    other = law(id="sg-other-act-2011", links=[dict(LINK)])
    other["provenance"]["sources"] = [{**OFFICIAL, "supports": ["status"], "provisions": []}]
    write_law(root, other)
    corpus, _ = build(root, tmp_path / "laws.db")
    assert not corpus.problems
    ds = make_datasette(tmp_path / "laws.db")

    page = BeautifulSoup((await ds.client.get("/law/sg-example-act-2010")).text, "html.parser")
    facts = {dt.get_text(strip=True): dd for dt, dd in zip(page.select("dl.facts dt"), page.select("dl.facts dd"), strict=True)}
    number = facts["Number"].select_one(".backing")
    assert [a["href"] for a in number.find_all("a")] == ["#source-1", "#source-2"]
    assert number.find("a", href="#source-1")["title"] == "official source"
    assert number.find("a", href="#source-2")["title"] == "not an official source"
    assert facts["In force"].select_one(".backing a")["href"] == "#source-1"
    assert "Not yet supported" not in facts["Verification"].get_text()
    row = page.select_one("#provision-0")
    assert row.find("a", href=f"{SSO}?ProvIds=pr6-").get_text() == "s 6"
    quote = row.select_one(".provision-evidence q")
    assert quote.get_text() == QUOTE["text"] and quote["lang"] == "en"
    assert row.select_one(".quote-source").get_text() == "official text" and "A faithful copy" in row.get_text()
    first = page.select_one("#source-1")
    assert (
        "official" in first.get_text()
        and "Supports: number, dates.adopted, dates.in_force, status, provision s 6" in first.get_text()
    )

    other_page = BeautifulSoup((await ds.client.get("/law/sg-other-act-2011")).text, "html.parser")
    text = other_page.get_text(" ", strip=True)
    assert "Not yet supported by an official source: number, dates.adopted, dates.in_force, provision s 6." in text
    assert other_page.select_one("#provision-0 .unbacked").get_text() == "no source named"

    facet = (await ds.client.get("/laws/laws.json?_facet=verification")).json()
    counts = {f["value"]: f["count"] for f in facet["facet_results"]["results"]["verification"]["results"]}
    assert counts == {"checked-official-text": 1, "unverified": 1}


def test_side_by_side_cells_show_the_quotes_of_their_legal_bases() -> None:
    from bs4 import BeautifulSoup

    from ingest.records import answer_view

    basis = {
        "law_id": "sg-example-act-2010",
        "provision": "s 6",
        "provision_position": 0,
        "law_title": "EA",
        "quote": "<b>Records</b> keep effect",
        "quote_lang": "en",
        "quote_url": f"{SSO}?ProvIds=pr6-",
    }
    cell = {"value": "yes", "label": "Yes", "class": "yes", "flags": [], "basis": [basis, {**basis, "quote": None}]}
    shown = answer_view.render(cell, "", country="SG", indicator="et-legal-recognition")
    html = BeautifulSoup(str(shown + answer_view.quotes(cell)), "html.parser")
    quotes = html.select(".quote q")
    assert [q.get_text() for q in quotes] == ["<b>Records</b> keep effect"] and quotes[0]["lang"] == "en"
    assert html.select_one(".quote-source")["href"] == f"{SSO}?ProvIds=pr6-" and not html.find("b")
    assert not BeautifulSoup(str(shown), "html.parser").select(".quote")  # the answer itself reads the same everywhere


def test_answers_earn_their_level_and_stats_print_the_shares(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ingest.cli.main import main

    root = with_codebook(make_root(tmp_path))
    write_law(root, checked_law())
    quoted = answer({"law": "sg-example-act-2010", "provision": "s 6", "quote": dict(QUOTE)}, status="unverified")
    write(root / "answers" / "sg.yml", quoted)
    db = tmp_path / "laws.db"
    corpus, _ = build(root, db)
    assert not corpus.problems
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("SELECT verification FROM answers WHERE indicator = 'et-legal-recognition'").fetchone() == (
            "checked-official-text",
        )
    result = CliRunner().invoke(main, ["stats", "--laws", str(root), "--db", str(db)])
    assert result.exit_code == 0, result.output
    table = result.output.split("Verification per member state:\n", 1)[1].splitlines()
    assert table[0].split() == [
        "Member",
        "state",
        "Laws",
        "checked",
        "In",
        "force,",
        "linked",
        "Answers",
        "known",
        "Answers",
        "checked",
        "Bases",
        "quoted",
    ]
    singapore = next(line for line in table if line.startswith("Singapore"))
    assert singapore.split() == ["Singapore", "1/1", "100%", "1/1", "100%", "1/1", "100%", "1/1", "100%", "1/1", "100%"]
