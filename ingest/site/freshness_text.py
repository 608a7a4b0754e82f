"""The freshness figures as a plain-text table, for `lawrepo stats --freshness`."""

from __future__ import annotations

import datetime as dt
import sqlite3

from ingest.site.freshness import BAND_RULES, BANDS, RULES, freshness


def _pct(share: float | None) -> str:
    return "-" if share is None else f"{share:.0%}"


def text_table(conn: sqlite3.Connection, today: dt.date, limit: int = 50) -> str:
    """The report as plain text: one line per member state and area, then the
    stale items (at most `limit` of each kind) and the rules."""
    data = freshness(conn, today, limit)
    header = [
        "Country",
        "Area",
        "Laws",
        "Enacted",
        "Answers",
        "Unknown",
        "Unverified",
        "Peer reviewed",
        "Sources checked",
        "Last reviewed",
        "Stale",
        "Band",
    ]
    rows = [
        [
            c["name"],
            a["code"],
            str(x["laws"]),
            str(x["enacted"]),
            str(x["answers"]),
            _pct(x["unknown"]),
            _pct(x["unverified"]),
            _pct(x["peer_reviewed"]),
            x["last_verified"] or "-",
            x["last_reviewed"] or "-",
            str(x["stale"]),
            x["band"] + (f" ({x['statement']})" if x["band"] == "empty" and x["statement"] else ""),
        ]
        for c in data["countries"]
        for a in data["areas"]
        for x in [c["cells"][a["code"]]]
    ]
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        f"Freshness on {data['today']}: stale = sources not checked since {data['stale_before']}; "
        f"ageing = oldest check of sources before {data['ageing_before']}.",
        "",
    ]
    lines += [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in [header, ["-" * w for w in widths], *rows]
    ]
    totals = data["totals"]
    lines += [
        "",
        "Cells: " + ", ".join(f"{totals['bands'][b]} {b}" for b in BANDS) + ".",
        "Unknown, Unverified, Peer reviewed: shares of the current answers (- when there are none).",
        "",
    ]
    lines.append(f"Law records whose sources were not checked since {data['stale_before']} ({totals['stale_laws']}):")
    lines += [f"  {r['last_verified'] or 'never':<10}  {r['law_id']}  ({r['country']}, {r['area']})" for r in data["stale_laws"]]
    lines += _more(totals["stale_laws"], len(data["stale_laws"]))
    lines.append(f"Answers whose sources were not checked since {data['stale_before']} ({totals['stale_answers']}):")
    lines += [f"  {r['verified_on']:<10}  {r['country']} {r['indicator']}" for r in data["stale_answers"]]
    lines += _more(totals["stale_answers"], len(data["stale_answers"]))
    lines.append(f"Possible unrecorded replacements ({totals['replacements']}):")
    lines += [
        f"  {p['earlier']['id']} ({p['earlier']['year']}) -> {p['later']['id']} ({p['later']['year']}): no relation recorded"
        for p in data["replacements"]
    ]
    lines += _more(totals["replacements"], len(data["replacements"]))
    lines += [
        "Rules:",
        *(f"  {text}" for text in RULES.values()),
        *(f"  Band {band}: {text}" for band, text in BAND_RULES.items()),
    ]
    return "\n".join(lines) + "\n"


def _more(total: int, shown: int) -> list[str]:
    return [f"  … and {total - shown} more", ""] if total > shown else [""]
