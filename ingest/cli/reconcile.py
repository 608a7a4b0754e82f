"""`lawrepo reconcile`: compare our records with a peer's data.

    lawrepo reconcile unctad --data data.csv --links document_links.json [--report FILE]

reads UNCTAD's Global Cyberlaw Tracker files, writes the snapshot of the ASEAN
member states' rows to laws/peers/unctad.yml, compares it with the built
database, prints the number of disagreements by kind, and writes a report.
The site's tables are refreshed by the next `lawrepo build`.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from contextlib import closing
from pathlib import Path

import click

from ingest.build import peers as reconcile
from ingest.cli.options import db_option, laws_option, partial_date
from ingest.common.atomic import write_text
from ingest.reconcile import report as reconcile_report
from ingest.reconcile import unctad
from ingest.records import files
from ingest.rules import reading
from ingest.site.serve import is_stale

DEFAULT_DB = Path("db") / "laws.db"


@click.group("reconcile", context_settings={"help_option_names": ["-h", "--help"]})
def command() -> None:
    """Compare our records with a peer's data and list every disagreement."""


@command.command("unctad")
@click.option(
    "--data",
    "data_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="UNCTAD's data.csv (status per country and area).",
)
@click.option(
    "--links",
    "links_path",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="UNCTAD's document_links.json (documents per country and area).",
)
@db_option("The built database to compare with.")
@laws_option("The folder of records (country profiles; the snapshot is written there).")
@click.option(
    "--report",
    "report_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write the report to this file ('-': standard output).",
)
@click.option(
    "--format", "fmt", type=click.Choice(reconcile_report.FORMATS), default="md", show_default=True, help="The report's format."
)
@click.option("--no-save", is_flag=True, help="Do not write the snapshot laws/peers/unctad.yml.")
@click.option(
    "--source-date",
    callback=partial_date,
    metavar="DATE",
    help="Date of the version of UNCTAD's files read (YYYY-MM-DD, YYYY-MM or YYYY).",
)
@click.option("--source-ref", metavar="TEXT", help="Where the files came from, e.g. a repository and commit.")
def unctad_command(
    data_path: Path,
    links_path: Path,
    db_path: Path,
    laws_dir: Path,
    report_path: Path | None,
    fmt: str,
    no_save: bool,
    source_date: str | None,
    source_ref: str | None,
) -> None:
    """Reconcile our records with the UNCTAD Global Cyberlaw Tracker.

    Maps UNCTAD's status per member state in its four areas, and the
    documents it links, onto our countries (by UN M49 code), areas and law
    records (by the numbers and years the titles cite), and lists every
    disagreement with its kind and a reason."""
    root = files.find_root(laws_dir)
    if root is None:
        raise click.ClickException(f"{laws_dir} is not a laws folder (a folder with schemas/ and vocabularies/)")
    if not db_path.exists():
        raise click.ClickException(f"{files.show(db_path)} does not exist: run `lawrepo build` first")
    stale = is_stale(root, db_path)
    today = dt.date.today()
    try:
        profiles = unctad.read_profiles(root / "countries")
        rows = unctad.read_data(data_path)
        links = unctad.read_links(links_path)
    except unctad.UnctadError as exc:
        raise click.ClickException(str(exc)) from None
    snap, warnings = unctad.snapshot(
        rows,
        links,
        profiles,
        files=[data_path.name, links_path.name],
        taken=today,
        source_date=source_date,
        source_ref=source_ref,
    )
    for w in warnings:
        click.echo(f"Warning: {w}", err=True)
    if not no_save:
        target = root / "peers" / f"{unctad.PEER}.yml"
        if not (root / "schemas" / "peer.schema.json").exists():
            raise click.ClickException(f"{files.show(root / 'schemas')} has no peer.schema.json to check the snapshot with")
        problems = reading.read_one(str(root / "schemas"), "peer", str(target), unctad.dump(snap).encode()).problems
        if problems:
            raise click.ClickException(
                "the snapshot would not pass its schema; nothing was written:\n" + "\n".join(map(str, problems))
            )
        try:
            unctad.write_snapshot(target, snap)
        except OSError as exc:
            raise click.ClickException(f"cannot write {files.show(target)}: {exc.strerror}") from None
        click.echo(
            f"Wrote {files.show(target)}: {len(snap['countries'])} member states. "
            f"Run `lawrepo build` to refresh the site's tables.",
            err=True,
        )
    if stale:
        click.echo(
            f"Warning: {files.show(db_path)} is older than the records; run `lawrepo build` for current results.", err=True
        )
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
            result = reconcile.reconcile(snap, conn)
            text = reconcile_report.render(fmt, snap, result, conn, today) if report_path else None
    except sqlite3.Error as exc:
        raise click.ClickException(f"cannot read {files.show(db_path)}: {exc} (run `lawrepo build` again)") from None
    found = reconcile.counts(result)
    by_kind = ", ".join(f"{n} {k}" for k, n in found.items()) or "none"
    click.echo(
        f"UNCTAD: {len(snap['countries'])} member states, {len(result.status)} cells; "
        f"{len(result.disagreements)} disagreements: {by_kind}.",
        err=str(report_path) == "-",
    )
    if report_path and text is not None:
        _write(report_path, text)


def _write(path: Path, text: str) -> None:
    if str(path) == "-":
        sys.stdout.write(text)
        return
    try:
        write_text(path, text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {files.show(path)}: {exc.strerror}") from None
    click.echo(f"Wrote {files.show(path)}.", err=True)


if __name__ == "__main__":
    command()
