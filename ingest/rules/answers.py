"""Rules for the codebook and the answers, beyond their JSON Schemas.

Codebook: one file per area, named for it; indicator ids unique; versions in
order and known. Answers: one file per member state; each indicator exists
and is answered once; the value fits the indicator's type; the legal basis
resolves to a law of the same country and to a provision listed on it; the
current answer rests on a law that is enacted; dates are real and ordered;
history periods do not overlap; weak evidence and unknowns are explained.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from ingest.common import dates
from ingest.common.problems import Problem, dotted
from ingest.records.answers import NEEDS_NO_BASIS, periods, value_problem
from ingest.records.files import line_of_field
from ingest.records.model import ENACTED, Corpus
from ingest.records.sources import ref_key
from ingest.rules import verification
from ingest.rules.verification import CHECKED

FieldPath = tuple[str | int, ...]
Found = Iterator[tuple[str, FieldPath, str]]


def problems(corpus: Corpus, today: dt.date) -> list[Problem]:
    found = [*_codebook_problems(corpus), *_answer_problems(corpus, today)]
    return [Problem(path, line_of_field(path, fp) if fp else 0, dotted(fp), msg) for path, fp, msg in found]


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(x) for x in text.split("."))


def _codebook_problems(corpus: Corpus) -> Found:
    book, path = corpus.codebook, corpus.codebook_path
    if book is None:
        if corpus.indicator_files or corpus.answer_files:
            yield (
                str(PurePath(corpus.root) / "codebook" / "codebook.yml"),
                (),
                "is missing: the codebook's version, date and changes are required",
            )
        return
    changes = book["changes"]
    for i in range(1, len(changes)):
        if _version(changes[i]["version"]) <= _version(changes[i - 1]["version"]):
            yield path, ("changes", i, "version"), f"{changes[i]['version']} does not come after {changes[i - 1]['version']}"
        if changes[i]["date"] < changes[i - 1]["date"]:
            yield path, ("changes", i, "date"), f"{changes[i]['date']} is before the previous change ({changes[i - 1]['date']})"
    last = changes[-1]
    if (last["version"], last["date"]) != (book["version"], book["date"]):
        yield (
            path,
            ("version",),
            (
                f"is {book['version']} of {book['date']} but the last change is "
                f"{last['version']} of {last['date']}: record every version in changes"
            ),
        )
    versions = {c["version"] for c in changes}
    areas = set(corpus.codes("areas"))
    seen: dict[str, str] = {}
    for area, (ipath, data) in sorted(corpus.indicator_files.items()):
        if PurePath(ipath).stem != area:
            yield ipath, ("area",), f"is {area} but the file is named {PurePath(ipath).name}; name it {area}.yml"
        if area not in areas:
            yield ipath, ("area",), f"'{area}' is not in the areas vocabulary"
        for i, ind in enumerate(data["indicators"]):
            if ind["id"] in seen:
                yield ipath, ("indicators", i, "id"), f"'{ind['id']}' is already an indicator in {seen[ind['id']]}"
            seen.setdefault(ind["id"], ipath)
            for key in ("since_version", "withdrawn_in"):
                if key in ind and ind[key] not in versions:
                    yield ipath, ("indicators", i, key), f"{ind[key]} is not a version listed in codebook/codebook.yml"
            codes = [o["code"] for o in ind.get("options") or []]
            for j, code in enumerate(codes):
                if code in codes[:j] or code in ("not-applicable", "unknown"):
                    yield ipath, ("indicators", i, "options", j, "code"), f"'{code}' is listed twice or is reserved"
    for i, change in enumerate(changes):
        for j, ind_id in enumerate(change.get("indicators") or []):
            if ind_id not in seen:
                yield path, ("changes", i, "indicators", j), f"no indicator has the id '{ind_id}'"


def _answer_problems(corpus: Corpus, today: dt.date) -> Found:
    indicators = corpus.indicators()
    for country, (path, data) in sorted(corpus.answer_files.items()):
        if PurePath(path).stem != country.lower():
            yield path, ("country",), f"is {country} but the file is named {PurePath(path).name}; name it {country.lower()}.yml"
        if country not in corpus.countries:
            yield path, ("country",), f"{country} has no country profile in countries/{country.lower()}.yml"
        first: dict[str, int] = {}
        for i, answer in enumerate(data["answers"]):
            ind_id = answer["indicator"]
            if ind_id in first:
                yield path, ("answers", i, "indicator"), f"'{ind_id}' is answered twice (also answers[{first[ind_id]}])"
                continue
            first[ind_id] = i
            indicator = indicators.get(ind_id)
            if indicator is None:
                yield path, ("answers", i, "indicator"), f"no indicator of the codebook has the id '{ind_id}'"
                continue
            yield from _one_answer(corpus, path, country, ("answers", i), answer, indicator)


def _one_answer(
    corpus: Corpus, path: str, country: str, at: FieldPath, answer: dict[str, Any], indicator: dict[str, Any]
) -> Found:
    ver, review = answer["verification"], answer["review"]
    if ver["evidence"] != "seen":
        if ver["status"] != "unverified":
            yield path, (*at, "verification", "status"), f"must be 'unverified' while the evidence is '{ver['evidence']}'"
        if not answer.get("note"):
            yield path, (*at, "note"), f"must say what is uncertain (evidence is '{ver['evidence']}')"
    if review["status"] == "peer-reviewed" and ver["status"] == "unverified" and ver["evidence"] != "seen":
        yield path, (*at, "review", "status"), "a peer-reviewed answer cannot rest on weak or recalled evidence"
    if dates.parse_bounds(ver["on"]) is None:
        yield path, (*at, "verification", "on"), f"{ver['on']!r} is not a real calendar date"
    if ver["status"] in CHECKED:
        unquoted = [j for j, b in enumerate(answer.get("basis") or []) if not verification.basis_quoted(corpus, b)]
        if unquoted or not answer.get("basis"):
            yield (
                path,
                (*at, "verification", "status"),
                (
                    f"claims '{ver['status']}', but "
                    + (
                        "legal basis " + ", ".join(str(j) for j in unquoted) + " has no quote from an official text "
                        "(quote the operative words with the official address, here or on the law record's provision)"
                        if answer.get("basis")
                        else "the answer cites no legal basis to check"
                    )
                ),
            )
    history = answer.get("history") or []
    spans = periods(answer)
    for period in spans:
        item = period.data
        here = at if period.seq == 0 else (*at, "history", period.seq - 1)
        problem = value_problem(indicator, item["value"], item.get("currency"))
        if problem:
            yield path, (*here, "value"), problem
        for key in ("since", "until"):
            if key in item and dates.parse_bounds(item[key]) is None:
                yield path, (*here, key), f"{item[key]!r} is not a real calendar date"
        if "since" in item and "until" in item and not dates.certainly_before(item["since"], item["until"]):
            yield path, (*here, "until"), f"{item['until']} is not after since ({item['since']})"
        if item["value"] == "unknown" and not item.get("note"):
            yield path, (*here, "note"), "must say what is missing for the answer to be known"
        yield from _basis_problems(
            corpus, path, country, here, item, current=period.seq == 0, required=indicator.get("basis_required", True)
        )
    # history: newest first, periods one after another
    for k, item in enumerate(history):
        newer = answer if k == 0 else history[k - 1]
        where = (*at, "history", k, "until")
        if "since" in newer and dates.certainly_before(newer["since"], item["until"]):
            yield path, where, (f"the period until {item['until']} overlaps the newer answer, which holds since {newer['since']}")
        if k and dates.certainly_before(history[k - 1]["until"], item["until"]):
            yield (
                path,
                where,
                (f"{item['until']} is after the newer period's end ({history[k - 1]['until']}): list history newest first"),
            )


def _basis_problems(
    corpus: Corpus, path: str, country: str, here: FieldPath, item: dict[str, Any], current: bool, required: bool
) -> Found:
    basis = item.get("basis") or []
    value = item["value"]
    if not basis and value not in NEEDS_NO_BASIS and required:
        yield path, (*here, "basis"), f"is required for the answer {value!r}: cite the law and provision it rests on"
    if not basis and (value in ("no", "not-applicable") or not required) and not item.get("note"):
        yield path, (*here, "note"), f"must explain the answer {value!r} when no legal basis is cited"
    for j, b in enumerate(basis):
        if isinstance(b.get("quote"), dict):
            problem = verification.quote_problem(b["quote"])
            if problem:
                yield path, (*here, "basis", j, "quote", "text"), problem
        law = corpus.laws.get(b["law"])
        if law is None:
            yield path, (*here, "basis", j, "law"), f"no law record has the id '{b['law']}'"
            continue
        if law.country != country:
            yield path, (*here, "basis", j, "law"), f"{b['law']} is a law of {law.country}, not of {country}"
        if "provision" in b:
            if ref_key(b["provision"]) not in law.provisions:
                listed = ", ".join(sorted(set(law.provisions))) or "none"
                yield (
                    path,
                    (*here, "basis", j, "provision"),
                    (
                        f"'{b['provision']}' is not a provision of {b['law']} (listed: {listed}); "
                        f"add it to the provisions of {law.path}"
                    ),
                )
        elif not item.get("note"):
            yield path, (*here, "note"), f"must say that the provision of {b['law']} is not identified"
        if current and value not in NEEDS_NO_BASIS and law.status not in ENACTED:
            yield (
                path,
                (*here, "basis", j, "law"),
                (
                    f"{b['law']} is {law.status}: the current answer must rest on a law that is enacted; "
                    "move this answer to history with its until date"
                ),
            )
        start = law.dates.get("in_force")
        if "since" in item and start and start != "unknown" and dates.certainly_before(item["since"], start):
            yield path, (*here, "since"), f"{item['since']} is before {b['law']} came into force ({start})"
