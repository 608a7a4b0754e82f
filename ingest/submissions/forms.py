"""The three forms as data: which fields each has, their limits, and the
checks of what was typed before the record checks (ingest.submissions.changes)
run. Everything posted is text; whatever is not a field of the form is ignored."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from ingest.rules.laws import url_problem
from ingest.submissions.changes import CORRECTABLE, DATES

MAX_BODY = 64 * 1024  # a whole form, in bytes
HONEYPOT = "website"  # hidden from people; only robots fill it in
LIMITS = {
    "title": 400,
    "number": 120,
    "status": 40,
    "instrument_type": 40,
    "country": 2,
    "official_url": 2000,
    "link_language": 20,
    "areas": 200,
    "indicator": 80,
    "value": 300,
    "source": 500,
    "comment": 4000,
    "name": 200,
    "email": 254,
} | {d: 10 for d in DATES}
COMMON = ("source", "comment", "name", "email")
KIND_FIELDS = {
    "correction": CORRECTABLE,
    "law": ("country", "title", "number", "instrument_type", "status", *DATES, "areas", "official_url", "link_language"),
    "answer": ("country", "indicator", "value"),
}
REQUIRED = {
    "correction": ("source",),
    "law": ("country", "title", "instrument_type", "status", "areas", "source"),
    "answer": ("source", "comment"),
}
LABELS = {
    "title": "Title",
    "number": "Number",
    "adopted": "Adopted",
    "promulgated": "Promulgated",
    "in_force": "In force",
    "repealed": "Repealed",
    "status": "Status",
    "official_url": "Link to the official text",
    "link_language": "Language of that text",
    "country": "Member state",
    "instrument_type": "Type of instrument",
    "areas": "Areas",
    "indicator": "Question",
    "value": "The answer you think is right",
    "source": "Your source",
    "comment": "What is wrong, and why",
    "name": "Your name",
    "email": "Your e-mail",
}
DATE_RE = re.compile(r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$")
EMAIL_RE = re.compile(r"^[^@\s<>\"']+@[^@\s<>\"']+\.[^@\s<>\"']+$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass
class Posted:
    """A parsed form: the kind, its fields (text), the errors by field
    (`_form` for the form as a whole) and whether it is worth storing."""

    kind: str
    fields: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    law_id: str = ""
    credit: bool = False

    def error(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)


def clean(value: str) -> str:
    """Text as stored: control characters removed, line ends normalised."""
    return CONTROL_RE.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


def parse(form: Mapping[str, list[str]]) -> Posted:
    """The fields of the kind of form posted, cleaned and checked field by field."""
    kind = (form.get("kind") or [""])[0]
    if kind not in KIND_FIELDS:
        posted = Posted("law", {})
        posted.error("_form", "This is not one of the site's forms.")
        return posted
    posted = Posted(kind, {}, law_id=clean((form.get("law") or [""])[0])[:200], credit=bool((form.get("credit") or [""])[0]))
    for name in (*KIND_FIELDS[kind], *COMMON):
        values = form.get(name) or []
        value = ",".join(clean(v) for v in values if clean(v)) if name == "areas" else clean(values[0] if values else "")
        if len(value) > LIMITS[name]:
            posted.error(name, f"is too long: at most {LIMITS[name]} characters.")
            value = value[: LIMITS[name]]
        posted.fields[name] = value
    for name in REQUIRED[kind]:
        if not posted.fields.get(name):
            posted.error(name, "is required.")
    _check_values(posted)
    return posted


def _check_values(posted: Posted) -> None:
    f = posted.fields
    for d in DATES:
        if f.get(d) and not DATE_RE.match(f[d]) and not (d == "in_force" and f[d] == "unknown"):
            posted.error(d, "is not a date: write YYYY-MM-DD, or YYYY-MM or YYYY when only that much is known.")
    if f.get("official_url"):
        problem = url_problem(f["official_url"])
        if problem:
            posted.error("official_url", problem + ".")
    if re.match(r"https?://", f.get("source", "")):
        problem = url_problem(f["source"])
        if problem:
            posted.error("source", problem + ".")
    if f.get("email") and not EMAIL_RE.match(f["email"]):
        posted.error("email", "is not an e-mail address.")
    if f.get("country") and not re.fullmatch(r"[A-Za-z]{2}", f["country"]):
        posted.error("country", "is not a member state.")
    if f.get("country"):
        f["country"] = f["country"].upper()


def check_choices(posted: Posted, choices: Mapping[str, set[str]]) -> None:
    """Values that must come from a list (member states, statuses, areas ...)."""
    for name, allowed in choices.items():
        value = posted.fields.get(name)
        if not value:
            continue
        wanted = value.split(",") if name == "areas" else [value]
        bad = [v for v in wanted if v not in allowed]
        if bad:
            posted.error(name, f"{', '.join(bad)} is not one of the choices.")


def field_of(problem_field: str, kind: str) -> str:
    """The form field beside which a record problem is shown (`_record` when none)."""
    path = problem_field.replace("[", ".").replace("]", "")
    head, _, rest = path.partition(".")
    if head == "dates":
        return rest.split(".")[0] if rest.split(".")[0] in DATES else "_record"
    if head == "links":
        return "official_url"
    if head == "id":
        return "title"
    if head == "provenance" and rest.startswith("sources"):
        return "source"
    if head in KIND_FIELDS[kind]:
        return head
    return "_record"


def initial(kind: str, recorded: Mapping[str, str] | None = None, **given: str) -> dict[str, str]:
    """The values a new form starts with."""
    values = dict.fromkeys((*KIND_FIELDS.get(kind, ()), *COMMON), "")
    values.update(recorded or {})
    values.update({k: v for k, v in given.items() if k in values and v})
    return values
