"""Reconcile the UNCTAD Global Cyberlaw Tracker snapshot (laws/peers/unctad.yml)
with our records in the built database.

`reconcile(snapshot, conn)` returns, for every member state and UNCTAD area,
UNCTAD's status beside ours (`Result.status`) and every disagreement
(`Result.disagreements`), each with a kind from `KINDS` and a reason naming
both sides. It only reads `conn`; ingest.build.peer_tables writes the tables
of db/peers.sql from it at every build.

Areas: UNCTAD's "Electronic Transactions" is our e-transactions (a document it
links there may also be one of our e-signatures laws), "Consumer Protection"
consumer-protection, "Privacy and Data Protection" data-protection, and
"Cybercrime" cybersecurity.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import Any

from ingest.build.peer_context import Context
from ingest.build.peer_kinds import AREA_MAP, DRAFT, GONE, KINDS, LEGISLATION, NO_ADDRESS, NONE, RELATED
from ingest.build.record_match import Match
from ingest.records.model import ENACTED


@dataclass
class Result:
    status: list[dict[str, Any]] = field(default_factory=list)
    disagreements: list[dict[str, Any]] = field(default_factory=list)


def reconcile(snapshot: dict[str, Any], conn: sqlite3.Connection) -> Result:
    """UNCTAD's status beside ours, and every disagreement, for each member state
    and area of the snapshot."""
    countries = [c["country"] for c in snapshot.get("countries") or []]
    ctx = Context(conn, countries)
    result = Result()
    for entry in snapshot.get("countries") or []:
        country = entry["country"]
        if country not in ctx.names:
            continue  # a snapshot country without a profile in this database
        for item in entry["areas"]:
            ours = AREA_MAP.get(item["area"])
            if ours is None:
                continue
            found = _cell(ctx, country, item, ours)
            cell = _our_cell(ctx, country, ours[0])
            result.status.append(
                {
                    "peer": snapshot["peer"],
                    "country": country,
                    "unctad_area": item["area"],
                    "area": ours[0],
                    "their_status": item["status"],
                    "their_links": len(item["links"]),
                    "our_status": cell["status"],
                    "our_statement": cell["statement"],
                    "our_law_id": cell["law_id"],
                    "disagreements": len(found),
                }
            )
            for d in found:
                d.update(
                    peer=snapshot["peer"],
                    country=country,
                    country_name=ctx.names[country],
                    unctad_area=item["area"],
                    areas=list(ours),
                    their_status=item["status"],
                )
                d.setdefault("their_url", None)
                d.setdefault("their_title", None)
                d.setdefault("law_ids", [])
                d.setdefault("match", None)
                result.disagreements.append(d)
    for i, d in enumerate(result.disagreements):
        d["position"] = i
    return result


def _our_cell(ctx: Context, country: str, area: str) -> dict[str, Any]:
    """Our status of a cell, as the compare page shows it, with the explicit
    statement beside it; `class` is what is compared with UNCTAD's status."""
    law_id = ctx.principal.get((country, area))
    status = ctx.records.laws[law_id].status if law_id in ctx.records.laws else None
    statement, note = ctx.coverage.get((country, area), (None, None))
    if status in ENACTED:
        shown = status
    elif statement:
        shown = statement
    elif status == "draft":
        shown = "draft"
    else:
        shown = "unknown"
    cls = "partial" if statement == "partial" else "enacted" if shown in ENACTED else shown
    return {"status": shown, "statement": statement, "note": note, "law_id": law_id, "class": cls}


def _cell(ctx: Context, country: str, item: dict[str, Any], ours: tuple[str, ...]) -> list[dict[str, Any]]:
    their, links = item["status"], item["links"]
    cell = _our_cell(ctx, country, ours[0])
    where = f"{item['area']} in {ctx.names[country]}"
    matches = [(link, ctx.records.match(country, link["title"], link["url"])) for link in links]
    docs: list[dict[str, Any]] = []
    for link, m in matches:
        docs += _document(ctx, country, item["area"], ours, link, m)
    out = _status(ctx, country, their, links, cell, ours, where)
    out += _contradiction(ctx, their, links, matches, item["area"])
    if their == LEGISLATION and cell["class"] == "enacted" and links:
        out += _omission(ctx, country, ours, matches, cell, item["area"])
    return out + docs


def _titles(links: list[dict[str, str]]) -> str:
    shown = "; ".join(f"'{x['title']}'" for x in links[:3])
    return shown + (f" and {len(links) - 3} more" if len(links) > 3 else "")


def _count(n: int, noun: str) -> str:
    return f"an {noun}" if n == 1 and noun[0] in "aeiou" else f"a {noun}" if n == 1 else f"{n} {noun}s"


def _linked(links: list[dict[str, str]]) -> str:
    return f"links {_titles(links)}" if links else "links no document"


def _first_sentence(text: str | None) -> str:
    if not text:
        return ""
    text = " ".join(text.split())
    cut = text.find(". ")
    return text if cut < 0 else text[: cut + 1]


