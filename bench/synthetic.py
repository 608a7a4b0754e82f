"""Synthetic but realistic law records for benchmarks and tests.

`make_corpus(dest, n)` writes a laws folder with the repository's schemas,
vocabularies and country profiles and `n` valid law records of about 2 KB
each (local-language titles, dates, relations, provisions, sources).
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
COUNTRIES = ["BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"]
AREAS = ["e-transactions", "e-signatures", "data-protection", "consumer-protection", "platforms", "cybersecurity"]
LOCAL = {
    "TH": ("th", "พระราชบัญญัติว่าด้วยธุรกรรมทางอิเล็กทรอนิกส์ ฉบับที่ {n}"),
    "VN": ("vi", "Luật Giao dịch điện tử số {n}"),
    "KH": ("km", "ច្បាប់ស្តីពីពាណិជ្ជកម្មតាមប្រព័ន្ធអេឡិចត្រូនិក {n}"),
    "LA": ("lo", "ກົດໝາຍວ່າດ້ວຍການເຮັດທຸລະກຳທາງເອເລັກໂຕຣນິກ {n}"),
    "MM": ("my", "အီလက်ထရောနစ် ဆက်သွယ်ဆောင်ရွက်မှုများ ဥပဒေ {n}"),
    "ID": ("id", "Undang-Undang tentang Informasi dan Transaksi Elektronik {n}"),
    "MY": ("ms", "Akta Perdagangan Elektronik {n}"),
    "BN": ("ms", "Perintah Transaksi Elektronik {n}"),
    "PH": ("fil", "Batas sa Elektronikong Komersyo {n}"),
    "SG": ("zh", "电子交易法 {n}"),
    "TL": ("pt", "Regime Jurídico do Comércio Eletrónico {n}"),
}
WORDS = [
    "electronic",
    "record",
    "contract",
    "signature",
    "consumer",
    "platform",
    "merchant",
    "data",
    "subject",
    "controller",
    "processor",
    "breach",
    "notification",
    "authority",
    "licence",
    "registration",
    "intermediary",
    "liability",
    "disclosure",
    "cooling-off",
    "refund",
    "complaint",
    "cross-border",
    "transfer",
    "consent",
    "retention",
    "security",
    "certificate",
]

TEMPLATE = """\
# yaml-language-server: $schema=../schemas/law.schema.json
id: {id}
country: {cc}
title: {title}
local_titles:
  - lang: {lang}
    title: "{local}"
short_title: {short}
instrument_type: {itype}
number: "{number}"
dates:
  adopted: {adopted}
  promulgated: {promulgated}
  in_force: {in_force}
{repealed}status: {status}
areas: [{areas}]
{relations}agency: Ministry of {agency}
links:
  - url: https://legislation.example.org/{cc_lower}/{i}
    kind: text
    language: {lang}
    official: true
summary: |
  {summary}
provisions:
{provisions}
provenance:
  sources:
    - citation: Synthetic gazette entry {i}
      url: https://gazette.example.org/{cc_lower}/{i}
      supports: [title, number, dates.adopted, dates.in_force]
  last_verified: 2025-{month:02d}-15
  verification: unverified
  evidence: seen
  note: Synthetic record for benchmarks.
"""


def _sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def law_text(
    i: int, rng: random.Random, *, successor_of: str | None = None, replaced: bool = False, countries: list[str] = COUNTRIES
) -> tuple[str, str, str]:
    """(country code, file slug, YAML text) of synthetic record number `i`."""
    cc = countries[i % len(countries)]
    year = law_year(i)
    lang, local = LOCAL.get(cc, ("en", "Synthetic Law {n}"))
    areas = rng.sample(AREAS, rng.randint(1, 3))
    slug = f"synthetic-law-{i}"
    provisions = "\n".join(
        f"  - ref: s {k + 1}\n    heading: {_sentence(rng, 3)[:-1]}\n    summary: {_sentence(rng, 12)}\n"
        f"    area: {rng.choice(areas)}"
        for k in range(rng.randint(4, 6))
    )
    relations = f"relations:\n  - type: replaces\n    target: {successor_of}\n" if successor_of else ""
    status = "superseded" if replaced else "in-force"
    repealed = f"  repealed: {year + 1}-12-31\n" if replaced else ""
    text = TEMPLATE.format(
        id=f"{cc.lower()}-{slug}",
        cc=cc,
        cc_lower=cc.lower(),
        i=i,
        title=f"{_sentence(rng, 3)[:-1]} Act {year} No {i}",
        lang=lang,
        local=local.format(n=i),
        short=f"SA {i}",
        itype=rng.choice(["act", "law", "decree", "regulations"]),
        number=f"{i}/{year}",
        adopted=f"{year}-03-{1 + i % 28:02d}",
        promulgated=f"{year}-04-{1 + i % 28:02d}",
        in_force=f"{year}-06-01",
        repealed=repealed,
        status=status,
        areas=", ".join(areas),
        relations=relations,
        agency=rng.choice(["Commerce", "Justice", "Digital Economy", "Trade"]),
        summary=" ".join(_sentence(rng, 14) for _ in range(4)),
        provisions=provisions,
        month=1 + i % 12,
    )
    return cc.lower(), slug, text


def law_year(i: int) -> int:
    return 1995 + (i * 7) % 30


def make_corpus(dest: Path, n: int, seed: int = 1) -> Path:
    """Write a laws folder with `n` synthetic law records; returns its path."""
    root = dest / "laws"
    if root.exists():
        shutil.rmtree(root)
    shutil.copytree(ROOT / "laws" / "schemas", root / "schemas")
    shutil.copytree(ROOT / "laws" / "vocabularies", root / "vocabularies")
    shutil.copytree(ROOT / "laws" / "sources", root / "sources")
    (root / "countries").mkdir()
    for src in sorted((ROOT / "laws" / "countries").glob("*.yml")):
        profile = yaml.safe_load(src.read_text(encoding="utf-8"))
        profile["coverage"] = [
            {"area": a, "status": "partial", "note": "Synthetic corpus.", "sources": [{"citation": "synthetic"}]} for a in AREAS
        ]
        (root / "countries" / src.name).write_text(yaml.safe_dump(profile, allow_unicode=True), encoding="utf-8")
    rng = random.Random(seed)
    for cc in COUNTRIES:
        (root / cc.lower()).mkdir()
    step = len(COUNTRIES)
    for i in range(n):
        # every fifth record of a country replaces the record before it in that country
        replaces = f"{COUNTRIES[i % step].lower()}-synthetic-law-{i - step}" if i >= step and (i // step) % 5 == 1 else None
        replaced = i + step < n and ((i + step) // step) % 5 == 1
        cc, slug, text = law_text(i, rng, successor_of=replaces, replaced=replaced)
        (root / cc / f"{slug}.yml").write_text(text, encoding="utf-8")
    return root
