"""Load and validate a whole laws folder.

`load` reads every record once (in parallel when there are many) and applies
the schema and the one-record rules; `validate` adds the cross-record rules.
Given the digests and facts of a previous build (`Previous`), files whose
content has not changed are not parsed or checked again: their facts come
from that build, which only exists if they were valid.
"""

from __future__ import annotations

import datetime as dt
import os
import sys
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ingest.common.problems import Problem
from ingest.records.changes import Changes, compare
from ingest.records.files import digest, discover, is_law_key, law_id_of, show, shower
from ingest.records.law_index import KnownLaws, LawIndex
from ingest.records.model import ENACTED, IN_EFFECT, Corpus, LawFacts
from ingest.records.scan import BackgroundScan, Scanned, scan
from ingest.rules import answers as answer_rules
from ingest.rules import laws as rules
from ingest.rules import reviews as review_rules
from ingest.rules import source_checks as source_check_rules
from ingest.rules.reading import FileResult, LawRows, read_all


@dataclass
class Previous:
    """What a previous build knew: digest per file (relative to the laws folder)
    and the facts of each law by file."""

    digests: dict[str, str] = field(default_factory=dict)
    facts: dict[str, LawFacts] = field(default_factory=dict)
    builder: str = ""  # digest of the code and SQL that wrote that build
    # size and modification time of law files when their digest was taken: a
    # file with the same ones now is not read again to take its digest
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)
    times: Mapping[str, tuple[str, str, str]] = field(default_factory=dict)  # record_times rows of that build
    times_today: str = ""  # the day those times were computed on
    # the database a build state describes (ingest.build.build_state), when read from one: that state can be patched
    state_of: list[int] | None = None
    # when set, `facts` is empty and the facts of unchanged records are read from here as needed
    known: KnownLaws | None = None


Sink = Callable[[Corpus, Any], None]  # receives the rows `rows` made of each valid law record


def load(
    root: Path,
    previous: Previous | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    sink: Sink | None = None,
    rows: LawRows | None = None,
    scanned: BackgroundScan | None = None,
    also: Collection[str] = (),
) -> Corpus:
    """Read the laws folder. What `rows` makes of each valid law record (in the
    worker process that read it) is passed to `sink` (if any) as it is read;
    the parsed record is dropped, so memory holds only the small facts.
    `scanned` is a walk of the folder already under way. The law files at the
    keys in `also` are read again even if they have not changed."""
    root = root.resolve()
    also = frozenset(also)
    found, problems, sizes, changes = scanned.result() if scanned is not None else Scanned(*discover(root), {}, None)
    corpus = _read_support(root, found, problems)
    schema_dir = root / "schemas"
    if previous and _support(previous.digests) != _support(corpus.digests):
        previous = None  # schemas, vocabularies or profiles changed: check everything again
    corpus.incremental = previous is not None
    known = previous.known if previous is not None else None
    if changes is not None and (known is None or previous is None or changes.state_of != previous.state_of):
        # the walk compared the files with a state this build does not use: the law files are needed after all
        found, _, sizes, changes = scan(root)
    law_files = [(p, r) for k, p, r in found if k == "law"]

    to_read: list[tuple[str, str]] = []
    shown = shower()
    if previous is not None and known is not None:
        if changes is None:
            changes = compare(law_files, sizes, known.kept(), previous.state_of)
        to_read = _take_changes(corpus, previous, known, changes, shown, also)
        law_files = []  # nothing left for the loop below
    del found, sizes  # not to be inherited by the worker processes
    # a hundred thousand files go through this loop: what it uses is looked up once
    old_facts = previous.facts if previous else {}
    old_stats = previous.stats if previous else {}
    old_digests = previous.digests if previous else {}
    digests, stats, laws, stat = corpus.digests, corpus.stats, corpus.laws, os.stat
    for file, key in law_files:
        old = old_facts.get(key)
        if old is not None and key not in also:
            known_digest = old_digests.get(key)
            st = stat(file)
            sig = (st.st_size, st.st_mtime_ns)
            # the digest already known when the file's size and time are those it had then
            h = known_digest if known_digest and old_stats.get(key) == sig else _digest(file)
            if known_digest == h:
                old.path = shown(file)
                digests[key] = h
                stats[key] = sig
                laws[old.id] = old
                corpus.reused += 1
                continue
        to_read.append((file, key))
    if progress and corpus.reused:
        progress(corpus.reused)
    # the workers check each record on its own and make its rows; here, what needs every record
    context = replace(corpus, laws={}, problems=[], digests={}, answer_files={}, review_files={}, peer_files={})
    results = read_all(schema_dir, [("law", p) for p, _ in to_read], jobs=jobs, progress=progress, context=context, rows=rows)
    for (_, key), res in zip(to_read, results, strict=True):
        corpus.parsed += 1
        corpus.digests[key] = res.digest
        if res.stat:
            corpus.stats[key] = res.stat
        if res.facts is None:
            corpus.problems.extend(res.problems)
            continue
        rid = res.facts.id
        if rid in corpus.laws:
            corpus.problems.append(Problem(res.path, 1, "id", f"'{rid}' is already the id of {corpus.laws[rid].path}"))
            continue
        _add_law(corpus, _shared(res.facts))
        if sink:
            sink(corpus, res.rows)
    return corpus


