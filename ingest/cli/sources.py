"""`lawrepo check-sources` and `lawrepo check-quotes`: a watch on the official pages the records rest on."""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ingest.cli.options import full_date, laws_option
from ingest.common.atomic import write_text
from ingest.common.problems import dotted
from ingest.importers import quotes, watch
from ingest.importers.fetch import Fetcher
from ingest.records.files import line_of_field, show
from ingest.rules import corpus as corpus_rules

DEFAULT_CACHE = Path("db") / "cache" / "pages"


def cache_option(f: Callable[..., Any]) -> Callable[..., Any]:
    return click.option(
        "--cache",
        "cache_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_CACHE,
        show_default=True,
        help="Where fetched pages are kept (for conditional requests and check-quotes).",
    )(f)


@click.command("check-sources")
@click.option("--country", help="Only this member state (ISO code).")
@click.option(
    "--report", "report_path", type=click.Path(dir_okay=False, path_type=Path), help="Also write the changes to this file."
)
@click.option("--today", callback=full_date, metavar="YYYY-MM-DD", help="The date recorded for the check (default: today).")
@laws_option()
@cache_option
def check_sources(country: str | None, report_path: Path | None, today: dt.date | None, laws_dir: Path, cache_dir: Path) -> None:
    """Read every record's official page again and report what changed.

    Each change since the last check is one line, `file: field: recorded ->
    now at source` (a new amendment, a changed status or date, a page that
    moved or is gone). The checks are kept in laws/source-checks/<cc>.yml, so
    a second run over unchanged pages reports nothing. Exit status 1 when
    something changed, so that a scheduled job can open an issue."""
    corpus = corpus_rules.load(laws_dir)
    with Fetcher(cache_dir=cache_dir) as fetcher:
        checks = watch.run(corpus, fetcher, today or dt.date.today(), country)
    lines = watch.news(checks, corpus)
    written = watch.save(laws_dir, checks, corpus) if checks else []
    for line in lines:
        click.echo(line)
    counts = {
        r: sum(c.result == r for c in checks) for r in ("unchanged", "changed", "differs", "unreachable", "refused", "no-parser")
    }
    summary = f"{len(checks)} page(s) checked: " + ", ".join(f"{n} {r}" for r, n in counts.items() if n)
    click.echo(summary + (f"; {len(lines)} change(s) since the last check." if lines else "; nothing new."), err=True)
    if written:
        click.echo("Kept in " + ", ".join(show(p) for p in written) + ".", err=True)
    if report_path:
        write_text(report_path, "\n".join([*lines, summary]) + "\n")
    sys.exit(1 if lines else 0)


@click.command("check-quotes")
@laws_option()
@cache_option
def check_quotes(laws_dir: Path, cache_dir: Path) -> None:
    """Confirm every recorded quote against the saved text of its page.

    A quote not found, word for word, in the page last fetched from its
    address is reported as `file:line: field: ...`, with exit status 1. Quotes
    whose page has not been fetched (run check-sources or import first) are
    counted, not failed."""
    corpus = corpus_rules.load(laws_dir)
    missing, unsaved, confirmed = quotes.check(corpus, cache_dir)
    for q in missing:
        field = dotted(q.field)
        click.echo(f"{show(q.path)}:{line_of_field(q.path, q.field)}: {field}: not found in the saved text of {q.url}")
    click.echo(f"{confirmed} quote(s) confirmed, {len(missing)} not found, {len(unsaved)} without a saved page.", err=True)
    sys.exit(1 if missing else 0)
