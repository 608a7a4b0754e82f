"""What contributors are shown is true: the worked examples in CONTRIBUTING.md
run as written and rest on the repository's own records, and the hooks, the
workflow, the issue forms and the pull-request template ask for what they say."""

from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path
from typing import Any

import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.records import yamlsafe
from tests.helpers import LAWS, ROOT

CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
SECTION = CONTRIBUTING.split("## Contributing data", 1)[1].split("\n## ", 1)[0]
EXAMPLE_LAW = LAWS / "sg" / "spam-control-act-2007.yml"


def blocks(kind: str) -> list[str]:
    """The fenced blocks of the section with this info string ("" for plain ones)."""
    found: list[str] = []
    current: list[str] | None = None
    info = ""
    for line in SECTION.splitlines(keepends=True):
        if line.startswith("```"):
            if current is None:
                current, info = [], line[3:].strip()
            else:
                if info == kind:
                    found.append("".join(current))
                current = None
        elif current is not None:
            current.append(line)
    return found


def record(path: Path) -> dict[str, Any]:
    return yamlsafe.load(path.read_bytes())[0]


def test_the_new_law_example_runs_as_written_and_uses_the_records_facts(tmp_path: Path) -> None:
    command = next(b for b in blocks("sh") if "lawrepo new law" in b)
    args = shlex.split(command.replace("\\\n", " "))
    assert args[:3] == ["lawrepo", "new", "law"]
    copy = tmp_path / "laws"
    shutil.copytree(LAWS, copy)
    # in the repository the record exists, and the command refuses to overwrite it
    refused = CliRunner().invoke(main, [*args[1:], "--laws", str(LAWS)])
    assert refused.exit_code == 1 and "already exists" in refused.output
    (copy / "sg" / EXAMPLE_LAW.name).unlink()
    result = CliRunner().invoke(main, [*args[1:], "--laws", str(copy)])
    assert result.exit_code == 0, result.output
    written = (copy / "sg" / EXAMPLE_LAW.name).read_text(encoding="utf-8")
    shown = next(b for b in blocks("yaml") if b.startswith("# yaml-language-server"))
    assert written == shown
    # every fact in the example is the recorded law's
    new, real = record(copy / "sg" / EXAMPLE_LAW.name), record(EXAMPLE_LAW)
    for key in ("id", "country", "title", "instrument_type", "dates", "status", "areas"):
        assert new[key] == real[key], key
    source = new["provenance"]["sources"][0]
    assert source in [{k: s[k] for k in ("citation", "url")} for s in real["provenance"]["sources"] if "url" in s]


def test_the_correction_example_is_the_recorded_correction() -> None:
    text = EXAMPLE_LAW.read_text(encoding="utf-8")
    example = next(b for b in blocks("yaml") if b.startswith("dates:"))
    for line in example.splitlines():
        if line.strip() and not line.strip().startswith("#") and not line.strip().endswith("..."):
            assert line in text.splitlines(), line
    assert "earlier marked unknown" in record(EXAMPLE_LAW)["provenance"]["note"]
    real = record(EXAMPLE_LAW)
    assert real["dates"]["in_force"] == "2007-06-15"
    assert any("dates.in_force" in s.get("supports", []) for s in real["provenance"]["sources"])


def test_the_example_messages_are_the_validators(tmp_path: Path) -> None:
    copy = tmp_path / "laws"
    shutil.copytree(LAWS, copy)
    path = copy / "sg" / EXAMPLE_LAW.name
    path.write_text(path.read_text(encoding="utf-8").replace("in_force: 2007-06-15", "in_force: 2007-06-31"), encoding="utf-8")
    for fmt, shown in (("text", blocks("")[0]), ("github", blocks("")[1])):
        result = CliRunner().invoke(main, ["validate", "--format", fmt, str(path)])
        assert result.exit_code == 1
        assert result.stdout.replace(str(copy), "laws") == shown


def test_the_hooks_check_the_layout_and_the_rules_of_changed_records() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {h["id"]: h for repo in config["repos"] for h in repo["hooks"]}
    for hook, entry in (("lawrepo-fmt", "lawrepo fmt --check"), ("lawrepo-validate", "lawrepo validate")):
        assert hooks[hook]["entry"] == entry
        assert hooks[hook]["language"] == "system"
        assert re.match(hooks[hook]["files"], "laws/sg/spam-control-act-2007.yml")
        assert not re.match(hooks[hook]["files"], "ingest/cli/main.py")


def test_the_workflow_checks_records_on_pull_requests() -> None:
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "records.yml").read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    runs = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(r.endswith("lawrepo fmt --check") for r in runs)
    assert any(r.endswith("lawrepo validate --format github") for r in runs)


def test_the_issue_forms_ask_for_the_law_the_field_the_value_and_the_official_source() -> None:
    for name in ("data-correction.yml", "new-law.yml"):
        form = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / name).read_text(encoding="utf-8"))
        assert form["name"] and form["description"]
        fields = {b["id"]: b for b in form["body"] if "id" in b}
        assert fields["official-source"]["validations"]["required"] is True
        assert "official" in fields["official-source"]["attributes"]["label"].lower()
        assert fields["law"]["validations"]["required"] is True
    correction = yaml.safe_load((ROOT / ".github" / "ISSUE_TEMPLATE" / "data-correction.yml").read_text(encoding="utf-8"))
    ids = [b.get("id") for b in correction["body"]]
    assert {"law", "field", "value", "official-source"} <= set(ids)


def test_the_pull_request_template_asks_for_the_official_source_and_the_validator() -> None:
    template = (ROOT / ".github" / "pull_request_template.md").read_text(encoding="utf-8")
    assert "## Official source" in template
    assert "## `lawrepo validate` output" in template
