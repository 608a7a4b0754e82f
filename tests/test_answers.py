"""Validation of the codebook and the answers: every rule, with the file, line
and field of the problem; and the answer periods written to the database."""

from __future__ import annotations

import copy
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from ingest.build.database import build
from ingest.cli.main import main
from ingest.records.answers import periods, value_problem
from ingest.rules.corpus import validate
from tests.helpers import ROOT, good_answer, law, make_root, write, write_law

LAW_ID = "sg-example-act-2010"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    r = make_root(tmp_path)
    shutil.copytree(ROOT / "laws" / "codebook", r / "codebook")
    write_law(r, law())
    return r


def problems_for(root: Path, *answers: dict[str, Any], country: str = "SG", name: str = "sg") -> list[str]:
    write(root / "answers" / f"{name}.yml", {"country": country, "answers": [copy.deepcopy(a) for a in answers]})
    return [str(p) for p in validate(root).problems]


def test_good_answers_pass(root: Path) -> None:
    assert (
        problems_for(
            root,
            good_answer(),
            good_answer(
                indicator="pdp-breach-deadline-hours", value="not-applicable", basis=None, since=None, note="There is no PDP law."
            ),
            good_answer(indicator="pdp-max-fine", value=1000000, currency="SGD", basis=[{"law": LAW_ID}]),
            good_answer(indicator="es-model", value="two-tier"),
            good_answer(indicator="et-ecc-party", basis=None, since=None, note="Party since 2010 (status table)."),
        )
        == []
    )


@pytest.mark.parametrize(
    "answer, field, message",
    [
        (
            good_answer(basis=[{"law": LAW_ID, "provision": "s 99"}]),
            "answers[0].basis[0].provision",
            f"'s 99' is not a provision of {LAW_ID} (listed: s 6); add it to the provisions of",
        ),
        (
            good_answer(basis=[{"law": "sg-no-such-act-2000"}]),
            "answers[0].basis[0].law",
            "no law record has the id 'sg-no-such-act-2000'",
        ),
        (
            good_answer(indicator="et-no-such-question"),
            "answers[0].indicator",
            "no indicator of the codebook has the id 'et-no-such-question'",
        ),
        (good_answer(value="maybe"), "answers[0].value", "'maybe' is not an answer to a yes/no question"),
        (good_answer(indicator="pdp-breach-deadline-hours", value="yes"), "answers[0].value", "'yes' is not a number"),
        (good_answer(indicator="pdp-max-fine", value=100), "answers[0].value", "needs its currency"),
        (
            good_answer(indicator="pdp-breach-deadline-hours", value=72, currency="SGD"),
            "answers[0].value",
            "a currency is given but the answer is a number of hours",
        ),
        (
            good_answer(indicator="es-model", value="two-tiered"),
            "answers[0].value",
            "'two-tiered' is not one of the options: minimalist, two-tier, prescriptive",
        ),
        (good_answer(basis=None), "answers[0].basis", "is required for the answer 'yes'"),
        (good_answer(value="unknown", basis=None, note=None), "answers[0].note", "must say what is missing"),
        (good_answer(basis=[{"law": LAW_ID}], note=None), "answers[0].note", "must say that the provision of"),
        (good_answer(since="2009-01-01"), "answers[0].since", f"2009-01-01 is before {LAW_ID} came into force (2010-07-01)"),
        (good_answer(since="2010-02-30"), "answers[0].since", "is not a real calendar date"),
        (
            good_answer(history=[{"value": "no", "since": "2011-01-01", "until": "2010-01-01", "note": "x"}]),
            "answers[0].history[0].until",
            "is not after since (2011-01-01)",
        ),
        (
            good_answer(history=[{"value": "no", "until": "2011-01-01", "note": "x"}]),
            "answers[0].history[0].until",
            "overlaps the newer answer, which holds since 2010-07-01",
        ),
        (
            good_answer(
                history=[
                    {"value": "partial", "since": "2005-01-01", "until": "2008-01-01", "note": "x", "basis": [{"law": LAW_ID}]},
                    {"value": "no", "until": "2009-01-01", "note": "y"},
                ]
            ),
            "answers[0].history[1].until",
            "list history newest first",
        ),
        (
            good_answer(verification={"status": "checked-official-text", "by": "x", "on": "2026-11-01", "evidence": "recalled"}),
            "answers[0].verification.status",
            "must be 'unverified' while the evidence is 'recalled'",
        ),
        (good_answer(review={"status": "disputed"}), "answers[0].review.dispute", "the required field 'dispute' is missing"),
    ],
)
def test_bad_answer_is_reported_with_line_and_field(root: Path, answer: dict[str, Any], field: str, message: str) -> None:
    found = problems_for(root, answer)
    assert len(found) >= 1
    hit = [p for p in found if f" {field}: " in p and message in p]
    assert hit, found
    path, line = hit[0].split(":")[0], int(hit[0].split(":")[1])
    assert path.endswith("answers/sg.yml") and line > 0
    text = (root / "answers" / "sg.yml").read_text().splitlines()
    names = [part.split("[")[0] for part in field.split(".")]
    # the line of the field, or of its parent (or its answer) when the field is missing
    assert names[-1] in text[line - 1] or names[-2] in text[line - 1] or "- indicator" in text[line - 1], text[line - 1]


