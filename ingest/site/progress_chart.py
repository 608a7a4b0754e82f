"""The progress chart as an SVG drawn on the server: for each area, how many
member states had a law in force each year, with the Work Programme's span
(2017–2025) shaded. Text in the SVG is escaped; no script, no external
resources."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

WIDTH, PLOT_HEIGHT = 760, 300
LEFT, RIGHT, TOP, BOTTOM = 44, 20, 20, 36
LEGEND_ROW, LEGEND_COLUMNS = 20, 1
# colour-blind-safe palette (Okabe–Ito)
COLOURS = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9"]
DASHES = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"]


def render(data: dict[str, Any]) -> str:
    years: list[int] = data["years"]
    n = max(data["countries"], 1)
    legend_rows = -(-len(data["series"]) // LEGEND_COLUMNS)
    height = PLOT_HEIGHT + legend_rows * LEGEND_ROW + 10
    plot_w, plot_h = WIDTH - LEFT - RIGHT, PLOT_HEIGHT - TOP - BOTTOM

    def x(year: float) -> float:
        return LEFT + (year - years[0]) / max(years[-1] - years[0], 1) * plot_w

    def y(count: float) -> float:
        return float(TOP + plot_h - count / n * plot_h)

    start, end = data["programme"]
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="progress-title progress-desc" class="progress-chart" font-family="sans-serif" font-size="12">',
        '<title id="progress-title">Member states with a law in force, by area and year</title>',
        f'<desc id="progress-desc">Lines for each area from {years[0]} to {years[-1]}, out of {n} member states; '
        f"the ASEAN Work Programme on Electronic Commerce ({start}–{end}) is shaded. The numbers are in the table "
        "below the chart.</desc>",
        f'<rect x="{x(start):.1f}" y="{TOP}" width="{x(end) - x(start):.1f}" height="{plot_h}" fill="#eef3fb"/>',
        f'<text x="{(x(start) + x(end)) / 2:.1f}" y="{TOP + 14}" text-anchor="middle" fill="#33506e">'
        f"Work Programme {start}–{end}</text>",
    ]
    step = 1 if n <= 12 else max(1, round(n / 10))
    for count in range(0, n + 1, step):
        out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(count):.1f}" y2="{y(count):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(count) + 4:.1f}" text-anchor="end" fill="#444">{count}</text>')
    for year in years:
        if year % 5 == 0 or (year == years[-1] and year % 5 > 2):
            out.append(f'<line x1="{x(year):.1f}" x2="{x(year):.1f}" y1="{TOP + plot_h}" y2="{TOP + plot_h + 4}" stroke="#444"/>')
            out.append(f'<text x="{x(year):.1f}" y="{TOP + plot_h + 18}" text-anchor="middle" fill="#444">{year}</text>')
    out.append(f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{TOP + plot_h}" y2="{TOP + plot_h}" stroke="#444"/>')
    for i, s in enumerate(data["series"]):
        colour, dash = COLOURS[i % len(COLOURS)], DASHES[i % len(DASHES)]
        points = " ".join(f"{x(yr):.1f},{y(c):.1f}" for yr, c in zip(years, s["counts"], strict=True))
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        label = escape(s["area"]["label"])
        out.append(
            f'<polyline fill="none" stroke="{colour}" stroke-width="2.5"{dash_attr} points="{points}">'
            f"<title>{label}</title></polyline>"
        )
        lx = LEFT + (i % LEGEND_COLUMNS) * (plot_w // LEGEND_COLUMNS)
        ly = PLOT_HEIGHT + (i // LEGEND_COLUMNS) * LEGEND_ROW + 4
        out.append(f'<line x1="{lx}" x2="{lx + 30}" y1="{ly}" y2="{ly}" stroke="{colour}" stroke-width="2.5"{dash_attr}/>')
        out.append(f'<text x="{lx + 36}" y="{ly + 4}" fill="#222">{label} ({s["counts"][-1]} today)</text>')
    out.append("</svg>")
    return "\n".join(out)
