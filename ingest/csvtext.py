"""Rows as CSV text, the way every page of the site gives them (.csv)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from typing import Any


def to_csv(rows: list[dict[str, Any]], fieldnames: Sequence[str] | None = None) -> str:
    """CSV with a header row and CRLF line ends; empty text for no rows and no names."""
    names = list(fieldnames) if fieldnames is not None else list(rows[0]) if rows else []
    buf = io.StringIO()
    if names:
        writer = csv.DictWriter(buf, fieldnames=names, lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
    return buf.getvalue()
