"""CSV text the way every part of the repository writes it: RFC 4180 (comma,
double quotes where needed), a header row, CRLF line ends.

Files a person downloads from the site to open in a spreadsheet start with a
UTF-8 byte order mark (`for_spreadsheets`): without it Excel reads UTF-8 as
the local code page and garbles Thai, Khmer, Lao, Burmese and Vietnamese
titles; LibreOffice, Python (`utf-8-sig`) and pandas read the mark and drop
it. The open exports (the Data Package) stay without it, as that standard asks."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any, Literal


def writer(buf: io.StringIO) -> Any:
    """A csv writer of lists into `buf`, in the repository's dialect."""
    return csv.writer(buf, lineterminator="\r\n")


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
        out.writeheader()
        out.writerows(rows)
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
