"""The git path for contributors: `lawrepo new law`, `lawrepo new answer` and
`lawrepo validate --format github`, through Click's CliRunner."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result

from ingest.cli.main import main
from ingest.records import yamlsafe
from ingest.records.skeleton import slugify
from tests.helpers import LAWS, law, make_root, write_law


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


def new_law(root: Path, *extra: str) -> Result:
    return run(
        "new", "law", "--laws", str(root), "--country", "SG", "--title", "Electronic Transactions Act 2010",
        "--type", "act", "--area", "e-transactions", "--area", "e-signatures",
        "--source", "Singapore Statutes Online, Electronic Transactions Act 2010",
        *extra,
    )  # fmt: skip


def data(path: Path) -> dict[str, Any]:
    return yamlsafe.load(path.read_bytes())[0]


# --------------------------------------------------------------------------
# new law


def test_new_law_writes_a_valid_skeleton_with_only_the_facts_given(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    result = new_law(
        root, "--url", "https://sso.agc.gov.sg/Act/ETA2010", "--number", "Act 16 of 2010", "--status", "in-force",
        "--in-force", "2010-07-01",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    path = root / "sg" / "electronic-transactions-act-2010.yml"
    assert result.stdout == f"Wrote {path}\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(
        "# yaml-language-server: $schema=../schemas/law.schema.json\nid: sg-electronic-transactions-act-2010\n"
    )
    assert 'number: "Act 16 of 2010"' in text
    assert "areas: [e-transactions, e-signatures]" in text
    record = data(path)
    note = record["provenance"].pop("note")
    assert record == {
        "id": "sg-electronic-transactions-act-2010",
        "country": "SG",
        "title": "Electronic Transactions Act 2010",
        "instrument_type": "act",
        "number": "Act 16 of 2010",
        "dates": {"in_force": "2010-07-01"},
        "status": "in-force",
        "areas": ["e-transactions", "e-signatures"],
        "provenance": {
            "sources": [
                {
                    "citation": "Singapore Statutes Online, Electronic Transactions Act 2010",
                    "url": "https://sso.agc.gov.sg/Act/ETA2010",
                }
            ],
            "verification": "unverified",
            "evidence": "seen",
        },
    }
    assert note.startswith("The titles in the official language(s), the dates (adopted, promulgated), the responsible agency,")
    assert "remain to be filled in from the source" in note and "the number" not in note
    assert run("validate", str(path)).exit_code == 0
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_new_law_without_a_status_is_a_draft_noted_as_a_placeholder(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    assert new_law(root).exit_code == 0
    record = data(root / "sg" / "electronic-transactions-act-2010.yml")
    assert record["status"] == "draft"
    assert "dates" not in record and "number" not in record and "url" not in record["provenance"]["sources"][0]
    assert "The status 'draft' is a placeholder until the source is read." in record["provenance"]["note"]
    assert "the number, the dates (adopted, promulgated, in-force)" in record["provenance"]["note"]


def test_new_law_in_force_without_its_date_says_the_date_is_not_yet_recorded(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    assert new_law(root, "--status", "in-force", "--number", "2010").exit_code == 0
    path = root / "sg" / "electronic-transactions-act-2010.yml"
    record = data(path)
    assert record["dates"] == {"in_force": "unknown"}
    assert record["number"] == "2010"  # quoted, so it stays text
    assert "The in-force date is not yet recorded" in record["provenance"]["note"]
    assert run("validate", str(path)).exit_code == 0


def test_new_law_never_overwrites(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = write_law(root, law(id="sg-electronic-transactions-act-2010"))
    before = path.read_text(encoding="utf-8")
    result = new_law(root)
    assert result.exit_code == 1
    assert f"{path} already exists" in result.output
    assert path.read_text(encoding="utf-8") == before


def test_new_law_undoes_an_invalid_record_and_says_why(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / "sg" / "electronic-transactions-act-2010.yml"
    result = new_law(root, "--status", "enacted-not-in-force")
    assert result.exit_code == 1
    assert f"{path}:1: dates: an enacted law needs its adoption or promulgation date" in result.stdout
    assert f"{path} was removed" in result.stderr
    assert not path.exists()
    result = run(
        "new", "law", "--laws", str(root), "--country", "SG", "--title", "X Act", "--type", "statute", "--area", "trade",
        "--source", "S",
    )  # fmt: skip
    assert result.exit_code == 1
    assert "x-act.yml:5: instrument_type: 'statute' is not an allowed value" in result.stdout
    assert "areas[0]: 'trade' is not an allowed value" in result.stdout
    assert "Traceback" not in result.output
    assert not (root / "sg" / "x-act.yml").exists()


def test_new_law_checks_dates_and_names(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    result = new_law(root, "--adopted", "2010-02-30")
    assert result.exit_code == 2 and "'2010-02-30' is not a date" in result.output
    result = new_law(root, "--slug", "Bad Name")
    assert result.exit_code == 1 and "'Bad Name' is not a usable file name" in result.output
    assert new_law(root, "--slug", "eta-2010").exit_code == 0
    assert data(root / "sg" / "eta-2010.yml")["id"] == "sg-eta-2010"
    assert list((root / "sg").iterdir()) == [root / "sg" / "eta-2010.yml"]


def test_slugs_come_from_the_title() -> None:
    assert slugify("Luật Giao dịch điện tử 2023") == "luat-giao-dich-dien-tu-2023"
    assert slugify("Personal Data Protection Act (PDPA), B.E. 2562") == "personal-data-protection-act-pdpa-b-e-2562"
    assert slugify("พระราชบัญญัติ") == ""
    assert len(slugify("word " * 40)) <= 97


# --------------------------------------------------------------------------
# new answer

ANSWERS = """\
# yaml-language-server: $schema=../schemas/answers.schema.json
# Answers of Singapore (a comment to keep).
country: SG
answers:
  # --- Electronic transactions ---
  - indicator: et-legal-recognition
    value: unknown
    note: Still open.   # kept too
    verification:
      status: unverified
      by: Repository editors
      on: 2026-01-01
      evidence: seen
    review:
      status: draft
