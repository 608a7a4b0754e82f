"""The package's folders are its pipeline: a stage imports only the stages below it.

common < records < rules < (build | importers) < (site | exports | reconcile | review) < cli.
Only the site stage imports Datasette. Every module is small enough to read.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "ingest"
RANK = {
    "common": 0,
    "records": 1,
    "rules": 2,
    "build": 3,
    "importers": 3,
    "site": 4,
    "exports": 4,
    "reconcile": 4,
    "review": 4,
    "submissions": 4,
    "cli": 5,
}
MAX_LINES = 400


def modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p.parent != PACKAGE)


def imports(path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of every absolute import in the module (the package uses no relative ones)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert not node.level, f"{path}:{node.lineno}: use absolute imports (from ingest.<stage> ...)"
            name = node.module or ""
            out += [(node.lineno, name)] + [(node.lineno, f"{name}.{a.name}") for a in node.names if name == "ingest"]
    return out


def violations(path: Path, package: Path = PACKAGE) -> list[str]:
    """Each import of `path` that breaks the stage order."""
    rel = path.relative_to(package)
    mine = rel.parts[0]
    found = []
    for line, name in imports(path):
        parts = name.split(".")
        if parts[0] == "datasette" and mine != "site":
            found.append(f"{rel}:{line}: only the site stage may import Datasette")
        if parts[0] == "ingest" and len(parts) > 1 and parts[1] in RANK and parts[1] != mine and RANK[parts[1]] >= RANK[mine]:
            found.append(f"{rel}:{line}: the {mine} stage imports {name}, which is not below it")
    return found


def test_every_stage_has_a_rank_and_a_docstring() -> None:
    stages = {p.name for p in PACKAGE.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert stages == set(RANK)
    for stage in stages:
        doc = ast.get_docstring(ast.parse((PACKAGE / stage / "__init__.py").read_text(encoding="utf-8")))
        assert doc and "Imports:" in doc, f"ingest/{stage}/__init__.py must say what it owns and what it may import"


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_a_stage_imports_only_lower_stages(path: Path) -> None:
    assert violations(path) == []


def test_the_contract_catches_upward_and_sideways_imports_and_datasette(tmp_path: Path) -> None:
    (tmp_path / "records").mkdir()
    (tmp_path / "exports").mkdir()
    (tmp_path / "records" / "probe.py").write_text("from ingest.build import database\nimport datasette\n", encoding="utf-8")
    (tmp_path / "exports" / "probe.py").write_text(
        "from ingest.site.compare import areas\nfrom ingest.build import timeline\n", encoding="utf-8"
    )
    assert violations(tmp_path / "records" / "probe.py", tmp_path) == [
        "records/probe.py:1: the records stage imports ingest.build, which is not below it",
        "records/probe.py:2: only the site stage may import Datasette",
    ]
    assert violations(tmp_path / "exports" / "probe.py", tmp_path) == [
        "exports/probe.py:1: the exports stage imports ingest.site.compare, which is not below it",
    ]


@pytest.mark.parametrize("path", modules(), ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_module_is_too_long_to_read(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(PACKAGE)} has {lines} lines; split it by what it does"


def test_no_file_of_the_package_is_ignored_by_git() -> None:
    """A file .gitignore matches would be missing from every fresh clone (a pattern like `build/` once hid ingest/build/)."""
    import shutil
    import subprocess

    root = PACKAGE.parent
    if not (root / ".git").exists() or not shutil.which("git"):
        pytest.skip("not a git checkout")
    files = [str(p.relative_to(root)) for p in PACKAGE.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    ignored = subprocess.run(
        ["git", "check-ignore", "--no-index", "--stdin"], cwd=root, capture_output=True, text=True, input="\n".join(files)
    ).stdout.split()
    assert ignored == [], f"ignored by .gitignore, so missing from every clone: {ignored}"
