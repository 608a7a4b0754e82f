"""An Atom feed (RFC 4287) of the most recently updated law records.

Each entry is one law record: its id is the permanent address of the law's
page (`<base>/law/<id>`), which does not change when the record does; its
updated and published times are the record's times (ingest/timestamps.py).
The feed says which kind of time it rests on (git history, or the record's
own dates when there is no history).
"""

from __future__ import annotations

import json
import re
import sqlite3
import xml.etree.ElementTree as ET
from collections.abc import Mapping
from typing import Any

from ingest.build import timestamps

ATOM = "http://www.w3.org/2005/Atom"
LIMIT = 200
FEED_PATH = "/exports/laws.atom"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
LawTimes = Mapping[str, tuple[str, str, str]]  # law id -> (created, updated, source)


def latest(times: LawTimes, limit: int = LIMIT) -> list[tuple[str, tuple[str, str, str]]]:
    """The `limit` most recently updated laws, newest first (then by id)."""
    items = sorted(times.items(), key=lambda kv: kv[0])
    items.sort(key=lambda kv: kv[1][1], reverse=True)
    return items[:limit]


def feed(conn: sqlite3.Connection, times: LawTimes, base_url: str, meta: Mapping[str, Any], limit: int = LIMIT) -> bytes:
    """The feed as UTF-8 XML."""
    base = base_url.rstrip("/")
    picked = latest(times, limit)
    rows = _laws(conn, [law_id for law_id, _ in picked])
    areas = dict(conn.execute("SELECT code, label FROM areas"))
    ET.register_namespace("", ATOM)
    root = ET.Element(_q("feed"))
    title = str(meta.get("title") or "Law records")
    _text(root, "id", f"{base}{FEED_PATH}")
    _text(root, "title", f"{title}: recently updated law records")
    used = sorted({t[2] for _, t in picked})
    subtitle = "No law record yet."
    if used:
        subtitle = (
            f"The {len(picked)} law records updated most recently, newest first. A record's times are taken "
            + ", or ".join(timestamps.SOURCES.get(s, s) for s in used)
            + "."
        )
    _text(root, "subtitle", subtitle)
    newest = picked[0][1][1] if picked else "1970-01-01T00:00:00Z"
    _text(root, "updated", newest)
    ET.SubElement(root, _q("link"), rel="self", type="application/atom+xml", href=f"{base}{FEED_PATH}")
    ET.SubElement(root, _q("link"), rel="alternate", type="text/html", href=f"{base}/")
    author = ET.SubElement(root, _q("author"))
    _text(author, "name", title)
    _text(author, "uri", f"{base}/")
    if meta.get("license"):
        _text(root, "rights", f"{meta['license']}" + (f" ({meta['license_url']})" if meta.get("license_url") else ""))
    for law_id, (created, updated, _) in picked:
        row = rows.get(law_id)
        if row is None:
            continue
        entry = ET.SubElement(root, _q("entry"))
        url = f"{base}/law/{law_id}"
        _text(entry, "id", url)
        _text(entry, "title", row["title"])
        ET.SubElement(entry, _q("link"), rel="alternate", type="text/html", href=url)
        _text(entry, "published", created)
        _text(entry, "updated", updated)
        for code in _json_list(row["areas"]):
            ET.SubElement(entry, _q("category"), term=code, label=areas.get(code, code))
        _text(entry, "summary", _summary(row))
    ET.indent(root)
    out: bytes = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return out + b"\n"


def _laws(conn: sqlite3.Connection, ids: list[str]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for start in range(0, len(ids), 500):
        part = ids[start : start + 500]
        cur = conn.execute(
            "SELECT l.id, l.title, l.summary, l.areas, c.name AS country, it.label AS type, s.label AS status, "
            "v.label AS verification FROM laws l JOIN countries c ON c.code = l.country "
            "JOIN instrument_types it ON it.code = l.instrument_type JOIN statuses s ON s.code = l.status "
            "JOIN verification_statuses v ON v.code = l.verification "
            f"WHERE l.id IN ({','.join('?' * len(part))})",
            part,
        )
        names = [d[0] for d in cur.description]
        out.update((r[0], dict(zip(names, r, strict=True))) for r in cur)
    return out


def _summary(row: Mapping[str, Any]) -> str:
    facts = f"{row['country']} · {row['type']} · {row['status']} · {row['verification']}."
    text = " ".join((row["summary"] or "").split())
    return f"{facts} {text}" if text else f"{facts} No summary yet."


def _json_list(text: str | None) -> list[str]:
    try:
        value = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(v) for v in value] if isinstance(value, list) else []


def _q(tag: str) -> str:
    return f"{{{ATOM}}}{tag}"


def _text(parent: ET.Element, tag: str, value: str) -> ET.Element:
    el = ET.SubElement(parent, _q(tag))
    el.text = _NOT_XML.sub("", value)  # characters XML 1.0 cannot carry
    return el
