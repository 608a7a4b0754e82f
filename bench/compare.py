"""Benchmark the compare pages at scale and print the figures.

    python -m bench.compare [--laws 100000] [--countries 200] [--per-area 12]
                            [--requests 200] [--clients 4]

A synthetic corpus (bench/compare_corpus.py) of --countries member states and
--per-area indicators in each of the five areas, every country answering every
indicator with a history of three periods, over --laws law records, is built
with `lawrepo build`. It is then served the way `lawrepo serve` serves it, twice:
with the page cache off (every request computes its page) and on (the default;
the first request computes, later ones are served from memory). Under
--clients concurrent clients, the median and p99 latency of the area matrix,
the side-by-side page (four countries, all areas), the overview as of a date
and the area matrix as of a date are measured beside Datasette's own faceted
laws table page (/laws/laws) on the same database in the same run; "first" is
the first request of a page and "1 client" the median of requests made one at
a time. The ratio is the median against the Datasette page's median.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import sys
import time
from pathlib import Path

import httpx

from bench.compare_corpus import country_codes, make_compare_corpus
from bench.run import OUT, ROOT, free_port, latency, lawrepo, measure, start
from ingest.site.serve import datasette_args, ensure_inspect_file

TARGET_AREA_MS = 150.0


def pages(codes: list[str]) -> dict[str, str]:
    four = "&".join(f"c={c}" for c in codes[:4])
    return {
        "Datasette faceted laws table (/laws/laws)": "/laws/laws",
        "area matrix (/compare/data-protection)": "/compare/data-protection",
        "side by side, 4 countries, all areas": f"/side-by-side?{four}",
        "overview as of 2015-06-30": "/compare?as_of=2015-06-30",
        "area matrix as of 2015-06-30": "/compare/data-protection?as_of=2015-06-30",
    }


def serve_and_measure(db: Path, codes: list[str], requests: int, clients: int, cache: bool) -> dict[str, dict[str, float]]:
    port = free_port()
    env = {**os.environ, "LAWREPO_PAGE_CACHE_MB": "64" if cache else "0"}
    os.environ.update(env)  # the server inherits it
    proc = start(datasette_args(ROOT, db, ensure_inspect_file(db), "127.0.0.1", port), f"http://127.0.0.1:{port}/")
    try:
        out = {}
        for name, path in pages(codes).items():
            url = f"http://127.0.0.1:{port}{path}"
            t = time.perf_counter()
            first = httpx.get(url, timeout=120)
            first_ms = (time.perf_counter() - t) * 1000
            assert first.status_code == 200, (path, first.status_code, first.text[:300])
            single = latency(url, max(20, requests // 10), 1)["median_ms"]
            out[name] = {
                **latency(url, requests, clients),
                "first_ms": first_ms,
                "one_client_ms": single,
                "kb": len(first.content) / 1024,
            }
        return out
    finally:
        proc.terminate()
        proc.wait(10)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--laws", type=int, default=100_000)
    ap.add_argument("--countries", type=int, default=200)
    ap.add_argument("--per-area", type=int, default=12, help="indicators per area (five areas)")
    ap.add_argument("--requests", type=int, default=200, help="requests per page")
    ap.add_argument("--clients", type=int, default=4, help="concurrent clients")
    ap.add_argument("--work", type=Path, default=OUT / "compare")
    args = ap.parse_args()
    print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; SQLite {sqlite3.sqlite_version}")
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    t = time.perf_counter()
    laws = make_compare_corpus(args.work, args.laws, args.countries, args.per_area)
    print(
        f"Generated {args.laws:,} laws, {args.countries} countries x {5 * args.per_area} indicators "
        f"in {time.perf_counter() - t:.0f} s",
        flush=True,
    )
    db = args.work / "laws.db"
    build_s, build_mb = measure(lawrepo("build", "--full", "--laws", str(laws), "--db", str(db)), args.work)
    with sqlite3.connect(db) as conn:
        counts = {
            t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
            for t in ("laws", "countries", "indicators", "answers", "answer_basis", "area_periods")
        }
    print(
        f"Built in {build_s:.1f} s, peak {build_mb:.0f} MB, {db.stat().st_size / 1e6:.0f} MB: "
        + ", ".join(f"{v:,} {k}" for k, v in counts.items()),
        flush=True,
    )
    codes = country_codes(args.countries)
    results = {}
    for cache in (False, True):
        label = "page cache on" if cache else "page cache off"
        results[label] = serve_and_measure(db, codes, args.requests, args.clients, cache)
        base = results[label]["Datasette faceted laws table (/laws/laws)"]["median_ms"]
        print(f"\nServing as `lawrepo serve` does, {label}; {args.clients} concurrent clients, {args.requests} requests a page")
        print(f"  {'page':<44} {'first ms':>9} {'1 client':>9} {'median ms':>10} {'p99 ms':>8} {'ratio':>6} {'KB':>6}")
        for name, r in results[label].items():
            print(
                f"  {name:<44} {r['first_ms']:>9.1f} {r['one_client_ms']:>9.1f} {r['median_ms']:>10.1f} "
                f"{r['p99_ms']:>8.1f} {r['median_ms'] / base:>6.2f} {r['kb']:>6.0f}"
            )
        area = results[label]["area matrix (/compare/data-protection)"]["median_ms"]
        worst = max(r["median_ms"] / base for n, r in results[label].items() if not n.startswith("Datasette"))
        print(
            f"  targets: every ratio <= 1.00: {'met' if worst <= 1 else 'NOT met'} (worst {worst:.2f}); "
            f"area matrix median < {TARGET_AREA_MS:.0f} ms: {'met' if area < TARGET_AREA_MS else 'NOT met'} ({area:.1f} ms)"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / "compare-results.json").write_text(
        json.dumps({"build_s": build_s, "build_mb": build_mb, "counts": counts, "serving": results}, indent=2)
    )


if __name__ == "__main__":
    main()
