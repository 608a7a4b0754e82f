"""`lawrepo fmt`: canonical key order and layout, the data never changed."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.records import yamlsafe
from ingest.records.files import discover
from ingest.records.format import WIDTH, format_text, properties
from tests.helpers import LAWS, law, make_root, write_law


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def parsed(root: Path) -> dict[str, Any]:
    """Every record file below `root`, parsed by the records' own reader."""
    found, problems = discover(root)
    assert problems == []
    return {rel: yamlsafe.load(Path(path).read_bytes())[0] for _, path, rel in found}


def scrambled(value: Any) -> Any:
    """The same data with every mapping's keys in reverse order."""
    if isinstance(value, dict):
        return {k: scrambled(value[k]) for k in reversed(list(value))}
    if isinstance(value, list):
        return [scrambled(v) for v in value]
    return value


def key_orders(value: Any, node: Any, schema: dict[str, Any], out: list[tuple[list[str], list[str]]]) -> None:
    """(keys as written, keys in schema order) for every mapping that a schema names."""
    if isinstance(value, dict):
        props = properties(node, schema)
        named = [k for k in value if k in props]
        out.append((named, [k for k in props if k in value]))
        for k, v in value.items():
            key_orders(v, props.get(k, {}), schema, out)
    elif isinstance(value, list):
        for v in value:
            key_orders(v, node.get("items", {}) if isinstance(node, dict) else {}, schema, out)


def test_the_repository_is_formatted() -> None:
    result = run("fmt", "--check", str(LAWS))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""


def test_formatting_every_record_keeps_its_data_and_is_idempotent(tmp_path: Path) -> None:
    laws_copy = tmp_path / "laws"
    shutil.copytree(LAWS, laws_copy)
    before = parsed(laws_copy)
    # Undo the layout: keys reversed, one line per value, four-space indentation, no comments.
    for rel, data in before.items():
        (laws_copy / rel).write_text(
            yaml.safe_dump(scrambled(data), sort_keys=False, width=10**6, indent=4, allow_unicode=False), encoding="utf-8"
        )
    assert run("fmt", "--check", str(laws_copy)).exit_code == 1
    first = run("fmt", str(laws_copy))
    assert first.exit_code == 0, first.output
    assert len(first.stdout.splitlines()) == len(before)
    assert parsed(laws_copy) == before
    texts = {rel: (laws_copy / rel).read_text(encoding="utf-8") for rel in before}
    second = run("fmt", str(laws_copy))
    assert second.exit_code == 0 and second.stdout == ""
    assert {rel: (laws_copy / rel).read_text(encoding="utf-8") for rel in before} == texts
    # every mapping in schema order, nested ones too
    found, _ = discover(laws_copy)
    for kind, path, rel in found:
        schema = json.loads((laws_copy / "schemas" / f"{kind}.schema.json").read_text(encoding="utf-8"))
        orders: list[tuple[list[str], list[str]]] = []
        key_orders(yamlsafe.load(Path(path).read_bytes())[0], schema, schema, orders)
        assert all(written == wanted for written, wanted in orders), rel
    # unicode kept as it is, not escaped
    assert "ธุรกรรม" in (laws_copy / "answers" / "th.yml").read_text(encoding="utf-8")


MESSY = """\
# yaml-language-server: $schema=../schemas/law.schema.json
# A comment at the top stays at the top.
status: in-force
id: sg-example-act-2010
country: SG
title: Example Act 2010
provenance:
    verification: unverified
    sources:
    -   note: Read on the official site.   # why this source
        citation: A test source
    evidence: seen
    last_verified: 2026-01-01
instrument_type: act
number: "No. 1 of 2010"
dates: {in_force: 2010-07-01, adopted: '2010-05-19'}
areas: [e-transactions]
summary: Gives electronic records the same legal effect as paper, and sets rules for the time and place of sending and receiving messages, in Singapore.
local_titles:
-   title: Akta Contoh 2010 — ตัวอย่าง
    lang: ms
"""


def test_fmt_orders_keys_by_the_schema_and_keeps_comments_quotes_and_text(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = root / "sg" / "example-act-2010.yml"
    path.write_text(MESSY, encoding="utf-8")
    check = run("fmt", "--check", str(path))
    assert check.exit_code == 1
    assert check.stdout.strip() == str(path)
    assert path.read_text(encoding="utf-8") == MESSY  # --check writes nothing
    assert run("fmt", str(path)).exit_code == 0
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert lines[:2] == MESSY.splitlines()[:2]
    keys = [line.split(":")[0] for line in lines if line and line[0].isalpha()]
    assert keys == [
        "id",
        "country",
        "title",
        "local_titles",
        "instrument_type",
        "number",
        "dates",
        "status",
        "areas",
        "summary",
        "provenance",
    ]
    assert "  - lang: ms\n    title: Akta Contoh 2010 — ตัวอย่าง\n" in text
    assert 'number: "No. 1 of 2010"' in text
    assert re.search(
        r"  sources:\n    - citation: A test source\n      note: Read on the official site\. +# why this source\n", text
    )
    assert "  last_verified: 2026-01-01\n  verification: unverified\n  evidence: seen\n" in text
    assert "dates: {adopted: '2010-05-19', in_force: 2010-07-01}" in text
    assert all(len(line) <= WIDTH for line in lines)
    assert not any(line != line.rstrip() for line in lines)
    assert yamlsafe.load(text.encode())[0] == yamlsafe.load(MESSY.encode())[0]
    assert run("validate", str(path)).exit_code == 0
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_fmt_gives_a_record_without_it_the_line_naming_its_schema(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    path = write_law(root, law())
    text = path.read_text(encoding="utf-8")
    bare = "\n".join(line for line in text.splitlines() if not line.startswith("# yaml-language-server:")) + "\n"
    path.write_text(bare, encoding="utf-8")
    assert run("fmt", "--check", str(path)).exit_code == 1
    assert run("fmt", str(path)).exit_code == 0
    fixed = path.read_text(encoding="utf-8")
    assert fixed.splitlines()[0] == "# yaml-language-server: $schema=../schemas/law.schema.json"
    assert yamlsafe.load(fixed.encode())[0] == yamlsafe.load(bare.encode())[0]
    assert run("fmt", "--check", str(path)).exit_code == 0


def test_fmt_reports_a_file_it_cannot_read_by_file_and_line(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    good = write_law(root, law())
    bad = root / "sg" / "broken.yml"
    bad.write_text("id: sg-broken\ntitle: A\ntitle: B\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(root)])
    assert result.exit_code == 1
    assert f"{bad}:3: duplicate key 'title'" in result.stderr
    assert "Traceback" not in result.output
    assert bad.read_text(encoding="utf-8") == "id: sg-broken\ntitle: A\ntitle: B\n"
    assert str(good) in result.stdout  # the other files are still formatted


def test_fmt_refuses_paths_outside_a_laws_folder(tmp_path: Path) -> None:
    stray = tmp_path / "x.yml"
    stray.write_text("a: 1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["fmt", str(stray)])
    assert result.exit_code == 1
    assert "is not inside a laws folder" in result.stderr


def test_format_text_never_changes_the_data() -> None:
    schema = json.loads((LAWS / "schemas" / "law.schema.json").read_text(encoding="utf-8"))
    text = "note: |\n  trailing spaces   \n  stay in a literal block\nid: x\n"
    out = format_text(text, schema)
    assert out.startswith("id: x\n")
    assert yamlsafe.load(out.encode())[0] == yamlsafe.load(text.encode())[0]
