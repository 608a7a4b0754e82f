"""Answers to the indicator codebook: their values and the periods they held.

An answer file gives, per indicator, the current answer and, in `history`,
earlier answers (newest first), each ending on its `until` date. A period
without a `since` starts where the older period ended; the oldest period
without a `since` is open-ended into the past when it is history, and has an
unknown start when it is the only one (the answer holds today, since when is
not known).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ingest.common import dates

ALWAYS = ("not-applicable", "unknown")  # accepted by every indicator
TERNARY = ("yes", "partial", "no", *ALWAYS)
NEEDS_NO_BASIS = ("no", *ALWAYS)
OPEN_START = "0000-01-01"  # a history period with no since: held before anything recorded


@dataclass(frozen=True, slots=True)
class Period:
    seq: int  # 0 = the current answer, 1.. = history, newest first
    data: dict[str, Any]
    starts: str | None  # first day it held (YYYY-MM-DD), OPEN_START, or None when not known
    ends: str | None  # first day it no longer held; None = holds today


def periods(answer: dict[str, Any]) -> list[Period]:
    """The current answer and its history as periods, newest first."""
    items = [answer, *(answer.get("history") or [])]
    out: list[Period] = []
    for seq, item in enumerate(items):
        ends = _day(item.get("until")) if seq else None
        if item.get("since"):
            starts = _day(item["since"])
        elif seq + 1 < len(items):
            starts = _day(items[seq + 1].get("until"))
        else:
            starts = OPEN_START if seq else None
        out.append(Period(seq, item, starts, ends))
    return out


def _day(value: str | None) -> str | None:
    d = dates.earliest(value) if value else None
    return d.isoformat() if d else None


def value_problem(indicator: dict[str, Any], value: Any, currency: str | None) -> str | None:
    """Why `value` does not fit the indicator's answer type, or None."""
    kind = indicator["answer_type"]
    if isinstance(value, str) and value in ALWAYS:
        return "a currency is given but the answer is not an amount" if currency else None
    if kind == "ternary":
        if value not in TERNARY:
            return f"{value!r} is not an answer to a yes/no question; use one of: {', '.join(TERNARY)}"
    elif kind == "number":
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"{value!r} is not a number; give the number of {indicator['unit']}, or not-applicable or unknown"
        if value < 0:
            return f"{value} is negative"
        if indicator["unit"] == "money" and not currency:
            return "an amount of money needs its currency (ISO 4217 code, e.g. currency: THB)"
        if indicator["unit"] != "money" and currency:
            return f"a currency is given but the answer is a number of {indicator['unit']}"
    elif kind == "choice":
        codes = [o["code"] for o in indicator["options"]]
        if value not in codes:
            return f"{value!r} is not one of the options: {', '.join([*codes, *ALWAYS])}"
    if currency and not (kind == "number" and indicator["unit"] == "money"):
        return "a currency is given but the answer is not an amount"
    return None


def value_text(value: Any) -> str:
    """The value as stored and shown: codes as they are, numbers without '.0'."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
