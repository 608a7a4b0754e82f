"""Load test: the site's page mix under many clients, beside Datasette's bare table.

    python -m bench.load [--laws 100000] [--countries 200] [--clients 16,64] [--seconds 60,30]
                         [--corpus both|asean|compare] [--timeout 30] [--work bench/out/load]

For each corpus — the ASEAN one of --laws law records (bench/synthetic.py) and
the compare corpus of --countries countries × 60 indicators over the same
number of records (bench/compare_corpus.py) — the corpus is generated and built
(kept in --work and reused when its database is there), then for each
(clients, seconds) pair:

1. the baseline: Datasette with its defaults serving a bare copy of the laws
   table (bench/run.py `bare_table`, `serve_bare`), its default table page
   requested by the same number of clients for the same time;
2. the site, served as `lawrepo serve` serves it, under a realistic mix of
   pages (`mix`): home, laws table, law pages, search in Latin, Thai,
   Vietnamese and Khmer script, compare, area matrices (cached, and uncached:
   a new as-of date each time), side by side, country and area pages,
   freshness, exports, CSV and the JSON API.

Clients are closed loops (the next request when the last one is answered).
An error is any 5xx, a timeout (--timeout seconds) or a connection error.
Printed per page kind: requests, errors, p50/p90/p99 in ms and p99 as a ratio
to the bare table's p99 in the same run; the server's memory (resident set of
its process tree, psutil) at start and end, with the peak; the page cache's
figures (/-/lawrepo-cache.json). Targets (issue 18): every p99 at 16 clients ≤
the bare table's p99, the uncached area matrix ≤ 0.5×, zero errors.
`--laws 2000 --countries 20 --clients 4 --seconds 5` runs a small version.
Results are also written to <work>/load-results.json.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import random
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from contextlib import closing
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import psutil

from bench.compare_corpus import make_compare_corpus
from bench.run import ROOT, bare_table, free_port, serve_bare, start, tree_rss
from bench.synthetic import make_corpus
from ingest.site.serve import datasette_args, ensure_inspect_file

SEARCHES = {
    "search, Latin": ["electronic signature", "personal data", "consumer refund", "platform liability", "RA 10173"],
    "search, Thai": ["พระราชบัญญัติ", "ธุรกรรมทางอิเล็กทรอนิกส์", "คุ้มครองข้อมูล"],
    "search, Vietnamese": ["Luật Giao dịch điện tử", "giao dich dien tu", "Nghị định"],
    "search, Khmer": ["ច្បាប់ស្តីពី", "ពាណិជ្ជកម្មតាមប្រព័ន្ធអេឡិចត្រូនិក"],
}
UNCACHED = "area matrix, uncached (new as_of)"
BARE = "bare table (Datasette default)"
MIB = 1024 * 1024


class Corpus:
    """What the mix needs to know of a built database: law ids, countries, areas."""

    def __init__(self, db: Path) -> None:
        with closing(sqlite3.connect(f"file:{db}?immutable=1", uri=True)) as conn:
            self.law_ids = [r[0] for r in conn.execute("select id from laws order by random() limit 5000")]
            self.countries = [r[0] for r in conn.execute("select code from countries order by code")]
            self.areas = [r[0] for r in conn.execute("select code from areas order by code")]
            self.indicator_areas = [r[0] for r in conn.execute("select distinct area from indicators")] or self.areas


def mix(c: Corpus) -> dict[str, tuple[int, Callable[[random.Random], str]]]:
    """Page kind -> (weight, a function giving one address of that kind)."""

    def pick(items: list[str]) -> Callable[[random.Random], str]:
        return lambda r: r.choice(items)

    def as_of(r: random.Random) -> str:
        return (dt.date(2000, 1, 1) + dt.timedelta(days=r.randrange(9000))).isoformat()

    kinds: dict[str, tuple[int, Callable[[random.Random], str]]] = {
        "home": (8, lambda r: "/"),
        "laws table": (6, lambda r: "/laws/laws"),
        "law page": (16, lambda r: f"/law/{r.choice(c.law_ids)}"),
        **{k: (3, lambda r, qs=qs: f"/search?q={quote(r.choice(qs))}") for k, qs in SEARCHES.items()},
        "compare overview": (4, lambda r: "/compare"),
        "area matrix": (4, lambda r: f"/compare/{r.choice(c.indicator_areas)}"),
        UNCACHED: (3, lambda r: f"/compare/{r.choice(c.indicator_areas)}?as_of={as_of(r)}"),
        "side by side": (4, lambda r: "/side-by-side?" + "&".join(f"c={x}" for x in r.sample(c.countries, 3))),
        "country page": (5, lambda r: f"/country/{r.choice(c.countries)}"),
        "area page": (3, lambda r: f"/area/{r.choice(c.areas)}"),
        "freshness": (2, lambda r: "/freshness"),
        "exports": (2, lambda r: r.choice(["/exports", "/exports/laws.atom", "/exports/datapackage.json"])),
        "CSV": (3, lambda r: r.choice([f"/laws/laws.csv?_size=100&country={r.choice(c.countries)}", "/compare.csv"])),
        "JSON API": (4, lambda r: f"/laws/laws.json?_size=50&country={r.choice(c.countries)}&status=in-force"),
    }
    return kinds


# --------------------------------------------------------------------------
# the load


def tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and its children, in MB."""
    return tree_rss(pid) / 1e6


