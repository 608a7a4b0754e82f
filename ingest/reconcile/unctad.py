"""Read the UNCTAD Global Cyberlaw Tracker's two data files and turn the rows
of the ASEAN member states into our snapshot (laws/peers/unctad.yml).

* ``data.csv``: one row per country; ``code`` is the UN M49 code (zero-padded),
  ``country`` UNCTAD's name, and one column per area holding ``Legislation``,
  ``Draft Legislation``, ``No Legislation`` or, for a few countries,
  ``No Data``. Other columns (region flags,
  indirect taxation) are ignored.
* ``document_links.json``: keyed by M49 code; per area either ``false`` or a
  list of ``[url, title]`` pairs. A few lists start with the marker
  ``"No Data"`` (then ``""`` or pairs). Titles may hold ``<br>`` or line
  breaks, URLs HTML entities (``&amp;``) or line breaks; some URLs are ``#``
  or cut short, and are kept as given.

Bad input raises `UnctadError` with a message naming the file and the line or
key; nothing here prints or exits.
"""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ingest.common.atomic import write_text
from ingest.records import yamlsafe
from ingest.records.files import show

AREAS = ("Electronic Transactions", "Consumer Protection", "Privacy and Data Protection", "Cybercrime")
NO_DATA = "No Data"
STATUSES = ("Legislation", "Draft Legislation", "No Legislation", NO_DATA)
PEER = "unctad"
TITLE = "UNCTAD Global Cyberlaw Tracker"
SCHEMA_LINE = "# yaml-language-server: $schema=../schemas/peer.schema.json"
ACKNOWLEDGEMENT = (
    "Statuses and document links are taken from the UNCTAD Global Cyberlaw Tracker, with acknowledgement to "
    "UNCTAD, which allows the tracker's material to be quoted and used with appropriate acknowledgement."
)
NOTE = (
    "Our transcription of UNCTAD's data for the ASEAN member states, kept to reconcile our records with it; "
    "it is not a law record. Titles are as UNCTAD gives them, with line breaks (and <br>) read as spaces; URLs "
    "have HTML entities decoded and line breaks removed, and are otherwise as given ('#' means UNCTAD gives no "
    "address). Written by `lawrepo reconcile unctad`; do not edit by hand."
)
_M49 = re.compile(r"^[0-9]{1,3}$")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)


class UnctadError(ValueError):
    """Input that cannot be read; the message names the file and the line or key."""


@dataclass
class Link:
    url: str
    title: str


@dataclass
class Entry:
    """One country and area in the links file."""

    links: list[Link] = field(default_factory=list)
    no_data: bool = False  # the area holds UNCTAD's "No Data" marker


@dataclass
class Row:
    m49: str
    name: str
    line: int
    statuses: dict[str, str]


def clean_title(text: str) -> str:
    return " ".join(html.unescape(_BR.sub(" ", text)).split())


def clean_url(text: str) -> str:
    return "".join(html.unescape(text).split())


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise UnctadError(f"{show(path)}: no such file") from None
    except OSError as exc:
        raise UnctadError(f"{show(path)}: cannot be read: {exc.strerror}") from None


def _text(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise UnctadError(f"{show(path)}:{line}: not UTF-8 text (byte 0x{data[exc.start]:02x})") from None


def read_data(path: Path) -> dict[str, Row]:
    """The rows of data.csv by M49 code (zero-padded)."""
    text = _text(path, _read(path))
    reader = csv.reader(io.StringIO(text, newline=""))
    where = show(path)
    try:
        header = next(reader, None)
        if header is None:
            raise UnctadError(f"{where}: the file is empty")
        header = [h.strip() for h in header]
        missing = [c for c in ("code", "country", *AREAS) if c not in header]
        if missing:
            raise UnctadError(
                f"{where}:1: missing column(s) {', '.join(repr(c) for c in missing)}; "
                f"the header has {', '.join(repr(h) for h in header)}"
            )
        col = {name: header.index(name) for name in ("code", "country", *AREAS)}
        rows: dict[str, Row] = {}
        for fields in reader:
            line = reader.line_num
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(header):
                raise UnctadError(f"{where}:{line}: {len(fields)} fields where the header has {len(header)}")
            code = fields[col["code"]].strip()
            if not _M49.match(code):
                raise UnctadError(f"{where}:{line}: code: {code!r} is not a UN M49 numeric code")
            code = code.zfill(3)
            if code in rows:
                raise UnctadError(f"{where}:{line}: code: {code} is given twice (first on line {rows[code].line})")
            statuses = {}
            for area in AREAS:
                value = fields[col[area]].strip()
                if value not in STATUSES:
                    raise UnctadError(f"{where}:{line}: {area}: {value!r} is not one of {', '.join(STATUSES)}")
                statuses[area] = value
            rows[code] = Row(code, fields[col["country"]].strip(), line, statuses)
    except csv.Error as exc:
        raise UnctadError(f"{where}:{reader.line_num}: malformed CSV: {exc}") from None
    return rows


def read_links(path: Path) -> dict[str, dict[str, Entry]]:
    """The entries of document_links.json by M49 code and area."""
    text = _text(path, _read(path))
    where = show(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UnctadError(f"{where}:{exc.lineno}: malformed JSON: {exc.msg} (column {exc.colno})") from None
    if not isinstance(data, dict):
        raise UnctadError(f"{where}: the top level must be an object keyed by M49 code, not {type(data).__name__}")
    out: dict[str, dict[str, Entry]] = {}
    for key, value in data.items():
        if not _M49.match(key):
            raise UnctadError(f"{where}: key {key!r} is not a UN M49 numeric code")
        if not isinstance(value, dict):
            raise UnctadError(f"{where}: key {key!r}: must be an object, not {type(value).__name__}")
        entries = {}
        for area in AREAS:
            if area not in value:
                raise UnctadError(f"{where}: key {key!r}: the area {area!r} is missing")
            entries[area] = _entry(f"{where}: key {key!r} → {area!r}", value[area])
        out[key.zfill(3)] = entries
    return out


def _entry(where: str, value: Any) -> Entry:
    if value is False or value is None:
        return Entry()
    if not isinstance(value, list):
        raise UnctadError(f"{where}: must be false or a list of [url, title] pairs, not {json.dumps(value)[:60]}")
    entry = Entry()
    for i, pair in enumerate(value):
        if pair in (NO_DATA, ""):  # the "No Data" marker, alone or before pairs
            entry.no_data = True
            continue
        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(p, str) for p in pair)):
            raise UnctadError(f"{where}[{i}]: must be a pair [url, title] of texts, not {json.dumps(pair)[:60]}")
        entry.links.append(Link(clean_url(pair[0]), clean_title(pair[1])))
    return entry


