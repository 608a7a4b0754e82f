"""The lawrepo command through Click's CliRunner."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from ingest import __version__
from ingest.cli.main import main
from tests.helpers import LAWS, ROOT, law, make_root, write_law

COMMANDS = ["validate", "build", "serve", "stats"]


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(main, ["--version"])
    assert result.exit_code == 0
    assert result.output.strip() == f"lawrepo, version {__version__}"


@pytest.mark.parametrize("command", [None, *COMMANDS])
def test_every_command_has_help(runner: CliRunner, command: str | None) -> None:
    result = runner.invoke(main, [command, "--help"] if command else ["--help"])
    assert result.exit_code == 0
    assert result.output.startswith("Usage: ")
    if command is None:
        for name in COMMANDS:
            assert name in result.output
    else:
        first_doc_line = main.every_command()[command].help.splitlines()[0]
        assert first_doc_line.split()[0] in result.output


def test_validate_the_shipped_records(runner: CliRunner) -> None:
    result = runner.invoke(main, ["validate", str(LAWS)])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output and "11 countries" in result.output


def test_validate_reports_every_problem_and_fails(runner: CliRunner, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_law(root, law(status="active"))
    write_law(root, law(id="sg-other-act-2011", dates={"adopted": "2012", "in_force": "2011"}))
    result = runner.invoke(main, ["validate", str(root)])
    assert result.exit_code == 1
    lines = [x for x in result.output.splitlines() if ".yml:" in x]
    assert len(lines) == 2
    assert any("example-act-2010.yml:" in x and "status: 'active' is not an allowed value" in x for x in lines)
    assert any("other-act-2011.yml:" in x and "in_force (2011) is before adopted (2012)" in x for x in lines)
    assert "2 problem(s) in 2 file(s)." in result.output


def test_validate_one_file_reports_only_that_file(runner: CliRunner, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    good = write_law(root, law())
    write_law(root, law(id="sg-other-act-2011", status="active"))
    assert runner.invoke(main, ["validate", str(good)]).exit_code == 0
    assert runner.invoke(main, ["validate", str(root)]).exit_code == 1


def test_validate_outside_a_laws_folder(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(main, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "is not inside a laws folder" in result.output
    assert "Traceback" not in result.output


def test_build_writes_the_database_and_summarises(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "out" / "laws.db"
    result = runner.invoke(main, ["build", "--laws", str(LAWS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert result.output.count("\n") == 1 and result.output.startswith("Built ")
    n = len(list(LAWS.glob("[a-z][a-z]/*.yml")))
    assert f"{n} laws, 11 countries" in result.output
    assert sqlite3.connect(db).execute("SELECT count(*) FROM laws").fetchone() == (n,)
    again = runner.invoke(main, ["build", "--laws", str(LAWS), "--db", str(db)])
    assert f"is up to date: {n} laws, nothing changed" in again.output


def test_build_with_invalid_records_changes_nothing(runner: CliRunner, tmp_path: Path) -> None:
    root = make_root(tmp_path)
    write_law(root, law())
    db = tmp_path / "laws.db"
    assert runner.invoke(main, ["build", "--laws", str(root), "--db", str(db)]).exit_code == 0
    before = db.read_bytes()
    write_law(root, law(id="sg-bad-act-2011", areas=["privacy"]))
    result = runner.invoke(main, ["build", "--laws", str(root), "--db", str(db)])
    assert result.exit_code == 1
    assert "bad-act-2011.yml:" in result.output and "areas[0]" in result.output
    assert "was not changed" in result.output
    assert db.read_bytes() == before


def test_stats_prints_the_matrix(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    result = runner.invoke(main, ["stats", "--laws", str(LAWS), "--db", str(db)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    header = next(x for x in lines if x.startswith("Country"))
    for area in ["e-transactions", "e-signatures", "data-protection", "consumer-protection", "platforms", "cybersecurity"]:
        assert area in header
    timor = next(x for x in lines if x.startswith("Timor-Leste"))
    assert "none" in timor.split()  # no data-protection law: an explicit statement
    assert "Gaps (" in result.output


def test_serve_builds_when_missing_and_prints_the_command(runner: CliRunner, tmp_path: Path) -> None:
    db = tmp_path / "laws.db"
    result = runner.invoke(main, ["serve", "--laws", str(LAWS), "--db", str(db), "--port", "8123", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert db.exists() and (tmp_path / "inspect-data.json").exists()
    command = result.output.strip().splitlines()[-1]
    assert "LAWREPO_BASE_URL=http://127.0.0.1:8123 " in command  # links point where it listens
    for part in [
        "-m datasette serve",
        f"-i {db}",
        "--inspect-file",
        "--port 8123",
        "--host 127.0.0.1",
        str(ROOT / "metadata.yml"),
        str(ROOT / "datasette.yaml"),
        str(ROOT / "templates"),
        str(ROOT / "plugins"),
    ]:
        assert part in command, part


def test_build_to_an_unwritable_place_is_a_clear_error(runner: CliRunner, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    result = runner.invoke(main, ["build", "--laws", str(LAWS), "--db", str(blocker / "laws.db")])
    assert result.exit_code == 1
    assert "Error: cannot write" in result.output and "a-file/laws.db" in result.output
    assert "Traceback" not in result.output


def test_a_progress_bar_is_shown_on_a_terminal(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    import sys

    from ingest.cli import main as cli

    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    with cli._progress(400, "Building") as tick:
        assert tick is not None
        tick(400)
    assert "Building" in capsys.readouterr().err
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    with cli._progress(400, "Building") as tick:
        assert tick is None  # no bar when the output is not a terminal (CI logs, pipes)