async def _run_clients(
    base: str, kinds: dict[str, tuple[int, Callable[[random.Random], str]]], clients: int, seconds: float, timeout: float
) -> dict[str, dict[str, Any]]:
    names = list(kinds)
    weights = [kinds[n][0] for n in names]
    times: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, list[str]] = defaultdict(list)
    deadline = time.perf_counter() + seconds
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)

    async def client(i: int, http: httpx.AsyncClient) -> None:
        rng = random.Random(i)
        while time.perf_counter() < deadline:
            kind = rng.choices(names, weights)[0]
            path = kinds[kind][1](rng)
            t = time.perf_counter()
            try:
                response = await http.get(path)
                elapsed = (time.perf_counter() - t) * 1000
                if response.status_code >= 500:
                    errors[kind].append(f"{response.status_code} {path}")
                else:
                    times[kind].append(elapsed)
            except httpx.TimeoutException:
                errors[kind].append(f"timeout {path}")
            except httpx.HTTPError as e:
                errors[kind].append(f"{type(e).__name__} {path}")

    async with httpx.AsyncClient(base_url=base, timeout=timeout, limits=limits) as http:
        await asyncio.gather(*(client(i, http) for i in range(clients)))
    return {k: {"times": times.get(k, []), "errors": errors.get(k, [])} for k in names}


def percentile(sorted_ms: list[float], p: float) -> float:
    if not sorted_ms:
        return float("nan")
    return sorted_ms[min(len(sorted_ms) - 1, int(len(sorted_ms) * p))]


def summary(raw: dict[str, Any]) -> dict[str, Any]:
    ms = sorted(raw["times"])
    return {
        "n": len(ms) + len(raw["errors"]),
        "errors": len(raw["errors"]),
        "error_examples": raw["errors"][:5],
        "p50_ms": percentile(ms, 0.50),
        "p90_ms": percentile(ms, 0.90),
        "p99_ms": percentile(ms, 0.99),
    }


def under_load(
    proc: subprocess.Popen[bytes], base: str, kinds: dict[str, Any], clients: int, seconds: float, timeout: float
) -> dict[str, Any]:
    """Run the clients against `base`, sampling the server's memory meanwhile."""
    start_mb = tree_rss_mb(proc.pid)
    peak = [start_mb]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.5):
            peak[0] = max(peak[0], tree_rss_mb(proc.pid))

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    try:
        raw = asyncio.run(_run_clients(base, kinds, clients, seconds, timeout))
    finally:
        stop.set()
        sampler.join()
    end_mb = tree_rss_mb(proc.pid)
    return {
        "pages": {k: summary(v) for k, v in raw.items()},
        "rss_start_mb": start_mb,
        "rss_end_mb": end_mb,
        "rss_peak_mb": max(peak[0], end_mb),
    }


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


# --------------------------------------------------------------------------
# corpora and runs


