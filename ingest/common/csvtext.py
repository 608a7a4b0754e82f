"""CSV text the way every part of the repository writes it: RFC 4180 (comma,
double quotes where needed), a header row, CRLF line ends, and cells that a
spreadsheet cannot mistake for a formula.

Spreadsheet safety follows the OWASP guidance on CSV injection: a text cell
beginning with `=`, `+`, `-`, `@`, a tab or a carriage return is written with
a leading apostrophe, which spreadsheets show as text. The change is
idempotent (an escaped cell begins with the apostrophe, so it is not escaped
again) and `unescape_cell` reverses it when our own sheets are read back. JSON
outputs keep values exact; only CSV is escaped.

Files a person downloads from the site to open in a spreadsheet start with a
UTF-8 byte order mark (`for_spreadsheets`): without it Excel reads UTF-8 as
the local code page and garbles Thai, Khmer, Lao, Burmese and Vietnamese
titles; LibreOffice, Python (`utf-8-sig`) and pandas read the mark and drop
it. The open exports (the Data Package) stay without it, as that standard asks.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, Literal

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ESCAPE = "'"


def safe_cell(value: Any) -> Any:
    """`value`, with an apostrophe before a text that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return ESCAPE + value
    return value


def unescape_cell(value: str) -> str:
    """The text `safe_cell` was given, from the text it returned."""
    if value.startswith(ESCAPE) and value[1:2] and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


class _SafeWriter:
    """A csv writer whose rows are made spreadsheet-safe on the way out."""

    def __init__(self, out: Any) -> None:
        self._out = csv.writer(out, lineterminator="\r\n")

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._out.writerow([safe_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def writer(buf: Any) -> _SafeWriter:
    """A csv writer of lists into `buf`, in the repository's dialect, spreadsheet-safe."""
    return _SafeWriter(buf)


def to_csv(
    rows: Iterable[dict[str, Any]], fieldnames: Sequence[str] | None = None, extra: Literal["raise", "ignore"] = "raise"
) -> str:
    """Dicts as CSV with a header row; empty text for no rows and no names.
    `extra="ignore"` leaves out keys not among the field names."""
    rows = list(rows)
    names = list(fieldnames) if fieldnames is not None else list(rows[0]) if rows else []
    buf = io.StringIO()
    if names:
        out = csv.DictWriter(buf, fieldnames=names, lineterminator="\r\n", extrasaction=extra)
        out.writerow({n: safe_cell(n) for n in names})
        out.writerows({k: safe_cell(v) for k, v in row.items()} for row in rows)
    return buf.getvalue()


BOM = "\ufeff"


def for_spreadsheets(text: str) -> str:
    """CSV text as a spreadsheet download: with the UTF-8 byte order mark."""
    return text if text.startswith(BOM) else BOM + text


def attachment(filename: str) -> dict[str, str]:
    """The headers that make a browser save CSV text as a file named `filename`."""
    return {"content-disposition": f'attachment; filename="{filename}"'}


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows of values as CSV."""
    buf = io.StringIO()
    out = writer(buf)
    out.writerow(header)
    out.writerows(rows)
    return buf.getvalue()


class SafeStream:
    """Makes CSV text spreadsheet-safe as it streams past, chunk by chunk.

    Only whole records are rewritten: text after the last line end outside
    quotes waits for the next chunk, so memory stays at one record plus one
    chunk. Records are re-written in the repository's dialect; text that is
    not CSV passes unchanged.
    """

    def __init__(self) -> None:
        self._pending = ""

    def feed(self, text: str) -> str:
        """Safe CSV for the whole records completed by `text`."""
        self._pending += text
        pending, pos, cut, quoted = self._pending, 0, -1, False
        while (nl := pending.find("\n", pos)) >= 0:
            if pending.count('"', pos, nl) % 2:
                quoted = not quoted
            if not quoted:
                cut = nl
            pos = nl + 1
        if cut < 0:
            return ""
        done, self._pending = pending[: cut + 1], pending[cut + 1 :]
        return _rewrite(done)

    def close(self) -> str:
        """Safe CSV for whatever is left (a last record without a line end)."""
        rest, self._pending = self._pending, ""
        return _rewrite(rest) if rest else ""


def _rewrite(text: str) -> str:
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error:  # not CSV after all
        return text
    buf = io.StringIO()
    writer(buf).writerows(rows)
    return buf.getvalue()
