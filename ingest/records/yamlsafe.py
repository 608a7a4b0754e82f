"""Read record files safely.

Records are small YAML mappings written by people. This reader accepts exactly
that and turns anything else into a `LoadError` with a line number, never an
exception or a hang:

* the file must be UTF-8 text (no NUL bytes), not empty and not larger than
  `MAX_BYTES`;
* anchors and aliases are refused while the event stream is read, before any
  node is built, so an alias bomb ("billion laughs") costs no more than its
  own size;
* duplicate keys, non-string keys, nesting deeper than `MAX_DEPTH` and a top
  level other than a mapping are refused;
* dates stay strings (YAML timestamps are not resolved) so that partial dates
  such as ``2019-05`` and full dates are treated alike by the schema.

The document is built straight from PyYAML's event stream (the C parser when
available), so a file is parsed once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml import events as ev

# Only the event stream is used; the C parser is several times faster.
_Parser = getattr(yaml, "CBaseLoader", yaml.BaseLoader)

MAX_BYTES = 256 * 1024
MAX_CONFIG_BYTES = 4 * 1024 * 1024
MAX_DEPTH = 20

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class LoadError(Exception):
    """A file that is not an acceptable record; `line` is 1-based (0: whole file)."""

    line: int
    message: str

    def __str__(self) -> str:  # pragma: no cover - convenience
        return f"line {self.line}: {self.message}"


# Plain-scalar resolution as YAML 1.1 (PyYAML's SafeLoader), minus timestamps.
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL = {
    **{w: True for w in ("yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON")},
    **{w: False for w in ("no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF")},
}
_INT = re.compile(r"^[-+]?(?:0|[1-9][0-9_]*)$")
_FLOAT = re.compile(r"^[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?$")


_NOT_TEXT_START = set("yYnNtTfFoO~0123456789+-.")


def _plain(value: str) -> Any:
    if value and value[0] not in _NOT_TEXT_START:
        return value  # the common case: ordinary text
    if _NULL.match(value):
        return None
    if value in _BOOL:
        return _BOOL[value]
    if _INT.match(value):
        return int(value.replace("_", ""))
    if _FLOAT.match(value):
        return float(value.replace("_", ""))
    return value


def plain_value(text: str) -> Any:
    """What `text`, written as a plain (unquoted) scalar, reads back as: the
    text itself, or a number, boolean or None."""
    return _plain(text)


def decode(data: bytes) -> str:
    """Bytes to text, or a LoadError naming the line of the first bad byte."""
    if len(data) > MAX_BYTES:
        raise LoadError(
            0,
            f"the file is {len(data) / 1e6:.1f} MB; a record may be at most {MAX_BYTES // 1024} KB",
        )
    if not data.strip():
        raise LoadError(0, "the file is empty")
    if b"\x00" in data:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise LoadError(line, "the file contains NUL bytes: it is a binary file, not YAML text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise LoadError(line, f"the file is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})") from None
    if text.startswith("\ufeff"):
        text = text[1:]
    return text


def load(data: bytes, *, lines: bool = False) -> tuple[dict[str, Any], dict[Path_, int]]:
    """Parse one record file. Returns the mapping and, when `lines` is true,
    a map from each key's path (e.g. ``("dates", "in_force")``) to its line."""
    text = decode(data)
    try:
        return _build(text, lines)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise LoadError(line, f"malformed YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise LoadError(0, f"malformed YAML: {exc}") from None


def _build(text: str, want_lines: bool) -> tuple[dict[str, Any], dict[Path_, int]]:
    get_event = _Parser(text).get_event
    line_of: dict[Path_, int] = {}
    # Open containers, innermost last: [container, path, pending key, line of that key].
    stack: list[list[Any]] = []
    root: Any = None
    documents = 0
    scalar, alias = ev.ScalarEvent, ev.AliasEvent
    starts = (ev.MappingStartEvent, ev.SequenceStartEvent)
    ends = (ev.MappingEndEvent, ev.SequenceEndEvent)

    def add(value: Any, event: Any) -> None:
        nonlocal root
        if not stack:
            root = value
            return
        frame = stack[-1]
        container = frame[0]
        if container.__class__ is list:
            if want_lines:
                line_of[(*frame[1], len(container))] = _line(event)
            container.append(value)
            return
        key = frame[2]
        if key is _NO_KEY:
            if value.__class__ is not str:
                raise LoadError(_line(event), f"a key must be a plain name, not {_kind(value)}")
            if value in container:
                raise LoadError(_line(event), f"duplicate key '{value}' (first given on an earlier line)")
            frame[2] = value
            if want_lines:
                frame[3] = _line(event)
            return
        if want_lines:
            line_of[(*frame[1], key)] = frame[3]
        container[key] = value
        frame[2] = _NO_KEY

    while True:
        event = get_event()
        cls = event.__class__
        if cls is scalar:
            if event.anchor is not None:
                raise LoadError(_line(event), _NO_ANCHORS)
            if event.tag not in (None, "!", "tag:yaml.org,2002:str"):
                raise LoadError(_line(event), f"YAML tags such as {event.tag} are not allowed in records")
            frame_top = stack[-1] if stack else None
            as_key = frame_top is not None and frame_top[2] is _NO_KEY and frame_top[0].__class__ is dict
            # keys are names: `on:` or `no:` stay text, never booleans
            add(_plain(event.value) if event.implicit[0] and not as_key else event.value, event)
        elif cls in starts:
            if event.anchor is not None:
                raise LoadError(_line(event), _NO_ANCHORS)
            if event.tag not in (None, "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"):
                raise LoadError(_line(event), f"YAML tags such as {event.tag} are not allowed in records")
            if len(stack) >= MAX_DEPTH:
                raise LoadError(_line(event), f"the data is nested more than {MAX_DEPTH} levels deep")
            if stack and stack[-1][0].__class__ is dict and stack[-1][2] is _NO_KEY:
                raise LoadError(_line(event), "a key must be a plain name, not a list or mapping")
            container: Any = {} if cls is ev.MappingStartEvent else []
            path = _child_path(stack) if want_lines else ()
            add(container, event)
            stack.append([container, path, _NO_KEY, 0])
        elif cls in ends:
            stack.pop()
        elif cls is alias:
            raise LoadError(_line(event), _NO_ANCHORS)
        elif cls is ev.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise LoadError(_line(event), "a record file must hold one YAML document, not several")
        elif cls is ev.StreamEndEvent:
            break
    if root is None:
        raise LoadError(0, "the file holds no data (only comments or blank lines)")
    if not isinstance(root, dict):
        raise LoadError(1, f"the top level must be a mapping of field names to values, not {_kind(root)}")
    return root, line_of


_NO_ANCHORS = "YAML anchors and aliases (& and *) are not allowed in records"


def _line(event: Any) -> int:
    return event.start_mark.line + 1 if event.start_mark else 0


class _NoKey:
    __slots__ = ()


_NO_KEY: Any = _NoKey()


def _child_path(stack: list[list[Any]]) -> Path_:
    if not stack:
        return ()
    container, path, key = stack[-1][0], stack[-1][1], stack[-1][2]
    if isinstance(container, list):
        return (*path, len(container))
    return (*path, key)


def _kind(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "an empty value"
    return f"a {type(value).__name__} ({value!r})"


def line_for(line_of: dict[Path_, int], path: Path_) -> int:
    """The line of `path`, or of its nearest ancestor that has one."""
    p = tuple(path)
    while p:
        if p in line_of:
            return line_of[p]
        p = p[:-1]
    return 1


def load_config(path: Path | str) -> dict[str, Any]:
    """The project's own configuration (metadata.yml), which uses anchors for
    repeated licence blocks: read with the safe loader, not as a record.
    Raises LoadError for a file that cannot be read or is not a mapping."""
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_CONFIG_BYTES + 1)
    except OSError as exc:
        raise LoadError(0, f"cannot be read: {exc.strerror}") from None
    if len(data) > MAX_CONFIG_BYTES:
        raise LoadError(0, f"is larger than {MAX_CONFIG_BYTES // 1024} KB")
    try:
        found = yaml.load(decode(data), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        raise LoadError(0, f"malformed YAML: {exc}") from None
    if not isinstance(found, dict):
        raise LoadError(1, "the top level must be a mapping")
    return found