def built(work: Path, laws: int, countries: int) -> Path:
    """The database of the corpus (ASEAN when countries == 0), generated and built unless already there."""
    folder = work / (f"n{laws}" if not countries else f"n{laws}-c{countries}")
    db = folder / "laws.db"
    if db.exists():
        return db
    folder.mkdir(parents=True, exist_ok=True)
    print(f"  generating and building {folder.name} …", flush=True)
    records = make_compare_corpus(folder, laws=laws, countries=countries) if countries else make_corpus(folder, laws)
    build = [sys.executable, "-m", "ingest", "build", "--full", "--laws", str(records), "--db", str(db)]
    subprocess.run(build, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    return db


def warm(base: str, kinds: dict[str, Any]) -> None:
    """One request of each kind first: what a server does once (inspecting, first renders) is not the load."""
    rng = random.Random(0)
    with httpx.Client(base_url=base, timeout=120) as http:
        for _, make in kinds.values():
            http.get(make(rng))


def run_corpus(db: Path, runs: list[tuple[int, float]], timeout: float) -> dict[str, Any]:
    corpus = Corpus(db)
    kinds = mix(corpus)
    bare = bare_table(db)
    out: dict[str, Any] = {"database": str(db), "laws": len(corpus.law_ids), "countries": len(corpus.countries), "runs": []}
    for clients, seconds in runs:
        port = free_port()
        plain = serve_bare(bare, port)
        bare_kinds = {BARE: (1, lambda r: "/bare/laws")}
        try:
            warm(f"http://127.0.0.1:{port}", bare_kinds)
            baseline = under_load(plain, f"http://127.0.0.1:{port}", bare_kinds, clients, seconds, timeout)
        finally:
            stop_server(plain)
        port = free_port()
        ours = start(datasette_args(ROOT, db, ensure_inspect_file(db), "127.0.0.1", port), f"http://127.0.0.1:{port}/")
        base = f"http://127.0.0.1:{port}"
        try:
            warm(base, kinds)
            site = under_load(ours, base, kinds, clients, seconds, timeout)
            site["cache"] = httpx.get(f"{base}/-/lawrepo-cache.json", timeout=30).json()
        finally:
            stop_server(ours)
        out["runs"].append({"clients": clients, "seconds": seconds, "baseline": baseline, "site": site})
        report(out["runs"][-1], db)
    return out


def report(run: dict[str, Any], db: Path) -> None:
    bare = run["baseline"]["pages"][BARE]
    site = run["site"]
    print()
    print(f"{db.parent.name}: {run['clients']} clients for {run['seconds']:g} s")
    print(f"  {'page kind':<36} {'requests':>8} {'errors':>6} {'p50 ms':>8} {'p90 ms':>8} {'p99 ms':>8} {'p99/bare':>8}  target")
    row = "  {:<36} {:>8} {:>6} {:>8.0f} {:>8.0f} {:>8.0f} {:>8}  {}"
    print(row.format(BARE, bare["n"], bare["errors"], bare["p50_ms"], bare["p90_ms"], bare["p99_ms"], "1.00", "baseline"))
    missed = []
    for kind, s in site["pages"].items():
        ratio = s["p99_ms"] / bare["p99_ms"] if bare["p99_ms"] == bare["p99_ms"] and bare["p99_ms"] > 0 else float("nan")
        target = 0.5 if kind == UNCACHED else 1.0
        verdict = "-"
        if run["clients"] == 16 or kind == UNCACHED:
            ok = ratio <= target and s["errors"] == 0
            verdict = f"{'ok' if ok else 'MISSED'} (≤ {target:g}×)"
            if not ok:
                missed.append(kind)
        elif s["errors"]:
            verdict = "errors"
        print(row.format(kind, s["n"], s["errors"], s["p50_ms"], s["p90_ms"], s["p99_ms"], f"{ratio:.2f}", verdict))
        for example in s["error_examples"][:2]:
            print(f"      error: {example}")
    errors = sum(s["errors"] for s in site["pages"].values())
    total = sum(s["n"] for s in site["pages"].values())
    cache = site.get("cache", {})
    print(
        f"  all pages: {total} requests, {errors} errors ({total / run['seconds']:.1f} requests/s); "
        f"bare table alone: {bare['n'] / run['seconds']:.1f} requests/s"
    )
    print(
        f"  server memory (RSS, process tree): {site['rss_start_mb']:.0f} MB at start, {site['rss_end_mb']:.0f} MB at end, "
        f"peak {site['rss_peak_mb']:.0f} MB; page cache: {cache.get('entries')} pages, "
        f"{(cache.get('bytes') or 0) / MIB:.1f} of {(cache.get('max_bytes') or 0) / MIB:.0f} MiB, "
        f"hit rate {cache.get('hit_rate')}"
    )
    if run["clients"] == 16 or missed:
        print(f"  targets: {'all met' if not missed else 'missed by ' + ', '.join(missed)}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--laws", type=int, default=100_000, help="law records in each corpus")
    ap.add_argument("--countries", type=int, default=200, help="countries of the compare corpus")
    ap.add_argument("--clients", default="16,64", help="concurrent clients of each run, comma-separated")
    ap.add_argument("--seconds", default="60,30", help="duration of each run, comma-separated (one per --clients)")
    ap.add_argument("--corpus", choices=["both", "asean", "compare"], default="both")
    ap.add_argument("--timeout", type=float, default=30.0, help="a request not answered in this many seconds is an error")
    ap.add_argument("--work", type=Path, default=ROOT / "bench" / "out" / "load", help="where corpora are built and kept")
    args = ap.parse_args()
    clients = [int(c) for c in args.clients.split(",")]
    seconds = [float(s) for s in args.seconds.split(",")]
    if len(seconds) == 1:
        seconds *= len(clients)
    if len(seconds) != len(clients):
        raise SystemExit("--seconds needs one duration, or one per --clients value")
    runs = list(zip(clients, seconds, strict=True))
    print(f"Machine: {psutil.cpu_count()} CPUs, {psutil.virtual_memory().total / 1e9:.1f} GB; load generator on the same machine")
    results = {}
    if args.corpus in ("both", "asean"):
        results["asean"] = run_corpus(built(args.work, args.laws, 0), runs, args.timeout)
    if args.corpus in ("both", "compare"):
        results["compare"] = run_corpus(built(args.work, args.laws, args.countries), runs, args.timeout)
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / "load-results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
