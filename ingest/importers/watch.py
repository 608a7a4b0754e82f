"""A watch on the sources: each record's official page read again with its
parser, compared with the record and with the last check.

A check keeps what the page stated (`facts`), its content hash and how it
differs from the record. Only what is new since the last check is reported,
so a second run over an unchanged page says nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.common.atomic import write_text
from ingest.importers import registry
from ingest.importers.fetch import Fetcher
from ingest.importers.model import Draft, Refusal
from ingest.importers.page import load
from ingest.importers.record import COMPARED, value_at
from ingest.records import yamlsafe
from ingest.records.files import show
from ingest.records.model import Corpus
from ingest.records.sources import official_entry


@dataclass
class Check:
    law: str
    url: str
    checked: str
    result: str
    path: str = ""  # the record's file, for messages (not saved)
    parser: str | None = None
    final_url: str | None = None
    sha256: str | None = None
    message: str | None = None
    facts: dict[str, str] = field(default_factory=dict)
    differences: list[dict[str, str]] = field(default_factory=list)

    def saved(self) -> dict[str, Any]:
        """The check as it is kept in laws/source-checks/<cc>.yml."""
        out: dict[str, Any] = {"law": self.law, "url": self.url, "checked": self.checked, "result": self.result}
        for key in ("parser", "final_url", "sha256", "message"):
            if getattr(self, key):
                out[key] = getattr(self, key)
        if self.facts:
            out["facts"] = dict(self.facts)
        if self.differences:
            out["differences"] = [dict(d) for d in self.differences]
        return out


def targets(corpus: Corpus, country: str | None = None) -> Iterator[tuple[str, str, str]]:
    """(law id, record path, address) for each record's first link to an official text."""
    for law in sorted(corpus.laws.values(), key=lambda x: x.id):
        if country and law.country != country.upper():
            continue
        data = yamlsafe.load(Path(law.path).read_bytes())[0]
        url = next((x["url"] for x in data.get("links") or [] if official_entry(x["url"], corpus.official_hosts)), None)
        if url:
            yield law.id, law.path, url


def facts_of(draft: Draft) -> dict[str, str]:
    """The facts a page states, by record field."""
    out = {
        "title": draft.title or draft.local_title,
        "number": draft.number,
        "instrument_type": draft.instrument_type,
        "status": draft.status,
        "agency": draft.agency,
        **{f"dates.{k}": v for k, v in draft.dates.items()},
    }
    return {k: str(v) for k, v in out.items() if v}


def previous_checks(corpus: Corpus) -> dict[tuple[str, str], dict[str, Any]]:
    return {(c["law"], c["url"]): c for _, (_, data) in corpus.source_check_files.items() for c in data["checks"]}


def check_one(fetcher: Fetcher, law_id: str, path: str, url: str, today: str, last: dict[str, Any] | None) -> Check:
    check = Check(law_id, url, today, "unchanged", path=path)
    try:
        fetched = fetcher.get(url)
    except Refusal as exc:
        check.result, check.message = "unreachable", str(exc)
        return check
    if fetched.url != url:
        check.final_url = fetched.url
    try:
        page = load(fetched.data, url=fetched.url)
        check.sha256 = page.sha256
        check.parser = registry.choose(page).NAME
        draft = registry.read(page, check.parser)
    except Refusal as exc:
        check.result = "no-parser" if check.parser is None else "refused"
        check.message = str(exc)
        return check
    check.facts = facts_of(draft)
    recorded = yamlsafe.load(Path(path).read_bytes())[0]
    for name in COMPARED:
        now = check.facts.get(name)
        before = value_at(recorded, name)
        if now is not None and now != str(before or ""):
            check.differences.append({"field": name, "recorded": str(before or ""), "at_source": now})
    if check.differences:
        check.result = "differs"
    elif last and (last.get("sha256") != check.sha256 or (last.get("facts") or {}) != check.facts):
        check.result = "changed"
    return check


def run(corpus: Corpus, fetcher: Fetcher, today: dt.date, country: str | None = None) -> list[Check]:
    before = previous_checks(corpus)
    return [
        check_one(fetcher, law_id, path, url, today.isoformat(), before.get((law_id, url)))
        for law_id, path, url in targets(corpus, country)
    ]


def news(checks: list[Check], corpus: Corpus) -> list[str]:
    """One line per change since the last check: `file: field: recorded → now at source`."""
    before = previous_checks(corpus)
    lines = []
    for c in checks:
        last = before.get((c.law, c.url)) or {}
        where = show(c.path)
        if c.message and (c.result, c.message) != (last.get("result"), last.get("message")):
            lines.append(f"{where}: links: {c.url}: {c.message}")
        if c.final_url and c.final_url != last.get("final_url"):
            lines.append(f"{where}: links: {c.url} → moved to {c.final_url}")
        seen = {(d["field"], d["at_source"]) for d in last.get("differences") or []}
        for d in c.differences:
            if (d["field"], d["at_source"]) not in seen:
                lines.append(f"{where}: {d['field']}: {d['recorded'] or '(none)'} → now at source {d['at_source']}")
        if c.result == "changed" and last:
            lines.append(f"{where}: content: the page at {c.url} changed since the check of {last.get('checked')}")
    return lines


def save(laws_dir: Path, checks: list[Check], corpus: Corpus) -> list[Path]:
    """Write each country's checks (replacing those of the laws checked), atomically."""
    written = []
    by_country: dict[str, list[Check]] = {}
    for c in checks:
        by_country.setdefault(corpus.laws[c.law].country, []).append(c)
    for cc, mine in sorted(by_country.items()):
        kept = [
            c
            for c in (corpus.source_check_files.get(cc, ("", {"checks": []}))[1]["checks"])
            if c["law"] not in {m.law for m in mine}
        ]
        data = {"country": cc, "checks": sorted(kept + [m.saved() for m in mine], key=lambda c: (c["law"], c["url"]))}
        path = laws_dir / "source-checks" / f"{cc.lower()}.yml"
        write_text(
            path,
            "# yaml-language-server: $schema=../schemas/source-checks.schema.json\n"
            "# Written by `lawrepo check-sources`; not edited by hand.\n"
            + yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=120),
        )
        written.append(path)
    return written
