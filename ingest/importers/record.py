"""From a draft to a law record, and from a record to the changes a page shows.

`to_record` writes what the page states and nothing else: facts the page does
not give are left out (status and areas may be given by the caller), and the
source entry lists exactly the fields and provisions the page supports, with
the address, the date read and the content's sha256.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from ingest.common.text import fold
from ingest.importers.model import Draft, Refusal
from ingest.records.sources import Hosts, official_entry, ref_key

# words that do not tell numbers apart: "Act No. 8792" and "8792" are the same number
_NOISE = {"NO", "NOS", "ACT", "REPUBLIC", "LAW", "OF", "RA", "NUMBER", "NOMOR", "TAHUN", "UU", "PP", "GR", "CAP", "CHAPTER", "SO"}
_TOKEN = re.compile(r"[0-9]+|[^\W\d_]{2,}[0-9]*")

AREA_WORDS = {  # title words that name an area (English and the member states' languages, without diacritics)
    "e-transactions": (
        "electronic transaction",
        "electronic commerce",
        "e-commerce",
        "giao dich dien tu",
        "transaksi elektronik",
        "thuong mai dien tu",
        "perdagangan melalui sistem elektronik",
    ),
    "e-signatures": ("signature", "chu ky", "tanda tangan"),
    "data-protection": ("personal data", "data privacy", "du lieu ca nhan", "data pribadi", "privacy"),
    "consumer-protection": ("consumer", "nguoi tieu dung", "konsumen", "consumidor"),
    "platforms": ("platform", "online safety", "intermediar"),
    "cybersecurity": ("cyber", "computer misuse", "computer crime", "an ninh mang", "an toan thong tin"),
}


def number_tokens(number: str) -> list[str]:
    """The parts of a number that tell it apart: digits and letter codes."""
    return [t for t in (x.upper() for x in _TOKEN.findall(fold(number))) if t not in _NOISE]


def check_expected(draft: Draft, expect: str | None) -> None:
    """Refuse a page whose number is not the one expected, saying what it holds."""
    if not expect:
        return
    holds = draft.number or ""
    name = draft.title or draft.local_title or "an untitled document"
    if not holds:
        raise Refusal(f"expected {expect}, but the page states no number (it holds {name!r})")
    want, got = number_tokens(expect), number_tokens(holds)
    if not want or any(t not in got for t in want):
        raise Refusal(f"expected {expect}, but the page holds {holds} ({name})")


def guess_areas(draft: Draft) -> list[str]:
    """Areas named by the title's words (a guess the caller can override with --area)."""
    title = fold(" ".join(t for t in (draft.title, draft.local_title) if t)).lower()
    return [area for area, words in AREA_WORDS.items() if any(w in title for w in words)]


def slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text).lower())
    return "-".join(words)[:80].strip("-")


