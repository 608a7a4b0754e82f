"""Writing what a page shows into an existing record, keeping the file's
comments and order (ruamel.yaml round trip, written in the layout of
`lawrepo fmt`). A field an official source already supports is kept unless
forced; provisions are added, never removed; the page becomes (or refreshes)
one of the record's sources."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ingest.common.atomic import write_text
from ingest.importers.record import differences, officially_supported, value_at
from ingest.records.format import dump, round_trip
from ingest.records.sources import Hosts, ref_key


@dataclass
class Change:
    field: str
    recorded: Any
    at_source: Any
    applied: bool
    why: str = ""


def plan(recorded: dict[str, Any], imported: dict[str, Any], hosts: Hosts, force: bool) -> list[Change]:
    """What --write would change, and what it would keep and why."""
    protected = officially_supported(recorded, hosts)
    out = []
    for field, old, new in differences(recorded, imported):
        if field in protected and old is not None and not force:
            out.append(Change(field, old, new, False, "supported by an official source; use --force to replace"))
        else:
            out.append(Change(field, old, new, True))
    return out


def apply(path: Path, imported: dict[str, Any], changes: list[Change]) -> None:
    """Write the applied changes and the page's source entry into the file, atomically."""
    doc = round_trip().load(path.read_text(encoding="utf-8"))
    for change in changes:
        if not change.applied or change.field in ("provisions", "links", "local_titles"):
            continue
        head, _, tail = change.field.partition(".")
        if tail:
            if head not in doc:
                doc[head] = CommentedMap()
            doc[head][tail] = change.at_source
        else:
            doc[head] = change.at_source
    if any(c.applied and c.field == "provisions" for c in changes):
        have = {ref_key(p["ref"]) for p in doc.get("provisions") or []}
        seq = doc.setdefault("provisions", CommentedSeq())
        for p in imported.get("provisions") or []:
            if ref_key(p["ref"]) not in have:
                seq.append(CommentedMap(p))
    if any(c.applied and c.field == "links" for c in changes):
        seq = doc.setdefault("links", CommentedSeq())
        have_urls = {x["url"] for x in seq}
        for link in imported.get("links") or []:
            if link["url"] not in have_urls:
                seq.append(CommentedMap(link))
    if any(c.applied and c.field == "local_titles" for c in changes):
        titles = doc.setdefault("local_titles", CommentedSeq())
        have_titles = {t["title"] for t in titles}
        for t in imported.get("local_titles") or []:
            if t["title"] not in have_titles:
                titles.append(CommentedMap(t))
    source = imported["provenance"]["sources"][0]
    sources = doc["provenance"]["sources"]
    same = next((s for s in sources if source.get("url") and s.get("url") == source["url"]), None)
    if same is None:
        sources.append(CommentedMap(source))
    else:
        if "accessed" in source:  # a full date is written as the records write dates, unquoted
            same["accessed"] = _date_scalar(source["accessed"])
        if "sha256" in source:
            same["sha256"] = source["sha256"]
        for key in ("supports", "provisions"):  # what the source was already credited with stays
            if key in source:
                old = same.get(key)
                had = list(old or [])
                merged = CommentedSeq(had + [x for x in source[key] if x not in had])
                if isinstance(old, CommentedSeq) and old.fa.flow_style():
                    merged.fa.set_flow_style()
                same[key] = merged
    write_text(path, dump(doc))


def current(recorded: dict[str, Any], field: str) -> Any:
    return value_at(recorded, field)


def _date_scalar(value: Any) -> Any:
    """A YYYY-MM-DD text as a date (dumped unquoted, like every date in the records); anything else as it is."""
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) and len(value) == 10 else value
    except ValueError:
        return value
