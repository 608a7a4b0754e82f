"""Hostile or broken files are problems with a line number, never a crash or a hang."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from ingest.records import yamlsafe
from ingest.rules.corpus import validate
from tests.helpers import law, make_root, write_law

BILLION_LAUGHS = """\
id: sg-example-act-2010
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""

CASES: list[tuple[str, bytes, int, str]] = [
    ("malformed", b"id: sg-x\ntitle: [unclosed\nstatus: in-force\n", 3, "malformed YAML"),
    ("bad indentation", b"id: sg-x\n  title: x\n title: y\n", 2, "malformed YAML"),
    ("not utf-8", "id: sg-x\ntitle: Lu\u1eadt\n".encode("utf-16-le"), 1, "binary file"),
    ("latin-1", "id: sg-x\ntitle: caf\u00e9\n".encode("latin-1"), 2, "not UTF-8 text (byte 0xe9"),
    ("binary", bytes(range(256)) * 4, 1, "NUL bytes: it is a binary file"),
    ("empty", b"", 0, "the file is empty"),
    ("blank", b"\n\n   \n", 0, "the file is empty"),
    ("comments only", b"# nothing here\n# at all\n", 0, "holds no data"),
    ("duplicate key", b"id: sg-x\ntitle: A\ncountry: SG\ntitle: B\n", 4, "duplicate key 'title'"),
    ("top-level list", b"- id: sg-x\n- id: sg-y\n", 1, "the top level must be a mapping"),
    ("scalar", b"just a sentence\n", 1, "the top level must be a mapping"),
    ("anchor", b"id: sg-x\ndates: &d {adopted: '2010'}\nother: *d\n", 2, "anchors and aliases"),
    ("alias only", b"id: sg-x\nother: *d\n", 2, "anchors and aliases"),
    ("billion laughs", BILLION_LAUGHS.encode(), 2, "anchors and aliases"),
    ("python tag", b"id: !!python/object/apply:os.system ['echo hi']\n", 1, "YAML tags"),
    ("two documents", b"id: sg-x\n---\nid: sg-y\n", 2, "one YAML document"),
    ("deep nesting", b"a: " + b"[" * 50 + b"]" * 50 + b"\n", 1, "nested more than 20 levels deep"),
    ("very deep nesting", b"a: " + b"[" * 50000 + b"]" * 50000 + b"\n", 1, "exceeded maximum nesting depth"),
    ("list as key", b"? [a, b]\n: c\n", 1, "a key must be a plain name"),
    ("several MB", b"id: sg-x\nsummary: '" + b"x" * (5 * 1024 * 1024) + b"'\n", 0, "a record may be at most 256 KB"),
]


@pytest.mark.parametrize(("name", "data", "line", "message"), CASES, ids=[c[0] for c in CASES])
def test_reader_refuses_cleanly(name: str, data: bytes, line: int, message: str) -> None:
    with pytest.raises(yamlsafe.LoadError) as info:
        yamlsafe.load(data)
    assert message in info.value.message
    assert info.value.line == line


@pytest.mark.parametrize(("name", "data", "line", "message"), CASES, ids=[c[0] for c in CASES])
def test_validate_reports_file_and_line(tmp_path: Path, name: str, data: bytes, line: int, message: str) -> None:
    root = make_root(tmp_path)
    write_law(root, law())
    bad = root / "sg" / "hostile.yml"
    bad.write_bytes(data)
    problems = [p for p in validate(root).problems if p.path.endswith("hostile.yml")]
    assert len(problems) == 1, problems
    assert problems[0].line == line
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"{problems[0].path}:{line}:" if line else f"{problems[0].path}:")


def refused(data: bytes) -> tuple[yamlsafe.LoadError, float, int]:
    """Load `data` expecting a refusal; the error, seconds taken and peak bytes allocated."""
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(yamlsafe.LoadError) as info:
        yamlsafe.load(data)
    elapsed = time.perf_counter() - start
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return info.value, elapsed, peak


def test_billion_laughs_is_refused_fast_with_bounded_memory() -> None:
    # 9**9 strings would be hundreds of MB; the reader stops at the first anchor
    error, elapsed, peak = refused(BILLION_LAUGHS.encode())
    assert "anchors and aliases" in error.message
    assert elapsed < 0.1, elapsed
    assert peak < 1_000_000, peak


def test_large_file_is_refused_without_reading_it_as_yaml() -> None:
    error, elapsed, peak = refused(b"id: sg-x\nsummary: '" + b"x" * (8 * 1024 * 1024) + b"'\n")
    assert "8.4 MB" in error.message
    assert elapsed < 0.5, elapsed
    assert peak < 1_000_000, peak


def test_dates_stay_text_and_booleans_are_read() -> None:
    data, _ = yamlsafe.load(b"a: 2019-05-27\nb: 2019\nc: true\nd: '5'\ne: ~\nf: no\n")
    assert data == {"a": "2019-05-27", "b": 2019, "c": True, "d": "5", "e": None, "f": False}


def test_line_map_points_at_keys_and_items() -> None:
    data, lines = yamlsafe.load(b"id: x\ndates:\n  adopted: 2010\nareas:\n  - a\n  - b\n", lines=True)
    assert lines[("dates", "adopted")] == 3
    assert lines[("areas", 1)] == 6
    assert yamlsafe.line_for(lines, ("dates", "in_force")) == 2
