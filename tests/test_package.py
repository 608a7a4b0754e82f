"""`lawrepo package`: the Docker build context it writes (no Docker engine is
needed): the files, the exact pins, the Dockerfile's instructions, and the
image's own commands run in the folder; the command line and its messages."""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from contextlib import closing, contextmanager
from fnmatch import fnmatch
from importlib import metadata
from pathlib import Path

import httpx
import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner, Result

from ingest import __version__
from ingest.cli.package import command
from ingest.site import package
from ingest.site.serve import datasette_args
from ingest.submissions import moderators
from tests.helpers import free_port, wait_until_up

SITE = "https://laws.example.org"  # the public address every context is written for

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def context(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package") / "docker"
    package.write_context(ROOT, built_db, out, base_url=SITE)
    return out


def files_below(folder: Path) -> set[str]:
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"
    }


def instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments left out."""
    text = re.sub(r"\\\n\s*", " ", dockerfile.read_text(encoding="utf-8"))
    out = []
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            word, _, rest = line.strip().partition(" ")
            out.append((word, rest.strip()))
    return out


def cmd_shell(context: Path) -> str:
    (cmd,) = [rest for word, rest in instructions(context / "Dockerfile") if word == "CMD"]
    form = json.loads(cmd)
    assert form[:2] == ["/bin/sh", "-c"] and len(form) == 3
    return form[2]


@contextmanager
def image_server(context: Path, env: dict[str, str], log: Path) -> Iterator[str]:
    """The image's own command, run in the build context with its output in `log`
    (after the image's inspect step, when the context has not had it yet): its
    address once it answers, the server stopped when the block ends. A server
    that does not start fails with the end of its log."""
    if not (context / "inspect-data.json").exists():
        (inspect,) = [rest for w, rest in instructions(context / "Dockerfile") if w == "RUN" and "datasette inspect" in rest]
        subprocess.run(["/bin/sh", "-c", inspect.split("&&")[0]], cwd=context, env=env, check=True, timeout=120)
    with open(log, "wb") as out:
        process = subprocess.Popen(
            ["/bin/sh", "-c", cmd_shell(context)], cwd=context, env=env, stdout=out, stderr=subprocess.STDOUT
        )
    base = f"http://127.0.0.1:{env['PORT']}"
    try:
        try:
            wait_until_up(f"{base}/-/versions.json", process)
        except RuntimeError as exc:
            raise AssertionError(f"{exc}\n{log.read_text(errors='replace')[-3000:]}") from None
        yield base
    finally:
        process.terminate()
        process.wait(timeout=10)


# --- the build context --------------------------------------------------------------


def test_context_has_everything_the_site_needs(context: Path) -> None:
    found = files_below(context)
    assert {"laws.db", "metadata.yml", "datasette.yaml", "requirements.txt", "Dockerfile", ".dockerignore"} <= found
    for folder in ("templates", "plugins", "static", "ingest"):
        expected = {f"{folder}/{name}" for name in files_below(ROOT / folder) if not fnmatch(Path(name).name, "*.tmp*")}
        assert expected and expected <= found, folder
    assert {"plugins/freshness_page.py", "templates/freshness.html", "ingest/site/freshness.py", "static/site.css"} <= found
    assert not [p for p in context.rglob("*") if p.name == "__pycache__" or p.suffix == ".pyc"]
    assert (context / "metadata.yml").read_bytes() == (ROOT / "metadata.yml").read_bytes()
    assert (context / "datasette.yaml").read_bytes() == (ROOT / "datasette.yaml").read_bytes()
    assert not (context / "laws").exists() and not (context / "tests").exists()


def test_database_is_the_built_one(context: Path, built_db: Path) -> None:
    assert (context / "laws.db").read_bytes() == built_db.read_bytes()
    labels = dict(instructions(context / "Dockerfile"))["LABEL"]
    assert f'lawrepo.database.sha256="{package.file_digest(built_db)}"' in labels
    assert 'lawrepo.role="reader"' in labels


def test_requirements_pin_the_installed_versions(context: Path) -> None:
    lines = (context / "requirements.txt").read_text(encoding="utf-8").splitlines()
    pins = dict(line.split("==", 1) for line in lines)
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["dependencies"]
    names = [re.match(r"[A-Za-z0-9._-]+", d).group(0) for d in deps]
    assert {"datasette", "sqlite-utils"} <= set(names)
    assert set(pins) == set(names)
    for name in names:
        assert pins[name] == metadata.version(name), name
    assert pins["datasette"] == "1.0a41"


def test_dockerfile_instructions(context: Path) -> None:
    steps = instructions(context / "Dockerfile")
    words = [w for w, _ in steps]
    assert steps[0] == ("FROM", "python:3.11-slim")
    env = dict(steps)["ENV"]
    assert "PYTHONPATH=/app" in env and "PORT=8001" in env
    assert "LAWREPO_SUBMISSIONS=off" in env  # a replica takes no proposals: the writer does
    assert f"LAWREPO_BASE_URL={SITE}" in env  # the links' origin, never the request's Host
    assert ("WORKDIR", "/app") in steps
    order = [
        steps.index(s)
        for s in [("COPY", "requirements.txt ./"), ("RUN", "pip install --no-cache-dir -r requirements.txt"), ("COPY", ". ./")]
    ]
    assert order == sorted(order)
    (inspect,) = [i for i, (w, rest) in enumerate(steps) if w == "RUN" and "datasette inspect" in rest]
    assert steps[inspect][1].startswith("datasette inspect laws.db --inspect-file inspect-data.json")
    assert inspect > order[-1] and inspect < words.index("CMD")
    user = dict(steps)["USER"]
    assert user not in ("root", "0") and words.index("USER") < words.index("CMD")
    assert f"--uid {user}" in steps[inspect][1]  # the user is created before it is used
    assert ("EXPOSE", "8001") in steps


def test_cmd_serves_immutable_with_the_options_of_lawrepo_serve(context: Path, built_db: Path) -> None:
    shell = cmd_shell(context)
    assert shell.startswith("exec datasette serve ")
    args = shlex.split(shell)[3:]
    flags = dict(zip(args[::2], args[1::2], strict=True))
    assert flags["-i"] == "laws.db" and flags["--inspect-file"] == "inspect-data.json"
    assert flags["--host"] == "0.0.0.0" and flags["--port"] == "${PORT:-8001}"
    local = datasette_args(ROOT, built_db, built_db.with_name("inspect-data.json"), "127.0.0.1", 8001)
    local = local[local.index("serve") + 1 :]
    local_flags = dict(zip(local[::2], local[1::2], strict=True))
    assert set(flags) == set(local_flags)
    for flag in ("--metadata", "--config", "--template-dir", "--plugins-dir"):
        assert flags[flag] == Path(local_flags[flag]).name
        assert (context / flags[flag]).exists()
    assert flags["--static"] == "assets:static"


def test_dockerignore_keeps_caches_out(context: Path) -> None:
    lines = (context / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert "**/__pycache__" in lines and "**/*.pyc" in lines


def run_image_commands(context: Path, path: str, port: str = "9123") -> subprocess.CompletedProcess[str]:
    """The Dockerfile's inspect step and CMD, run by the shell in the folder, with
    --get PATH added so that Datasette answers one request and exits."""
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(context),
        "PORT": port,
    }
    if not (context / "inspect-data.json").exists():
        (inspect,) = [rest for w, rest in instructions(context / "Dockerfile") if w == "RUN" and "datasette inspect" in rest]
        subprocess.run(["/bin/sh", "-c", inspect.split("&&")[0]], cwd=context, env=env, check=True, timeout=120)
    return subprocess.run(
        ["/bin/sh", "-c", f"{cmd_shell(context)} --get {shlex.quote(path)}"],
        cwd=context,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_image_commands_serve_the_site_from_the_folder_alone(context: Path) -> None:
    done = run_image_commands(context, "/freshness.json")
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["ok"] is True
    done = run_image_commands(context, "/compare.json")  # plugins/compare_pages.py
    assert done.returncode == 0, done.stderr[-2000:]
    assert json.loads(done.stdout)["ok"] is True
    # plugins/hardening.py: the list of plugins is not public
    done = run_image_commands(context, "/-/plugins.json")
    assert json.loads(done.stdout) == {"ok": False, "status": 404, "error": "Not found."}
    found = subprocess.run(
        [sys.executable, "-c", "import ingest; print(ingest.__file__)"],
        cwd="/",
        env={"PYTHONPATH": str(context)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(found.stdout.strip()).parent == context / "ingest"


# --- writing the folder ----------------------------------------------------------------


def test_rewriting_replaces_the_folder_and_leaves_no_temporaries(built_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "docker"
    package.write_context(ROOT, built_db, out, base_url=SITE)
    (out / "leftover.txt").write_text("from an earlier run")
    package.write_context(ROOT, built_db, out, base_url=SITE)
    assert not (out / "leftover.txt").exists() and (out / "Dockerfile").exists()
    assert [p.name for p in tmp_path.iterdir()] == ["docker"]


def test_a_failure_leaves_the_previous_folder_untouched(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "docker"
    package.write_context(ROOT, built_db, out, base_url=SITE)
    before = {p: (out / p).read_bytes() for p in files_below(out)}

    def broken(digest: str, role: str = "reader", base_url: str = "") -> str:
        raise OSError("disk full")

    monkeypatch.setattr(package, "dockerfile", broken)
    with pytest.raises(OSError, match="disk full"):
        package.write_context(ROOT, built_db, out, base_url=SITE)
    assert {p: (out / p).read_bytes() for p in files_below(out)} == before
    assert [p.name for p in tmp_path.iterdir()] == ["docker"]


def test_refuses_to_replace_a_folder_it_did_not_write(built_db: Path, tmp_path: Path) -> None:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me")
    with pytest.raises(package.PackageError, match="was not written by `lawrepo package`"):
        package.write_context(ROOT, built_db, mine, base_url=SITE)
    assert (mine / "notes.txt").read_text() == "keep me"
    with pytest.raises(package.PackageError, match="outside the folders it copies"):
        package.write_context(ROOT, built_db, ROOT / "templates" / "docker", base_url=SITE)
    assert not (ROOT / "templates" / "docker").exists()


# --- the command line ----------------------------------------------------------------


def invoke(*args: str) -> Result:
    return CliRunner().invoke(command, [*args, "--project", str(ROOT)], env={"LAWREPO_BASE_URL": SITE})


def test_cli_writes_the_context(built_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ctx"
    result = invoke("--out", str(out), "--db", str(built_db))
    assert result.exit_code == 0, result.output
    assert f"database sha256 {package.file_digest(built_db)[:12]}" in result.output
    assert f"docker build -t asean-ecommerce-law:{__version__} {out}" in result.output
    assert (out / "laws.db").read_bytes() == built_db.read_bytes()


@pytest.mark.parametrize("given", [None, "", "laws.example.org", "ftp://laws.example.org", "https://laws.example.org/?x=1"])
def test_cli_requires_the_site_address(built_db: Path, tmp_path: Path, given: str | None) -> None:
    out = tmp_path / "ctx"
    args = ["--out", str(out), "--db", str(built_db), "--project", str(ROOT)]
    result = CliRunner().invoke(
        command, args + (["--base-url", given] if given is not None else []), env={"LAWREPO_BASE_URL": ""}
    )
    assert result.exit_code == 1, result.output
    assert "--base-url" in result.output or "is not a site address" in result.output
    assert not out.exists()


def test_cli_missing_database(tmp_path: Path) -> None:
    missing = tmp_path / "db" / "laws.db"
    result = invoke("--out", str(tmp_path / "ctx"), "--db", str(missing))
    assert result.exit_code == 1
    assert result.output == f"Error: {missing}: no such database; build it first with `lawrepo build --db {missing}`\n"
    assert not (tmp_path / "ctx").exists()


def test_cli_not_a_built_database(tmp_path: Path) -> None:
    bad = tmp_path / "laws.db"
    bad.write_text("not sqlite")
    result = invoke("--out", str(tmp_path / "ctx"), "--db", str(bad))
    assert result.exit_code == 1 and "not a database written by `lawrepo build`" in result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_cli_database_older_than_the_records(built_db: Path, tmp_path: Path) -> None:
    old = tmp_path / "laws.db"
    shutil.copyfile(built_db, old)
    os.utime(old, (0, 0))
    result = invoke("--out", str(tmp_path / "ctx"), "--db", str(old))
    assert result.exit_code == 1 and "is older than records in" in result.output and "lawrepo build" in result.output
    assert not (tmp_path / "ctx").exists()


def test_cli_build_without_docker(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    out = tmp_path / "ctx"
    result = invoke("--out", str(out), "--db", str(built_db), "--build")
    assert result.exit_code == 1
    assert "docker is not available on this machine" in result.output
    assert (out / "Dockerfile").exists()  # the context is still written, ready for a machine with Docker


@pytest.mark.parametrize("status", [0, 3])
def test_cli_build_runs_docker(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, status: int) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    record = tmp_path / "docker-args"
    fake = bin_dir / "docker"
    fake.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > {shlex.quote(str(record))}\nexit {status}\n')
    fake.chmod(0o755)
    monkeypatch.setenv("PATH", str(bin_dir))
    out = tmp_path / "ctx"
    result = invoke("--out", str(out), "--db", str(built_db), "--build", "--tag", "laws:test")
    assert record.read_text().splitlines() == ["build", "-t", "laws:test", str(out)]
    if status == 0:
        assert result.exit_code == 0 and "Built image laws:test." in result.output
    else:
        assert result.exit_code == 1 and "docker build failed (exit status 3)" in result.output


# --- the writer: the same site plus the contributors' forms and moderation ---------------

PDPA = "th-personal-data-protection-act-2019"
PASSWORD = "a moderator's long password"


@pytest.fixture(scope="module")
def writer(built_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("package-writer") / "docker"
    package.write_context(ROOT, built_db, out, role="writer", base_url=SITE)
    return out


def test_writer_context_is_the_reader_plus_the_records(writer: Path, context: Path) -> None:
    made = {package.INSPECT_FILE}  # written when the image's commands run
    found, reader = files_below(writer) - made, files_below(context) - made
    assert reader <= found
    records = {f"laws/{name}" for name in files_below(ROOT / "laws") if not fnmatch(Path(name).name, "*.tmp*")}
    assert records and found - reader == records
    assert (writer / "laws" / "th" / "personal-data-protection-act-2019.yml").read_bytes() == (
        ROOT / "laws" / "th" / "personal-data-protection-act-2019.yml"
    ).read_bytes()
    assert (writer / "laws.db").read_bytes() == (context / "laws.db").read_bytes()
    assert (writer / "datasette.yaml").read_bytes() == (ROOT / "datasette.yaml").read_bytes()
    # no secret and no moderator's hash is baked in
    for name in found:
        if not name.startswith("laws/") and Path(name).suffix in ("", ".yaml", ".yml", ".txt", ".json"):
            text = (writer / name).read_text(encoding="utf-8", errors="replace")
            assert "pbkdf2_sha256$" not in text, name


def test_writer_dockerfile_keeps_proposals_on_a_volume_and_secrets_in_the_environment(writer: Path) -> None:
    steps = instructions(writer / "Dockerfile")
    words = [w for w, _ in steps]
    values = dict(steps)
    assert 'lawrepo.role="writer"' in values["LABEL"]
    env = values["ENV"]
    assert f"LAWREPO_SUBMISSIONS_DB={package.SUBMISSIONS_DB}" in env and package.SUBMISSIONS_DB.startswith("/data/")
    assert "LAWREPO_SUBMISSIONS=off" not in env
    assert "DATASETTE_SECRET" not in env and "LAWREPO_MODERATORS" not in env and "ARG" not in words
    assert ("VOLUME", '["/data"]') in steps
    user = values["USER"]
    (setup,) = [rest for w, rest in steps if w == "RUN" and "useradd" in rest]
    assert f"chown {user} /data" in setup and words.index("VOLUME") < words.index("USER") < words.index("CMD")
    shell = cmd_shell(writer)
    assert shell.startswith(': "${DATASETTE_SECRET:?') and shell.endswith(cmd_shell_reader())


def cmd_shell_reader() -> str:
    return "exec " + " ".join(package.serve_args())


def writer_env(writer: Path, data: Path, port: int, secret: bool = True) -> dict[str, str]:
    env = {
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        "PYTHONPATH": str(writer),
        "PORT": str(port),
        "LAWREPO_SUBMISSIONS_DB": str(data / "submissions.db"),  # the volume, as the image's ENV puts it
        "LAWREPO_MODERATORS": f"mod:{moderators.hash_password(PASSWORD, iterations=1000)}",
    }
    if secret:
        env["DATASETTE_SECRET"] = "s" * 64
    return env


def test_writer_refuses_to_start_without_the_secret(writer: Path, tmp_path: Path) -> None:
    done = subprocess.run(
        ["/bin/sh", "-c", f"{cmd_shell(writer)} --get /"],
        cwd=writer,
        env=writer_env(writer, tmp_path, 9124, secret=False),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "set DATASETTE_SECRET" in done.stderr


def form_of(html: str) -> dict[str, str]:
    form = BeautifulSoup(html, "html.parser").find("form", class_="contribution")
    data = {}
    for field in form.find_all(["input", "select", "textarea"]):
        if not field.get("name") or field.get("type") == "checkbox":
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[field["name"]] = chosen["value"] if chosen else ""
        else:
            data[field["name"]] = field.get_text() if field.name == "textarea" else field.get("value", "")
    return data


def test_the_writer_image_commands_take_and_moderate_a_proposal(writer: Path, tmp_path: Path) -> None:
    """The Dockerfile's inspect step and CMD run in the folder alone: a correction is
    checked against the folder's laws/, stored on the volume, and moderated."""
    port = free_port()
    data = tmp_path / "data"
    data.mkdir()
    env = writer_env(writer, data, port)
    before = (writer / "laws.db").read_bytes()
    with image_server(writer, env, tmp_path / "server.log") as base:
        with httpx.Client(base_url=base, timeout=30) as visitor:
            form = form_of(visitor.get(f"/submit?law={PDPA}").text)
            posted = visitor.post("/submit", data={**form, "in_force": "2019-05-29", "source": "Royal Gazette"})
            assert posted.status_code == 303, posted.text[-2000:]
            sid = posted.headers["location"].rsplit("/", 1)[1]
        with httpx.Client(base_url=base, timeout=30) as moderator:
            token = form_of(moderator.get("/submissions/login").text)["form_token"]
            signed = moderator.post("/submissions/login", data={"name": "mod", "password": PASSWORD, "form_token": token})
            assert signed.status_code == 303
            review = moderator.get(f"/submissions/review/{sid}.json").json()
            assert [r["field"] for r in review["diff"] if r["changed"]] == ["in_force"]
    with closing(sqlite3.connect(data / "submissions.db")) as conn:
        assert conn.execute("select id, law_id, status from submissions").fetchall() == [(sid, PDPA, "pending")]
    assert (writer / "laws.db").read_bytes() == before  # served immutable


def test_cli_writes_the_writer_context(built_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "ctx"
    result = invoke("--role", "writer", "--out", str(out), "--db", str(built_db))
    assert result.exit_code == 0, result.output
    assert "(writer)" in result.output and f"docker build -t asean-ecommerce-law-writer:{__version__} {out}" in result.output
    assert (out / "laws" / "schemas").is_dir() and 'lawrepo.role="writer"' in (out / "Dockerfile").read_text()
    assert invoke("--role", "editor", "--out", str(tmp_path / "x"), "--db", str(built_db)).exit_code == 2
