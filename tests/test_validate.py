"""Every validation rule, each with a failing example whose message is asserted."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ingest.rules.corpus import validate
from tests.helpers import AREAS, law, make_root, write, write_law

TODAY = dt.date(2026, 11, 29)


def problems_of(root: Path, today: dt.date = TODAY) -> list[str]:
    return [str(p) for p in validate(root, today=today).problems]


def one_problem(root: Path, today: dt.date = TODAY) -> str:
    found = problems_of(root, today)
    assert len(found) == 1, found
    return found[0]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return make_root(tmp_path)


def test_a_valid_record_passes(root: Path) -> None:
    write_law(root, law())
    assert problems_of(root) == []


# --- schema -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": None}, "title: the required field 'title' is missing"),
        ({"titel": "x"}, "titel: unknown field 'titel' (did you mean 'title'?)"),
        ({"status": "active"}, "status: 'active' is not an allowed value; use one of: draft, enacted-not-in-force"),
        ({"instrument_type": "statute"}, "instrument_type: 'statute' is not an allowed value"),
        ({"areas": ["privacy"]}, "areas[0]: 'privacy' is not an allowed value"),
        ({"areas": []}, "areas: must list at least 1 item(s)"),
        ({"number": 8792}, "number: must be a text, not int 8792 (put it in quotes)"),
        ({"dates": {"adopted": "2010-13-01"}}, "dates.adopted: '2010-13-01' is not a date"),
        (
            {"dates": {"in_force": "soon"}},
            "dates.in_force: 'soon' is not a date (YYYY-MM-DD, YYYY-MM or YYYY) nor the word unknown",
        ),
        (
            {"links": [{"url": "www.example.org/x", "kind": "text", "language": "en", "official": True}]},
            "links[0].url: 'www.example.org/x' is not a well-formed http(s) URL",
        ),
        ({"local_titles": [{"lang": "Thai", "title": "x"}]}, "local_titles[0].lang: 'Thai' is not a BCP 47 language tag"),
        ({"country": "XX"}, "country: 'XX' is not an allowed value"),
        ({"id": "Example"}, "id: 'Example' is not a valid law id"),
        ({"summary": ""}, "summary: must not be empty"),
    ],
)
def test_schema_problems_are_plain_sentences(root: Path, changes: dict, expected: str) -> None:
    write(root / "sg" / "example-act-2010.yml", {**law(), **changes} if "id" in changes else law(**changes))
    msg = one_problem(root) if "country" not in changes else problems_of(root)[0]
    assert expected in msg
    assert "example-act-2010.yml:" in msg  # file and line are named


def test_every_schema_problem_of_a_file_is_reported_with_its_line(root: Path) -> None:
    path = write_law(root, law(status="active", areas=["privacy"], number=5))
    found = problems_of(root)
    assert len(found) == 3
    text = path.read_text().splitlines()
    expected = {"status": "status: active", "areas[0]": "- privacy", "number": "number: 5"}
    for problem in found:
        line = int(problem.split(":")[1])
        field = problem.split(": ")[1]
        assert text[line - 1].strip() == expected[field], (problem, text[line - 1])


# --- one-record rules -------------------------------------------------------


def test_id_must_match_the_file_name(root: Path) -> None:
    write(root / "sg" / "other-name.yml", law())
    assert "id: is 'sg-example-act-2010' but a record in sg/other-name.yml must have the id 'sg-other-name'" in one_problem(root)


def test_country_must_match_the_folder(root: Path) -> None:
    write(root / "th" / "example-act-2010.yml", law(id="th-example-act-2010"))
    msg = problems_of(root)
    assert any("country: is SG but the file is in the folder 'th/'" in m for m in msg), msg


def test_dates_must_be_in_order(root: Path) -> None:
    write_law(root, law(dates={"adopted": "2011-01-01", "in_force": "2010-07"}))
    assert "dates.in_force: in_force (2010-07) is before adopted (2011-01-01)" in one_problem(root)


def test_partial_dates_that_may_overlap_are_accepted(root: Path) -> None:
    write_law(root, law(dates={"adopted": "2010-07-15", "in_force": "2010-07"}))
    assert problems_of(root) == []


def test_impossible_calendar_date(root: Path) -> None:
    write_law(root, law(dates={"adopted": "2010-02-30", "in_force": "2010-07-01"}))
    assert "dates.adopted: '2010-02-30' is not a real calendar date" in one_problem(root)


def test_unknown_language_code(root: Path) -> None:
    write_law(root, law(local_titles=[{"lang": "xx", "title": "Titre"}]))
    assert "local_titles[0].lang: 'xx' is not in the languages vocabulary" in one_problem(root)


def test_shortened_url_is_refused(root: Path) -> None:
    write_law(root, law(links=[{"url": "https://example.org/…/x.pdf", "kind": "text", "language": "en", "official": False}]))
    assert "is shortened (contains …)" in one_problem(root)


def test_weak_evidence_must_stay_unverified_and_explained(root: Path) -> None:
    prov = {**law()["provenance"], "evidence": "weak-source", "verification": "checked-official-text"}
    write_law(root, law(provenance=prov))
    found = problems_of(root)
    assert any("provenance.verification: must be 'unverified' while the evidence is 'weak-source'" in m for m in found)
    assert any("provenance.note: must say what is uncertain" in m for m in found)


def test_unknown_in_force_date_needs_a_note(root: Path) -> None:
    write_law(root, law(dates={"adopted": "2010", "in_force": "unknown"}))
    assert "provenance.note: must explain why the in-force date is unknown" in one_problem(root)


def test_provision_references_are_unique(root: Path) -> None:
    p = {"ref": "s 6", "heading": "Again"}
    write_law(root, law(provisions=[law()["provisions"][0], p]))
    assert "provisions[1].ref: 's 6' is listed twice (also provisions[0])" in one_problem(root)


def test_a_law_cannot_relate_to_itself(root: Path) -> None:
    write_law(root, law(relations=[{"type": "amends", "target": "sg-example-act-2010"}]))
    assert "a law cannot be related to itself" in problems_of(root)[0]


# --- status and dates -------------------------------------------------------


def test_in_force_needs_an_in_force_date(root: Path) -> None:
    write_law(root, law(dates={"adopted": "2010-05-19"}))
    assert "dates.in_force: is missing: a law marked in-force needs its in-force date" in one_problem(root)


def test_in_force_date_in_the_future(root: Path) -> None:
    write_law(root, law(dates={"adopted": "2026-05-19", "in_force": "2027-01-01"}))
    assert "status: is in-force but the in-force date 2027-01-01 is in the future: use enacted-not-in-force" in one_problem(root)


def test_enacted_not_in_force_whose_date_has_passed(root: Path) -> None:
    write_law(root, law(status="enacted-not-in-force", dates={"adopted": "2025-12-10", "in_force": "2026-07-01"}))
    assert "is enacted-not-in-force but the in-force date 2026-07-01 has passed" in one_problem(root)
    # the same record was right before that day
    assert problems_of(root, today=dt.date(2026, 6, 30)) == []


def test_draft_has_no_in_force_date(root: Path) -> None:
    write_law(root, law(status="draft", instrument_type="bill", dates={"in_force": "2020"}))
    assert "dates.in_force: a draft has no in-force or repeal date" in one_problem(root)


def test_repealed_needs_a_date_or_a_successor(root: Path) -> None:
    write_law(root, law(status="repealed"))
    assert "is repealed but there is no repeal date and no law recorded as replacing it" in one_problem(root)


def test_superseded_needs_a_successor(root: Path) -> None:
    write_law(root, law(status="superseded", dates={"adopted": "2010", "in_force": "2010", "repealed": "2020"}))
    assert "is superseded but no law record replaces it" in one_problem(root)


def test_replaced_law_still_marked_in_force(root: Path) -> None:
    write_law(root, law(id="sg-example-act-1998", dates={"adopted": "1998", "in_force": "1998"}))
    write_law(root, law(relations=[{"type": "replaces", "target": "sg-example-act-1998"}]))
    msg = one_problem(root)
    assert "example-act-1998.yml" in msg
    assert "is in-force but it is replaced by sg-example-act-2010, in force since 2010-07-01: use superseded" in msg


def test_dates_in_the_future(root: Path) -> None:
    write_law(root, law(status="enacted-not-in-force", dates={"adopted": "2027-01-01"}))
    assert "dates.adopted: 2027-01-01 is in the future" in one_problem(root)


# --- relations --------------------------------------------------------------


def test_relation_to_a_missing_record(root: Path) -> None:
    path = write_law(root, law(relations=[{"type": "amends", "target": "sg-nothing-1999"}]))
    msg = one_problem(root)
    assert "relations[0].target: no law record has the id 'sg-nothing-1999'" in msg
    line = int(msg.split(":")[1])
    assert "sg-nothing-1999" in path.read_text().splitlines()[line - 1]


def test_relations_stated_from_both_sides_agree(root: Path) -> None:
    write_law(
        root,
        law(
            id="sg-example-act-1998",
            status="superseded",
            dates={"adopted": "1998", "in_force": "1998", "repealed": "2010-07-01"},
            relations=[{"type": "replaced-by", "target": "sg-example-act-2010"}],
        ),
    )
    write_law(root, law(relations=[{"type": "replaces", "target": "sg-example-act-1998"}]))
    assert problems_of(root) == []


def test_contradictory_relations(root: Path) -> None:
    write_law(
        root,
        law(
            id="sg-example-act-1998",
            dates={"adopted": "1998", "in_force": "1998"},
            relations=[{"type": "amends", "target": "sg-example-act-2010"}],
        ),
    )
    write_law(root, law(relations=[{"type": "amends", "target": "sg-example-act-1998"}]))
    assert (
        "sg-example-act-1998 amends sg-example-act-2010, but sg-example-act-2010 is also recorded as the one that amends"
        in one_problem(root)
    )


def test_inverse_is_derived(root: Path, tmp_path: Path) -> None:
    from ingest.build.database import build

    write_law(root, law(id="sg-example-act-1998", status="superseded", dates={"adopted": "1998", "in_force": "1998"}))
    write_law(root, law(relations=[{"type": "replaces", "target": "sg-example-act-1998"}]))
    db = tmp_path / "x.db"
    corpus, _ = build(root, db, today=TODAY)
    assert corpus.problems == []
    import sqlite3

    rows = sqlite3.connect(db).execute("SELECT law_id, type, target_id FROM law_relations ORDER BY 1").fetchall()
    assert rows == [
        ("sg-example-act-1998", "replaced-by", "sg-example-act-2010"),
        ("sg-example-act-2010", "replaces", "sg-example-act-1998"),
    ]


# --- coverage statements and profiles ---------------------------------------


def test_every_area_needs_a_law_or_a_statement(tmp_path: Path) -> None:
    root = make_root(tmp_path, coverage=[])
    write_law(root, law())
    found = problems_of(root)
    assert len(found) == len(AREAS) - 1
    assert "SG has no enacted law record for cybersecurity and no statement about it" in " ".join(found)


def test_statement_of_no_law_contradicted_by_a_law_in_force(tmp_path: Path) -> None:
    cov = [{"area": a, "status": "none", "note": "Nothing found.", "sources": [{"citation": "t"}]} for a in AREAS]
    root = make_root(tmp_path, coverage=cov)
    write_law(root, law())
    assert "says 'none' for e-transactions, but sg-example-act-2010 is in force in that area" in one_problem(root)


def test_law_of_a_country_without_profile(root: Path) -> None:
    write_law(root, law(id="my-example-act-2010", country="MY"))
    assert "country: MY has no country profile in countries/my.yml" in " ".join(problems_of(root))


def test_duplicate_ids_across_files(root: Path) -> None:
    write_law(root, law())
    write(root / "sg" / "copy.yml", law())
    found = problems_of(root)
    assert any("id: is 'sg-example-act-2010' but a record in sg/copy.yml must have the id 'sg-copy'" in m for m in found)


def test_schema_and_vocabulary_must_agree(root: Path) -> None:
    (root / "vocabularies" / "statuses.yml").write_text(
        (root / "vocabularies" / "statuses.yml").read_text() + "  - code: expired\n    label: Expired\n"
    )
    write_law(root, law())
    msg = one_problem(root)
    assert "law.schema.json" in msg and "vocabularies/statuses.yml has" in msg and "'expired'" in msg


def test_unexpected_files_are_reported(root: Path) -> None:
    write_law(root, law())
    (root / "sg" / "notes.txt").write_text("x")
    (root / "stray.yml").write_text("a: 1\n")
    found = problems_of(root)
    assert any("notes.txt: record files must end in .yml" in m for m in found)
    assert any("stray.yml: unexpected file at the top of the laws folder" in m for m in found)


def test_vocabulary_json_schema_is_checked(root: Path) -> None:
    (root / "vocabularies" / "areas.yml").write_text("vocabulary: areas\ntitle: Areas\nentries: []\n")
    write_law(root, law())
    assert any("entries: must list at least 1 item(s)" in m for m in problems_of(root))


def test_schemas_are_valid_json_schema() -> None:
    import jsonschema_rs

    from tests.helpers import ROOT

    for path in (ROOT / "laws" / "schemas").glob("*.json"):
        jsonschema_rs.meta.validate(json.loads(path.read_text()))
    with pytest.raises(jsonschema_rs.ValidationError):
        jsonschema_rs.meta.validate({"type": "no-such-type"})


def test_the_facts_kept_of_every_record_share_their_short_texts(root: Path) -> None:
    """A hundred thousand records' facts stay in memory for the whole build:
    equal dates, codes and provision refs are one object, not one per record."""
    for n in (1, 2):
        write_law(root, law(id=f"sg-example-act-{n}", dates={"adopted": "2010-05-19", "in_force": "2010-07-01"}))
    corpus = validate(root)
    assert corpus.problems == []
    one, two = corpus.laws["sg-example-act-1"], corpus.laws["sg-example-act-2"]
    assert one.dates == two.dates and one.provisions == two.provisions != []
    assert one.dates["adopted"] is two.dates["adopted"] and one.dates["in_force"] is two.dates["in_force"]
    assert all(a is b for a, b in zip(one.provisions, two.provisions, strict=True))
    assert one.last_verified is not None and one.last_verified is two.last_verified
