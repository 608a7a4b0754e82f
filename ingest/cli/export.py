"""`lawrepo export`: the open exports of the built database."""

from __future__ import annotations

import os
import time
from pathlib import Path

import click

from ingest.cli.options import db_option, laws_option
from ingest.exports import writer as export
from ingest.exports.atom import LIMIT
from ingest.records.files import find_root, show
from ingest.site.serve import is_stale

BASE_URL_ENV = "LAWREPO_BASE_URL"
LOCAL_URL = "http://127.0.0.1:8001"


@click.command("export")
@click.option(
    "--format",
    "formats",
    multiple=True,
    default=["all"],
    show_default=True,
    type=click.Choice([*export.FORMATS, "all"]),
    help="What to write: datapackage (datapackage.json and a CSV per table), atom (laws.atom), "
    "atr (atr-legal-documents.csv), or all. May be repeated.",
)
@click.option(
    "--out",
    "out",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("db") / "exports",
    show_default=True,
    help="The folder to write into (created if missing).",
)
@db_option("The built database to read.")
@laws_option("The folder of records (for record times when the database has none).")
@click.option(
    "--base-url",
    metavar="URL",
    envvar=BASE_URL_ENV,
    default=None,
    help=f"Public address of the site, for page links and feed entry ids [env {BASE_URL_ENV}; default {LOCAL_URL}].",
)
@click.option("--limit", type=click.IntRange(1, 100_000), default=LIMIT, show_default=True, help="Entries in the Atom feed.")
def command(formats: tuple[str, ...], out: Path, db_path: Path, laws_dir: Path, base_url: str | None, limit: int) -> None:
    """Write the open exports of the database: a Frictionless Data Package, an
    Atom feed of recently updated law records and a legal-documents list for
    trade repositories.

    The database is read as built; files appear in the output folder only when
    all of them are complete. Feed entry ids are the addresses of the law
    pages, so set --base-url to the site's public address to keep them stable."""
    chosen = export.FORMATS if "all" in formats else tuple(dict.fromkeys(formats))
    configured = base_url is not None
    base_url = base_url or LOCAL_URL
    if not base_url.startswith(("http://", "https://")):
        raise click.BadParameter(f"{base_url!r} is not an http:// or https:// address", param_hint="--base-url")
    root = find_root(laws_dir) if laws_dir.is_dir() else None
    if root is not None and db_path.is_file() and is_stale(root, db_path):
        click.echo(
            f"Warning: {show(db_path)} is older than records in {show(root)}; run `lawrepo build` to include their changes.",
            err=True,
        )
    start = time.perf_counter()
    try:
        written = export.export(
            db_path, out, chosen, base_url=base_url.rstrip("/"), laws_root=root, meta=export.load_metadata(), limit=limit
        )
    except export.ExportError as exc:
        raise click.ClickException(str(exc)) from None
    secs = time.perf_counter() - start
    size = sum(os.path.getsize(p) for p in written)
    click.echo(
        f"Wrote {len(written)} file(s), {size / 1e6:.1f} MB, into {show(out)} in {secs:.1f} s: "
        + ", ".join(p.name for p in written[:4])
        + (" …" if len(written) > 4 else ""),
        err=True,
    )
    if not configured and ("atom" in chosen or "atr" in chosen):
        click.echo(
            f"Note: links and feed ids use {LOCAL_URL}; give the site's public address with --base-url (or {BASE_URL_ENV}).",
            err=True,
        )


if __name__ == "__main__":
    command()