def test_answer_on_a_superseded_law(root: Path) -> None:
    write_law(
        root,
        law(
            id="sg-example-act-2020",
            title="Example Act 2020",
            dates={"adopted": "2020-01-01", "in_force": "2020-06-01"},
            relations=[{"type": "replaces", "target": LAW_ID}],
        ),
    )
    write_law(root, law(status="superseded"))
    found = problems_for(root, good_answer())
    assert any(f"{LAW_ID} is superseded: the current answer must rest on a law that is enacted" in p for p in found), found
    # the same basis is fine in history
    assert (
        problems_for(
            root,
            good_answer(
                basis=[{"law": "sg-example-act-2020", "provision": "s 6"}],
                since="2020-06-01",
                history=[
                    {"value": "yes", "since": "2010-07-01", "until": "2020-06-01", "basis": [{"law": LAW_ID, "provision": "s 6"}]}
                ],
            ),
        )
        == []
    )


def test_answer_of_another_country_law(root: Path) -> None:
    shutil.copy(root / "countries" / "sg.yml", root / "countries" / "my.yml")
    text = (root / "countries" / "my.yml").read_text().replace("code: SG", "code: MY").replace("iso3: SGP", "iso3: MYS")
    (root / "countries" / "my.yml").write_text(text.replace("name: Singapore", "name: Malaysia").replace("'702'", "'458'"))
    found = problems_for(root, good_answer(), country="MY", name="my")
    assert any(f"{LAW_ID} is a law of SG, not of MY" in p for p in found), found


def test_twice_answered_and_misnamed_file(root: Path) -> None:
    found = problems_for(root, good_answer(), good_answer(), name="xx")
    assert any("'et-legal-recognition' is answered twice" in p for p in found)
    assert any("is SG but the file is named xx.yml; name it sg.yml" in p for p in found)


def test_yes_no_and_on_unquoted_are_read_as_words(root: Path) -> None:
    path = root / "answers" / "sg.yml"
    write(path, {"country": "SG", "answers": [good_answer()]})
    path.write_text(path.read_text().replace("value: 'yes'", "value: yes").replace("'on':", "on:"))
    assert "value: yes\n" in path.read_text() and "    on: " in path.read_text()
    assert validate(root).problems == []


def test_codebook_rules(root: Path) -> None:
    book = root / "codebook" / "codebook.yml"
    book.write_text(book.read_text().replace("version: 1.0.0\ndate: 2026-11-29", "version: 1.1.0\ndate: 2026-11-29"))
    et = root / "codebook" / "e-transactions.yml"
    et.write_text(et.read_text().replace("id: et-contract-formation", "id: et-legal-recognition"))
    found = [str(p) for p in validate(root).problems]
    assert any("version: is 1.1.0 of 2026-11-29 but the last change is 1.0.0 of 2026-11-29" in p for p in found), found
    assert any("'et-legal-recognition' is already an indicator in" in p for p in found), found


def test_cli_reports_a_broken_basis(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(root / "answers" / "sg.yml", {"country": "SG", "answers": [good_answer(basis=[{"law": LAW_ID, "provision": "s 7"}])]})
    monkeypatch.chdir(root.parent)
    result = CliRunner().invoke(main, ["validate", "laws"])
    assert result.exit_code == 1
    assert "laws/answers/sg.yml:" in result.output
    assert f"answers[0].basis[0].provision: 's 7' is not a provision of {LAW_ID}" in result.output
    assert "Traceback" not in result.output


def test_periods_and_database_rows(root: Path, tmp_path: Path) -> None:
    answer = good_answer(
        history=[
            {"value": "partial", "until": "2010-07-01", "basis": [{"law": LAW_ID, "provision": "s 6"}]},
            {"value": "no", "until": "2005-01-01", "note": "Nothing before."},
        ]
    )
    assert [(p.seq, p.starts, p.ends) for p in periods(answer)] == [
        (0, "2010-07-01", None),
        (1, "2005-01-01", "2010-07-01"),
        (2, "0000-01-01", "2005-01-01"),
    ]
    write(root / "answers" / "sg.yml", {"country": "SG", "answers": [answer]})
    db = tmp_path / "out.db"
    corpus, counts = build(root, db)
    assert not corpus.problems and counts
    with closing(sqlite3.connect(db)) as conn:
        assert conn.execute("select period, value, starts, ends from answers order by period").fetchall() == [
            (0, "yes", "2010-07-01", None),
            (1, "partial", "2005-01-01", "2010-07-01"),
            (2, "no", "0000-01-01", "2005-01-01"),
        ]
        assert conn.execute("select law_id, provision, provision_position from answer_basis where period = 0").fetchall() == [
            (LAW_ID, "s 6", 0)
        ]
        assert conn.execute("select count(*) from indicators").fetchone()[0] == 48


def test_value_problem_direct() -> None:
    hours = {"answer_type": "number", "unit": "hours"}
    assert value_problem(hours, 72, None) is None
    assert value_problem(hours, -1, None) == "-1 is negative"
    assert value_problem(hours, True, None) is not None
    assert value_problem(hours, "unknown", None) is None
