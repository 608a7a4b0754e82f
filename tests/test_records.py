"""The shipped records and the contributor template."""

from __future__ import annotations

import json

from ingest.records import yamlsafe
from ingest.rules.schemas import check
from tests.helpers import LAWS

COUNTRIES = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "TL", "VN"}


def test_every_shipped_record_validates(corpus) -> None:
    assert corpus.problems == []
    assert set(corpus.countries) == COUNTRIES


def test_every_country_has_laws_in_several_areas(corpus) -> None:
    for code in COUNTRIES:
        areas = {a for law in corpus.laws.values() if law.country == code for a in law.areas}
        assert len(areas) >= 3, code


def test_history_is_recorded(corpus) -> None:
    vn2005 = corpus.laws["vn-law-on-e-transactions-2005"]
    assert vn2005.status == "superseded"
    assert ("replaces", "vn-law-on-e-transactions-2005") in corpus.laws["vn-law-on-e-transactions-2023"].relations or (
        "replaced-by",
        "vn-law-on-e-transactions-2023",
    ) in vn2005.relations
    assert corpus.laws["la-law-on-electronic-transactions-2012"].status == "superseded"


def test_records_built_on_weak_sources_say_so(corpus) -> None:
    weak = [law for law in corpus.laws.values() if law.evidence != "seen"]
    assert weak, "the research note has weak and recalled rows; some records must carry them"
    assert all(law.verification == "unverified" and law.has_note for law in weak)


def test_template_documents_every_field_and_validates() -> None:
    text = (LAWS / "TEMPLATE.yml").read_text(encoding="utf-8")
    data, _ = yamlsafe.load(text.encode())
    data["country"] = "SG"
    assert check(str(LAWS / "schemas"), "law", data) == []
    schema = json.loads((LAWS / "schemas" / "law.schema.json").read_text())

    def fields(node: dict, prefix: str = "") -> set[str]:
        out = set()
        for name, sub in node.get("properties", {}).items():
            out.add(prefix + name)
            inner = sub.get("items", sub)
            out |= fields(inner, f"{prefix}{name}.")
        return out

    def present(node, prefix: str = "") -> set[str]:
        out = set()
        if isinstance(node, list):
            for item in node:
                out |= present(item, prefix)
        elif isinstance(node, dict):
            for k, v in node.items():
                out.add(prefix + k)
                out |= present(v, f"{prefix}{k}.")
        return out

    commented = {line.strip().lstrip("# ").split(":")[0] for line in text.splitlines() if line.strip().startswith("#")}
    missing = {f for f in fields(schema) if f not in present(data) and f.split(".")[-1] not in commented}
    assert not missing, f"fields of the schema not shown in TEMPLATE.yml: {sorted(missing)}"


def test_every_record_names_its_schema() -> None:
    for path in LAWS.glob("*/*.yml"):
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema=../schemas/"), path