def _take_changes(
    corpus: Corpus,
    previous: Previous,
    known: KnownLaws,
    changes: Changes,
    shown: Callable[[str], str],
    also: Collection[str] = (),
) -> list[tuple[str, str]]:
    """The law files to read again when the previous build's facts are read
    only as needed (`known`): the new and changed ones, and those in `also`
    still there. The others keep that build's digest, and their facts stay
    where they are until asked for."""
    excluded = {key for _, key in changes.changed}
    excluded.update(changes.gone)
    root = corpus.root
    again = [(os.path.join(root, *k.split("/")), k) for k in sorted(set(also) - excluded) if k in previous.digests]
    excluded.update(k for _, k in again)
    digests = corpus.digests
    kept = {k: d for k, d in previous.digests.items() if is_law_key(k)}
    for key in excluded:
        kept.pop(key, None)
    digests.update(kept)
    corpus.stats.update(changes.touched)
    corpus.laws = LawIndex(known, corpus.root, kept.keys(), shown)
    corpus.reused = len(kept)
    corpus.changes = changes
    return changes.changed + again


def _digest(file: str) -> str:
    with open(file, "rb") as fh:
        return digest(fh.read())


def load_support(root: Path) -> Corpus:
    """The laws folder without its law records: schemas, vocabularies, country
    profiles, official hosts, codebook, answers and reviews, enough to apply
    the one-record rules to a record on its own (the site's forms do)."""
    root = root.resolve()
    found, problems = discover(root)
    return _read_support(root, found, problems)


def _read_support(root: Path, found: list[tuple[str, str, str]], problems: list[Problem]) -> Corpus:
    """Schemas, vocabularies and profiles are few: always read them."""
    corpus = Corpus(root=str(root), problems=problems)
    schema_dir = root / "schemas"
    support = [(k, p, r) for k, p, r in found if k != "law"]
    for p in sorted(schema_dir.glob("*.schema.json")):
        corpus.digests[f"schemas/{p.name}"] = digest(p.read_bytes())
    for res, (kind, _, r) in zip(read_all(schema_dir, [(k, p) for k, p, _ in support], jobs=1), support, strict=True):
        corpus.digests[r] = res.digest
        _take_support(corpus, kind, res)
    return corpus


def _support(digests: dict[str, str]) -> dict[str, str]:
    """The digests of the files whose change means every law record must be
    checked again. Codebook and answer files are not among them: they are
    always read and checked, and their tables always rewritten."""
    return {k: v for k, v in digests.items() if k.split("/", 1)[0] in ("schemas", "vocabularies", "countries", "sources")}


def _add_law(corpus: Corpus, facts: LawFacts) -> None:
    corpus.laws[facts.id] = facts


def _shared(facts: LawFacts) -> LawFacts:
    """The facts with their short texts (codes, dates, provision refs) shared
    with every other record's: a hundred thousand records hold few distinct
    ones, and the facts of every record stay in memory for the whole build
    (in tuples, which are smaller than lists and share the empty one)."""
    intern = sys.intern
    facts.country, facts.status = intern(facts.country), intern(facts.status)
    facts.evidence, facts.verification = intern(facts.evidence), intern(facts.verification)
    facts.areas = tuple([intern(a) for a in facts.areas])
    facts.relations = tuple([(intern(t), target) for t, target in facts.relations])
    facts.dates = {intern(k): intern(v) for k, v in facts.dates.items()}
    facts.provisions = tuple([intern(r) for r in facts.provisions])
    facts.quoted = tuple([intern(r) for r in facts.quoted])
    if facts.last_verified is not None:
        facts.last_verified = intern(facts.last_verified)
    return facts


def _take_support(corpus: Corpus, kind: str, res: FileResult) -> None:
    if res.data is None:
        corpus.problems.extend(res.problems)
        return
    if kind == "codebook":
        corpus.codebook, corpus.codebook_path = res.data, res.path
        return
    if kind == "official-hosts":
        corpus.official_hosts = res.data["entries"]
        return
    keyed = {
        "indicators": ("area", corpus.indicator_files),
        "answers": ("country", corpus.answer_files),
        "review": ("id", corpus.review_files),
        "peer": ("peer", corpus.peer_files),
        "source-checks": ("country", corpus.source_check_files),
    }
    if kind in keyed:
        field_name, files = keyed[kind]
        key = res.data[field_name]
        if key in files:
            corpus.problems.append(Problem(res.path, 1, field_name, f"{key} is already given in {files[key][0]}"))
            return
        files[key] = (res.path, res.data)
        return
    if kind == "vocabulary":
        name = res.data["vocabulary"]
        if Path(res.path).stem != name:
            corpus.problems.append(Problem(res.path, 1, "vocabulary", f"is '{name}' but the file is named {Path(res.path).name}"))
            return
        corpus.vocab[name] = res.data["entries"]
        corpus.vocab_paths[name] = res.path
        corpus.vocab_titles[name] = res.data["title"]
    else:
        code = res.data["code"]
        if code in corpus.countries:
            corpus.problems.append(Problem(res.path, 1, "code", f"{code} already has a profile in {corpus.country_paths[code]}"))
            return
        bad = [u for u in _profile_urls(res.data) if rules.url_problem(u)]
        if bad:
            corpus.problems.extend(Problem(res.path, 0, "url", rules.url_problem(u) or "") for u in bad)
        corpus.countries[code] = res.data
        corpus.country_paths[code] = res.path


