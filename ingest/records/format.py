"""The canonical layout of record files (`lawrepo fmt`).

Keys follow the order of the properties in the kind's JSON Schema
(laws/schemas/<kind>.schema.json), nested objects too; keys a schema does not
name keep their place after the named ones. Mappings are indented by two
spaces, sequences under their key ("  - "), lines are at most `WIDTH`
characters where a value can be folded, comments, quotes and non-ASCII text
are kept (ruamel.yaml round trip). Formatting never changes the data: the
text is read again with the records' own reader and compared before it is
accepted, and formatting a formatted file changes nothing.
"""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.emitter import Emitter
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import FoldedScalarString

from ingest.common.problems import Problem
from ingest.records import yamlsafe
from ingest.records.files import DOCS, classify, find_root, show

WIDTH = 100
LONG_WORD = 24  # words longer than this may still overrun the width
_TRAILING = re.compile(r"[ \t]+$", re.M)


class FormatError(Exception):
    """A file that cannot be formatted; `line` is 1-based (0: whole file)."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


class _Emitter(Emitter):
    """ruamel.yaml's emitter folds quoted and folded (>) text at the first space
    after the width is reached, so a line overruns it by one word; these
    styles are folded within a narrower width, by the length of the text's
    longest word, so that lines stay within `WIDTH`."""

    def _narrowed(self, text: str) -> int:
        longest = max((len(w) for w in text.split()), default=0)
        return max(WIDTH - min(longest, LONG_WORD) - 2, WIDTH * 2 // 3)

    def write_double_quoted(self, text: Any, split: Any = True) -> None:
        saved, self.best_width = self.best_width, self._narrowed(text)
        try:
            super().write_double_quoted(text, split)
        finally:
            self.best_width = saved

    def write_single_quoted(self, text: Any, split: Any = True) -> None:
        saved, self.best_width = self.best_width, self._narrowed(text)
        try:
            super().write_single_quoted(text, split)
        finally:
            self.best_width = saved

    def write_folded(self, text: Any, comment: Any) -> None:
        saved, self.best_width = self.best_width, self._narrowed(text)
        try:
            super().write_folded(text, comment)
        finally:
            self.best_width = saved


def round_trip() -> YAML:
    """The one ruamel.yaml configuration for writing records: comments, quotes,
    unicode and flow lists kept; two-space mappings, sequences under their key."""
    y = YAML()
    y.preserve_quotes = True
    y.allow_unicode = True
    y.width = WIDTH
    y.indent(mapping=2, sequence=4, offset=2)
    y.Emitter = _Emitter
    return y


def dump(doc: Any) -> str:
    """`doc` (a round-trip document) as text in the canonical style, without
    the white space ruamel.yaml leaves at the end of folded lines (kept only
    where it is part of a value, in a block scalar)."""
    buf = io.StringIO()
    round_trip().dump(doc, buf)
    out = buf.getvalue()
    stripped = _TRAILING.sub("", out)
    if stripped == out:
        return out
    try:
        same = yamlsafe.load(stripped.encode("utf-8")) == yamlsafe.load(out.encode("utf-8"))
    except yamlsafe.LoadError:
        same = False
    return stripped if same else out


# --------------------------------------------------------------------------
# key order from the schemas


def load_schema(root: Path, kind: str) -> dict[str, Any]:
    """The JSON Schema of a record kind, or FormatError when it cannot be read."""
    path = root / "schemas" / f"{kind}.schema.json"
    try:
        schema = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise FormatError(0, f"the schema {show(path)} cannot be read: {exc}") from None
    if not isinstance(schema, dict):
        raise FormatError(0, f"the schema {show(path)} is not a JSON object")
    return schema


def _resolve(node: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """Follow a local "$ref" (#/$defs/x, #/definitions/x) to the schema it names."""
    seen = 0
    while isinstance(node, dict) and isinstance(node.get("$ref"), str) and node["$ref"].startswith("#/") and seen < 20:
        target: Any = schema
        for part in node["$ref"][2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        node, seen = target, seen + 1
    return node if isinstance(node, dict) else {}


def properties(node: Any, schema: dict[str, Any]) -> dict[str, Any]:
    """The properties a (sub)schema names, in order: its own, then those of its
    allOf / anyOf / oneOf branches (conditions, if/then/else, add no keys)."""
    node = _resolve(node, schema)
    found: dict[str, Any] = dict(node.get("properties") or {})
    for branch_kind in ("allOf", "anyOf", "oneOf"):
        for branch in node.get(branch_kind) or []:
            for key, sub in properties(branch, schema).items():
                found.setdefault(key, sub)
    return found


def _values_schema(node: Any, schema: dict[str, Any], key: str, props: dict[str, Any]) -> Any:
    if key in props:
        return props[key]
    extra = _resolve(node, schema).get("additionalProperties")
    return extra if isinstance(extra, dict) else {}


def reorder(value: Any, node: Any, schema: dict[str, Any]) -> None:
    """Put the keys of every mapping in `value` in the order of `node` (a part
    of `schema`), in place; comments travel with their keys."""
    if isinstance(value, CommentedMap):
        props = properties(node, schema)
        wanted = [k for k in props if k in value] + [k for k in value if k not in props]
        if list(value) != wanted:
            for key in wanted:
                value.move_to_end(key)
        for key in value:
            reorder(value[key], _values_schema(node, schema, key, props), schema)
    elif isinstance(value, CommentedSeq):
        items = _resolve(node, schema).get("items")
        for item in value:
            reorder(item, items if isinstance(items, dict) else {}, schema)


def refold(value: Any) -> None:
    """Forget where folded (>) text was broken, so that it is folded again at the width."""
    if isinstance(value, FoldedScalarString):
        value.fold_pos = []  # type: ignore[attr-defined]  # slot set by the loader
    elif isinstance(value, CommentedMap):
        for item in value.values():
            refold(item)
    elif isinstance(value, CommentedSeq):
        for item in value:
            refold(item)


# --------------------------------------------------------------------------
# one text, one file


def format_text(text: str, schema: dict[str, Any]) -> str:
    """`text` (one record file) in the canonical layout. Raises FormatError for
    text the records' reader refuses, or when formatting would change the data."""
    try:
        before, _ = yamlsafe.load(text.encode("utf-8"))
    except yamlsafe.LoadError as exc:
        raise FormatError(exc.line, exc.message) from None
    try:
        doc = round_trip().load(text)
    except YAMLError as exc:  # pragma: no cover - the reader above refuses what this would
        raise FormatError(0, f"malformed YAML: {exc}") from None
    reorder(doc, schema, schema)
    refold(doc)
    out = dump(doc)
    try:
        after, _ = yamlsafe.load(out.encode("utf-8"))
    except yamlsafe.LoadError:
        after = None
    if after != before:
        raise FormatError(0, "formatting would change the data, so the file is left as it is; please report this")
    return out


@dataclass(frozen=True)
class Target:
    """A record file to format: its path, its kind and its laws folder."""

    path: Path
    kind: str
    root: Path


def targets(paths: Iterable[Path]) -> tuple[list[Target], list[Problem]]:
    """The record files at or below `paths` (files or folders inside a laws
    folder), sorted and without repeats; and problems for paths that are not
    record files. Documentation and schemas are skipped."""
    found: dict[Path, Target] = {}
    problems: list[Problem] = []
    for given in paths:
        root = find_root(given)
        if root is None:
            problems.append(Problem(show(given), 0, "", "is not inside a laws folder (a folder with schemas/ and vocabularies/)"))
            continue
        files = sorted(p for p in given.resolve().rglob("*.yml") if p.is_file()) if given.is_dir() else [given.resolve()]
        for path in files:
            rel = path.relative_to(root).as_posix()
            if any(part.startswith(".") for part in rel.split("/")) or rel in DOCS:
                continue
            try:
                kind = classify(rel)
            except ValueError as exc:
                problems.append(Problem(show(path), 0, "", str(exc)))
                continue
            if kind:
                found[path] = Target(path, kind, root)
    return [found[p] for p in sorted(found)], problems


def format_file(target: Target, schemas: dict[tuple[Path, str], dict[str, Any]] | None = None) -> tuple[str, str]:
    """(the file's text, its canonical text). Raises FormatError. `schemas` caches
    the schemas read, by (laws folder, kind)."""
    cache = {} if schemas is None else schemas
    key = (target.root, target.kind)
    if key not in cache:
        cache[key] = load_schema(target.root, target.kind)
    try:
        data = target.path.read_bytes()
    except OSError as exc:
        raise FormatError(0, f"cannot be read: {exc.strerror}") from None
    try:
        text = yamlsafe.decode(data)
    except yamlsafe.LoadError as exc:
        raise FormatError(exc.line, exc.message) from None
    return data.decode("utf-8"), with_schema_header(format_text(text, cache[key]), target)


SCHEMA_HEADER = "# yaml-language-server: $schema="


def with_schema_header(text: str, target: Target) -> str:
    """`text` starting with the line that names the file's JSON Schema (editors
    check the record against it as it is typed), added when it is missing."""
    if text.startswith(SCHEMA_HEADER):
        return text
    schema = os.path.relpath(target.root / "schemas" / f"{target.kind}.schema.json", target.path.parent)
    return f"{SCHEMA_HEADER}{Path(schema).as_posix()}\n{text}"
