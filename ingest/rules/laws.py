"""Rules beyond the JSON Schema: one function per rule, each yielding problems.

`record_rules` look at one parsed record (their result depends only on the
file's content and the vocabularies). `corpus_rules` look across records and
at today's date, and run on every validation.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import Any, Protocol
from urllib.parse import urlsplit

from ingest.common import dates
from ingest.common.problems import Problem, dotted
from ingest.records.files import line_of_field
from ingest.records.model import ENACTED, IN_EFFECT, Corpus, LawFacts
from ingest.rules import verification

FieldPath = tuple[str | int, ...]
Found = Iterator[tuple[FieldPath, str]]
DATE_ORDER = ("adopted", "promulgated", "in_force", "repealed")
FORWARD = ("amends", "replaces", "implements")


# --------------------------------------------------------------------------
# Rules on one record (content only)


def rule_id_matches_path(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    p = PurePath(path)
    folder, stem = p.parent.name, p.stem
    if rec["country"].lower() != folder:
        yield ("country",), f"is {rec['country']} but the file is in the folder '{folder}/'"
    expected = f"{folder}-{stem}"
    if rec["id"] != expected:
        yield ("id",), f"is '{rec['id']}' but a record in {folder}/{stem}.yml must have the id '{expected}'"


def rule_language_codes(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    known = set(corpus.codes("languages"))
    for i, t in enumerate(rec.get("local_titles") or []):
        if t["lang"].split("-")[0] not in known:
            yield ("local_titles", i, "lang"), _unknown_language(t["lang"], known)
    for i, link in enumerate(rec.get("links") or []):
        if link["language"].split("-")[0] not in known:
            yield ("links", i, "language"), _unknown_language(link["language"], known)


def _unknown_language(code: str, known: set[str]) -> str:
    return f"'{code}' is not in the languages vocabulary ({', '.join(sorted(known))})"


def rule_urls(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    urls: list[tuple[FieldPath, str]] = [(("links", i, "url"), x["url"]) for i, x in enumerate(rec.get("links") or [])]
    prov = rec.get("provenance") or {}
    urls += [(("provenance", "sources", i, "url"), s["url"]) for i, s in enumerate(prov.get("sources") or []) if "url" in s]
    for fp, url in urls:
        problem = url_problem(url)
        if problem:
            yield fp, problem


def url_problem(url: str) -> str | None:
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        return f"{url!r} is not a well-formed URL"
    host = parts.hostname or ""
    if parts.scheme not in ("http", "https") or "." not in host or any(c in url for c in " <>\"'`"):
        return f"{url!r} is not a well-formed http(s) URL"
    if "…" in url:
        return f"{url!r} is shortened (contains …); give the full address or leave the URL out"
    return None


def rule_dates_in_order(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    d = rec.get("dates") or {}
    for i, later in enumerate(DATE_ORDER):
        for earlier in DATE_ORDER[:i]:
            if later in d and earlier in d and dates.certainly_before(d[later], d[earlier]):
                yield ("dates", later), f"{later} ({d[later]}) is before {earlier} ({d[earlier]})"
    for key, value in d.items():
        if value != "unknown" and dates.parse_bounds(value) is None:
            yield ("dates", key), f"{value!r} is not a real calendar date"


def rule_evidence_is_flagged(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    prov = rec["provenance"]
    if prov["evidence"] != "seen":
        if prov["verification"] != "unverified":
            yield ("provenance", "verification"), (f"must be 'unverified' while the evidence is '{prov['evidence']}'")
        if not prov.get("note"):
            yield ("provenance", "note"), f"must say what is uncertain (evidence is '{prov['evidence']}')"
    if (rec.get("dates") or {}).get("in_force") == "unknown" and not prov.get("note"):
        yield ("provenance", "note"), "must explain why the in-force date is unknown"


def rule_provision_refs_unique(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    seen: dict[str, int] = {}
    for i, p in enumerate(rec.get("provisions") or []):
        ref = " ".join(p["ref"].split()).lower()
        if ref in seen:
            yield ("provisions", i, "ref"), f"'{p['ref']}' is listed twice (also provisions[{seen[ref]}])"
        seen.setdefault(ref, i)


def rule_relations_well_formed(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    seen = set()
    for i, r in enumerate(rec.get("relations") or []):
        if r["target"] == rec["id"]:
            yield ("relations", i, "target"), "a law cannot be related to itself"
        key = (r["type"], r["target"])
        if key in seen:
            yield ("relations", i), f"the relation {r['type']} {r['target']} is given twice"
        seen.add(key)


def rule_verification_earned(path: str, rec: dict[str, Any], corpus: Corpus) -> Found:
    yield from verification.record_findings(rec, corpus.official_hosts)


RECORD_RULES: list[Callable[[str, dict[str, Any], Corpus], Found]] = [
    rule_id_matches_path,
    rule_language_codes,
    rule_urls,
    rule_dates_in_order,
    rule_evidence_is_flagged,
    rule_provision_refs_unique,
    rule_relations_well_formed,
    rule_verification_earned,
]


def record_problems(path: str, rec: dict[str, Any], corpus: Corpus) -> list[Problem]:
    found = [(fp, msg) for rule in RECORD_RULES for fp, msg in rule(path, rec, corpus)]
    return _located(path, found)


def _located(path: str, found: list[tuple[FieldPath, str]]) -> list[Problem]:
    return [Problem(path, line_of_field(path, fp), dotted(fp), msg) for fp, msg in found]


# --------------------------------------------------------------------------
# Rules across records (run every time; cheap)


def canonical_edges(law: LawFacts, inverse: dict[str, str]) -> Iterator[tuple[str, str, str, int]]:
    """(from, forward type, to, index in the record) for each stated relation."""
    for i, (rtype, target) in enumerate(law.relations):
        if rtype in FORWARD:
            yield law.id, rtype, target, i
        else:
            yield target, inverse[rtype], law.id, i


@dataclass
class Scope:
    """The part of a corpus whose cross-record problems may differ from those
    of the previous build, which had none: the laws in `ids` are checked
    again, with every law a relation links them to in `context`, and the
    coverage statements of `countries` are checked again against `cells`."""

    ids: set[str]
    context: set[str]
    countries: set[str]
    cells: Cells


class Cells(Protocol):
    """What the coverage rule asks of the laws of a member state in an area."""

    def in_effect(self, country: str, area: str) -> list[str]:
        """Ids of the laws in force."""

    def enacted(self, country: str, area: str) -> bool:
        """Whether there is an enacted law."""


class _FactCells:
    def __init__(self, laws: Iterable[LawFacts]) -> None:
        self._cells: dict[tuple[str, str], list[LawFacts]] = defaultdict(list)
        for law in laws:
            if law.status in ENACTED:
                for area in law.areas:
                    self._cells[(law.country, area)].append(law)

    def in_effect(self, country: str, area: str) -> list[str]:
        return [x.id for x in self._cells.get((country, area), []) if x.status in IN_EFFECT]

    def enacted(self, country: str, area: str) -> bool:
        return bool(self._cells.get((country, area)))


def corpus_problems(corpus: Corpus, today: dt.date, scope: Scope | None = None) -> list[Problem]:
    found: list[tuple[str, FieldPath, str]] = []
    inverse = corpus.inverse()
    laws = corpus.laws
    checked: Iterable[LawFacts] = laws.values() if scope is None else [laws[i] for i in sorted(scope.ids)]
    context: Iterable[LawFacts] = checked if scope is None else [laws[i] for i in sorted(scope.context)]

    # relations: targets exist; no contradictions
    for law in checked:
        for i, (_, target) in enumerate(law.relations):
            if target not in laws:
                found.append((law.path, ("relations", i, "target"), f"no law record has the id '{target}'"))
    edges: dict[tuple[str, str, str], tuple[str, FieldPath]] = {}
    for law in context:
        for src, rtype, dst, i in canonical_edges(law, inverse):
            if law.relations[i][1] in laws:
                edges.setdefault((src, rtype, dst), (law.path, ("relations", i)))
    for (src, rtype, dst), (path, fp) in sorted(edges.items()):
        if src < dst and (dst, rtype, src) in edges and (scope is None or src in scope.ids or dst in scope.ids):
            found.append((path, fp, f"{src} {rtype} {dst}, but {dst} is also recorded as the one that {rtype} {src}"))
    replaced_by: dict[str, list[str]] = defaultdict(list)
    for src, rtype, dst in edges:
        if rtype == "replaces":
            replaced_by[dst].append(src)

    for law in checked:
        found.extend((law.path, fp, msg) for fp, msg in _status_problems(law, replaced_by.get(law.id, []), laws, today))

    found.extend(_coverage_problems(corpus, scope))
    found.extend(_profile_problems(corpus, checked))
    problems = [Problem(path, line_of_field(path, fp) if fp else 0, dotted(fp), msg) for path, fp, msg in found]
    return problems + _vocabulary_problems(corpus)


def _status_problems(law: LawFacts, successors: list[str], laws: Mapping[str, LawFacts], today: dt.date) -> Found:
    d, status = law.dates, law.status
    in_force = d.get("in_force")
    starts = dates.earliest(in_force) if in_force and in_force != "unknown" else None
    for key in ("adopted", "promulgated"):
        if key in d and (dates.earliest(d[key]) or today) > today:
            yield ("dates", key), f"{d[key]} is in the future"
    if status in IN_EFFECT:
        if not in_force:
            yield (
                ("dates", "in_force"),
                (f"is missing: a law marked {status} needs its in-force date (or the word unknown, explained in the note)"),
            )
        elif starts and starts > today:
            yield ("status",), f"is {status} but the in-force date {in_force} is in the future: use enacted-not-in-force"
        if "repealed" in d and (dates.latest(d["repealed"]) or today) <= today:
            yield ("status",), f"is {status} but the law was repealed on {d['repealed']}"
    elif status == "enacted-not-in-force":
        if in_force == "unknown":
            yield ("dates", "in_force"), "'unknown' is only for laws in force; leave the date out"
        elif starts and in_force and (dates.latest(in_force) or today) <= today:
            yield ("status",), f"is enacted-not-in-force but the in-force date {in_force} has passed: update the status"
        if not ("adopted" in d or "promulgated" in d):
            yield ("dates",), "an enacted law needs its adoption or promulgation date"
    elif status == "draft":
        for key in ("in_force", "repealed"):
            if key in d:
                yield ("dates", key), "a draft has no in-force or repeal date"
    elif status == "repealed":
        if "repealed" not in d and not successors:
            yield ("status",), "is repealed but there is no repeal date and no law recorded as replacing it"
        elif "repealed" in d and (dates.earliest(d["repealed"]) or today) > today:
            yield ("status",), f"is repealed but the repeal date {d['repealed']} is in the future"
    elif status == "superseded" and not successors:
        yield ("status",), "is superseded but no law record replaces it (add a replaced-by relation)"
    if status in ENACTED:
        for succ in successors:
            other = laws[succ]
            other_start = other.dates.get("in_force")
            started = other_start and other_start != "unknown" and (dates.latest(other_start) or today) <= today
            if other.status in IN_EFFECT and started:
                yield ("status",), (f"is {status} but it is replaced by {succ}, in force since {other_start}: use superseded")


def _coverage_problems(corpus: Corpus, scope: Scope | None) -> Iterator[tuple[str, FieldPath, str]]:
    cells = _FactCells(corpus.laws.values()) if scope is None else scope.cells
    for code, profile in sorted(corpus.countries.items()):
        if scope is not None and code not in scope.countries:
            continue
        path = corpus.country_paths[code]
        stated: dict[str, int] = {}
        for i, st in enumerate(profile.get("coverage") or []):
            if st["area"] in stated:
                yield path, ("coverage", i, "area"), f"{st['area']} has two statements"
            stated[st["area"]] = i
            in_force = cells.in_effect(code, st["area"]) if st["status"] in ("none", "draft", "unknown") else []
            if in_force:
                yield (
                    path,
                    ("coverage", i, "status"),
                    (f"says '{st['status']}' for {st['area']}, but {', '.join(sorted(in_force))} is in force in that area"),
                )
        for area in corpus.codes("areas"):
            if area not in stated and not cells.enacted(code, area):
                yield (
                    path,
                    ("coverage",),
                    (
                        f"{code} has no enacted law record for {area} and no statement about it: "
                        "add a coverage entry (none, draft, partial or unknown) with its source"
                    ),
                )


def _profile_problems(corpus: Corpus, laws: Iterable[LawFacts]) -> Iterator[tuple[str, FieldPath, str]]:
    for code, path in corpus.country_paths.items():
        if Path(path).stem != code.lower():
            yield path, ("code",), f"is {code} but the file is named {Path(path).name}; name it {code.lower()}.yml"
    for law in laws:
        if law.country not in corpus.countries:
            yield law.path, ("country",), f"{law.country} has no country profile in countries/{law.country.lower()}.yml"


def _vocabulary_problems(corpus: Corpus) -> list[Problem]:
    out: list[Problem] = []
    for name, path in corpus.vocab_paths.items():
        codes = corpus.codes(name)
        dupes = sorted({c for c in codes if codes.count(c) > 1})
        for c in dupes:
            out.append(Problem(path, 0, "entries", f"the code '{c}' is listed twice"))
    inverse = corpus.inverse()
    for code in corpus.codes("relation-types"):
        if inverse.get(inverse.get(code, ""), None) != code:
            out.append(
                Problem(corpus.vocab_paths["relation-types"], 0, "entries", f"'{code}' needs an inverse that points back to it")
            )
    # The schemas carry the vocabularies as enums (for editors); they must agree.
    schema_dir = Path(corpus.root) / "schemas"
    for schema_name, field_path, vocab in SCHEMA_ENUMS:
        try:
            node: Any = json.loads((schema_dir / schema_name).read_text(encoding="utf-8"))
            for key in field_path:
                node = node[key]
            listed = node["enum"]
        except (OSError, KeyError, ValueError):
            out.append(Problem(str(schema_dir / schema_name), 0, "", "cannot be read as the expected JSON Schema"))
            continue
        if vocab in corpus.vocab and sorted(listed) != sorted(corpus.codes(vocab)):
            field = ".".join(f for f in field_path if f not in ("properties", "items"))
            out.append(
                Problem(
                    str(schema_dir / schema_name),
                    0,
                    field,
                    f"lists {sorted(listed)} but vocabularies/{vocab}.yml has {sorted(corpus.codes(vocab))}",
                )
            )
    return out


_P = "properties"
SCHEMA_ENUMS: list[tuple[str, tuple[str, ...], str]] = [
    ("law.schema.json", (_P, "instrument_type"), "instrument-types"),
    ("law.schema.json", (_P, "status"), "statuses"),
    ("law.schema.json", (_P, "areas", "items"), "areas"),
    ("law.schema.json", (_P, "relations", "items", _P, "type"), "relation-types"),
    ("law.schema.json", (_P, "alignment", "items", _P, "instrument"), "international-instruments"),
    ("law.schema.json", (_P, "links", "items", _P, "kind"), "link-kinds"),
    ("law.schema.json", (_P, "provisions", "items", _P, "area"), "areas"),
    ("law.schema.json", (_P, "provenance", _P, "verification"), "verification"),
    ("law.schema.json", (_P, "provenance", _P, "evidence"), "evidence"),
    ("country.schema.json", (_P, "coverage", "items", _P, "area"), "areas"),
    ("country.schema.json", (_P, "coverage", "items", _P, "status"), "coverage-statuses"),
    ("indicators.schema.json", (_P, "area"), "areas"),
    ("indicators.schema.json", (_P, "indicators", "items", _P, "answer_type"), "answer-types"),
    ("indicators.schema.json", (_P, "indicators", "items", _P, "unit"), "units"),
    (
        "indicators.schema.json",
        (_P, "indicators", "items", _P, "reference", "items", _P, "instrument"),
        "international-instruments",
    ),
    ("answers.schema.json", (_P, "answers", "items", _P, "verification", _P, "status"), "verification"),
    ("answers.schema.json", (_P, "answers", "items", _P, "verification", _P, "evidence"), "evidence"),
    ("answers.schema.json", (_P, "answers", "items", _P, "review", _P, "status"), "review-statuses"),
    ("review.schema.json", (_P, "type"), "review-types"),
    ("review.schema.json", (_P, "status"), "review-stages"),
    ("review.schema.json", (_P, "scope", _P, "areas", "items"), "areas"),
    ("review.schema.json", (_P, "findings", "items", _P, "assessment"), "assessments"),
    ("review.schema.json", (_P, "findings", "items", _P, "response"), "responses"),
]
