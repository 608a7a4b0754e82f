"""Rules for review records (laws/reviews/<id>.yml), beyond their JSON Schema.

The file is named for the id, and the id starts with the reviewed state's
code; the reviewed state and every member state taking part have profiles; the
scope names real areas, laws of the reviewed state and indicators; every
finding is on an indicator of the codebook within the scope, at most once;
dates are real and in order (planned, held, published may not run backwards,
and nothing held or published lies in the future); a completed review has
been held; a planned one has no assessed findings yet.

`review_problems` checks one record against the corpus, so that `lawrepo
review import` can check a sheet before writing it, with the same rules.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import PurePath
from typing import Any

from ingest.common import dates
from ingest.common.problems import Problem, dotted
from ingest.records.files import line_of_field
from ingest.records.model import Corpus

FieldPath = tuple[str | int, ...]
Found = Iterator[tuple[FieldPath, str]]
DATE_ORDER = ("planned", "held", "published")


def problems(corpus: Corpus, today: dt.date) -> list[Problem]:
    out = []
    for _, (path, data) in sorted(corpus.review_files.items()):
        found = list(review_problems(corpus, data, today, stem=PurePath(path).stem))
        out += [Problem(path, line_of_field(path, fp) if fp else 0, dotted(fp), msg) for fp, msg in found]
    return out


def review_problems(corpus: Corpus, rec: dict[str, Any], today: dt.date, stem: str | None = None) -> Found:
    country = rec["country"]
    if stem is not None and stem != rec["id"]:
        yield ("id",), f"is '{rec['id']}' but the file is named {stem}.yml"
    if not rec["id"].startswith(country.lower() + "-"):
        yield ("id",), f"must start with the reviewed state's code: '{country.lower()}-…'"
    if country not in corpus.countries:
        yield ("country",), f"{country} has no country profile in countries/{country.lower()}.yml"
    for i, party in enumerate(rec["parties"]):
        if "country" in party and party["country"] not in corpus.countries:
            yield ("parties", i, "country"), f"{party['country']} has no country profile"
    if rec["type"] == "peer" and not any(p.get("country", country) != country or "body" in p for p in rec["parties"]):
        yield ("parties",), "a peer review needs another member state or a body among its parties"
    yield from _scope_problems(corpus, rec)
    yield from _date_problems(rec, today)
    indicators = corpus.indicators()
    scope = rec["scope"]
    seen: dict[str, int] = {}
    for i, finding in enumerate(rec["findings"]):
        ind_id = finding["indicator"]
        if ind_id in seen:
            yield ("findings", i, "indicator"), f"'{ind_id}' has two findings (also findings[{seen[ind_id]}])"
        seen.setdefault(ind_id, i)
        indicator = indicators.get(ind_id)
        if indicator is None:
            yield ("findings", i, "indicator"), f"no indicator of the codebook has the id '{ind_id}'"
        elif not _in_scope(indicator, scope):
            yield (
                ("findings", i, "indicator"),
                (f"'{ind_id}' ({indicator['area']}) is outside the review's scope; add it or its area to scope"),
            )
        if finding.get("dispute") and finding.get("response") != "disputes":
            yield ("findings", i, "response"), "must be 'disputes' when a dispute is given"
        if rec["status"] == "planned" and finding["assessment"] != "not-assessed":
            yield ("findings", i, "assessment"), "a planned review has not assessed anything yet: use not-assessed"


def _in_scope(indicator: dict[str, Any], scope: dict[str, Any]) -> bool:
    if indicator["id"] in scope.get("indicators", []) or indicator["area"] in scope.get("areas", []):
        return True
    return not scope.get("indicators") and not scope.get("areas")  # a review of named laws covers every question


def _scope_problems(corpus: Corpus, rec: dict[str, Any]) -> Found:
    scope = rec["scope"]
    known_areas = set(corpus.codes("areas"))
    for i, area in enumerate(scope.get("areas", [])):
        if area not in known_areas:
            yield ("scope", "areas", i), f"'{area}' is not in the areas vocabulary"
    for i, law_id in enumerate(scope.get("laws", [])):
        law = corpus.laws.get(law_id)
        if law is None:
            yield ("scope", "laws", i), f"no law record has the id '{law_id}'"
        elif law.country != rec["country"]:
            yield ("scope", "laws", i), f"{law_id} is a law of {law.country}, not of the reviewed state {rec['country']}"
    indicators = corpus.indicators()
    for i, ind_id in enumerate(scope.get("indicators", [])):
        if ind_id not in indicators:
            yield ("scope", "indicators", i), f"no indicator of the codebook has the id '{ind_id}'"


def _date_problems(rec: dict[str, Any], today: dt.date) -> Found:
    d = rec["dates"]
    for key, value in d.items():
        if dates.parse_bounds(value) is None:
            yield ("dates", key), f"{value!r} is not a real calendar date"
    if "held" in d and "published" in d and dates.certainly_before(d["published"], d["held"]):
        yield ("dates", "published"), f"{d['published']} is before the review was held ({d['held']})"
    for key in ("held", "published"):
        first = dates.earliest(d[key]) if key in d else None
        if first and first > today:
            yield ("dates", key), f"{d[key]} is in the future: a review not yet {key} has no {key} date"
    if rec["status"] == "completed" and "held" not in d:
        yield ("dates", "held"), "a completed review needs the date it was held"
    if rec["status"] == "planned" and ("held" in d or "published" in d):
        yield ("status",), "is planned but the review has a held or published date: update the status"
