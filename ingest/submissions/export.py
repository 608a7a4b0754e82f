"""Accepted proposals back into the records, for a pull request: a correction
is applied to its record file keeping the file's comments and layout
(ruamel.yaml round trip, as the importer writes), a proposed law becomes a new
record file; each gets a provenance source naming the submission, who made it
(their name only if they agreed, else "anonymous") and the moderator who
accepted it. The laws folder is then validated: a file that would not pass
is put back as it was and its submission stays accepted, with the reason.
Questions on answers are listed for the reviewers; no file holds them."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from ingest.common.atomic import write_bytes, write_text
from ingest.records.files import show
from ingest.rules.corpus import validate
from ingest.submissions import changes
from ingest.submissions.checks import language_of

FULL_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
HEADER = "# yaml-language-server: $schema=../schemas/law.schema.json\n"


@dataclass
class Report:
    written: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (submission, file below laws/)
    skipped: list[tuple[dict[str, Any], str]] = field(default_factory=list)  # (submission, why)
    questions: list[dict[str, Any]] = field(default_factory=list)


def _yaml() -> YAML:
    y = YAML()
    y.preserve_quotes = True
    y.width = 4096  # never fold a line the file did not fold
    y.indent(mapping=2, sequence=4, offset=2)
    return y


def public_name(sub: dict[str, Any]) -> str:
    return str(sub["name"]) if sub.get("credit") and sub.get("name") else "anonymous"


def export(subs: list[dict[str, Any]], laws_dir: Path, today: str) -> Report:
    """Write the accepted submissions `subs` into `laws_dir`; what was written and what was not."""
    report = Report()
    corpus = changes.support(laws_dir)
    before: dict[Path, bytes | None] = {}
    for sub in subs:
        if sub["kind"] == "answer":
            report.questions.append(sub)
            continue
        day = (sub.get("decided_at") or today)[:10]
        moderator = str(sub.get("decided_by") or "a moderator")
        cc, _, rest = str(sub.get("law_id") or "").partition("-")
        rel = f"{cc}/{rest}.yml"
        path = laws_dir / rel
        if sub["kind"] == "law":
            if path.exists() and path not in before:
                report.skipped.append((sub, f"laws/{rel} exists already"))
                continue
            entry = changes.source_entry(sub["source"], sub["id"], public_name(sub), moderator, day)
            rec = changes.new_record(sub["fields"], entry)
            before.setdefault(path, None)
            write_text(path, HEADER + yaml.safe_dump(rec, allow_unicode=True, sort_keys=False, width=4096))
        else:
            if not path.is_file():
                report.skipped.append((sub, f"laws/{rel} does not exist (any more)"))
                continue
            y = _yaml()
            data = path.read_bytes()
            doc = y.load(data.decode("utf-8"))
            entry = changes.source_entry(sub["source"], sub["id"], public_name(sub), moderator, day, make=CommentedMap)
            language = language_of(corpus, cc)
            done = changes.apply(doc, sub["fields"], entry, corpus.official_hosts, language, CommentedMap, CommentedSeq)
            if not done:
                report.skipped.append((sub, f"laws/{rel} already says what was proposed"))
                continue
            _plain_dates(doc)
            before.setdefault(path, data)
            buf = io.StringIO()
            y.dump(doc, buf)
            write_text(path, buf.getvalue())
        report.written.append((sub, rel))
    if before:
        _undo_invalid(report, laws_dir, before)
    return report


def _plain_dates(doc: Any) -> None:
    """Full dates written as the records write them (2019-05-29, not '2019-05-29'):
    the record's dates and the source just added. A year or a month stays text."""
    places = [doc.get("dates") or {}, *(doc.get("provenance", {}).get("sources") or [])[-1:]]
    for place in places:
        for key in [k for k in place if k in (*changes.DATES, "accessed")]:
            value = place[key]
            if isinstance(value, str) and FULL_DATE.fullmatch(value):
                try:
                    place[key] = dt.date.fromisoformat(value)
                except ValueError:
                    continue


def _undo_invalid(report: Report, laws_dir: Path, before: dict[Path, bytes | None]) -> None:
    """Validate the folder; put back each written file that has problems."""
    problems = validate(laws_dir).problems
    bad: dict[Path, list[str]] = {}
    for p in problems:
        path = Path(p.path).resolve()
        if any(path == w.resolve() for w in before):
            bad.setdefault(path, []).append(f"{p.field}: {p.message}" if p.field else p.message)
    if not bad:
        return
    for path, data in before.items():
        if path.resolve() not in bad:
            continue
        if data is None:
            path.unlink(missing_ok=True)
        else:
            write_bytes(path, data)
    kept = []
    for sub, rel in report.written:
        found = bad.get((laws_dir / rel).resolve())
        if found:
            report.skipped.append((sub, f"laws/{rel} would not be valid, so it was left as it was: " + "; ".join(found)))
        else:
            kept.append((sub, rel))
    report.written = kept


def describe(report: Report, laws_dir: Path) -> list[str]:
    """The report as lines for people."""
    lines = [f"{show(laws_dir / rel)}: submission {sub['id']} ({sub['kind']})" for sub, rel in report.written]
    lines += [f"not exported: submission {sub['id']}: {why}" for sub, why in report.skipped]
    lines += [
        f"question for the reviewers: {q['country']} {q['indicator']}: {q['fields'].get('value') or '(no answer proposed)'}"
        f" — {q['comment']} (source: {q['source']}; submission {q['id']})"
        for q in report.questions
    ]
    return lines
