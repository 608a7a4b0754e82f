"""Property-based tests: arbitrary input to the record reader and validator,
the review-sheet importer and the importers' HTML parsers never raises
anything but the documented error, never hangs, and never writes."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest.importers import page as html_page
from ingest.importers import registry
from ingest.importers.model import Draft, Refusal
from ingest.records import yamlsafe
from ingest.review.sheet_import import Imported, build_record
from ingest.review.worksheet import COLUMNS
from ingest.rules.corpus import validate
from tests.helpers import ROOT, law, make_root, write_law

pytestmark = pytest.mark.filterwarnings("ignore::hypothesis.errors.HypothesisWarning")

# A generous bound that only a hang breaks (these run in milliseconds).
FUZZ = settings(deadline=dt.timedelta(seconds=10), max_examples=150, suppress_health_check=[HealthCheck.too_slow])
PAGES = sorted((ROOT / "tests" / "data" / "import").glob("*/*.html"))
YAML_BITS = [
    "id: ",
    "title: ",
    "dates:\n  adopted: ",
    "- ",
    "  ",
    "\n",
    ": ",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "!!",
    "'",
    '"',
    "#",
    "---\n",
    "2019-05-24",
    "sg-example-act-2010",
    "in-force",
    "? ",
    "|\n",
    ">\n",
    "\t",
    "\ufeff",
    "ก",
    "Điều",
]


def _tree(root: Path) -> dict[str, tuple[int, int]]:
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")}


@FUZZ
@given(st.one_of(st.binary(max_size=2000), st.lists(st.sampled_from(YAML_BITS), max_size=60).map(lambda b: "".join(b).encode())))
def test_the_record_reader_gives_a_mapping_or_a_load_error(data: bytes) -> None:
    try:
        record, lines = yamlsafe.load(data, lines=True)
    except yamlsafe.LoadError as exc:
        assert exc.line >= 0 and exc.message
    else:
        assert isinstance(record, dict) and isinstance(lines, dict)


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.text(max_size=20)
    | st.sampled_from(["2019-05-24", "in-force", "SG", "unknown"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=12,
)
FIELDS = ["id", "country", "title", "number", "dates", "status", "areas", "provisions", "relations", "provenance", "links", "x"]


@pytest.fixture(scope="module")
def laws_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as tmp:
        yield make_root(Path(tmp))


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4))
def test_the_validator_reports_problems_for_any_record(laws_root: Path, changes: dict[str, Any]) -> None:
    rec = law(**{k: v for k, v in changes.items() if v is not None})
    path = write_law(laws_root, law())
    path.write_text(yaml.safe_dump(rec, allow_unicode=True, sort_keys=False), encoding="utf-8")
    before = _tree(laws_root)
    corpus = validate(laws_root)
    assert all(p.path and isinstance(p.message, str) for p in corpus.problems)
    assert _tree(laws_root) == before


CSV_BITS = [",", "\n", "\r\n", '"', "TH", "th-e-1", "meets", "partly", "accepts", "disputes", "=1+1", "\x00", "x" * 50]


@FUZZ
@given(
    st.one_of(
        st.binary(max_size=1500),
        st.lists(st.sampled_from(CSV_BITS), max_size=80).map(lambda b: (",".join(COLUMNS) + "\n" + "".join(b)).encode()),
    )
)
def test_the_review_sheet_importer_gives_a_record_or_problems(corpus: Any, data: bytes) -> None:
    meta = {
        "id": "th-review-2026",
        "type": "internal",
        "title": "Fuzz",
        "status": "completed",
        "parties": [{"member_state": "TH"}],
        "scope": {},
        "dates": {},
        "report": None,
        "note": None,
    }
    with tempfile.TemporaryDirectory() as tmp, contextlib.chdir(tmp):
        result = build_record(data, corpus, meta, dt.date(2026, 12, 6))
        assert not os.listdir(tmp)
    assert isinstance(result, Imported)
    assert (result.record is None) == bool(result.problems)


@st.composite
def mangled_pages(draw: st.DrawFn) -> bytes:
    """A saved statute page with slices cut out, repeated or replaced."""
    data = draw(st.sampled_from(PAGES)).read_bytes()
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(data)))
        end = draw(st.integers(start, min(len(data), start + 4000)))
        how = draw(st.sampled_from(["cut", "repeat", "junk"]))
        if how == "cut":
            data = data[:start] + data[end:]
        elif how == "repeat":
            data = data[:end] + data[start:end] + data[end:]
        else:
            data = data[:start] + draw(st.binary(max_size=40)) + data[end:]
    return data


@FUZZ
@given(data=mangled_pages(), parser=st.sampled_from(["auto", *sorted(registry.parsers())]))
def test_the_html_parsers_give_a_draft_or_a_refusal(data: bytes, parser: str) -> None:
    try:
        draft = registry.read(html_page.load(data, "https://example.gov.sg/act"), parser)
    except Refusal as exc:
        assert str(exc)
    else:
        assert isinstance(draft, Draft)
