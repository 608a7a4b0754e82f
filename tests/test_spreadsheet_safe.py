"""Spreadsheet-safe CSV: a cell a spreadsheet would run as a formula is
written with a leading apostrophe in every CSV the repository produces (our
pages, the exports, Datasette's own table and query CSV), while JSON keeps
the value exact (OWASP guidance on CSV injection)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ingest.build.database import build
from ingest.cli.main import main
from ingest.common.csvtext import FORMULA_STARTS, SafeStream, safe_cell, table_csv, to_csv, unescape_cell
from tests.helpers import law, make_datasette, make_root, write_law

HOSTILE = '=HYPERLINK("http://evil.example","click")'
LAW_ID = "sg-formula-act-2020"


@pytest.mark.parametrize("start", FORMULA_STARTS)
def test_each_formula_start_is_escaped_once(start: str) -> None:
    value = f"{start}1+1"
    assert safe_cell(value) == f"'{value}"
    assert safe_cell(safe_cell(value)) == safe_cell(value)
    assert unescape_cell(safe_cell(value)) == value


@pytest.mark.parametrize("value", ["Act 709", "'quoted", "", "1-2", 12, -3, None, "a=b"])
def test_other_values_are_left_alone(value: object) -> None:
    assert safe_cell(value) == value


def test_dict_and_table_writers_escape_headers_and_cells() -> None:
    text = to_csv([{"=name": "+x", "n": -1}])
    assert list(csv.reader(io.StringIO(text))) == [["'=name", "n"], ["'+x", "-1"]]
    assert list(csv.reader(io.StringIO(table_csv(["t"], [["@SUM(A1)"]])))) == [["t"], ["'@SUM(A1)"]]


cells = st.text(alphabet=st.sampled_from(list("ab=+-@\t\r\n\",' ก")), max_size=8)


@given(rows=st.lists(st.lists(cells, min_size=1, max_size=4), min_size=1, max_size=6), cuts=st.lists(st.integers(0, 400)))
def test_streamed_csv_is_escaped_whatever_the_chunks(rows: list[list[str]], cuts: list[int]) -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    raw = buf.getvalue()
    stream = SafeStream()
    out, last = [], 0
    for cut in sorted(c for c in cuts if c <= len(raw)):
        out.append(stream.feed(raw[last:cut]))
        last = cut
    out.append(stream.feed(raw[last:]))
    out.append(stream.close())
    parsed = list(csv.reader(io.StringIO("".join(out), newline="")))
    assert parsed == [[safe_cell(c) for c in row] for row in rows]


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("formula")
    root = make_root(tmp)
    write_law(root, law(id=LAW_ID, title=HOSTILE, summary="-2+3 a summary that starts with a minus"))
    corpus, _ = build(root, tmp / "laws.db")
    assert not corpus.problems, corpus.problems
    return tmp / "laws.db"


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


@pytest.mark.parametrize(
    "path",
    [
        "/laws/laws.csv",
        "/laws/laws.csv?_stream=on",
        f"/laws/laws/{LAW_ID}.csv",
        "/laws/-/query.csv?sql=select+title,+summary+from+laws",
        "/country/SG.csv",
    ],
)
async def test_site_csv_is_escaped_and_json_exact(hostile_db: Path, path: str) -> None:
    ds = make_datasette(hostile_db)
    response = await ds.client.get(path)
    assert response.status_code == 200, response.text[:500]
    cells = _cells(response.text)
    assert HOSTILE not in cells
    if path.startswith("/laws/"):
        assert "'" + HOSTILE in cells
    assert not [c for c in cells if c.startswith(FORMULA_STARTS)]
    data = (await ds.client.get(f"/laws/laws/{LAW_ID}.json?_shape=objects")).json()
    assert data["rows"][0]["title"] == HOSTILE


def test_exported_csv_is_escaped(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["export", "--db", str(hostile_db), "--out", str(out), "--format", "datapackage"])
    assert result.exit_code == 0, result.output
    cells = _cells((out / "laws.csv").read_text(encoding="utf-8"))
    assert "'" + HOSTILE in cells and HOSTILE not in cells
