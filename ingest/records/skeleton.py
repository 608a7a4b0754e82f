"""New records from the few facts a contributor gives (`lawrepo new`).

A new law record holds only what was given, plus the placeholders the rules
accept (verification `unverified`, evidence `seen`; status `draft` and an
in-force date `unknown` only where the status needs them) and a provenance
note naming what remains to be filled in from the source. A new answer is an
honest `unknown`, appended to the member state's answers file with its
comments kept. Nothing here decides whether the result is valid: the caller
validates what was written and undoes it on a problem.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ingest.common.text import fold
from ingest.records import yamlsafe
from ingest.records.format import dump, round_trip

LAW_HEADER = "# yaml-language-server: $schema=../schemas/law.schema.json\n"
ANSWERS_HEADER = "# yaml-language-server: $schema=../schemas/answers.schema.json\n"
NOT_RESEARCHED = "Not yet researched."
DEFAULT_STATUS = "draft"
DATE_KEYS = ("adopted", "promulgated", "in_force", "repealed")
IN_EFFECT = ("in-force", "partly-in-force")
MAX_ID = 100
_FULL_DATE = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")


class SkeletonError(Exception):
    """What was given cannot make a record; the message says why."""


def slugify(title: str) -> str:
    """'Electronic Transactions Act 2010' -> 'electronic-transactions-act-2010';
    diacritics are dropped, anything but Latin letters and digits separates words,
    and the slug is cut at a word so that the id stays at most 100 characters."""
    words = re.split(r"[^a-z0-9]+", fold(title).lower())
    slug = ""
    for word in (w for w in words if w):
        longer = f"{slug}-{word}" if slug else word
        if len(longer) > MAX_ID - 3:
            break
        slug = longer
    return slug


def check_slug(slug: str) -> str:
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) or len(slug) > MAX_ID - 3:
        raise SkeletonError(
            f"'{slug}' is not a usable file name: lower-case letters, digits and single hyphens, at most {MAX_ID - 3} characters"
        )
    return slug


def text(value: str) -> Any:
    """A string as it should be written: a full date as a date (written plainly),
    text that would read back as a number, boolean or nothing in quotes."""
    if _FULL_DATE.match(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return DoubleQuotedScalarString(value)
    return value if yamlsafe.plain_value(value) == value else DoubleQuotedScalarString(value)


def _flow(items: list[str]) -> CommentedSeq:
    seq = CommentedSeq(text(i) for i in items)
    seq.fa.set_flow_style()
    return seq


# --------------------------------------------------------------------------
# a law record


@dataclass
class LawFacts:
    """What a contributor gives for a new law record."""

    country: str
    title: str
    instrument_type: str
    areas: list[str]
    source: str
    url: str | None = None
    number: str | None = None
    status: str | None = None
    dates: dict[str, str] = field(default_factory=dict)

    @property
    def cc(self) -> str:
        return self.country.lower()


def law_record(facts: LawFacts, slug: str) -> tuple[CommentedMap, dict[str, Any]]:
    """The record as a round-trip document, and as the plain data it must read back as."""
    data: dict[str, Any] = {"id": f"{facts.cc}-{slug}", "country": facts.country.upper(), "title": facts.title.strip()}
    data["instrument_type"] = facts.instrument_type
    if facts.number:
        data["number"] = facts.number.strip()
    status = facts.status or DEFAULT_STATUS
    given_dates = {k: facts.dates[k] for k in DATE_KEYS if facts.dates.get(k)}
    if status in IN_EFFECT and "in_force" not in given_dates:
        given_dates["in_force"] = "unknown"
    if given_dates:
        data["dates"] = given_dates
    data["status"] = status
    data["areas"] = list(dict.fromkeys(facts.areas))
    source: dict[str, Any] = {"citation": facts.source.strip()}
    if facts.url:
        source["url"] = facts.url.strip()
    data["provenance"] = {
        "sources": [source],
        "verification": "unverified",
        "evidence": "seen",
        "note": _law_note(facts, status, given_dates),
    }
    doc = CommentedMap()
    for key, value in data.items():
        if key == "number":
            doc[key] = DoubleQuotedScalarString(value)
        elif key == "areas":
            doc[key] = _flow(value)
        elif key == "dates":
            doc[key] = CommentedMap((k, text(v)) for k, v in value.items())
        elif key == "provenance":
            prov = CommentedMap()
            prov["sources"] = CommentedSeq([CommentedMap((k, text(v)) for k, v in source.items())])
            for k in ("verification", "evidence", "note"):
                prov[k] = text(value[k])
            doc[key] = prov
        else:
            doc[key] = text(value)
    return doc, data


def _law_note(facts: LawFacts, status: str, given_dates: Mapping[str, str]) -> str:
    missing = ["the titles in the official language(s)"]
    if not facts.number:
        missing.append("the number")
    dates_missing = [k.replace("_", "-") for k in DATE_KEYS[:3] if not facts.dates.get(k)]
    if dates_missing:
        missing.append(f"the dates ({', '.join(dates_missing)})")
    missing += [
        "the responsible agency",
        "links to the text",
        "a summary",
        "the key provisions",
        "the fields the source supports (supports) and when it was read (accessed)",
    ]
    note = ", ".join(missing[:-1]) + f" and {missing[-1]} remain to be filled in from the source."
    note = note[0].upper() + note[1:]
    if not facts.status:
        note += f" The status '{DEFAULT_STATUS}' is a placeholder until the source is read."
    if given_dates.get("in_force") == "unknown" and facts.dates.get("in_force") != "unknown":
        note += " The in-force date is not yet recorded ('unknown' until it is taken from the source)."
    return note


def law_text(facts: LawFacts, slug: str) -> tuple[str, dict[str, Any]]:
    """The new file's text (schema header line first) and the data it must read back as."""
    doc, data = law_record(facts, slug)
    return LAW_HEADER + dump(doc), data


