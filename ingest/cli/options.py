"""Options shared by the commands: where the records and the database are."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from ingest.common.dates import parse_bounds

DEFAULT_DB = Path("db") / "laws.db"
DEFAULT_LAWS = Path("laws")


def laws_option(help: str = "The folder of records.") -> Callable[[Any], Any]:
    """--laws: the folder of records (default laws/)."""
    return click.option(
        "--laws",
        "laws_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=DEFAULT_LAWS,
        show_default=True,
        help=help,
    )


def db_option(help: str = "The SQLite database to write or serve.") -> Callable[[Any], Any]:
    """--db: the built database (default db/laws.db)."""
    return click.option(
        "--db",
        "db_path",
        type=click.Path(dir_okay=False, path_type=Path),
        default=DEFAULT_DB,
        show_default=True,
        help=help,
    )


def full_date(ctx: click.Context, param: click.Parameter, value: str | None) -> dt.date | None:
    """Callback: a YYYY-MM-DD option as a date (None when not given)."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD)") from None


def partial_date(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    """Callback: a date as records write it (YYYY-MM-DD, or YYYY-MM or YYYY), kept as text."""
    if value is not None and parse_bounds(value) is None:
        raise click.BadParameter(f"{value!r} is not a date (YYYY-MM-DD, or YYYY-MM or YYYY when that is all the source gives)")
    return value
