"""Build small laws folders for tests: the real schemas and vocabularies, one
country profile, and law records written from Python dicts."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
AREAS = ["e-transactions", "e-signatures", "data-protection", "consumer-protection", "platforms", "cybersecurity"]

BASE_LAW: dict[str, Any] = {
    "id": "sg-example-act-2010",
    "country": "SG",
    "title": "Example Act 2010",
    "instrument_type": "act",
    "number": "No. 1 of 2010",
    "dates": {"adopted": "2010-05-19", "in_force": "2010-07-01"},
    "status": "in-force",
    "areas": ["e-transactions"],
    "summary": "An example.",
    "provisions": [{"ref": "s 6", "heading": "Legal recognition", "summary": "Records are not denied effect."}],
    "provenance": {
        "sources": [{"citation": "A test source"}],
        "verification": "unverified",
        "evidence": "seen",
        "last_verified": "2026-01-01",
    },
}


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of `base` with fields replaced, or removed when given as None."""
    rec = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    return rec


def law(**changes: Any) -> dict[str, Any]:
    return changed(BASE_LAW, **changes)


def make_root(tmp: Path, coverage: list[dict[str, Any]] | None = None) -> Path:
    """A laws folder with the real schemas and vocabularies and a profile for SG only."""
    root = tmp / "laws"
    root.mkdir()
    shutil.copytree(ROOT / "laws" / "schemas", root / "schemas")
    shutil.copytree(ROOT / "laws" / "vocabularies", root / "vocabularies")
    (root / "countries").mkdir()
    if coverage is None:
        # 'partial' may stand beside a law in force, so records can come and go
        coverage = [{"area": a, "status": "partial", "note": "Sectoral rules only.", "sources": [{"citation": "test"}]}
                    for a in AREAS]
    profile = {
        "code": "SG", "name": "Singapore", "iso3": "SGP", "m49": "702", "asean_member_since": "1967-08-08",
        "official_languages": ["en"], "coverage": coverage,
        "provenance": {"sources": [{"citation": "test"}], "verification": "unverified", "evidence": "seen"},
    }
    write(root / "countries" / "sg.yml", profile)
    (root / "sg").mkdir()
    return root


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_law(root: Path, rec: dict[str, Any]) -> Path:
    cc, slug = rec["id"].split("-", 1)
    return write(root / cc / f"{slug}.yml", rec)