def _profile_urls(profile: dict[str, Any]) -> list[str]:
    urls = [profile[k]["url"] for k in ("legislative_portal", "trade_repository") if k in profile]
    for st in profile.get("coverage") or []:
        urls += [s["url"] for s in st["sources"] if "url" in s]
    return urls


def validate(
    root: Path,
    previous: Previous | None = None,
    today: dt.date | None = None,
    jobs: int | None = None,
    progress: Callable[[int], None] | None = None,
    sink: Sink | None = None,
    rows: LawRows | None = None,
    scanned: BackgroundScan | None = None,
    also: Collection[str] = (),
) -> Corpus:
    """Load and apply every rule; `corpus.problems` lists all problems, sorted.
    The law files at the keys in `also` are read again even if unchanged."""
    corpus = load(root, previous, jobs, progress, sink, rows, scanned, also)
    required = sorted({vocab for _, _, vocab in rules.SCHEMA_ENUMS} | {"languages", "relation-types", "answer-values"})
    missing = [v for v in required if v not in corpus.vocab]
    if missing:
        corpus.problems.append(Problem(show(root / "vocabularies"), 0, "", f"missing vocabularies: {', '.join(missing)}"))
    else:
        scope = _scope(corpus, previous, today or dt.date.today()) if previous is not None else None
        corpus.problems.extend(rules.corpus_problems(corpus, today or dt.date.today(), scope))
        corpus.problems.extend(answer_rules.problems(corpus, today or dt.date.today()))
        corpus.problems.extend(review_rules.problems(corpus, today or dt.date.today()))
        corpus.problems.extend(source_check_rules.problems(corpus))
    corpus.problems = sorted(set(corpus.problems))
    return corpus


def _scope(corpus: Corpus, previous: Previous, today: dt.date) -> rules.Scope | None:
    """What the cross-record rules must look at again when only some records
    were read (their facts in a LawIndex): the changed laws, the laws one of
    whose dates has been reached since the previous build applied the rules,
    and every law a relation links to those or to removed laws. None (check
    everything) when that build's day of checking is unknown or later than
    `today`."""
    laws, known = corpus.laws, previous.known
    if not isinstance(laws, LawIndex) or known is None or not known.checked_on or today.isoformat() < known.checked_on:
        return None
    fresh = laws.fresh
    if corpus.changes is not None:
        gone = {law_id_of(k) for k in corpus.changes.gone}
    else:
        gone = {law_id_of(k) for k in previous.digests if is_law_key(k) and k not in corpus.digests}

    def related(ids: set[str]) -> set[str]:
        out = known.related(ids)
        for law in fresh.values():
            targets = {target for _, target in law.relations}
            if law.id in ids:
                out |= targets
            elif targets & ids:
                out.add(law.id)
        return out

    seeds = set(fresh) | known.due(known.checked_on, today.isoformat())
    ids = seeds | related(seeds | gone)
    context = ids | related(ids)
    changed = set(fresh) | gone
    # a record's country is that of its folder (a rule): the member states whose coverage may read otherwise
    countries = {i[:2].upper() for i in changed} | {law.country for law in fresh.values()}
    present = {i for i in context if i in laws}
    return rules.Scope(ids & present, present, countries, _KnownCells(known, fresh, changed))


class _KnownCells:
    """The coverage rule's questions answered from the previous build (leaving
    out the laws changed or removed since) and the records read again."""

    def __init__(self, known: KnownLaws, fresh: dict[str, LawFacts], changed: set[str]) -> None:
        self.known, self.fresh, self.changed = known, fresh, changed

    def _fresh_in(self, country: str, area: str, statuses: tuple[str, ...]) -> list[str]:
        return [x.id for x in self.fresh.values() if x.country == country and area in x.areas and x.status in statuses]

    def in_effect(self, country: str, area: str) -> list[str]:
        return self.known.laws_in(country, area, IN_EFFECT, self.changed, 0) + self._fresh_in(country, area, IN_EFFECT)

    def enacted(self, country: str, area: str) -> bool:
        return bool(self._fresh_in(country, area, ENACTED) or self.known.laws_in(country, area, ENACTED, self.changed, 1))