def read_profiles(countries_dir: Path) -> dict[str, tuple[str, str]]:
    """Our member states by M49 code: (ISO code, name), from the country profiles."""
    out: dict[str, tuple[str, str]] = {}
    paths = sorted(countries_dir.glob("*.yml"))
    if not paths:
        raise UnctadError(f"{show(countries_dir)}: no country profiles (*.yml) to map M49 codes to our countries")
    for p in paths:
        try:
            record, _ = yamlsafe.load(p.read_bytes())
        except yamlsafe.LoadError as exc:
            raise UnctadError(f"{show(p)}:{exc.line}: {exc.message}") from None
        m49, code = record.get("m49"), record.get("code")
        if not (isinstance(m49, str) and _M49.match(m49) and isinstance(code, str)):
            raise UnctadError(f"{show(p)}: m49: a country profile needs its code and UN M49 code (run lawrepo validate)")
        out[m49.zfill(3)] = (code, str(record.get("name") or code))
    return out


def snapshot(
    rows: dict[str, Row],
    links: dict[str, dict[str, Entry]],
    profiles: dict[str, tuple[str, str]],
    *,
    files: list[str],
    taken: dt.date,
    source_date: str | None = None,
    source_ref: str | None = None,
) -> tuple[dict[str, Any], list[str]]:
    """The snapshot of our member states' rows, and warnings for those missing
    from UNCTAD's files."""
    warnings: list[str] = []
    source: dict[str, Any] = {
        "description": "UNCTAD Global Cyberlaw Tracker data files: the status per country and area, "
        "and the documents linked per country and area",
        "files": list(files),
    }
    if source_date:
        source["date"] = source_date
    if source_ref:
        source["ref"] = source_ref
    source["taken"] = taken.isoformat()
    countries = []
    for m49, (code, name) in sorted(profiles.items(), key=lambda kv: (kv[1][1], kv[1][0])):
        row = rows.get(m49)
        if row is None:
            warnings.append(f"{files[0]} has no row for M49 {m49} ({name}); it is left out of the snapshot")
            continue
        entries = links.get(m49)
        if entries is None:
            warnings.append(f"{files[1]} has no entry for M49 {m49} ({name}); its areas are recorded without links")
        areas = []
        for area in AREAS:
            entry = entries[area] if entries else Entry()
            item: dict[str, Any] = {
                "area": area,
                "status": row.statuses[area],
                "links": [{"url": x.url, "title": x.title} for x in entry.links],
            }
            if entry.no_data:
                item["note"] = f"Marked '{NO_DATA}' in {files[1]}."
            elif entries is None:
                item["note"] = f"No entry for this country in {files[1]}."
            areas.append(item)
        countries.append({"country": code, "m49": m49, "name": row.name, "areas": areas})
    snap = {
        "peer": PEER,
        "title": TITLE,
        "note": NOTE,
        "source": source,
        "acknowledgement": ACKNOWLEDGEMENT,
        "areas": list(AREAS),
        "countries": countries,
    }
    return snap, warnings


class _Quoted(str):
    """A text that must stay quoted (e.g. the M49 code "096", which some YAML
    readers would take for a number)."""


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True  # an object given twice is written twice: records hold no anchors or aliases


_Dumper.add_representer(_Quoted, lambda dumper, data: dumper.represent_scalar("tag:yaml.org,2002:str", data, style='"'))


def dump(snap: dict[str, Any]) -> str:
    """The snapshot as YAML text (no anchors: an object given twice is written twice)."""
    data = json.loads(json.dumps(snap))  # plain data, each object its own copy
    for c in data.get("countries") or []:
        c["m49"] = _Quoted(c["m49"])
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=120)
    return f"{SCHEMA_LINE}\n{body}"


def write_snapshot(path: Path, snap: dict[str, Any]) -> None:
    """Write the snapshot atomically (a temporary file moved into place)."""
    write_text(path, dump(snap))
