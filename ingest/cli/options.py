"""Options shared by the commands: where the records and the database are."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

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
