"""The reconciliation with the UNCTAD Global Cyberlaw Tracker as a document a
national focal point could send back to UNCTAD: Markdown (per member state,
each disagreement with its reason and our record's title, number, status and
official link), or the same rows as CSV or JSON."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from typing import Any

from ingest.build.peer_kinds import AREA_MAP, KINDS
from ingest.build.peers import Result, counts
from ingest.build.record_match import details
from ingest.common.csvtext import to_csv

FORMATS = ("md", "csv", "json")
CSV_COLUMNS = (
    "country",
    "country_name",
    "unctad_area",
    "areas",
    "kind",
    "kind_label",
    "their_status",
    "their_title",
    "their_url",
    "law_ids",
    "match",
    "reason",
)


def render(fmt: str, snapshot: dict[str, Any], result: Result, conn: sqlite3.Connection, today: dt.date) -> str:
    if fmt == "csv":
        return _csv(result)
    laws = details(conn, [i for d in result.disagreements for i in d["law_ids"]])
    if fmt == "json":
        return json.dumps(_json(snapshot, result, laws, today), ensure_ascii=False, indent=2) + "\n"
    return _markdown(snapshot, result, laws, conn, today)


def _csv(result: Result) -> str:
    return to_csv(
        (
            {**d, "areas": ", ".join(d["areas"]), "kind_label": KINDS[d["kind"]][0], "law_ids": " ".join(d["law_ids"])}
            for d in result.disagreements
        ),
        CSV_COLUMNS,
        extra="ignore",
    )


def _law_json(law: dict[str, Any]) -> dict[str, Any]:
    keys = (
        "id",
        "title",
        "short_title",
        "number",
        "year",
        "status",
        "in_force",
        "repealed",
        "official_url",
        "verification",
        "file",
    )
    return {k: law[k] for k in keys}


def _json(snapshot: dict[str, Any], result: Result, laws: dict[str, dict[str, Any]], today: dt.date) -> dict[str, Any]:
    return {
        "title": f"Reconciliation with the {snapshot['title']}",
        "prepared": today.isoformat(),
        "source": snapshot.get("source"),
        "acknowledgement": snapshot["acknowledgement"],
        "kinds": {code: {"label": label, "description": desc} for code, (label, desc) in KINDS.items()},
        "counts": counts(result),
        "status": result.status,
        "disagreements": [{**d, "laws": [_law_json(laws[i]) for i in d["law_ids"] if i in laws]} for d in result.disagreements],
    }


def _text(text: Any) -> str:
    """Text from the data as Markdown that renders as that text (no HTML, no links)."""
    text = str(text if text is not None else "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return " ".join(text.replace("[", "\\[").replace("]", "\\]").split())


def _cell(text: Any) -> str:
    return _text(text).replace("|", "\\|")


def _link(title: str | None, url: str | None) -> str:
    title = _text(title) or "(untitled)"
    if url and url.startswith(("http://", "https://")) and not any(c in url for c in "<> `"):
        return f"[{title}](<{url}>)"
    return f"{title} (address given: `{(url or '').replace('`', '')}`)"


def _source_line(snapshot: dict[str, Any]) -> str:
    src = snapshot.get("source") or {}
    parts = [f"files {', '.join(src.get('files') or [])}"]
    if src.get("date"):
        parts.append(f"version of {src['date']}")
    if src.get("ref"):
        parts.append(f"from {src['ref']}")
    if src.get("taken"):
        parts.append(f"taken on {src['taken']}")
    return "; ".join(parts)


def _markdown(
    snapshot: dict[str, Any], result: Result, laws: dict[str, dict[str, Any]], conn: sqlite3.Connection, today: dt.date
) -> str:
    status_labels = {
        **dict(conn.execute("SELECT code, label FROM coverage_statuses")),
        **dict(conn.execute("SELECT code, label FROM statuses")),
    }
    area_labels = dict(conn.execute("SELECT code, label FROM areas"))
    mapping = "; ".join(f"{k} → {', '.join(area_labels.get(a, a) for a in v)}" for k, v in AREA_MAP.items())
    out = [
        f"# Differences between the {snapshot['title']} and the ASEAN E-Commerce Law Repository",
        "",
        f"Prepared on {today.isoformat()} from the repository's law records and its snapshot of UNCTAD's data "
        f"({_source_line(snapshot)}).",
        "",
        "## Method",
        "",
        "- For each ASEAN member state, UNCTAD's status in each of its areas was compared with the status we record "
        f"for the corresponding area ({mapping}), including our explicit statements where no law is in force or "
        "where a law covers the area only in part.",
        "- Each document UNCTAD links was matched to our law records by the law number and year its title cites "
        "(and the number its address spells out, when the title does not settle it), otherwise by the words and "
        "year of its title; titles are never compared as whole strings. How each document was matched is shown.",
        "- Each difference is listed with its kind and a reason naming both sides. Our records state how far they "
        "have been verified: a difference may be an error on our side as well as an out-of-date entry in the tracker.",
        "",
        "## Summary",
        "",
        "| Kind | Number |",
        "|---|---|",
    ]
    found = counts(result)
    out += [f"| {KINDS[k][0]} (`{k}`) | {n} |" for k, n in found.items()]
    out.append(f"| **Total** | **{len(result.disagreements)}** |")
    by_country: dict[str, list[dict[str, Any]]] = {}
    for d in result.disagreements:
        by_country.setdefault(d["country"], []).append(d)
    names = dict(conn.execute("SELECT code, name FROM countries"))
    for country in dict.fromkeys(s["country"] for s in result.status):
        out += [
            "",
            f"## {names.get(country, country)} ({country})",
            "",
            "| UNCTAD area | UNCTAD status | Documents linked | Our status | Differences |",
            "|---|---|---|---|---|",
        ]
        for s in (s for s in result.status if s["country"] == country):
            ours = status_labels.get(s["our_status"], s["our_status"])
            if s["our_statement"] and s["our_statement"] != s["our_status"]:
                ours += f" (statement: {status_labels.get(s['our_statement'], s['our_statement']).lower()})"
            out.append(
                f"| {_cell(s['unctad_area'])} | {s['their_status']} | {s['their_links']} | {ours} | {s['disagreements']} |"
            )
        items = by_country.get(country, [])
        if not items:
            out += ["", "No differences found."]
        for n, d in enumerate(items, 1):
            out += ["", f"### {n}. {_text(d['unctad_area'])}: {KINDS[d['kind']][0]}", "", _text(d["reason"]), ""]
            if d["their_title"] is not None:
                how = f" (matched by {d['match']})" if d["match"] else ""
                out.append(f"- UNCTAD's document: {_link(d['their_title'], d['their_url'])}{how}")
            for law_id in d["law_ids"]:
                law = laws.get(law_id)
                if law:
                    out.append(f"- Our record: {_law_line(law, status_labels)}")
    out += ["", "---", "", snapshot["acknowledgement"], ""]
    return "\n".join(out)


def _law_line(law: dict[str, Any], status_labels: dict[str, str]) -> str:
    parts = [f"**{_cell(law['title'])}**"]
    parts.append(f"number {_cell(law['number'])}" if law["number"] else "no number recorded")
    state = status_labels.get(law["status"], law["status"]).lower()
    if law["in_force"] and law["in_force"] != "unknown" and law["status"] in ("in-force", "partly-in-force"):
        state += f" since {law['in_force']}"
    parts.append(state)
    parts.append(
        f"official text: {_link(law['official_url'], law['official_url'])}"
        if law["official_url"]
        else "no official link recorded"
    )
    parts.append(f"record `{law['id']}` (laws/{law['file']}, {law['verification']})")
    return " — ".join(parts)
