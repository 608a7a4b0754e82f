"""A patched build reads again only the records that changed; the facts of the
others, and what the cross-record rules ask of them, come from the previous
build when asked for. Whatever was changed, it must find exactly the problems
a full check of the folder finds, on the same day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ingest.build.database import build, read_previous
from ingest.records.law_index import LawIndex
from ingest.records.scan import BackgroundScan, halves, scan
from ingest.rules.corpus import validate
from tests.helpers import settled_corpus
from tests.test_build import dump, edit

TODAY = dt.date.today()


def add_relation(path: Path, rtype: str, target: str) -> None:
    """Give a record one more relation (after its areas line)."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.startswith("areas:")) + 1
    if at < len(lines) and lines[at].startswith("relations:"):
        at += 1
    else:
        lines.insert(at, "relations:\n")
        at += 1
    lines.insert(at, f"  - type: {rtype}\n    target: {target}\n")
    path.write_text("".join(lines), encoding="utf-8")


def rebuilt(laws: Path, db: Path, today: dt.date = TODAY, change: tuple[str, str, str] | None = None):
    """A build on the previous one's state, after `change` (file below the
    laws folder, old text, new text): the problems it finds, and the same
    folder checked in full on the same day."""
    if change:
        edit(laws / change[0], change[1], change[2])
    corpus, _ = build(laws, db, previous=read_previous(db), today=today)
    assert isinstance(corpus.laws, LawIndex)  # the facts of unchanged records were read on demand
    return corpus, validate(laws, today=today)


@pytest.fixture
def built(laws_copy: Path, tmp_path: Path) -> tuple[Path, Path]:
    db = tmp_path / "laws.db"
    corpus, counts = build(laws_copy, db, today=TODAY)
    assert counts and not corpus.problems
    return laws_copy, db


def test_a_removed_record_is_missed_by_the_unchanged_ones(built: tuple[Path, Path]) -> None:
    laws, db = built
    (laws / "sg" / "electronic-transactions-act-2010.yml").unlink()
    corpus, full = rebuilt(laws, db)
    # the 1998 Act, unchanged, is superseded by nothing now; answers citing the 2010 Act cite nothing
    assert any("electronic-transactions-act-1998" in p.path and "superseded" in p.message for p in corpus.problems)
    assert corpus.problems == full.problems


def test_a_relation_that_contradicts_one_of_an_unchanged_record(built: tuple[Path, Path]) -> None:
    laws, db = built
    add_relation(laws / "sg" / "electronic-transactions-act-1998.yml", "replaces", "sg-electronic-transactions-act-2010")
    corpus, full = rebuilt(laws, db)
    assert any("is also recorded as the one that" in p.message for p in corpus.problems)
    assert corpus.problems == full.problems


def test_a_changed_record_that_replaces_an_unchanged_one_in_force(built: tuple[Path, Path]) -> None:
    laws, db = built
    add_relation(laws / "sg" / "personal-data-protection-amendment-act-2020.yml", "replaces", "sg-cybersecurity-act-2018")
    corpus, full = rebuilt(laws, db)
    found = [p for p in corpus.problems if p.path.endswith("cybersecurity-act-2018.yml")]
    assert found and "use superseded" in found[0].message  # the problem is on the record that did not change
    assert corpus.problems == full.problems


def test_a_changed_record_against_an_unchanged_coverage_statement(built: tuple[Path, Path]) -> None:
    laws, db = built
    # Timor-Leste's profile says there is no data-protection law
    areas = ("areas: [consumer-protection]", "areas: [consumer-protection, data-protection]")
    corpus, full = rebuilt(laws, db, change=("tl/consumer-protection-law-2016.yml", *areas))
    assert any(p.path.endswith("countries/tl.yml") and "data-protection" in p.message for p in corpus.problems)
    assert corpus.problems == full.problems


def test_a_date_reached_since_the_last_build_is_checked_again(laws_copy: Path, tmp_path: Path) -> None:
    laws, db = laws_copy, tmp_path / "laws.db"
    later = TODAY + dt.timedelta(days=5)
    edit(
        laws / "sg" / "cybersecurity-act-2018.yml",
        "  in_force: 2018-08-31\nstatus: in-force",
        f"  in_force: {later}\nstatus: enacted-not-in-force",
    )
    corpus, counts = build(laws, db, today=TODAY)
    assert counts and not corpus.problems
    # nothing changes in the folder; ten days on, that Act's in-force date has passed
    corpus, full = rebuilt(laws, db, today=TODAY + dt.timedelta(days=10))
    assert any(p.path.endswith("cybersecurity-act-2018.yml") and "has passed" in p.message for p in corpus.problems)
    assert corpus.problems == full.problems


def test_an_earlier_day_than_the_last_check_means_a_full_check(built: tuple[Path, Path]) -> None:
    laws, db = built
    areas = ("areas: [consumer-protection, data-protection]", "areas: [data-protection, consumer-protection]")
    corpus, full = rebuilt(laws, db, TODAY - dt.timedelta(days=1), ("sg/spam-control-act-2007.yml", *areas))
    assert corpus.problems == full.problems == []
    assert len(corpus.laws.values()) == len(full.laws)  # every law's facts were read for it


@pytest.fixture
def synthetic(tmp_path_factory) -> Path:
    return settled_corpus(tmp_path_factory.mktemp("synthetic"), 1500)


def test_a_one_record_edit_reads_a_few_facts_and_writes_what_a_full_build_writes(synthetic: Path, tmp_path: Path) -> None:
    db, full_db = tmp_path / "laws.db", tmp_path / "full.db"
    build(synthetic, db)
    edit(synthetic / "th" / "synthetic-law-8.yml", "short_title: SA 8", "short_title: SA 8 edited")
    corpus, counts = build(synthetic, db, previous=read_previous(db))
    assert counts and not corpus.problems and corpus.parsed == 1
    assert isinstance(corpus.laws, LawIndex) and len(corpus.laws) == 1500
    assert corpus.laws.read < 20, corpus.laws.read  # not the facts of fifteen hundred records
    build(synthetic, full_db)
    assert dump(db) == dump(full_db)


def test_the_walk_in_child_processes_finds_what_a_walk_here_finds(laws_copy: Path) -> None:
    (laws_copy / "stray").mkdir()
    (laws_copy / "stray" / "notes.yml").write_text("x: 1\n", encoding="utf-8")
    parts = halves(laws_copy)
    assert len(parts) == 2 and not parts[0] & parts[1] and "" in parts[0]
    background = BackgroundScan(laws_copy).result()
    here = scan(laws_copy.resolve())
    assert background == here
    assert any("stray" in p.path for p in here[1])  # problems come back from the children too
    assert len(here[2]) == sum(1 for kind, _, _ in here[0] if kind == "law")
