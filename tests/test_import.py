"""The importer's core, whatever the source: safe pages, refusals, drafts that
are valid records, and the diff and write against a recorded law."""

from __future__ import annotations

import time
import tracemalloc
import types
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.importers import registry
from ingest.importers.model import Draft, Provision, Refusal
from ingest.importers.page import MAX_BYTES, clean, load
from ingest.importers.record import check_expected, guess_areas, number_tokens
from ingest.rules.corpus import validate
from tests.helpers import FIXTURES, law, make_root, write_law

STATUTE = """<html><head><meta charset="windows-1252"><title>Example</title>
<link rel="canonical" href="https://sso.agc.gov.sg/Act/EX2020"></head><body>
<h1 class="law">Example Electronic Transactions Act 2020</h1>
<p>Number <span class="number">No. 7 of 2020</span>. Status <span class="status">in-force</span>.
In force <time class="in-force">2020-01-01</time>. Adopted <time class="adopted">2019-12-01</time>.</p>
<div class="prov" id="pr6-"><b>6.</b> <i>Legal recognition — “electronic” records</i> Text.</div>
<div class="prov" id="pr7-"><b>7.</b> <i>Writing</i> Text.</div>
<p>{filler}</p></body></html>"""


def _detect(page: Any) -> bool:
    return page.soup.select_one("h1.law") is not None


def _parse(page: Any) -> Draft:
    provisions = [
        Provision(f"s {clean(d.b).rstrip('.')}", clean(d.i), f"https://sso.agc.gov.sg/Act/EX2020?ProvIds={d['id']}")
        for d in page.soup.select("div.prov")
    ]
    return Draft(
        source="testpage",
        title=page.find_text("h1.law"),
        number=page.find_text(".number"),
        status=page.find_text(".status"),
        instrument_type="act",
        provisions=provisions,
        url=(link["href"] if (link := page.soup.find("link", rel="canonical")) else None),
        dates={"in_force": page.find_text("time.in-force") or "", "adopted": page.find_text("time.adopted") or ""},
    )


@pytest.fixture(autouse=True)
def test_parser(monkeypatch: pytest.MonkeyPatch) -> None:
    module = types.ModuleType("testpage")
    module.NAME, module.PRIORITY, module.detect, module.parse = "testpage", 1, _detect, _parse  # type: ignore[attr-defined]
    monkeypatch.setattr(registry, "parsers", lambda: {"testpage": module})


def page_file(tmp: Path, **fmt: str) -> Path:
    path = tmp / "page.html"
    text = STATUTE.format(filler=fmt.get("filler", "Lorem ipsum. " * 40))
    for old, new in fmt.items():
        if old != "filler":
            text = text.replace(old, new)
    path.write_bytes(text.encode("utf-8"))  # UTF-8 bytes behind a windows-1252 declaration, as LawPhil serves
    return path


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def test_utf8_bytes_win_over_a_wrong_declared_charset(tmp_path: Path) -> None:
    page = load(page_file(tmp_path).read_bytes())
    assert page.encoding == "utf-8" and "Legal recognition — “electronic” records" in clean(page.soup)
    latin = "<html><head><meta charset='windows-1252'></head><body><p>café – ok</p></body></html>".encode("cp1252")
    assert clean(load(latin).soup) == "café – ok"


