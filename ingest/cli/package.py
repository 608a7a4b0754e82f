"""`lawrepo package`: a Docker build context (and, with --build, an image) of the site."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click

from ingest import __version__
from ingest.cli.options import db_option
from ingest.records.files import find_root, show
from ingest.site.package import ROLES, PackageError, docker_command, write_context
from ingest.site.serve import is_stale

DEFAULT_OUT = {"reader": Path("dist") / "docker", "writer": Path("dist") / "docker-writer"}
DEFAULT_TAG = {"reader": f"asean-ecommerce-law:{__version__}", "writer": f"asean-ecommerce-law-writer:{__version__}"}


@click.command("package")
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path),
    default=None,
    help="The build context folder to write (replaced if it was written by this command)"
    " [default: dist/docker, or dist/docker-writer for --role writer].",
)
@click.option(
    "--role",
    type=click.Choice(ROLES),
    default="reader",
    show_default=True,
    help="reader: the read-only site, for any number of replicas; writer: the same site plus the"
    " contributors' forms and moderation (laws/, the submissions database on a volume), for one instance.",
)
@db_option("The built database to bake in.")
@click.option(
    "--tag",
    default=None,
    help=f"Image name and tag for --build [default: {DEFAULT_TAG['reader']}, or {DEFAULT_TAG['writer']} for --role writer].",
)
@click.option(
    "--base-url",
    envvar="LAWREPO_BASE_URL",
    default=None,
    help="The site's public address, such as https://laws.example.org (required; or LAWREPO_BASE_URL):"
    " feeds, CSV links and printed pages are built from it, never from a request's Host header.",
)
@click.option("--build", "run_build", is_flag=True, help="Then run `docker build -t TAG OUT` (needs Docker).")
@click.option(
    "--project",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    default=Path("."),
    show_default=True,
    help="The repository's root folder (metadata.yml, templates/, plugins/…).",
)
def command(
    out: Path | None, role: str, db_path: Path, tag: str | None, base_url: str | None, run_build: bool, project: Path
) -> None:
    """Write a Docker build context of the site: the built database,
    metadata.yml, datasette.yaml, templates/, plugins/, static/, the ingest
    package, requirements.txt with exact pins and a Dockerfile that runs
    `datasette inspect` at build time and serves the database immutable.

    Any container platform can run the reader image; it keeps no state, so
    replicas behind a cache scale it. The writer image adds laws/ and keeps
    the proposals in /data/submissions.db (a volume); it needs DATASETTE_SECRET
    and the moderators' hashes (LAWREPO_MODERATORS) from the environment."""
    out = out or DEFAULT_OUT[role]
    tag = tag or DEFAULT_TAG[role]
    laws = find_root(project / "laws") if (project / "laws").is_dir() else None
    if laws is not None and db_path.is_file() and is_stale(laws, db_path):
        raise click.ClickException(
            f"{show(db_path)} is older than records in {show(laws)}; run `lawrepo build --db {show(db_path)}` first"
        )
    try:
        made = write_context(project, db_path, out, role, base_url=base_url)
    except PackageError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:
        raise click.ClickException(f"cannot write {show(out)}: {exc}") from None
    click.echo(
        f"Wrote {show(out)} ({role}): database sha256 {made['database sha256'][:12]}…; pins: {made['requirements']}.", err=True
    )
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
