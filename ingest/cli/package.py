"""`lawrepo package`: a Docker build context (and, with --build, an image) of the site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click

from ingest import __version__
from ingest.cli.options import db_option
from ingest.records.files import find_root, show
from ingest.site.package import PackageError, docker_command, write_context
from ingest.site.serve import is_stale

DEFAULT_OUT = Path("dist") / "docker"
DEFAULT_TAG = f"asean-ecommerce-law:{__version__}"


@click.command("package")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=DEFAULT_OUT,
    show_default=True,
    help="The build context folder to write (replaced if it was written by this command).",
)
@db_option("The built database to bake in.")
@click.option("--tag", default=DEFAULT_TAG, show_default=True, help="Image name and tag for --build.")
@click.option("--build", "run_build", is_flag=True, help="Then run `docker build -t TAG OUT` (needs Docker).")
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The repository's root folder (metadata.yml, templates/, plugins/…).",
)
def command(out: Path, db_path: Path, tag: str, run_build: bool, project: Path) -> None:
    """Write a Docker build context of the site: the built database,
    metadata.yml, datasette.yaml, templates/, plugins/, static/, the ingest
    package, requirements.txt with exact pins and a Dockerfile that runs
    `datasette inspect` at build time and serves the database immutable.

    Any container platform can run the image; it keeps no state, so replicas
    behind a cache scale it."""
    laws = find_root(project / "laws") if (project / "laws").is_dir() else None
    if laws is not None and db_path.is_file() and is_stale(laws, db_path):
        raise click.ClickException(
            f"{show(db_path)} is older than records in {show(laws)}; run `lawrepo build --db {show(db_path)}` first"
        )
    try:
        made = write_context(project, db_path, out)
    except PackageError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {show(out)}: {exc}") from None
    click.echo(f"Wrote {show(out)}: database sha256 {made['database sha256'][:12]}…; pins: {made['requirements']}.", err=True)
    cmd = docker_command(out, tag)
    if not run_build:
        click.echo(f"Build the image with: {' '.join(cmd)}", err=True)
        return
    if shutil.which("docker") is None:
        raise click.ClickException(
            f"docker is not available on this machine (not on PATH); the build context is ready in {show(out)}: "
            f"run `{' '.join(cmd)}` where Docker is installed"
        )
    click.echo(f"Running: {' '.join(cmd)}", err=True)
    done = subprocess.run(cmd, check=False)
    if done.returncode != 0:
        raise click.ClickException(f"docker build failed (exit status {done.returncode})")
    click.echo(f"Built image {tag}.", err=True)
