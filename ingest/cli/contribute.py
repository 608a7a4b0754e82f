"""`lawrepo new law`, `lawrepo new answer` and `lawrepo fmt`: the git path for
contributors. New records hold only what is given; each is validated once
written and the write undone on any problem. `fmt` gives every record its
canonical layout without changing its data."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click

from ingest.cli.options import laws_option, partial_date
from ingest.common.atomic import write_text
from ingest.common.problems import Problem
from ingest.records.files import find_root, show
from ingest.records.format import FormatError, format_file, targets
from ingest.records.skeleton import (
    DATE_KEYS,
    LawFacts,
    SkeletonError,
    check_slug,
    indicator_ids,
    law_text,
    slugify,
    with_answer,
)
from ingest.rules.corpus import validate

COUNTRIES = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]


def _root(laws_dir: Path) -> Path:
    root = find_root(laws_dir) if laws_dir.exists() else None
    if root is None:
        raise click.ClickException(f"{laws_dir} is not a laws folder (a folder with schemas/ and vocabularies/)")
    return root


def _problems_in(root: Path, path: Path) -> list[Problem]:
    corpus = validate(root)
    target = path.resolve()
    return [p for p in corpus.problems if Path(p.path).resolve() == target]


def _undo(path: Path, previous: str | None, problems: list[Problem]) -> None:
    if previous is None:
        path.unlink(missing_ok=True)
    else:
        write_text(path, previous)
    for p in problems:
        click.echo(str(p))
    what = "removed" if previous is None else "left as it was"
    click.echo(f"{len(problems)} problem(s): {show(path)} was {what}.", err=True)
    sys.exit(1)


@click.group("new")
def new_group() -> None:
    """Start a record: a law record with the facts you give, or an `unknown`
    answer to fill in. Each is validated once written, and removed again if
    it is not valid."""


@new_group.command("law")
@click.option("--country", required=True, type=click.Choice(COUNTRIES, case_sensitive=False), help="The member state.")
@click.option("--title", required=True, help="The official English title (or the usual English translation).")
@click.option("--type", "instrument_type", required=True, help="Kind of instrument (vocabularies/instrument-types.yml).")
@click.option("--area", "areas", required=True, multiple=True, help="An area it covers, principal first (repeat the option).")
@click.option("--source", required=True, help="The source the facts come from: publisher, title, section or page.")
@click.option("--url", help="The source's address.")
@click.option("--number", help="The official number exactly as the country cites it.")
@click.option("--status", help="Status today (vocabularies/statuses.yml); default: draft, noted as a placeholder.")
@click.option("--adopted", callback=partial_date, metavar="DATE", help="Date passed, signed or made.")
@click.option("--promulgated", callback=partial_date, metavar="DATE", help="Date promulgated or published in the gazette.")
@click.option("--in-force", "in_force", callback=partial_date, metavar="DATE", help="Date of entry into force.")
@click.option("--repealed", callback=partial_date, metavar="DATE", help="Date repealed.")
@click.option("--slug", help="The file name without .yml (default: from the title).")
@laws_option()
def new_law(
    country: str,
    title: str,
    instrument_type: str,
    areas: tuple[str, ...],
    source: str,
    url: str | None,
    number: str | None,
    status: str | None,
    adopted: str | None,
    promulgated: str | None,
    in_force: str | None,
    repealed: str | None,
    slug: str | None,
    laws_dir: Path,
) -> None:
    """Write a law record laws/<cc>/<slug>.yml holding only the facts given,
    with the one source given and a note saying what remains to be filled in.
    An existing file is never overwritten."""
    root = _root(laws_dir)
    given = dict(zip(DATE_KEYS, (adopted, promulgated, in_force, repealed), strict=True))
    facts = LawFacts(
        country=country.upper(),
        title=title,
        instrument_type=instrument_type,
        areas=list(areas),
        source=source,
        url=url,
        number=number,
        status=status,
        dates={k: v for k, v in given.items() if v},
    )
    try:
        name = check_slug(slug) if slug else slugify(title)
        if not name:
            raise SkeletonError(f"no file name can be made from the title {title!r}: give --slug")
    except SkeletonError as exc:
        raise click.ClickException(str(exc)) from None
    path = root / facts.cc / f"{name}.yml"
    if path.exists():
        raise click.ClickException(f"{show(path)} already exists; edit it, or choose another name with --slug")
    text, _ = law_text(facts, name)
    write_text(path, text)
    problems = _problems_in(root, path)
    if problems:
        _undo(path, None, problems)
    click.echo(f"Wrote {show(path)}")
    click.echo("Fill in what the source gives, then run: lawrepo validate " + show(path), err=True)


@new_group.command("answer")
@click.option("--country", required=True, type=click.Choice(COUNTRIES, case_sensitive=False), help="The member state.")
@click.option("--indicator", required=True, help="An indicator id from codebook/<area>.yml.")
@click.option("--by", default="Repository editors", show_default=True, help="Who records the answer.")
@laws_option()
def new_answer(country: str, indicator: str, by: str, laws_dir: Path) -> None:
    """Append an `unknown` answer (note: "Not yet researched.") for INDICATOR
    to laws/answers/<cc>.yml, keeping the file's comments; nothing is
    written if the indicator already has an answer."""
    root = _root(laws_dir)
    known = indicator_ids(root)
    if indicator not in known:
        raise click.ClickException(f"{indicator} is not an indicator of the codebook ({show(root / 'codebook')})")
    path = root / "answers" / f"{country.lower()}.yml"
    try:
        previous = path.read_text(encoding="utf-8") if path.exists() else None
        text = with_answer(previous, country.upper(), indicator, by, dt.date.today())
    except SkeletonError as exc:
        raise click.ClickException(f"{show(path)}: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise click.ClickException(f"{show(path)} cannot be read: {exc}") from None
    write_text(path, text)
    problems = _problems_in(root, path)
    if problems:
        _undo(path, previous, problems)
    click.echo(f"Wrote {show(path)}: {indicator} (unknown, not yet researched)")


@click.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@click.option("--check", is_flag=True, help="Only list the files that would change; exit status 1 if any.")
def fmt_command(paths: tuple[Path, ...], check: bool) -> None:
    """Give record files their canonical layout: keys in the order of their
    JSON Schema, two-space indentation, lists under their key, lines of at
    most 100 characters; comments, quotes and text kept, the data unchanged.

    PATHS are record files or folders inside a laws folder (default: laws)."""
    found, problems = targets(paths or (Path("laws"),))
    schemas: dict[tuple[Path, str], dict[str, Any]] = {}
    changed: list[Path] = []
    unchanged = 0
    for target in found:
        try:
            old, new = format_file(target, schemas)
        except FormatError as exc:
            problems.append(Problem(show(target.path), exc.line, "", exc.message))
            continue
        if old == new:
            unchanged += 1
            continue
        changed.append(target.path)
        if not check:
            write_text(target.path, new)
        click.echo(show(target.path))
    for p in problems:
        click.echo(str(p), err=True)
    if check:
        verdict = f"{len(changed)} file(s) would be reformatted" if changed else "every file is formatted"
    else:
        verdict = f"{len(changed)} file(s) reformatted"
    click.echo(f"{verdict}, {unchanged} unchanged, {len(problems)} problem(s).", err=True)
    if problems or (check and changed):
        sys.exit(1)
