"""`lawrepo submissions`: accepted web proposals into record files, and password hashes for moderators."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ingest.cli.options import full_date, laws_option
from ingest.submissions import moderators, store
from ingest.submissions.export import describe, export

DEFAULT_DB = Path("db") / "submissions.db"


@click.group("submissions")
def group() -> None:
    """Proposals made through the site (/submit), once moderators accept them."""


@group.command("export")
@click.option("--since", callback=full_date, metavar="YYYY-MM-DD", help="Only proposals accepted on or after this date.")
@click.option(
    "--db",
    "db_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=DEFAULT_DB,
    show_default=True,
    help="The submissions database the site writes.",
)
@laws_option()
def export_command(since: dt.date | None, db_path: Path, laws_dir: Path) -> None:
    """Write the accepted proposals into the records: a correction into its
    record file (keeping its comments), a proposed law as a new file, each with
    a source naming the submission and the moderator; then validate, and mark
    what was written as exported. A file that would not be valid is left as it
    was. Questions on answers are listed for the reviewers."""
    if not db_path.is_file():
        raise click.ClickException(f"{db_path} does not exist: nothing has been submitted")
    if not (laws_dir / "schemas").is_dir():
        raise click.ClickException(f"{laws_dir} is not a laws folder")
    with store.connect(db_path) as conn:
        subs = store.accepted(conn, since.isoformat() if since else None)
    if not subs:
        click.echo("No accepted submission to export.", err=True)
        return
    report = export(subs, laws_dir, dt.date.today().isoformat())
    with store.connect(db_path) as conn:
        for sub, rel in report.written:
            store.mark_exported(conn, sub["id"], rel)
        for q in report.questions:
            store.mark_exported(conn, q["id"], "")
    for line in describe(report, laws_dir):
        click.echo(line)
    click.echo(
        f"{len(report.written)} record file(s) written, {len(report.skipped)} not exported, "
        f"{len(report.questions)} question(s) for the reviewers.",
        err=True,
    )
    if report.skipped:
        raise SystemExit(1)


@group.command("hash-password")
@click.password_option("--password", prompt="Moderator's password", help="Asked for when not given.")
def hash_password_command(password: str) -> None:
    """Print the hash of a moderator's password, for the site's configuration
    (plugins: submissions: moderators) or LAWREPO_MODERATORS=name:hash."""
    if len(password) < 12:
        raise click.ClickException("use a password of at least 12 characters")
    click.echo(moderators.hash_password(password))


command = group