# --------------------------------------------------------------------------
# an answer


def answer_entry(indicator: str, by: str, on: dt.date) -> CommentedMap:
    """An `unknown` answer for `indicator`: not yet researched."""
    entry = CommentedMap()
    entry["indicator"] = indicator
    entry["value"] = "unknown"
    entry["note"] = NOT_RESEARCHED
    verification = CommentedMap()
    verification["status"] = "unverified"
    verification["by"] = text(by.strip())
    verification["on"] = on
    verification["evidence"] = "seen"
    entry["verification"] = verification
    entry["review"] = CommentedMap([("status", "draft")])
    return entry


def indicator_ids(root: Path) -> set[str]:
    """The ids of the indicators in the codebook of a laws folder (files that cannot be read add none)."""
    ids: set[str] = set()
    for path in sorted((root / "codebook").glob("*.yml")):
        if path.name == "codebook.yml":
            continue
        try:
            data, _ = yamlsafe.load(path.read_bytes())
        except (OSError, yamlsafe.LoadError):
            continue
        for ind in data.get("indicators") or []:
            if isinstance(ind, dict) and isinstance(ind.get("id"), str):
                ids.add(ind["id"])
    return ids


def with_answer(previous: str | None, country: str, indicator: str, by: str, on: dt.date) -> str:
    """The text of an answers file with an `unknown` answer for `indicator`
    appended (comments and layout kept), or a new file when `previous` is None.
    Raises SkeletonError when the indicator is already answered or the file
    cannot be read."""
    if previous is None:
        doc = CommentedMap([("country", country.upper()), ("answers", CommentedSeq())])
        header = ANSWERS_HEADER
    else:
        try:
            yamlsafe.load(previous.encode("utf-8"))
            doc = round_trip().load(previous)
        except yamlsafe.LoadError as exc:
            raise SkeletonError(f"line {exc.line}: {exc.message}") from None
        except YAMLError as exc:  # pragma: no cover - the reader above refuses what this would
            raise SkeletonError(f"malformed YAML: {exc}") from None
        header = ""
        answers = doc.get("answers")
        if not isinstance(answers, CommentedSeq):
            raise SkeletonError("answers: is not a list of answers")
        if any(isinstance(a, Mapping) and a.get("indicator") == indicator for a in answers):
            raise SkeletonError(f"answers: {indicator} already has an answer; edit it instead")
    answers = doc["answers"]
    answers.fa.set_block_style()  # `answers: []` grows into a list under its key
    answers.append(answer_entry(indicator, by, on))
    if len(answers) > 1:
        # a blank line between answers, as in the files people write
        answers.yaml_set_comment_before_after_key(len(answers) - 1, before="\n")
    return header + dump(doc)
