"""JSON Schema checks of single records, with messages a contributor understands."""

from __future__ import annotations

import difflib
import json
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs

Path_ = tuple[str | int, ...]


@cache
def _schema(schema_dir: str, kind: str) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads((Path(schema_dir) / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return schema


@cache
def validator(schema_dir: str, kind: str) -> Any:
    """The compiled validator of one schema (jsonschema-rs): it answers "valid"
    quickly and lists every error, with its path, when a record is not."""
    return jsonschema_rs.Draft7Validator(_schema(schema_dir, kind))


def check(schema_dir: str, kind: str, data: Any) -> list[tuple[Path_, str]]:
    """Every schema problem of `data` as (path of the field, sentence)."""
    checker = validator(schema_dir, kind)
    if checker.is_valid(data):
        return []
    schema = _schema(schema_dir, kind)
    out: list[tuple[Path_, str]] = []
    for err in sorted(checker.iter_errors(data), key=lambda e: [str(p) for p in e.instance_path]):
        out.extend(_explain(err, schema))
    return out


def _at(schema: Any, path: list[str | int]) -> dict[str, Any]:
    """The sub-schema at a schema path (the keyword's own schema object)."""
    for step in path:
        schema = schema[step]
    return schema if isinstance(schema, dict) else {}


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


def _explain(err: Any, root: dict[str, Any]) -> list[tuple[Path_, str]]:
    """Plain sentences for one jsonschema_rs.ValidationError."""
    path: Path_ = tuple(err.instance_path)
    kind, inst = err.kind, err.instance
    v = kind.name
    schema = _at(root, list(err.schema_path)[:-1])
    K = jsonschema_rs.ValidationErrorKind
    if isinstance(kind, K.Required):
        return [(path + (kind.property,), f"the required field '{kind.property}' is missing")]
    if isinstance(kind, K.AdditionalProperties):
        allowed = sorted(schema.get("properties", {}))
        out = []
        for k in kind.unexpected:
            guess = difflib.get_close_matches(str(k), allowed, n=1)
            hint = f" (did you mean '{guess[0]}'?)" if guess else f"; allowed fields: {', '.join(allowed)}"
            out.append((path + (k,), f"unknown field '{k}'{hint}"))
        return out
    if isinstance(kind, K.Enum):
        options = ", ".join(str(x) for x in kind.options)
        return [(path, f"{inst!r} is not an allowed value; use one of: {options}")]
    if isinstance(kind, K.Constant):
        return [(path, f"{inst!r} is not allowed here")]
    if isinstance(kind, K.Type):
        want = kind.types[0] if len(kind.types) == 1 else kind.types
        hint = " (put it in quotes)" if want == "string" and isinstance(inst, (int, float, bool)) else ""
        shown = "an empty value" if inst is None else f"{type(inst).__name__} {inst!r}"
        return [(path, f"must be {_article(want)}, not {shown}{hint}")]
    if isinstance(kind, K.Pattern):
        return [(path, f"{inst!r} {_PATTERN_HINTS.get(_pattern_kind(schema), 'is not in the expected form')}")]
    if isinstance(kind, K.AnyOf):
        # in_force: a date or 'unknown'
        if path and path[-1] == "in_force":
            return [(path, f"{inst!r} is not a date (YYYY-MM-DD, YYYY-MM or YYYY) nor the word unknown")]
        return [(path, f"{inst!r} is not in any of the accepted forms")]
    if isinstance(kind, K.MinItems):
        return [(path, f"must list at least {kind.limit} item(s)")]
    if isinstance(kind, K.UniqueItems):
        return [(path, "lists the same value twice")]
    if isinstance(kind, K.MinLength):
        return [(path, "must not be empty")]
    if isinstance(kind, K.MaxLength):
        return [(path, f"is too long ({len(inst)} characters; at most {kind.limit})")]
    return [(path, f"{v}: {err.message}")]  # pragma: no cover - other keywords are not used


def _article(kind: Any) -> str:
    names = {
        "string": "a text",
        "array": "a list",
        "object": "a mapping of fields",
        "boolean": "true or false",
        "integer": "a whole number",
        "number": "a number",
    }
    return names.get(kind, str(kind))