def _some(ctx: Context, ids: list[str], principal: str | None) -> tuple[list[str], str]:
    ordered = ([principal] if principal in ids else []) + sorted(i for i in ids if i != principal)
    shown = ordered[:2]
    text = "; ".join(f"{ctx.name(i)} ({ctx.state(i)})" for i in shown)
    if len(ordered) > 2:
        text += f"; and {len(ordered) - 2} more"
    return ordered, text


def _status(
    ctx: Context, country: str, their: str, links: list[dict[str, str]], cell: dict[str, Any], ours: tuple[str, ...], where: str
) -> list[dict[str, Any]]:
    area = ctx.area_labels.get(ours[0], ours[0]).lower()
    cls = cell["class"]
    enacted = ctx.enacted.get((country, ours[0]), [])
    statement = _first_sentence(cell["note"])
    kind = None
    ids: list[str] = []
    if their == NONE and cls == "enacted":
        kind = "we-record-law-they-list-missing"
        ids, text = _some(ctx, enacted, cell["law_id"])
        ours_text = f"we record {_count(len(enacted), 'enacted law')} in {area}: {text}."
    elif their == NONE and cls == "partial" and enacted:
        kind = "we-record-partial-they-list-missing"
        ids, text = _some(ctx, enacted, cell["law_id"])
        ours_text = f"we record only partial coverage of {area}, by {text}. Our statement: {statement}"
    elif their == DRAFT and cls == "enacted":
        kind = "we-record-law-they-list-draft"
        ids, text = _some(ctx, enacted, cell["law_id"])
        ours_text = f"we record {text}."
    elif their == DRAFT and cls == "none":
        kind = "they-list-draft-we-record-none"
        ours_text = f"we record that there is no law or draft in {area}: {statement}"
    elif their == LEGISLATION and cls == "partial":
        kind = "they-list-law-we-record-partial"
        ids = enacted
        ours_text = f"we record only partial coverage of {area}. Our statement: {statement}"
    elif their == LEGISLATION and cls in ("none", "draft"):
        kind = "they-list-law-we-record-none"
        drafts = ctx.drafts.get((country, ours[0]), [])
        ids = drafts
        label = ctx.statement_labels.get(cls, cls).lower()
        ours_text = (
            f"we record no enacted law in {area} ({label}): {statement}"
            if statement
            else f"we record no enacted law in {area}, only {'; '.join(ctx.name(i) for i in drafts)}."
        )
    elif their == LEGISLATION and cls == "unknown":
        kind = "they-list-law-we-record-unknown"
        ours_text = (
            f"our records state that it is unknown whether {area} law exists: {statement}"
            if statement
            else f"our records hold no law and no statement for {area}."
        )
    if kind is None:
        return []
    reason = f"UNCTAD: '{their}' for {where}, and {_linked(links)}. Ours: {ours_text}"
    return [{"kind": kind, "law_ids": ids, "reason": reason.strip()}]


def _contradiction(
    ctx: Context, their: str, links: list[dict[str, str]], matches: list[tuple[dict[str, Any], Match]], area: str
) -> list[dict[str, Any]]:
    drafts = [m.draft for _, m in matches]
    enacted = [i for _, m in matches if not m.draft for i in m.ids if ctx.records.laws[i].status in ENACTED]
    if their == NONE and links and not all(drafts):
        text = f"its own links for {area} list {_count(len(links), 'document')}: {_titles(links)}"
        if enacted:
            text += f"; we record {ctx.name(enacted[0])} as {ctx.state(enacted[0])}"
    elif their == LEGISLATION and not links:
        text = f"its links file gives no document for {area}"
    elif their == LEGISLATION and all(drafts):
        text = f"every document it links for {area} is a draft or bill: {_titles(links)}"
    elif their == DRAFT and links and not any(drafts) and enacted:
        text = (
            f"none of the documents it links for {area} is a draft, and we record {ctx.name(enacted[0])} "
            f"as {ctx.state(enacted[0])}"
        )
    else:
        return []
    return [
        {
            "kind": "status-contradicts-links",
            "law_ids": enacted[:1],
            "reason": f"UNCTAD's status for {area} is '{their}', yet {text}.",
        }
    ]


def _omission(
    ctx: Context,
    country: str,
    ours: tuple[str, ...],
    matches: list[tuple[dict[str, Any], Match]],
    cell: dict[str, Any],
    area: str,
) -> list[dict[str, Any]]:
    principal = cell["law_id"]
    if not principal or principal not in ctx.records.laws:
        return []
    linked = {i for _, m in matches for i in [*m.ids, *m.candidates]}
    if principal in linked:
        return []
    related = {t for rtype, targets in ctx.law(principal)["relations"].items() if rtype in RELATED for t in targets}
    if linked & related:
        return []
    in_area = [i for i in linked if set(ctx.records.laws[i].areas) & set(ours)]
    year = ctx.records.laws[principal].year
    newest = max(in_area, key=lambda i: (ctx.records.laws[i].year or 0, i), default=None)
    if newest and (year is None or (ctx.records.laws[newest].year or 0) >= year):
        return []
    theirs = (
        f"the newest law of ours they link for the area is {ctx.name(newest)}"
        if newest
        else "none of the documents they link for the area is a law we record in it"
    )
    return [
        {
            "kind": "they-omit-current-law",
            "law_ids": [principal],
            "reason": f"UNCTAD's links for {area} leave out {ctx.name(principal)}, which we record as "
            f"{ctx.state(principal)} and take as the area's principal law; {theirs}.",
        }
    ]


