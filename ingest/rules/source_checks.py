"""Rules for the source-check files: one per member state, named for it, about its own recorded laws."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import PurePath

from ingest.common.problems import Problem, dotted
from ingest.records.files import line_of_field
from ingest.records.model import Corpus

FieldPath = tuple[str | int, ...]


def problems(corpus: Corpus) -> list[Problem]:
    return [Problem(path, line_of_field(path, fp) if fp else 0, dotted(fp), msg) for path, fp, msg in _found(corpus)]


def _found(corpus: Corpus) -> Iterator[tuple[str, FieldPath, str]]:
    for country, (path, data) in sorted(corpus.source_check_files.items()):
        if PurePath(path).stem != country.lower():
            yield path, ("country",), f"is {country} but the file is named {PurePath(path).name}; name it {country.lower()}.yml"
        for i, check in enumerate(data["checks"]):
            law = corpus.laws.get(check["law"])
            if law is None:
                yield path, ("checks", i, "law"), f"no law record has the id '{check['law']}'"
            elif law.country != country:
                yield path, ("checks", i, "law"), f"{check['law']} is a law of {law.country}, not of {country}"
