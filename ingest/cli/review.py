"""`lawrepo worksheet` and `lawrepo review import`: the review cycle of
Outcome 9, from a pre-filled worksheet to a review record."""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import sys
from contextlib import closing
from pathlib import Path
from typing import Any

import click
import yaml

from ingest.cli.options import db_option, laws_option
from ingest.common.atomic import write_text
from ingest.records.files import show
from ingest.review import worksheet
from ingest.review.sheet_import import build_record, read_sheet
from ingest.rules.corpus import validate

DEFAULT_DB = Path("db") / "laws.db"


@click.command("worksheet")
@click.argument("country")
@click.option("--area", "areas", multiple=True, help="Only these areas (repeat the option); default: all five.")
@click.option("--format", "fmt", type=click.Choice(["md", "csv", "html"]), default="md", show_default=True)
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write to this file (default: standard output).")
@db_option("The built database to read.")
def worksheet_command(country: str, areas: tuple[str, ...], fmt: str, out: Path | None, db_path: Path) -> None:
    """Write a review worksheet for COUNTRY (its two-letter code): its laws,
    answers, legal bases, since-dates and open questions (unknown, unverified,
    disputed), area by area. The CSV format is the one `lawrepo review
    import` reads back once filled in; the HTML format prints on A4."""
    if not db_path.exists():
        raise click.ClickException(f"{db_path} does not exist: run `lawrepo build` first")
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        try:
            sheet = worksheet.load(conn, country, list(areas) or None)
        except LookupError as exc:
            raise click.ClickException(str(exc)) from None
        except sqlite3.Error as exc:
            raise click.ClickException(f"{db_path} cannot be read as the repository's database ({exc})") from None
    text = worksheet.RENDER[fmt](sheet)
    if out is None:
        click.echo(text, nl=not text.endswith("\n"))
        return
    write_text(out, text)
    click.echo(f"Wrote {out}: {len(sheet.rows)} questions for {sheet.country['name']}.", err=True)


def _party(value: str) -> dict[str, str]:
    if value.lower().startswith("body:"):
        return {"body": value[5:].strip()}
    return {"country": value.strip().upper()}


@click.group("review")
def review_group() -> None:
    """Review records (laws/reviews/)."""


@review_group.command("import")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--id", "review_id", required=True, help="Id of the review, e.g. th-2026-peer-review (file laws/reviews/<id>.yml).")
@click.option("--type", "review_type", type=click.Choice(["internal", "peer"]), required=True)
@click.option("--title", required=True, help="Title of the review.")
@click.option(
    "--party",
    "parties",
    multiple=True,
    required=True,
    help="A party: a member state code (SG), or body:NAME (body:ACCEC). Repeat for each.",
)
@click.option("--status", type=click.Choice(["planned", "in-progress", "completed"]), default="completed", show_default=True)
@click.option("--planned", help="Date planned (YYYY-MM-DD).")
@click.option("--held", help="Date held (YYYY-MM-DD).")
@click.option("--published", help="Date the report was published (YYYY-MM-DD).")
@click.option("--report-url", help="Address of the published report.")
@click.option("--note", help="A note on the review.")
@click.option("--replace", is_flag=True, help="Replace an existing review record with the same id.")
@laws_option()
def import_command(
    sheet: Path,
    review_id: str,
    review_type: str,
    title: str,
    parties: tuple[str, ...],
    status: str,
    planned: str | None,
    held: str | None,
    published: str | None,
    report_url: str | None,
    note: str | None,
    replace: bool,
    laws_dir: Path,
) -> None:
    """Read a filled worksheet (CSV) into laws/reviews/<id>.yml. Every bad row
    is reported with its line and column; nothing is written unless the whole
    sheet is valid. Run `lawrepo build` afterwards: findings of a completed
    review mark the answers they cover as peer or internally reviewed, or
    disputed."""
    target = laws_dir / "reviews" / f"{review_id}.yml"
    if target.exists() and not replace:
        raise click.ClickException(f"{show(target)} already exists: choose another --id or give --replace")
    corpus = validate(laws_dir)
    if corpus.problems:
        for p in corpus.problems[:20]:
            click.echo(str(p), err=True)
        raise click.ClickException(f"the records in {laws_dir} have problems; fix them before importing a review")
    data = sheet.read_bytes()
    try:
        _, rows = read_sheet(data)
    except (UnicodeDecodeError, ValueError, csv.Error):
        rows = []  # build_record reports why the sheet cannot be read
    indicators = corpus.indicators()
    areas = sorted(
        {indicators[r["indicator"]]["area"] for _, r in rows if r.get("indicator") in indicators}, key=corpus.codes("areas").index
    )
    meta: dict[str, Any] = {
        "id": review_id,
        "type": review_type,
        "title": title,
        "status": status,
        "parties": [_party(p) for p in parties],
        "scope": {"areas": areas} if areas else {},
        "dates": {k: v for k, v in (("planned", planned), ("held", held), ("published", published)) if v},
        "report": {"url": report_url} if report_url else None,
        "note": note,
    }
    result = build_record(data, corpus, meta, dt.date.today())
    if result.problems or result.record is None:
        for row_problem in result.problems:
            click.echo(row_problem.show(show(sheet)), err=True)
        click.echo(f"{len(result.problems)} problem(s); nothing was written.", err=True)
        sys.exit(1)
    text = "# yaml-language-server: $schema=../schemas/review.schema.json\n" + yaml.safe_dump(
        result.record, allow_unicode=True, sort_keys=False, width=100
    )
    write_text(target, text)
    click.echo(f"Wrote {show(target)}: {len(result.record['findings'])} findings. Run `lawrepo build` to apply them.", err=True)
