"""The README tells the truth about the commands."""

from __future__ import annotations

import re

from ingest.cli.main import main
from tests.helpers import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def bash_blocks() -> list[str]:
    return [b.strip() for b in re.findall(r"```bash\n(.*?)```", README, re.S)]


def test_two_commands_for_a_fresh_machine() -> None:
    blocks = bash_blocks()
    assert len(blocks) == 2
    serve, test = blocks
    assert serve.endswith("lawrepo serve") and "pip install -e ." in serve
    assert "pytest" in test and "[test]" in test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert bash_blocks()[1] in ci


def test_every_command_is_documented() -> None:
    for name in main.list_commands(None):
        assert f"`lawrepo {name}" in README, name
