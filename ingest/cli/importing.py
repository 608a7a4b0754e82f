"""`lawrepo import`: one statute page into a draft record, or into the changes it shows to a recorded one."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import click
import yaml

from ingest.cli.options import laws_option
from ingest.common.atomic import write_bytes, write_text
from ingest.importers import registry
from ingest.importers.fetch import Fetcher
from ingest.importers.model import Refusal
from ingest.importers.page import load
from ingest.importers.record import check_expected, guess_areas, number_tokens, to_record
from ingest.importers.update import apply, plan
from ingest.records import yamlsafe
from ingest.records.files import show
from ingest.records.model import Corpus
from ingest.rules import corpus as corpus_rules
from ingest.rules import laws as law_rules
from ingest.rules import schemas


def dump(rec: dict[str, Any]) -> str:
    return "# yaml-language-server: $schema=../schemas/law.schema.json\n" + yaml.safe_dump(
        rec, allow_unicode=True, sort_keys=False, width=100
    )


def find_recorded(corpus: Corpus, country: str, rec: dict[str, Any], wanted: str | None) -> str | None:
    """The path of the recorded law the page is about: by id, else by number, else by address."""
    if wanted:
        law = corpus.laws.get(wanted)
        if law is None:
            raise Refusal(f"no law record has the id {wanted!r}")
        return law.path
    mine = [law for law in corpus.laws.values() if law.country == country.upper()]
    if rec.get("number"):
        tokens = number_tokens(rec["number"])
        for law in mine:
            data = yamlsafe.load(Path(law.path).read_bytes())[0]
            if data.get("number") and number_tokens(str(data["number"])) == tokens:
                return law.path
    url = (rec.get("links") or [{}])[0].get("url")
    if url:
        for law in mine:
            data = yamlsafe.load(Path(law.path).read_bytes())[0]
            if any(x.get("url") == url for x in data.get("links") or []):
                return law.path
    return None


@click.command("import")
@click.argument("source_ref", metavar="FILE-OR-URL")
@click.option("--country", required=True, help="ISO code of the member state (SG, PH, VN ...).")
@click.option("--source", "parser", default="auto", show_default=True, help="The parser: auto, or a source's name.")
@click.option("--expect", metavar="NUMBER", help="Refuse the page unless it holds the law with this number.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Write a new record here instead of printing it.")
@click.option("--write", "do_write", is_flag=True, help="Apply the changes to the recorded law's file.")
@click.option("--force", is_flag=True, help="With --write, also replace facts an official source supports.")
@click.option(
    "--id", "record_id", help="The recorded law to compare with; a new id makes a new record (default: made from the title)."
)
@click.option("--area", "areas", multiple=True, help="An area of the law (default: guessed from the title). Repeatable.")
@click.option("--status", help="The law's status, when the page does not state it.")
@click.option("--type", "instrument_type", help="The kind of instrument, when the page does not say.")
@click.option("--url", help="The page's address, for a saved file.")
@click.option("--read-on", metavar="YYYY-MM-DD", help="The date the page was read (default: today).")
@laws_option()
def command(
    source_ref: str,
    country: str,
    parser: str,
    expect: str | None,
    out: Path | None,
    do_write: bool,
    force: bool,
    record_id: str | None,
    areas: tuple[str, ...],
    status: str | None,
    instrument_type: str | None,
    url: str | None,
    read_on: str | None,
    laws_dir: Path,
) -> None:
    """Read one statute page (a saved file or an address) into a draft law record.

    A new law is printed as YAML (or written with --out). For a law already
    recorded, the differences are listed as `file: field: recorded -> at source`
    and the file is changed only with --write. A page that is not the law
    expected, or holds no law text, is refused with exit status 1."""
    try:
        _run(
            source_ref,
            country,
            parser,
            expect,
            out,
            do_write,
            force,
            record_id,
            list(areas),
            status,
            instrument_type,
            url,
            read_on or dt.date.today().isoformat(),
            laws_dir,
        )
    except Refusal as exc:
        click.echo(f"{source_ref}: {exc}", err=True)
        sys.exit(1)


def _run(
    source_ref: str,
    country: str,
    parser: str,
    expect: str | None,
    out: Path | None,
    do_write: bool,
    force: bool,
    record_id: str | None,
    areas: list[str],
    status: str | None,
    instrument_type: str | None,
    url: str | None,
    read_on: str,
    laws_dir: Path,
) -> None:
    if source_ref.startswith(("http://", "https://")):
        with Fetcher() as fetcher:
            got = fetcher.get(source_ref)
        page = load(got.data, url=got.url)
    else:
        try:
            page = load(Path(source_ref).read_bytes(), url=url)
        except OSError as exc:
            raise Refusal(f"cannot be read: {exc.strerror}") from None
    draft = registry.read(page, parser)
    check_expected(draft, expect)
    if instrument_type and not draft.instrument_type:
        draft.instrument_type = instrument_type
    corpus = corpus_rules.load(laws_dir)
    hosts = corpus.official_hosts
    if record_id and record_id not in corpus.laws:
        recorded_path = None  # a new id: a new record, even when a recorded law has the same number
    else:
        recorded_path = find_recorded(corpus, country, {"number": draft.number, "links": [{"url": draft.url}]}, record_id)
    rec = to_record(
        draft,
        country,
        read_on=read_on,
        hosts=hosts,
        status=status or _recorded_status(recorded_path),
        areas=areas or _recorded_areas(recorded_path) or guess_areas(draft),
        record_id=_id_for(record_id, recorded_path),
    )
    if recorded_path:
        _compare(Path(recorded_path), rec, hosts, do_write, force, laws_dir)
        return
    _check_new(rec, laws_dir, corpus)
    text = dump(rec)
    if out:
        write_text(out, text)
        click.echo(f"Wrote {out} ({rec['id']}): check it against the text, then move it to laws/{country.lower()}/.", err=True)
    else:
        click.echo(text, nl=False)


def _recorded_areas(path: str | None) -> list[str]:
    return [str(a) for a in yamlsafe.load(Path(path).read_bytes())[0]["areas"]] if path else []


def _recorded_status(path: str | None) -> str | None:
    return str(yamlsafe.load(Path(path).read_bytes())[0]["status"]) if path else None


def _id_for(record_id: str | None, path: str | None) -> str | None:
    if path:
        return str(yamlsafe.load(Path(path).read_bytes())[0]["id"])
    return record_id


def _check_new(rec: dict[str, Any], laws_dir: Path, corpus: Corpus) -> None:
    """A new record must be valid before it is printed or written."""
    target = str(laws_dir / rec["country"].lower() / f"{rec['id'].split('-', 1)[1]}.yml")
    found = [
        f"{field}: {msg}"
        for field, msg in ((".".join(map(str, p)), m) for p, m in schemas.check(str(laws_dir / "schemas"), "law", rec))
    ]
    found += [f"{p.field}: {p.message}" for p in law_rules.record_problems(target, rec, corpus)]
    if found:
        raise Refusal("the draft would not be a valid record: " + "; ".join(found))


def _compare(path: Path, imported: dict[str, Any], hosts: Any, do_write: bool, force: bool, laws_dir: Path) -> None:
    recorded = yamlsafe.load(path.read_bytes())[0]
    changes = plan(recorded, imported, hosts, force)
    shown = show(path)
    if not changes:
        click.echo(f"{shown}: no change: the page states what the record says.")
        return
    for c in changes:
        kept = "" if c.applied or not do_write else f"  (kept: {c.why})"
        click.echo(f"{shown}: {c.field}: {c.recorded if c.recorded is not None else '(none)'} → {c.at_source}{kept}")
    if not do_write:
        click.echo(f"{len(changes)} difference(s); nothing written (use --write to apply them).", err=True)
        return
    before = path.read_bytes()
    apply(path, imported, changes)
    problems = corpus_rules.validate(laws_dir).problems
    mine = [p for p in problems if Path(p.path).resolve() == path.resolve()]
    if mine:
        write_bytes(path, before)
        raise Refusal(
            "the changes would make the record invalid, so nothing was written: "
            + "; ".join(f"{p.field}: {p.message}" for p in mine)
        )
    click.echo(f"Wrote {sum(c.applied for c in changes)} change(s) to {shown}.", err=True)
