"""JSON Schema checks of single records, with messages a contributor understands."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

import fastjsonschema

Path_ = tuple[str | int, ...]

@cache
def _schema(schema_dir: str, kind: str) -> dict[str, Any]:
    return json.loads((Path(schema_dir) / f"{kind}.schema.json").read_text(encoding="utf-8"))


@cache
def validator(schema_dir: str, kind: str) -> Any:
    """The full validator (jsonschema), imported only when a record is invalid."""
    import jsonschema

    return jsonschema.Draft7Validator(_schema(schema_dir, kind))


@cache
def _fast(schema_dir: str, kind: str) -> Any:
    return fastjsonschema.compile(_schema(schema_dir, kind))


def check(schema_dir: str, kind: str, data: Any) -> list[tuple[Path_, str]]:
    """Every schema problem of `data` as (path of the field, sentence).

    A compiled validator answers "valid" quickly; only an invalid record is
    checked again by the full validator, which lists every problem."""
    try:
        _fast(schema_dir, kind)(data)
        return []
    except fastjsonschema.JsonSchemaException as exc:
        first = exc
    out = []
    for err in sorted(validator(schema_dir, kind).iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        out.extend(_explain(err))
    if not out:  # the two validators differ only on odd strings (e.g. a trailing newline)
        path = tuple(p for p in (first.path or [])[1:])
        out.append((path, f"{first.value!r} is not in the expected form"))
    return out


_PATTERN_HINTS = {
    "date": "is not a date: write YYYY-MM-DD, or YYYY-MM or YYYY when only that much is known",
    "full date": "is not a full date: write YYYY-MM-DD",
    "URL": "is not a well-formed http(s) URL",
    "language": "is not a BCP 47 language tag such as th, vi, km or zh-Hans",
    "law id": "is not a valid law id: lower-case country code, a hyphen, then lower-case words joined by hyphens",
}


def _pattern_kind(schema: dict[str, Any]) -> str:
    desc = schema.get("description", "")
    pattern = schema.get("pattern", "")
    if pattern.startswith("^https?"):
        return "URL"
    if "BCP 47" in desc:
        return "language"
    if pattern.startswith("^[0-9]{4}-(0[1-9]") and pattern.endswith("$") and "?" not in pattern:
        return "full date"
    if pattern.startswith("^[0-9]{4}"):
        return "date"
    if pattern.startswith("^[a-z]{2}-"):
        return "law id"
    return ""


def _explain(err: Any) -> list[tuple[Path_, str]]:
    """Plain sentences for one jsonschema.ValidationError."""
    path: Path_ = tuple(err.absolute_path)
    v, inst, schema = err.validator, err.instance, err.schema
    if v == "required":
        missing = [f for f in err.validator_value if isinstance(inst, dict) and f not in inst]
        return [(path + (f,), f"the required field '{f}' is missing") for f in missing]
    if v == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = [k for k in inst if k not in schema.get("properties", {})]
        out = []
        for k in extra:
            guess = difflib.get_close_matches(str(k), allowed, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else f"; allowed fields: {', '.join(allowed)}"
            out.append((path + (k,), f"unknown field '{k}'{hint}"))
        return out
    if v == "enum":
        allowed = ", ".join(str(x) for x in err.validator_value)
        return [(path, f"{inst!r} is not an allowed value; use one of: {allowed}")]
    if v == "const":
        return [(path, f"{inst!r} is not allowed here")]
    if v == "type":
        want = err.validator_value
        hint = " (put it in quotes)" if want == "string" and isinstance(inst, (int, float, bool)) else ""
        shown = "an empty value" if inst is None else f"{type(inst).__name__} {inst!r}"
        return [(path, f"must be {_article(want)}, not {shown}{hint}")]
    if v == "pattern":
        kind = _pattern_kind(schema)
        return [(path, f"{inst!r} {_PATTERN_HINTS.get(kind, 'is not in the expected form')}")]
    if v == "anyOf":
        # in_force: a date or 'unknown'
        if path and path[-1] == "in_force":
            return [(path, f"{inst!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY) nor the word unknown")]
        return [(path, f"{inst!r} is not in any of the accepted forms")]
    if v == "minItems":
        return [(path, f"must list at least {err.validator_value} item(s)")]
    if v == "uniqueItems":
        return [(path, "lists the same value twice")]
    if v == "minLength":
        return [(path, "must not be empty")]
    if v == "maxLength":
        return [(path, f"is too long ({len(inst)} characters; at most {err.validator_value})")]
    return [(path, err.message)]  # pragma: no cover - other keywords are not used


def _article(kind: Any) -> str:
    names = {"string": "a text", "array": "a list", "object": "a mapping of fields",
             "boolean": "true or false", "integer": "a whole number", "number": "a number"}
    return names.get(kind, str(kind))