"""


def answers_root(tmp_path: Path, text: str | None = ANSWERS) -> Path:
    root = make_root(tmp_path)
    shutil.copytree(LAWS / "codebook", root / "codebook")
    if text is not None:
        (root / "answers").mkdir()
        (root / "answers" / "sg.yml").write_text(text, encoding="utf-8")
    return root


def test_new_answer_appends_an_unknown_answer_keeping_the_comments(tmp_path: Path) -> None:
    root = answers_root(tmp_path)
    path = root / "answers" / "sg.yml"
    result = run("new", "answer", "--laws", str(root), "--country", "sg", "--indicator", "et-contract-formation")
    assert result.exit_code == 0, result.output
    assert result.stdout == f"Wrote {path}: et-contract-formation (unknown, not yet researched)\n"
    text = path.read_text(encoding="utf-8")
    assert text.startswith(ANSWERS)
    assert text.endswith(
        "\n\n  - indicator: et-contract-formation\n    value: unknown\n    note: Not yet researched.\n"
        "    verification:\n      status: unverified\n      by: Repository editors\n"
        f"      on: {dt.date.today().isoformat()}\n      evidence: seen\n    review:\n      status: draft\n"
    )
    assert [a["indicator"] for a in data(path)["answers"]] == ["et-legal-recognition", "et-contract-formation"]
    assert run("validate", str(path)).exit_code == 0
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_new_answer_refuses_an_answered_or_unknown_indicator(tmp_path: Path) -> None:
    root = answers_root(tmp_path)
    path = root / "answers" / "sg.yml"
    result = run("new", "answer", "--laws", str(root), "--country", "SG", "--indicator", "et-legal-recognition")
    assert result.exit_code == 1
    assert "et-legal-recognition already has an answer" in result.output
    result = run("new", "answer", "--laws", str(root), "--country", "SG", "--indicator", "et-nothing")
    assert result.exit_code == 1
    assert "et-nothing is not an indicator of the codebook" in result.output
    assert path.read_text(encoding="utf-8") == ANSWERS


def test_new_answer_starts_a_file_for_a_state_without_one(tmp_path: Path) -> None:
    root = answers_root(tmp_path, None)
    result = run("new", "answer", "--laws", str(root), "--country", "SG", "--indicator", "et-legal-recognition", "--by", "yes")
    assert result.exit_code == 0, result.output
    path = root / "answers" / "sg.yml"
    assert path.read_text(encoding="utf-8").startswith(
        "# yaml-language-server: $schema=../schemas/answers.schema.json\ncountry: SG\nanswers:\n  - indicator: et-legal-recognition\n"
    )
    assert data(path)["answers"][0]["verification"]["by"] == "yes"  # quoted: text, not a boolean


def test_new_answer_restores_the_file_when_the_result_is_invalid(tmp_path: Path) -> None:
    broken = ANSWERS.replace("value: unknown", "value: maybe")
    root = answers_root(tmp_path, broken)
    path = root / "answers" / "sg.yml"
    result = run("new", "answer", "--laws", str(root), "--country", "SG", "--indicator", "et-contract-formation")
    assert result.exit_code == 1
    assert f"{path}:7: answers[0].value:" in result.stdout
    assert f"{path} was left as it was" in result.stderr
    assert path.read_text(encoding="utf-8") == broken


# --------------------------------------------------------------------------
# validate --format github


def test_validate_prints_github_annotations_on_request(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = write_law(root, law(status="active", dates={"adopted": "2012", "in_force": "2011"}))
    plain = run("validate", str(root))
    github = run("validate", "--format", "github", str(root))
    assert plain.exit_code == github.exit_code == 1
    assert f"{path}:9: status: 'active' is not an allowed value" in plain.stdout  # the default is unchanged
    lines = github.stdout.splitlines()
    assert len(lines) == len([x for x in plain.stdout.splitlines() if x])
    assert any(x.startswith(f"::error file={path},line=9,title=status::'active' is not an allowed value") for x in lines)
    assert "1 problem(s) in 1 file(s)." in github.stderr


def test_github_annotations_escape_what_the_format_reserves() -> None:
    from ingest.cli.main import github_annotation
    from ingest.common.problems import Problem

    problem = Problem("laws/sg/a,b.yml", 0, "links[0].url", "100% wrong:\nsee here")
    assert github_annotation(problem) == "::error file=laws/sg/a%2Cb.yml,title=links[0].url::100%25 wrong:%0Asee here"
    assert github_annotation(Problem("laws/x.yml", 3, "", "m")) == "::error file=laws/x.yml,line=3,title=record::m"


def test_new_answer_grows_an_empty_list_into_a_block(tmp_path: Path) -> None:
    root = answers_root(tmp_path, "# yaml-language-server: $schema=../schemas/answers.schema.json\ncountry: SG\nanswers: []\n")
    result = run("new", "answer", "--laws", str(root), "--country", "SG", "--indicator", "et-legal-recognition")
    assert result.exit_code == 0, result.output
    text = (root / "answers" / "sg.yml").read_text(encoding="utf-8")
    assert "answers:\n  - indicator: et-legal-recognition\n    value: unknown\n" in text
