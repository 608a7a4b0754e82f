"""The `lawrepo` command."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

import click

from ingest import __version__
from ingest.build.build_state import StateReference
from ingest.build.database import build as build_db
from ingest.build.database import builder_digest, read_previous, start_copy
from ingest.cli.lazy import LazyGroup
from ingest.cli.options import db_option, full_date, laws_option
from ingest.common.paths import PROJECT
from ingest.common.problems import Problem
from ingest.records.files import find_root, is_law_key, show
from ingest.records.scan import BackgroundScan
from ingest.rules.corpus import Previous
from ingest.rules.corpus import validate as validate_corpus
from ingest.site import verification_table
from ingest.site.freshness_text import text_table as freshness_table
from ingest.site.serve import datasette_args, ensure_inspect_file, is_stale, matrix_rows

today_option = click.option(
    "--today", callback=full_date, metavar="YYYY-MM-DD", help="Check statuses as of this date instead of today."
)
jobs_option = click.option(
    "--jobs", "-j", type=click.IntRange(1, 64), default=None, help="Processes used to read records (default: one per CPU)."
)


# the commands that bring heavy libraries, imported when run (ingest/cli/lazy.py)
LAZY = {
    "import": "ingest.cli.importing:command",
    "check-sources": "ingest.cli.sources:check_sources",
    "check-quotes": "ingest.cli.sources:check_quotes",
    "worksheet": "ingest.cli.review:worksheet_command",
    "review": "ingest.cli.review:review_group",
    "package": "ingest.cli.package:command",
    "export": "ingest.cli.export:command",
    "reconcile": "ingest.cli.reconcile:command",
    "submissions": "ingest.cli.submissions:group",
    "new": "ingest.cli.contribute:new_group",
    "fmt": "ingest.cli.contribute:fmt_command",
}


@click.group(cls=LazyGroup, lazy=LAZY, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="lawrepo")
def main() -> None:
    """Validate, build and serve the ASEAN e-commerce law repository.

    Records live in laws/ as YAML files; `lawrepo build` checks them and
    writes db/laws.db; `lawrepo serve` builds if needed and starts the site."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@today_option
@jobs_option
@click.option(
    "--format",
    "output",
    type=click.Choice(["text", "github"]),
    default="text",
    show_default=True,
    help="github: each problem as a GitHub Actions annotation (::error file=…,line=…,title=field::sentence).",
)
def validate(paths: tuple[Path, ...], today: dt.date | None, jobs: int | None, output: str) -> None:
    """Check records: schema, vocabularies, dates, statuses, relations, the
    codebook and the answers.

    PATHS are record files or folders inside a laws folder (default: laws).
    The whole laws folder is always loaded, so that relations can be checked;
    problems are reported for the PATHS given. Every problem is listed with
    its file, line and field; the exit status is 1 if there is any."""
    paths = paths or (Path("laws"),)
    root = _root_of(paths[0])
    corpus = validate_corpus(root, today=today, jobs=jobs)
    wanted = [p.resolve() for p in paths]
    problems = [p for p in corpus.problems if _inside(p, wanted)]
    if output == "github":
        for p in problems:
            click.echo(github_annotation(p))
    else:
        _report(problems)
    files = {p.path for p in problems}
    if problems:
        click.echo(f"{len(problems)} problem(s) in {len(files)} file(s).", err=True)
        sys.exit(1)
    answered = sum(len(data["answers"]) for _, data in corpus.answer_files.values())
    click.echo(
        f"OK: {len(corpus.laws)} laws, {len(corpus.countries)} countries, {len(corpus.vocab)} vocabularies, "
        f"{len(corpus.indicators())} indicators, {answered} answers from {len(corpus.answer_files)} countries.",
        err=True,
    )


@main.command()
@laws_option()
@db_option()
@click.option("--full", is_flag=True, help="Read every file again even if unchanged since the last build.")
@today_option
@jobs_option
def build(laws_dir: Path, db_path: Path, full: bool, today: dt.date | None, jobs: int | None) -> None:
    """Validate the records, then write the SQLite database atomically.

    Files unchanged since the previous build are not read again. If any
    record is invalid, the problems are listed, nothing is written and the
    exit status is 1."""
    _build(laws_dir, db_path, full=full, today=today, jobs=jobs)


def _build(laws_dir: Path, db_path: Path, full: bool = False, today: dt.date | None = None, jobs: int | None = None) -> None:
    root = _root_of(laws_dir)
    start = time.perf_counter()
    # the folder is walked in child processes, and the database copied for a patch, while
    # the previous build's state is read here
    scanned = BackgroundScan(root, None if full else StateReference(db_path, builder_digest()))
    copy = None if full else start_copy(db_path, today)
    try:
        previous = None if full else read_previous(db_path)
        total = _records_to_count(root, previous)
        with _progress(total, "Building") as tick:
            corpus, counts = build_db(root, db_path, previous, today, jobs, tick, scanned, copy)
    except (OSError, sqlite3.Error, RuntimeError) as exc:
        raise click.ClickException(f"cannot write {show(db_path)}: {exc}") from None
    finally:
        scanned.close()
        if copy is not None:
            copy.drop()  # when the build did not use it (and it did, the file is no longer there)
    secs = time.perf_counter() - start
    if corpus.problems:
        _report(corpus.problems)
        click.echo(f"{len(corpus.problems)} problem(s); {show(db_path)} was not changed.", err=True)
        sys.exit(1)
    if counts is None:
        click.echo(f"{show(db_path)} is up to date: {len(corpus.laws)} laws, nothing changed ({secs:.1f} s).", err=True)
        return
    rate = len(corpus.laws) / secs if secs else 0
    click.echo(
        f"Built {show(db_path)}: {counts['laws']} laws, {counts['countries']} countries, "
        f"{counts['provisions']} provisions ({corpus.parsed} record files read, {corpus.reused} unchanged) "
        f"in {secs:.1f} s, {rate:,.0f} records/s.",
        err=True,
    )


