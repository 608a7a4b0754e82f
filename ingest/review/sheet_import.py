"""Read a filled review worksheet (CSV) back into a review record.

Each row whose `assessment` is filled in becomes a finding; rows left blank
are skipped. Every bad row is reported with its line and column; the record is
then checked with the same rules as a review file in laws/reviews/ (schema and
review rules), and problems in findings are reported at the line of the row
they came from. Nothing is written unless the whole sheet is valid.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.common.csvtext import unescape_cell
from ingest.records.model import Corpus
from ingest.review.worksheet import FILL_COLUMNS
from ingest.rules import schemas
from ingest.rules.reviews import review_problems

REQUIRED = ["country", "indicator", *FILL_COLUMNS]


@dataclass(frozen=True, order=True)
class RowProblem:
    line: int  # 0: not a row of the sheet (an option of the command)
    column: str
    message: str

    def show(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.column}: {self.message}" if self.column else f"{where}: {self.message}"


@dataclass
class Imported:
    record: dict[str, Any] | None
    problems: list[RowProblem] = field(default_factory=list)


def read_sheet(data: bytes) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """Header and (line, row) pairs; line numbers count the header as line 1."""
    text = data.decode("utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = []
    for row in reader:
        rows.append((reader.line_num, {k: unescape_cell((v or "").strip()) for k, v in row.items() if k is not None}))
    return list(reader.fieldnames or []), rows


def build_record(data: bytes, corpus: Corpus, meta: dict[str, Any], today: dt.date) -> Imported:
    """The review record made from the sheet and the command's options (`meta`:
    id, type, title, status, dates, parties, report, note)."""
    try:
        header, rows = read_sheet(data)
    except (UnicodeDecodeError, csv.Error) as exc:
        return Imported(None, [RowProblem(0, "", f"cannot be read as a UTF-8 CSV file: {exc}")])
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        return Imported(
            None,
            [
                RowProblem(
                    1,
                    "",
                    f"the header lacks the column(s) {', '.join(missing)}: "
                    "start from a sheet written by `lawrepo worksheet --format csv`",
                )
            ],
        )
    problems: list[RowProblem] = []
    vocab = {name: corpus.codes(name) for name in ("assessments", "responses")}
    indicators = corpus.indicators()
    countries = {row["country"].upper() for _, row in rows if row["country"]}
    if len(countries) > 1:
        problems.append(
            RowProblem(
                0, "country", f"the sheet mixes member states ({', '.join(sorted(countries))}): one review is of one state"
            )
        )
    findings: list[dict[str, Any]] = []
    lines: list[int] = []
    for line, row in rows:
        if not any(row.get(c) for c in FILL_COLUMNS):
            continue  # not discussed: no finding
        bad = _row_problems(line, row, vocab, indicators)
        problems += bad
        if bad:
            continue
        finding: dict[str, Any] = {"indicator": row["indicator"], "assessment": row["assessment"]}
        for key in ("comment", "recommendation", "response", "dispute"):
            if row.get(key):
                finding[key] = row[key]
        findings.append(finding)
        lines.append(line)
    if not rows:
        problems.append(RowProblem(0, "", "the sheet has no rows"))
    country = next(iter(countries)) if len(countries) == 1 else ""
    record = _record(meta, country, findings)
    if problems:
        return Imported(None, sorted(set(problems)))
    # the same rules as a review file in laws/reviews/
    for path, message in schemas.check(str(Path(corpus.root) / "schemas"), "review", record):
        problems.append(_locate(path, message, lines))
    if not problems:
        for path, message in review_problems(corpus, record, today):
            problems.append(_locate(path, message, lines))
    return Imported(None if problems else record, sorted(set(problems)))


def _row_problems(
    line: int, row: dict[str, str], vocab: dict[str, list[str]], indicators: dict[str, dict[str, Any]]
) -> list[RowProblem]:
    out = []
    if row["indicator"] not in indicators:
        out.append(RowProblem(line, "indicator", f"'{row['indicator']}' is not an indicator of the codebook"))
    if not row["assessment"]:
        out.append(
            RowProblem(
                line, "assessment", "is empty but other columns are filled: give one of " + ", ".join(vocab["assessments"])
            )
        )
    elif row["assessment"] not in vocab["assessments"]:
        out.append(RowProblem(line, "assessment", f"'{row['assessment']}' is not one of {', '.join(vocab['assessments'])}"))
    if row["response"] and row["response"] not in vocab["responses"]:
        out.append(RowProblem(line, "response", f"'{row['response']}' is not one of {', '.join(vocab['responses'])}"))
    if row["response"] == "disputes" and not row["dispute"]:
        out.append(RowProblem(line, "dispute", "is required when the response is 'disputes': say on what ground"))
    if row["dispute"] and row["response"] != "disputes":
        out.append(RowProblem(line, "response", "must be 'disputes' when a dispute is given"))
    return out


def _record(meta: dict[str, Any], country: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    record: dict[str, Any] = {
        "id": meta["id"],
        "type": meta["type"],
        "country": country or meta.get("country", ""),
        "title": meta["title"],
        "parties": meta["parties"],
        "scope": meta["scope"],
        "dates": meta["dates"],
        "status": meta["status"],
    }
    if meta.get("report"):
        record["report"] = meta["report"]
    record["findings"] = findings
    if meta.get("note"):
        record["note"] = meta["note"]
    return record


def _locate(path: tuple[str | int, ...], message: str, lines: list[int]) -> RowProblem:
    if len(path) >= 2 and path[0] == "findings" and isinstance(path[1], int):
        column = str(path[2]) if len(path) > 2 else ""
        return RowProblem(lines[path[1]], column, message)
    return RowProblem(0, ".".join(str(p) for p in path), message)