def _document(
    ctx: Context, country: str, area: str, ours: tuple[str, ...], link: dict[str, str], m: Match
) -> list[dict[str, Any]]:
    title, url = link["title"], link["url"]
    base = {"their_url": url, "their_title": title, "match": m.how or None}
    no_address = url.strip() in NO_ADDRESS
    said = f"UNCTAD links '{title}' for {area}" + (" (with no web address)" if no_address else "")
    how = " (matched by its title only)" if m.how == "title" else ""
    if not m.ids:
        if m.candidates:
            names = "; ".join(ctx.name(i) for i in m.candidates)
            return [
                {
                    **base,
                    "kind": "ambiguous-document",
                    "law_ids": m.candidates,
                    "reason": f"{said}; its title gives no number or year that tells apart the records it fits: {names}.",
                }
            ]
        if m.missing_numbers:
            nums = ", ".join(_number_text(n) for n in m.missing_numbers)
            why = f"none of our records for {ctx.names[country]} carries the number {nums}"
        elif m.nearest:
            differs = "is of another year" if m.nearest_differs == "year" else "has another ordinal number"
            why = (
                f"none of our records for {ctx.names[country]} matches it: the nearest, {ctx.name(m.nearest[0])} "
                f"({ctx.state(m.nearest[0])}), {differs}"
            )
        else:
            why = f"none of our records for {ctx.names[country]} matches its title"
        return [{**base, "kind": "unmatched-document", "law_ids": [], "reason": f"{said}; {why}."}]
    out = []
    if m.url_ids:
        t, u = m.ids[0], m.url_ids[0]
        out.append(
            {
                **base,
                "kind": "link-title-contradicts-url",
                "law_ids": [t, u],
                "reason": f"UNCTAD's link for {area} is titled '{title}', which names our record {ctx.name(t)} "
                f"({ctx.state(t)}), but its address ({url}) is that of {ctx.name(u)} ({ctx.state(u)}).",
            }
        )
    else:
        for law_id in m.ids:
            law = ctx.law(law_id)
            elsewhere = not set(law["areas"]) & set(ours)
            if law["status"] in GONE:
                by = law["relations"].get("replaced-by", [])
                after = f", replaced by {'; '.join(ctx.name(i) for i in by)}" if by else ", with no replacement recorded"
                also = f" (and under {ctx.areas(law['areas'])}, not {ctx.areas(ours)})" if elsewhere else ""
                out.append(
                    {
                        **base,
                        "kind": "they-list-replaced-law",
                        "law_ids": [law_id, *by],
                        "reason": f"{said}{how}; we record {ctx.name(law_id)} as {ctx.state(law_id)}{after}{also}.",
                    }
                )
            elif m.draft and law["status"] in ENACTED:
                out.append(
                    {
                        **base,
                        "kind": "draft-link-for-enacted-law",
                        "law_ids": [law_id],
                        "reason": f"{said}, a draft or bill{how}; we record {ctx.name(law_id)} as {ctx.state(law_id)}.",
                    }
                )
            elif elsewhere:
                principal = ctx.principal.get((country, ours[0]))
                tail = (
                    f"; our principal law for {ctx.areas(ours[:1])} is {ctx.name(principal)}"
                    if principal and principal not in m.ids
                    else ""
                )
                out.append(
                    {
                        **base,
                        "kind": "document-in-other-area",
                        "law_ids": [law_id],
                        "reason": f"{said}{how}; it is our record {ctx.name(law_id)}, which we class under "
                        f"{ctx.areas(law['areas'])}, not {ctx.areas(ours)}{tail}.",
                    }
                )
    if no_address:
        law_id = m.ids[0]
        official = ctx.law(law_id)["official_url"]
        ours_text = (
            f"our record {ctx.name(law_id)} gives its official text at {official}"
            if official
            else f"our record {ctx.name(law_id)} has no official link either"
        )
        out.append(
            {
                **base,
                "kind": "document-without-url",
                "law_ids": [law_id],
                "reason": f"UNCTAD lists '{title}' for {area} with no web address ('{url}'); {ours_text}.",
            }
        )
    return out


def _number_text(n: Any) -> str:
    if n.tag == "rkm":
        return f"NS/RKM/{n.serial}"
    if n.tag == "ra":
        return f"Republic Act {n.serial}"
    if n.tag == "act":
        return f"Act {n.serial}"
    parts = [n.serial, str(n.year) if n.year else "", n.tag.upper() if n.tag else ""]
    return "/".join(p for p in parts if p)


def counts(result: Result) -> dict[str, int]:
    out: dict[str, int] = {}
    for d in result.disagreements:
        out[d["kind"]] = out.get(d["kind"], 0) + 1
    return {k: out[k] for k in KINDS if k in out}
