"""CSV text the way every part of the repository writes it: RFC 4180 (comma,
double quotes where needed), a header row, CRLF line ends."""

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


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A header and rows of values as CSV."""
    buf = io.StringIO()
    out = writer(buf)
    out.writerow(header)
    out.writerows(rows)
    return buf.getvalue()