def test_a_new_law_becomes_a_valid_record(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    result = run("import", str(page_file(tmp_path)), "--country", "SG", "--laws", str(root), "--read-on", "2026-12-06")
    assert result.exit_code == 0, result.output
    rec = yaml.safe_load(result.stdout)
    assert rec["id"] == "sg-example-electronic-transactions-act-2020" and rec["number"] == "No. 7 of 2020"
    assert rec["dates"] == {"adopted": "2019-12-01", "in_force": "2020-01-01"} and rec["status"] == "in-force"
    assert rec["areas"] == ["e-transactions"]  # guessed from the title
    assert [p["ref"] for p in rec["provisions"]] == ["s 6", "s 7"]
    assert rec["provisions"][0]["url"] == "https://sso.agc.gov.sg/Act/EX2020?ProvIds=pr6-"
    source = rec["provenance"]["sources"][0]
    assert source["url"] == "https://sso.agc.gov.sg/Act/EX2020" and source["accessed"] == "2026-12-06"
    assert len(source["sha256"]) == 64 and source["provisions"] == ["s 6", "s 7"]
    assert {"number", "status", "dates.in_force", "dates.adopted", "links"} <= set(source["supports"])
    assert rec["links"][0]["official"] is True
    out = tmp_path / "new.yml"
    assert run("import", str(page_file(tmp_path)), "--country", "SG", "--laws", str(root), "--out", str(out)).exit_code == 0
    (root / "sg" / "example-electronic-transactions-act-2020.yml").write_bytes(out.read_bytes())
    assert validate(root).problems == []


def test_refusals_are_one_line_and_write_nothing(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    out = tmp_path / "new.yml"
    wrong = run(
        "import", str(page_file(tmp_path)), "--country", "SG", "--expect", "No. 8 of 2020", "--laws", str(root), "--out", str(out)
    )
    assert wrong.exit_code == 1 and not out.exists() and "Traceback" not in wrong.output
    assert wrong.stderr.strip().endswith(
        "expected No. 8 of 2020, but the page holds No. 7 of 2020 (Example Electronic Transactions Act 2020)"
    )
    assert len(wrong.stderr.strip().splitlines()) == 1
    shell = tmp_path / "shell.html"
    shell.write_text("<html><head><script src='app.js'></script></head><body><div id='root'></div></body></html>")
    refused = run("import", str(shell), "--country", "TH", "--laws", str(root))
    assert (
        refused.exit_code == 1 and "JavaScript application shell" in refused.stderr and "save the rendered page" in refused.stderr
    )
    missing = run("import", str(tmp_path / "nope.html"), "--country", "SG", "--laws", str(root))
    assert missing.exit_code == 1 and "cannot be read" in missing.stderr


def test_the_real_app_shell_is_refused() -> None:
    path = FIXTURES / "negative" / "th-searchlaw-app-shell.html"
    if not path.exists():
        pytest.skip(f"{path} is not here")
    with pytest.raises(Refusal, match="JavaScript application shell"):
        registry.read(load(path.read_bytes()))


def test_a_recorded_law_gets_a_diff_then_a_write(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    rec = law(
        id="sg-example-act-2020",
        title="Example Electronic Transactions Act 2020",
        number="No. 7 of 2020",
        dates={"adopted": "2019-12-01", "in_force": "2019-12-15"},
        status="in-force",
    )
    rec["provenance"]["sources"] = [{"citation": "SSO", "url": "https://sso.agc.gov.sg/Act/EX2020", "supports": ["status"]}]
    path = write_law(root, rec)
    before = path.read_text(encoding="utf-8")
    page = page_file(tmp_path, **{">in-force<": ">repealed<"})
    diff = run("import", str(page), "--country", "SG", "--laws", str(root))
    assert diff.exit_code == 0, diff.output
    assert f"{path}: dates.in_force: 2019-12-15 → 2020-01-01" in diff.stdout
    assert f"{path}: status: in-force → repealed" in diff.stdout
    assert f"{path}: provisions: 1 listed → 1 more in the text: s 7" in diff.stdout
    assert path.read_text(encoding="utf-8") == before  # nothing written without --write

    path.write_text("# A contributor's comment, kept by --write\n" + before, encoding="utf-8")
    wrote = run("import", str(page), "--country", "SG", "--laws", str(root), "--write")
    assert wrote.exit_code == 0, wrote.output
    assert path.read_text(encoding="utf-8").startswith("# A contributor's comment, kept by --write\n")
    assert "status: in-force → repealed  (kept: supported by an official source; use --force to replace)" in wrote.stdout
    after = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert after["dates"]["in_force"] == "2020-01-01" and after["status"] == "in-force"
    assert [p["ref"] for p in after["provisions"]] == ["s 6", "s 7"]
    assert after["provenance"]["sources"][0]["sha256"] and validate(root).problems == []
    # forcing "repealed" without a repeal date would break the record: refused, nothing written
    written = path.read_bytes()
    forced = run("import", str(page), "--country", "SG", "--laws", str(root), "--write", "--force")
    assert forced.exit_code == 1 and "the changes would make the record invalid, so nothing was written" in forced.stderr
    assert "status: is repealed but there is no repeal date" in forced.stderr and path.read_bytes() == written

    # a protected date is replaced only with --force
    rec = yaml.safe_load(path.read_text(encoding="utf-8"))
    rec["provenance"]["sources"][0]["supports"] = ["status", "dates.adopted"]
    write_law(root, rec)
    moved = page_file(tmp_path, **{">2019-12-01<": ">2019-11-30<"})
    kept = run("import", str(moved), "--country", "SG", "--laws", str(root), "--write")
    assert "dates.adopted: 2019-12-01 → 2019-11-30  (kept: supported by an official source" in kept.stdout
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["dates"]["adopted"] == "2019-12-01"
    assert run("import", str(moved), "--country", "SG", "--laws", str(root), "--write", "--force").exit_code == 0
    assert yaml.safe_load(path.read_text(encoding="utf-8"))["dates"]["adopted"] == "2019-11-30"
    assert "no change" in run("import", str(moved), "--country", "SG", "--laws", str(root)).stdout


def test_numbers_are_compared_by_their_parts() -> None:
    assert number_tokens("Republic Act No. 8792") == ["8792"]
    assert number_tokens("20/2023/QH15") == ["20", "2023", "QH15"]
    draft = Draft(source="x", title="Quyết định", number="1456/QĐ-UBND")
    with pytest.raises(Refusal, match="expected 20/2023/QH15, but the page holds 1456/QĐ-UBND"):
        check_expected(draft, "20/2023/QH15")
    check_expected(Draft(source="x", number="Republic Act No. 8792"), "RA 8792")
    assert guess_areas(Draft(source="x", local_title="Luật Giao dịch điện tử")) == ["e-transactions"]


@pytest.mark.parametrize("kind", ["deep", "scripts", "malformed", "binary"])
def test_hostile_pages_are_harmless(tmp_path: Path, kind: str) -> None:
    body = {
        "deep": "<div>" * 5000 + "<h1 class='law'>Deep Act 2020</h1>" + "</div>" * 5000,
        "scripts": "<h1 class='law' onclick='evil()'>Act<script>alert(1)</script> 2020<img src=x onerror=alert(2)></h1>"
        "<p>" + "text " * 200 + "</p>",
        "malformed": "<h1 class='law'>Broken <b>Act <i>2020</h1><p>" + "<td>x" * 300,
        "binary": "\x00\x01\x02<h1 class='law'>Bytes Act</h1>" + "é" * 500,
    }[kind]
    page = load(f"<html><body>{body}</body></html>".encode())
    try:
        draft = registry.read(page)
    except Refusal:
        return
    for value in (draft.title, draft.number, draft.status):
        assert value is None or ("<" not in value and "alert" not in value)


def test_large_pages_are_capped_and_bounded(tmp_path: Path) -> None:
    with pytest.raises(Refusal, match="more than the 25 MB"):
        load(b"<html>" + b" " * MAX_BYTES)
    paragraph = "<p>" + "Section text words " * 10 + "</p>"
    big = ("<html><body><h1 class='law'>Big Act 2020</h1>" + paragraph * 100_000 + "</body></html>").encode()
    assert 19_000_000 < len(big) < MAX_BYTES  # a 20 MB page of 100,000 paragraphs
    tracemalloc.start()
    started = time.perf_counter()
    draft = registry.read(load(big))
    elapsed = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert draft.title == "Big Act 2020"
    assert peak < 15 * len(big)  # bounded: a small multiple of the page (bench/importers.py measures it)
    assert elapsed < 600  # never a hang


def test_a_new_id_makes_a_new_record_even_for_a_recorded_number(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_law(root, law(id="sg-example-act-2020", number="No. 7 of 2020", dates={"adopted": "2019-12-01"}))
    as_diff = run("import", str(page_file(tmp_path)), "--country", "SG", "--laws", str(root))
    assert as_diff.exit_code == 0 and "example-act-2020.yml: " in as_diff.stdout  # matched by its number
    new = run("import", str(page_file(tmp_path)), "--country", "SG", "--laws", str(root), "--id", "sg-example-act-2020-copy")
    assert new.exit_code == 0, new.output
    assert yaml.safe_load(new.stdout)["id"] == "sg-example-act-2020-copy"


def test_a_write_adds_to_what_a_source_already_supports(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    rec = law(
        id="sg-example-act-2020",
        title="Example Electronic Transactions Act 2020",
        number="No. 7 of 2020",
        dates={"adopted": "2019-12-01", "in_force": "2020-01-01"},
    )
    rec["provenance"]["sources"] = [
        {"citation": "SSO", "url": "https://sso.agc.gov.sg/Act/EX2020", "supports": ["agency", "number"], "provisions": ["s 6"]}
    ]
    path = write_law(root, rec)
    assert run("import", str(page_file(tmp_path)), "--country", "SG", "--laws", str(root), "--write").exit_code == 0
    source = yaml.safe_load(path.read_text(encoding="utf-8"))["provenance"]["sources"][0]
    assert source["supports"][:2] == ["agency", "number"] and "dates.in_force" in source["supports"]
    assert source["provisions"] == ["s 6", "s 7"] and len(source["sha256"]) == 64
