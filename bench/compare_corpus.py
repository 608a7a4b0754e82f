"""A synthetic corpus for the compare benchmark: many countries, a codebook of
many indicators, law records spread over the countries, and every country's
answers to every indicator, with histories.

`make_compare_corpus(dest, laws=100_000, countries=200, per_area=12)` writes a
laws folder that validates: the repository's schemas (with the country codes
widened to the synthetic ones), vocabularies, synthetic profiles, codebook and
answers, and the law records of bench/synthetic.py.
"""

from __future__ import annotations

import itertools
import json
import random
import shutil
import string
from pathlib import Path

import yaml

from bench.synthetic import COUNTRIES, ROOT, law_text, law_year

PRIMARY = ["e-transactions", "e-signatures", "data-protection", "consumer-protection", "platforms"]
AREAS = [*PRIMARY, "cybersecurity"]
PREFIX = {"e-transactions": "et", "e-signatures": "es", "data-protection": "pdp", "consumer-protection": "cp", "platforms": "pl"}
TERNARY = ["yes", "yes", "partial", "no", "unknown", "not-applicable"]


def country_codes(n: int) -> list[str]:
    """The 11 member states first, then other two-letter codes."""
    extra = ("".join(p) for p in itertools.product(string.ascii_uppercase, repeat=2))
    return (COUNTRIES + [c for c in extra if c not in COUNTRIES])[:n]


def _schemas(root: Path, codes: list[str]) -> None:
    shutil.copytree(ROOT / "laws" / "schemas", root / "schemas")
    for name in ("country", "law"):
        path = root / "schemas" / f"{name}.schema.json"
        schema = json.loads(path.read_text(encoding="utf-8"))
        key = "code" if name == "country" else "country"
        schema["properties"][key]["enum"] = codes
        path.write_text(json.dumps(schema, indent=2), encoding="utf-8")


def _profile(code: str, i: int) -> dict:
    return {
        "code": code,
        "name": f"Synthetic State {code}",
        "iso3": f"{code}X",
        "m49": f"{i:03d}",
        "asean_member_since": "1999-04-30",
        "official_languages": ["en"],
        "coverage": [
            {"area": a, "status": "partial", "note": "Synthetic corpus.", "sources": [{"citation": "synthetic"}]} for a in AREAS
        ],
        "provenance": {"sources": [{"citation": "synthetic"}], "verification": "unverified", "evidence": "seen"},
    }


def _codebook(root: Path, per_area: int) -> list[dict]:
    (root / "codebook").mkdir()
    book = {
        "codebook": "synthetic",
        "title": "Synthetic codebook",
        "version": "1.0.0",
        "date": "2026-01-01",
        "description": "Synthetic indicators for benchmarks.",
        "changes": [{"version": "1.0.0", "date": "2026-01-01", "summary": "First edition."}],
    }
    (root / "codebook" / "codebook.yml").write_text(yaml.safe_dump(book), encoding="utf-8")
    every = []
    for area in PRIMARY:
        items = []
        for k in range(per_area):
            ind: dict = {
                "id": f"{PREFIX[area]}-synthetic-{k + 1}",
                "question": f"Synthetic question {k + 1} on {area}?",
                "guidance": "Answer from the law.",
                "origin": ["synthetic"],
            }
            if k % 6 == 4:
                ind.update(answer_type="number", unit="days" if k % 2 else "money")
            elif k % 6 == 5:
                codes = ("open", "conditional", "restricted")
                ind.update(
                    answer_type="choice", options=[{"code": c, "label": c.title(), "description": f"Option {c}."} for c in codes]
                )
            else:
                ind["answer_type"] = "ternary"
            items.append(ind)
        (root / "codebook" / f"{area}.yml").write_text(yaml.safe_dump({"area": area, "indicators": items}), encoding="utf-8")
        every += [{**i, "area": area} for i in items]
    return every


def _value(ind: dict, rng: random.Random) -> tuple[object, dict]:
    if ind["answer_type"] == "number":
        return (rng.choice([7, 14, 30]), {}) if ind["unit"] == "days" else (rng.choice([10_000, 500_000]), {"currency": "USD"})
    if ind["answer_type"] == "choice":
        return rng.choice(["open", "conditional", "restricted"]), {}
    return rng.choice(TERNARY), {}


def _answers(
    root: Path, codes: list[str], indicators: list[dict], in_force: dict[str, list[tuple[str, int]]], rng: random.Random
) -> int:
    (root / "answers").mkdir()
    total = 0
    for code in codes:
        laws = in_force[code]
        items = []
        for ind in indicators:
            law_id, year = rng.choice(laws)
            value, extra = _value(ind, rng)
            since = f"{year + 2}-06-01"
            answer: dict = {"indicator": ind["id"], "value": value, **extra}
            if value not in ("no", "not-applicable", "unknown"):
                answer["basis"] = [{"law": law_id, "provision": "s 1"}]
            answer.update(
                since=since,
                note="Synthetic answer.",
                verification={"status": "unverified", "by": "Synthetic editors", "on": "2026-01-01", "evidence": "seen"},
                review={"status": "disputed", "dispute": "Synthetic dispute."} if rng.random() < 0.02 else {"status": "draft"},
                history=[
                    {
                        "value": "partial" if ind["answer_type"] == "ternary" else "unknown",
                        "since": f"{year}-06-01",
                        "until": since,
                        "note": "Earlier synthetic answer.",
                        **({"basis": [{"law": law_id, "provision": "s 1"}]} if ind["answer_type"] == "ternary" else {}),
                    },
                    {
                        "value": "no" if ind["answer_type"] == "ternary" else "not-applicable",
                        "until": f"{year}-06-01",
                        "note": "Before the law.",
                    },
                ],
            )
            items.append(answer)
        total += len(items)
        (root / "answers" / f"{code.lower()}.yml").write_text(
            yaml.safe_dump({"country": code, "answers": items}, sort_keys=False), encoding="utf-8"
        )
    return total


def make_compare_corpus(dest: Path, laws: int = 100_000, countries: int = 200, per_area: int = 12, seed: int = 1) -> Path:
    root = dest / "laws"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    codes = country_codes(countries)
    _schemas(root, codes)
    shutil.copytree(ROOT / "laws" / "vocabularies", root / "vocabularies")
    (root / "countries").mkdir()
    for i, code in enumerate(codes):
        (root / "countries" / f"{code.lower()}.yml").write_text(yaml.safe_dump(_profile(code, i + 1)), encoding="utf-8")
        (root / code.lower()).mkdir()
    rng = random.Random(seed)
    step = len(codes)
    in_force: dict[str, list[tuple[str, int]]] = {c: [] for c in codes}
    for i in range(laws):
        # every fifth record of a country replaces the record before it in that country
        replaces = f"{codes[i % step].lower()}-synthetic-law-{i - step}" if i >= step and (i // step) % 5 == 1 else None
        replaced = i + step < laws and ((i + step) // step) % 5 == 1
        cc, slug, text = law_text(i, rng, successor_of=replaces, replaced=replaced, countries=codes)
        (root / cc / f"{slug}.yml").write_text(text, encoding="utf-8")
        if not replaced:
            in_force[codes[i % step]].append((f"{cc}-{slug}", law_year(i)))
    _answers(root, codes, _codebook(root, per_area), in_force, rng)
    return root
