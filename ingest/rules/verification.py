"""Verification that is earned: which facts of a record an official source supports.

A source is official when its address starts with a prefix listed in
`laws/sources/official-hosts.yml` (a government site or gazette, or a
faithful copy of one). A record may claim `checked-official-text` only when
its official sources together support the number, every date, the status and
every provision it states. Quotes are evidence: short, verbatim, with the
address of the text quoted.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from ingest.records.model import Corpus
from ingest.records.sources import Hosts, official_entry, ref_key

CHECKED = ("checked-official-text", "peer-reviewed")
OFFICIAL_LINK = "a link to the official text (links: a government site or gazette, or a faithful copy)"
DATE_FIELDS = ("adopted", "promulgated", "in_force", "repealed")
QUOTE_MAX_WORDS = 50  # "about 40 words", with room for scripts that count words differently
QUOTE_MAX_CHARS = 600


def required_facts(rec: Mapping[str, Any]) -> list[str]:
    """The facts a checked record must have an official source for."""
    need = ["number"] if rec.get("number") else []
    d = rec.get("dates") or {}
    need += [f"dates.{k}" for k in DATE_FIELDS if k in d and d[k] != "unknown"]
    need.append("status")
    return need


def supported(rec: Mapping[str, Any], hosts: Hosts) -> tuple[set[str], set[str]]:
    """(fields, provision ref keys) supported by the record's official sources."""
    fields: set[str] = set()
    refs: set[str] = set()
    for s in (rec.get("provenance") or {}).get("sources") or []:
        if official_entry(s.get("url"), hosts):
            fields.update(s.get("supports") or [])
            refs.update(ref_key(r) for r in s.get("provisions") or [])
    return fields, refs


def unsupported(rec: Mapping[str, Any], hosts: Hosts) -> list[str]:
    """The stated facts no official source supports: field names, then
    `provision <ref>` for each provision not shown by an official source."""
    fields, refs = supported(rec, hosts)
    missing = [f for f in required_facts(rec) if f not in fields]
    missing += [f"provision {p['ref']}" for p in rec.get("provisions") or [] if ref_key(p["ref"]) not in refs]
    if not any(official_entry(x.get("url"), hosts) for x in rec.get("links") or []):
        missing.append(OFFICIAL_LINK)
    return missing


def derived_level(rec: Mapping[str, Any], hosts: Hosts) -> str:
    """`checked-official-text` when every stated fact has an official source, else `unverified`."""
    return "unverified" if unsupported(rec, hosts) else "checked-official-text"


def effective_level(rec: Mapping[str, Any], hosts: Hosts, missing: list[str] | None = None) -> str:
    """The level the site shows: earned from the sources, never above what
    the record claims for peer review, and unverified on weak evidence.
    `missing` is `unsupported(rec, hosts)` when the caller has it already."""
    prov = rec.get("provenance") or {}
    if missing is None:
        missing = unsupported(rec, hosts)
    if prov.get("evidence", "seen") != "seen" or missing:
        return "unverified"
    return "peer-reviewed" if prov.get("verification") == "peer-reviewed" else "checked-official-text"


def quote_problem(quote: Mapping[str, Any]) -> str | None:
    """Why a quote is not acceptable evidence, or None."""
    text = str(quote.get("text", ""))
    words = len(text.split())
    if words > QUOTE_MAX_WORDS:
        return f"has {words} words; quote at most about 40 words of the operative text"
    if len(text) > QUOTE_MAX_CHARS:
        return f"has {len(text)} characters; quote at most about 40 words of the operative text"
    if text != text.strip():
        return "starts or ends with white space; quote the words exactly"
    return None


def record_findings(rec: Mapping[str, Any], hosts: Hosts) -> Iterator[tuple[tuple[str | int, ...], str]]:
    """Problems of one law record: a claimed level its sources do not
    support, and quotes that are too long or not at an address."""
    prov = rec.get("provenance") or {}
    claimed = prov.get("verification", "unverified")
    if claimed in CHECKED:
        missing = unsupported(rec, hosts)
        if missing:
            yield (
                ("provenance", "verification"),
                (
                    f"claims '{claimed}', but no official source supports: {', '.join(missing)} "
                    "(list them under an official source's supports/provisions, or set 'unverified')"
                ),
            )
    listed = {ref_key(p["ref"]) for p in rec.get("provisions") or []}
    for i, s in enumerate(prov.get("sources") or []):
        for j, ref in enumerate(s.get("provisions") or []):
            if ref_key(ref) not in listed:
                yield ("provenance", "sources", i, "provisions", j), f"'{ref}' is not among the record's provisions"
    for i, p in enumerate(rec.get("provisions") or []):
        q = p.get("quote")
        if isinstance(q, Mapping):
            problem = quote_problem(q)
            if problem:
                yield ("provisions", i, "quote", "text"), problem


def basis_quoted(corpus: Corpus, basis: Mapping[str, Any]) -> bool:
    """A legal basis is checked when it carries a quote from an official text,
    or cites a provision whose entry on the law record does."""
    quote = basis.get("quote")
    if isinstance(quote, Mapping) and official_entry(quote.get("url"), corpus.official_hosts):
        return True
    law = corpus.laws.get(basis["law"])
    return bool(law and "provision" in basis and ref_key(basis["provision"]) in law.quoted)


def answer_level(corpus: Corpus, claimed: str, evidence: str, basis: list[Mapping[str, Any]]) -> str:
    """The level an answer period shows: checked when it rests on seen evidence
    and every legal basis is quoted from an official text; peer-reviewed only
    when also claimed; otherwise unverified."""
    if evidence != "seen" or not basis or not all(basis_quoted(corpus, b) for b in basis):
        return "unverified"
    return "peer-reviewed" if claimed == "peer-reviewed" else "checked-official-text"