@main.command()
@laws_option()
@db_option()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", "-p", default=8001, show_default=True, type=click.IntRange(0, 65535), help="Port.")
@click.option("--dry-run", is_flag=True, help="Print the Datasette command instead of running it.")
def serve(laws_dir: Path, db_path: Path, host: str, port: int, dry_run: bool) -> None:
    """Start the site (Datasette) on the database, building it first if it
    is missing or older than any record."""
    root = _root_of(laws_dir)
    if is_stale(root, db_path):
        _build(laws_dir, db_path)
    inspect = ensure_inspect_file(db_path)
    # the site (metadata, configuration, templates, plugins, static files) is this project's, whatever the corpus
    args = datasette_args(PROJECT, db_path, inspect, host, port)
    env = {
        "LAWREPO_LAWS_DIR": str(root),  # the records the site's correction forms check against
        # Links on the pages start with the configured address; on a machine serving
        # itself that is the address it listens on (production sets its public one).
        "LAWREPO_BASE_URL": os.environ.get("LAWREPO_BASE_URL")
        or f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}",
    }
    if dry_run:
        click.echo(" ".join([*(f"{k}={v}" for k, v in env.items()), *args]))
        return
    click.echo(f"Serving at http://{host}:{port}/ (Ctrl+C to stop)", err=True)
    os.environ.update(env)
    os.execvp(args[0], args)


@main.command()
@laws_option()
@db_option()
@click.option(
    "--freshness",
    "show_freshness",
    is_flag=True,
    help="Coverage and freshness instead: records, answers, verification and what is stale, per member state and area.",
)
@today_option
def stats(laws_dir: Path, db_path: Path, show_freshness: bool, today: dt.date | None) -> None:
    """Coverage: member states x areas, with law counts and gaps (--freshness:
    how recently each cell was verified and what is stale)."""
    root = _root_of(laws_dir)
    if is_stale(root, db_path):
        _build(laws_dir, db_path, today=today)
    if show_freshness:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
            click.echo(freshness_table(conn, today or dt.date.today()), nl=False)
        return
    header, rows, gaps = matrix_rows(db_path)
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    for r in [header, ["-" * w for w in widths], *rows]:
        click.echo("  ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
    click.echo("")
    click.echo("Cells: number of enacted laws recorded (in force / partly in force / not yet in force);")
    click.echo("otherwise the explicit statement: none, draft, partial or unknown.")
    click.echo("")
    click.echo(f"Gaps ({len(gaps)} cells without an enacted law):")
    for country, area, status, note in gaps:
        click.echo(f"  {country:<18} {area:<20} {status:<8} {note}")
    click.echo("")
    click.echo("Verification per member state:")
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        click.echo(verification_table.text_table(conn), nl=False)


# --------------------------------------------------------------------------


def _root_of(path: Path) -> Path:
    root = find_root(path)
    if root is None:
        raise click.ClickException(f"{path} is not inside a laws folder (a folder with schemas/ and vocabularies/)")
    return root


def _inside(problem: Problem, wanted: list[Path]) -> bool:
    p = Path(problem.path).resolve()
    return any(p == w or w in p.parents for w in wanted)


def github_annotation(problem: Problem) -> str:
    """A problem as a GitHub Actions workflow command, shown on the pull request's diff."""
    where = [f"file={_escape(problem.path, True)}"]
    if problem.line:
        where.append(f"line={problem.line}")
    where.append(f"title={_escape(problem.field or 'record', True)}")
    return f"::error {','.join(where)}::{_escape(problem.message, False)}"


def _escape(text: str, prop: bool) -> str:
    out = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return out.replace(":", "%3A").replace(",", "%2C") if prop else out


def _report(problems: list[Problem]) -> None:
    for p in problems:
        click.echo(str(p))


def _records_to_count(root: Path, previous: Previous | None) -> int:
    """How many record files a progress bar counts up to: only worked out when a
    bar is shown, and then from the previous build when there is one (a second
    walk over a hundred thousand files costs more than the bar is worth)."""
    if not sys.stderr.isatty():
        return 0
    if previous is not None:
        return sum(1 for key in previous.digests if is_law_key(key))
    return sum(1 for _ in root.glob("[a-z][a-z]/*.yml"))


@contextmanager
def _progress(total: int, label: str) -> Iterator[Callable[[int], None] | None]:
    if not sys.stderr.isatty() or total < 200:
        yield None
        return
    with click.progressbar(length=total, label=label, file=sys.stderr) as bar:
        yield bar.update


__all__ = ["main"]
