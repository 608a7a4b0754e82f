"""The in-memory corpus: vocabularies, country profiles and law facts.

`LawFacts` is the small projection of a law record that the cross-record rules
need. It is made from a parsed record, or from the previous database when a
file has not changed, so that unchanged files need not be parsed again.
"""

from __future__ import annotations

from collections.abc import Mapping, MutableMapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ingest.common.problems import Problem
from ingest.records.changes import Changes
from ingest.records.sources import official_quotes, ref_key

ENACTED = ("in-force", "partly-in-force", "enacted-not-in-force")
IN_EFFECT = ("in-force", "partly-in-force")


@dataclass(slots=True)
class LawFacts:
    id: str
    country: str
    path: str
    status: str
    dates: dict[str, str]
    areas: tuple[str, ...]
    relations: tuple[tuple[str, str], ...]  # as stated in this record: (type, target)
    evidence: str = "seen"
    verification: str = "unverified"
    has_note: bool = False
    provisions: tuple[str, ...] = ()  # refs in the form ref_key() gives
    quoted: tuple[str, ...] = ()  # refs of provisions quoted from an official text
    last_verified: str | None = None  # provenance.last_verified


def facts_of(path: str, rec: dict[str, Any], hosts: Sequence[Mapping[str, Any]] = ()) -> LawFacts:
    prov = rec.get("provenance", {})
    return LawFacts(
        id=rec["id"],
        country=rec["country"],
        path=path,
        status=rec["status"],
        dates=dict(rec.get("dates") or {}),
        areas=tuple(rec["areas"]),
        relations=tuple([(r["type"], r["target"]) for r in rec.get("relations") or []]),
        evidence=prov.get("evidence", "seen"),
        verification=prov.get("verification", "unverified"),
        has_note=bool(prov.get("note")),
        provisions=tuple([ref_key(p["ref"]) for p in rec.get("provisions") or []]),
        quoted=tuple(official_quotes(rec.get("provisions") or [], hosts)),
        last_verified=prov.get("last_verified"),
    )


@dataclass
class Corpus:
    root: str
    vocab: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    vocab_paths: dict[str, str] = field(default_factory=dict)
    vocab_titles: dict[str, str] = field(default_factory=dict)
    countries: dict[str, dict[str, Any]] = field(default_factory=dict)
    country_paths: dict[str, str] = field(default_factory=dict)
    laws: MutableMapping[str, LawFacts] = field(default_factory=dict)  # a LawIndex when read on demand
    codebook: dict[str, Any] | None = None  # codebook/codebook.yml
    codebook_path: str = ""
    indicator_files: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # area -> (path, data)
    answer_files: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # country -> (path, data)
    review_files: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # review id -> (path, data)
    peer_files: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # peer name -> (path, data)
    official_hosts: list[dict[str, Any]] = field(default_factory=list)  # sources/official-hosts.yml entries
    source_check_files: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)  # country -> (path, data)
    digests: dict[str, str] = field(default_factory=dict)  # shown path -> content digest
    stats: dict[str, tuple[int, int]] = field(default_factory=dict)  # law file -> (size, mtime ns) when its digest was taken
    problems: list[Problem] = field(default_factory=list)
    parsed: int = 0  # law files parsed in this run
    reused: int = 0  # law files whose content was unchanged and not parsed again
    incremental: bool = False  # a previous build's facts were used for unchanged files
    # the law files new, changed or gone since the previous build, when only those were read (a
    # patched build then holds in `digests` and `stats` the unchanged files' digests, but not their sizes and times)
    changes: Changes | None = None

    def indicators(self) -> dict[str, dict[str, Any]]:
        """Every indicator by id, in codebook order (areas in vocabulary order)."""
        out: dict[str, dict[str, Any]] = {}
        for area in self.codes("areas"):
            if area in self.indicator_files:
                for ind in self.indicator_files[area][1]["indicators"]:
                    out.setdefault(ind["id"], {**ind, "area": area})
        return out

    def codes(self, vocabulary: str) -> list[str]:
        return [e["code"] for e in self.vocab.get(vocabulary, [])]

    def inverse(self) -> dict[str, str]:
        return {e["code"]: e["inverse"] for e in self.vocab.get("relation-types", []) if "inverse" in e}