def to_record(
    draft: Draft,
    country: str,
    *,
    read_on: str,
    hosts: Hosts,
    areas: list[str],
    status: str | None = None,
    record_id: str | None = None,
) -> dict[str, Any]:
    """A law record of what the page states; `status` and `areas` come from the
    caller when the page does not give them."""
    title = draft.title or draft.local_title
    if not title:
        raise Refusal("the page states no title; this does not look like a statute page")
    cc = country.lower()
    rid = record_id or f"{cc}-{slug(title)}"
    if not re.fullmatch(r"[a-z]{2}-[a-z0-9]+(-[a-z0-9]+)*", rid):
        raise Refusal(f"cannot make an id from the title {title!r}; give one with --id {cc}-<words>")
    state = draft.status or status
    if not state:
        raise Refusal("the page does not state the law's status: give it with --status (in-force, repealed, ...)")
    if not areas:
        raise Refusal("the title names no area: give one or more with --area")
    if not draft.instrument_type:
        raise Refusal("the page does not say what kind of instrument this is: give it with --type (act, law, decree ...)")
    rec: dict[str, Any] = {"id": rid, "country": country.upper(), "title": title}
    if draft.local_title:
        rec["local_titles"] = [{"lang": draft.language, "title": draft.local_title}]
    rec["instrument_type"] = draft.instrument_type
    if draft.number:
        rec["number"] = draft.number
    if draft.dates:
        rec["dates"] = {k: draft.dates[k] for k in ("adopted", "promulgated", "in_force", "repealed") if k in draft.dates}
    rec["status"] = state
    rec["areas"] = areas
    if draft.agency:
        rec["agency"] = draft.agency
    official = bool(draft.url and (entry := official_entry(draft.url, hosts)) and entry["kind"] != "faithful-copy")
    if draft.url:
        rec["links"] = [
            {
                "url": draft.url,
                "kind": draft.link_kind,
                "language": draft.language,
                "official": official,
                "title": "The page read by the importer",
            }
        ]
    if draft.provisions:
        rec["provisions"] = [
            {"ref": p.ref, "heading": p.heading or "(no heading in the text)", **({"url": p.url} if p.url else {})}
            for p in draft.provisions
        ]
    supports = draft.supports() + (["links"] if draft.url else [])
    if draft.status is None:
        supports = [s for s in supports if s != "status"]
    source: dict[str, Any] = {"citation": f"{title}, as read from the page by the {draft.source} importer"}
    if draft.url:
        source["url"] = draft.url
    source.update({"accessed": read_on, "sha256": draft.sha256, "supports": supports})
    if draft.provisions:
        source["provisions"] = [p.ref for p in draft.provisions]
    notes = list(draft.notes)
    if not draft.title:
        notes.append("The page gives no English title: the title is the local one until the official English title is added.")
    if draft.current_as_at:
        notes.append(f"The page shows the version current as at {draft.current_as_at}.")
    if draft.amendments:
        notes.append(f"The page lists {len(draft.amendments)} amendment note(s).")
    if draft.status is None:
        notes.append("The status was given by the person importing; the page does not state it.")
    rec["provenance"] = {
        "sources": [source],
        "verification": "unverified",
        "evidence": "seen",
        "note": " ".join(notes) or "Read from the page by the importer; check it against the text before relying on it.",
    }
    return rec


# --------------------------------------------------------------------------
# comparing with a recorded law

# the agency is not compared: pages name the issuing body, records the responsible ministry
COMPARED = (
    "title",
    "number",
    "instrument_type",
    "status",
    "dates.adopted",
    "dates.promulgated",
    "dates.in_force",
    "dates.repealed",
)


def value_at(rec: Mapping[str, Any], field: str) -> Any:
    here: Any = rec
    for part in field.split("."):
        here = here.get(part) if isinstance(here, Mapping) else None
    return here


def officially_supported(rec: Mapping[str, Any], hosts: Hosts) -> set[str]:
    """Fields of the recorded law that an official source already supports."""
    out: set[str] = set()
    for s in (rec.get("provenance") or {}).get("sources") or []:
        if official_entry(s.get("url"), hosts):
            out.update(s.get("supports") or [])
    return out


def differences(recorded: Mapping[str, Any], imported: Mapping[str, Any]) -> Iterator[tuple[str, Any, Any]]:
    """(field, recorded value, value at the source) for each fact that differs;
    facts the page does not state are not differences."""
    local = [t["title"] for t in imported.get("local_titles") or []]
    english = imported.get("title") not in local  # a page with no English title puts its local one there
    for field in COMPARED:
        now = value_at(imported, field)
        if field == "title" and not english:
            continue
        if now is not None and str(now) != str(value_at(recorded, field) or ""):
            yield field, value_at(recorded, field), now
    had_titles = {t["title"] for t in recorded.get("local_titles") or []}
    for title in local:
        if title not in had_titles:
            yield "local_titles", None, title
    had = {ref_key(p["ref"]) for p in recorded.get("provisions") or []}
    new = [p["ref"] for p in imported.get("provisions") or [] if ref_key(p["ref"]) not in had]
    if new:
        yield (
            "provisions",
            f"{len(had)} listed",
            f"{len(new)} more in the text: {', '.join(new[:12])}" + (" …" if len(new) > 12 else ""),
        )
    urls = {x["url"] for x in recorded.get("links") or []}
    for link in imported.get("links") or []:
        if link["url"] not in urls:
            yield "links", None, link["url"]
