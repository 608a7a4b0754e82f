"""A proposal as a change to a record: the values a correction form shows,
the record as it would be after the change, and the checks of
`lawrepo validate` (the JSON Schema and the one-record rules) on it.

`apply` works on plain dicts (for the check) and on ruamel.yaml's round-trip
maps (for the export, keeping the file's comments), so both use the same
change."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, MutableMapping
from functools import cache
from pathlib import Path
from typing import Any

from ingest.records.sources import Hosts
from ingest.rules import corpus as corpus_rules
from ingest.rules import laws as law_rules
from ingest.rules import schemas
from ingest.rules.reading import read_one
from ingest.rules.verification import CHECKED, unsupported

DATES = ("adopted", "promulgated", "in_force", "repealed")
CORRECTABLE = ("title", "number", *DATES, "status", "official_url")
# the fields a source may name under `supports`
SUPPORTS = {"title": "title", "number": "number", "status": "status", "official_url": "links"} | {d: f"dates.{d}" for d in DATES}
MapFactory = Callable[..., MutableMapping[str, Any]]
# the order of a record's fields (laws/TEMPLATE.yml): a field added goes where it belongs
ORDER: tuple[str, ...] = ("id", "country", "title", "local_titles", "short_title", "instrument_type", "number", "dates")
ORDER += ("status", "areas", "relations", "alignment", "agency", "links", "summary", "provisions", "provenance")


class Unavailable(Exception):
    """The records folder or the record is not on this server."""


def recorded_values(rec: dict[str, Any]) -> dict[str, str]:
    """The correctable values of a record, as the form shows them."""
    dates = rec.get("dates") or {}
    link = next((x for x in rec.get("links") or [] if x.get("official")), None)
    out = {"title": rec.get("title"), "number": rec.get("number"), "status": rec.get("status")}
    out |= {d: dates.get(d) for d in DATES}
    out["official_url"] = link["url"] if link else None
    return {k: "" if v is None else str(v) for k, v in out.items()}


def changed_fields(recorded: dict[str, str], fields: dict[str, str]) -> list[str]:
    return [f for f in CORRECTABLE if f in fields and fields[f].strip() != (recorded.get(f) or "").strip()]


def source_entry(source: str, sid: str, public_name: str, moderator: str, day: str, make: MapFactory = dict) -> Any:
    """The provenance source naming the submission, who proposed it and who accepted it."""
    source = " ".join(source.split())
    entry = make()
    if re.match(r"https?://", source):
        entry["citation"] = f"Source given with submission {sid}"
        entry["url"] = source
    else:
        entry["citation"] = source[:500]
    entry["accessed"] = day
    entry["note"] = f"Proposed through the website as submission {sid} by {public_name}; accepted by {moderator} on {day}."
    return entry


def apply(
    doc: MutableMapping[str, Any],
    fields: dict[str, str],
    source: MutableMapping[str, Any],
    hosts: Hosts,
    language: str = "en",
    make: MapFactory = dict,
    seq: Callable[[], list[Any]] = list,
) -> list[str]:
    """Write the changed values of a correction into `doc` (a record), add the
    source supporting them, and lower a checked record to unverified when no
    official source supports what changed. The fields changed, in form order."""
    changed = changed_fields(recorded_values(dict(doc)), fields)
    for name in changed:
        value = fields[name].strip()
        if name in ("title", "number", "status"):
            if value:
                _put(doc, name, value)
            else:
                doc.pop(name, None)
        elif name in DATES:
            if "dates" not in doc:
                _put(doc, "dates", make())
            if value:
                doc["dates"][name] = value
            else:
                doc["dates"].pop(name, None)
            if not doc["dates"]:
                del doc["dates"]
        else:
            _set_official_link(doc, value, language, make, seq)
    if not changed:
        return []
    supports = [SUPPORTS[f] for f in changed if fields[f].strip()]
    if supports:
        source["supports"] = seq()
        source["supports"].extend(dict.fromkeys(supports))
    doc["provenance"]["sources"].append(source)
    prov = doc["provenance"]
    if prov.get("verification") in CHECKED and unsupported(doc, hosts):
        prov["verification"] = "unverified"
    return changed


def _put(doc: MutableMapping[str, Any], key: str, value: Any) -> None:
    """Set a field; a new one is placed before the first field that follows it
    in a record (round-trip maps keep their order when written)."""
    insert = getattr(doc, "insert", None)
    if key in doc or insert is None or key not in ORDER:
        doc[key] = value
        return
    later = set(ORDER[ORDER.index(key) + 1 :])
    position = next((i for i, k in enumerate(doc) if k in later), len(doc))
    insert(position, key, value)


def _set_official_link(
    doc: MutableMapping[str, Any], url: str, language: str, make: MapFactory, seq: Callable[[], list[Any]]
) -> None:
    links = doc.get("links") or []
    at = next((i for i, x in enumerate(links) if x.get("official")), None)
    if at is not None and url:
        links[at]["url"] = url
    elif at is not None:
        del links[at]
        if not links:
            del doc["links"]
    elif url:
        if "links" not in doc:
            _put(doc, "links", seq())
        link = make()
        link.update({"url": url, "kind": "text", "language": language, "official": True})
        doc["links"].append(link)


def slug(title: str) -> str:
    """'Electronic Transactions Act 2010' -> 'electronic-transactions-act-2010'"""
    text = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode("ascii").lower()
    words = re.findall(r"[a-z0-9]+", text)
    return "-".join(words)[:80].strip("-")


def new_record(fields: dict[str, Any], source: dict[str, Any]) -> dict[str, Any]:
    """A law record from the "propose a law" form, unverified, with the submission as its source."""
    country = str(fields["country"]).upper()
    rec: dict[str, Any] = {
        "id": f"{country.lower()}-{slug(str(fields['title'])) or 'untitled'}",
        "country": country,
        "title": str(fields["title"]).strip(),
        "instrument_type": fields["instrument_type"],
    }
    if str(fields.get("number") or "").strip():
        rec["number"] = str(fields["number"]).strip()
    dates = {d: str(fields[d]).strip() for d in DATES if str(fields.get(d) or "").strip()}
    if dates:
        rec["dates"] = dates
    rec["status"] = fields["status"]
    rec["areas"] = [a for a in str(fields.get("areas") or "").split(",") if a]
    if str(fields.get("official_url") or "").strip():
        language = str(fields.get("link_language") or "en")
        rec["links"] = [{"url": str(fields["official_url"]).strip(), "kind": "text", "language": language, "official": True}]
    supports = [SUPPORTS[f] for f in ("title", "number", *DATES, "status", "official_url") if str(fields.get(f) or "").strip()]
    rec["provenance"] = {
        "sources": [{**source, "supports": supports}],
        "verification": "unverified",
        "evidence": "weak-source",
        "note": "Proposed through the website; check every fact against the official text.",
    }
    return rec


@cache
def _support(root: str) -> Any:
    return corpus_rules.load_support(Path(root))


def support(laws_dir: Path) -> Any:
    """Vocabularies, profiles and official hosts of a laws folder (read once per process)."""
    return _support(str(laws_dir.resolve()))


def read_record(laws_dir: Path, rel: str) -> dict[str, Any]:
    """The record at `rel` below the laws folder, as `lawrepo validate` reads it."""
    path = (laws_dir / rel).resolve()
    if not laws_dir.is_dir() or laws_dir.resolve() not in path.parents or not path.is_file():
        raise Unavailable(f"the record laws/{rel} is not available on this server")
    found = read_one(str(laws_dir / "schemas"), "law", str(path))
    if found.data is None:
        raise Unavailable(f"the record laws/{rel} cannot be read: {'; '.join(p.message for p in found.problems)}")
    return found.data


def problems(laws_dir: Path, rel: str, rec: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, sentence) for each problem of `rec` as the record at `rel` below the laws folder."""
    found = [(_dotted(p), m) for p, m in schemas.check(str(laws_dir / "schemas"), "law", rec)]
    if found:
        return found
    corpus = support(laws_dir)
    return [(p.field, p.message) for p in law_rules.record_problems(str(laws_dir / rel), rec, corpus)]


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) for p in path)


def diff(kind: str, fields: dict[str, str], then: dict[str, str], now: dict[str, str] | None) -> list[dict[str, Any]]:
    """For the moderator: each field with the value proposed, the one recorded
    when it was proposed and the one recorded now; `changed` when the proposal
    differs from the record now, `moved` when the record changed meanwhile."""
    if kind == "correction":
        names: tuple[str, ...] = CORRECTABLE
    elif kind == "answer":
        names = ("value",)
    else:
        names = tuple(k for k in fields if k not in ("source", "comment", "name", "email"))
    rows = []
    for name in names:
        proposed = fields.get(name, "")
        recorded = (now or {}).get(name, "")
        rows.append(
            {
                "field": name,
                "proposed": proposed,
                "then": then.get(name, ""),
                "now": recorded,
                "changed": proposed.strip() != recorded.strip(),
                "moved": now is not None and name in then and then[name] != recorded,
            }
        )
    return rows
