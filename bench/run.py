"""Benchmark the repository at scale and print the figures.

    python -m bench.run [--sizes 1000,10000,100000] [--countries 200] [--no-serve]
                        [--requests 200] [--clients 1]

For each size: a synthetic corpus of valid records (bench/synthetic.py) is
validated and built, beside the floor measured in the same run (bench/floor.py:
the same files parsed with PyYAML's C loader in one process plus one
executemany into SQLite); then one record is edited and the database rebuilt.
The same is done at the largest size for the compare corpus of --countries
countries (bench/compare_corpus.py: a codebook and every country's answers).
For the largest size, the database is served the way `lawrepo serve` serves it
and page latencies are measured beside Datasette's own default table page for
a bare table of the same rows. Every figure is measured in this run; ratios
are against baselines measured in this run too.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import httpx

from bench.compare_corpus import make_compare_corpus
from bench.synthetic import make_corpus
from ingest.site.serve import datasette_args, ensure_inspect_file

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"


# --------------------------------------------------------------------------
# measuring a command: wall time and peak memory of its whole process tree


def tree_rss(pid: int) -> int:
    """Bytes of memory held by a process and all its descendants (Linux: /proc)."""
    return tree_rss_kb(pid) * 1024


def tree_rss_kb(pid: int) -> int:
    return sum(rss for rss, _ in _tree(pid))


def _tree(pid: int, pss: bool = False) -> list[tuple[int, int]]:
    """(RSS kB, PSS kB) of a process and each of its descendants (Linux: /proc).
    The proportional set size counts each page once, shared pages split among
    the processes that share them: a forked worker's pages shared with its
    parent count once, where summed resident sizes count them twice. Without
    `pss` (or without smaps_rollup) the second figure is the RSS again."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        try:
            rss = 0
            with open(f"/proc/{p}/status") as fh:
                for line in fh:
                    if line.startswith("VmRSS:"):
                        rss = int(line.split()[1])
                        break
            proportional = rss
            if pss:
                with suppress(OSError), open(f"/proc/{p}/smaps_rollup") as fh:
                    for line in fh:
                        if line.startswith("Pss:"):
                            proportional = int(line.split()[1])
                            break
            found.append((rss, proportional))
            with open(f"/proc/{p}/task/{p}/children") as fh:
                todo.extend(int(c) for c in fh.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError):
            continue
    return found


@dataclass
class Measured:
    seconds: float
    rss_mb: float  # peak of the summed resident sizes of the process tree
    pss_mb: float  # peak of its proportional set size (shared pages counted once)


def measure(cmd: list[str], cwd: Path) -> tuple[float, float]:
    """(seconds, peak resident memory of the process tree in MB)."""
    m = measure_tree(cmd, cwd)
    return m.seconds, m.rss_mb


def measure_tree(cmd: list[str], cwd: Path) -> Measured:
    """Wall time and peak memory of a command's process tree, summed resident
    sizes sampled every 20 ms and proportional sizes every 100 ms (reading
    them walks the page tables)."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak, peak_pss = 0, 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak, peak_pss
        n = 0
        while not stop.is_set():
            if n % 5 == 0:
                both = _tree(proc.pid, pss=True)
                peak = max(peak, sum(r for r, _ in both))
                peak_pss = max(peak_pss, sum(p for _, p in both))
            else:
                peak = max(peak, tree_rss_kb(proc.pid))
            n += 1
            stop.wait(0.02)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    secs = time.perf_counter() - start
    stop.set()
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err.decode()[-2000:]}")
    return Measured(secs, peak / 1024, peak_pss / 1024)


def lawrepo(*args: str) -> list[str]:
    return [sys.executable, "-m", "ingest", *args]


# --------------------------------------------------------------------------


def bench_size(n: int, work: Path, countries: int = 0) -> dict[str, float]:
    """Floor, validation, full build and one-record rebuild of a synthetic
    corpus of `n` records: the ASEAN one, or (countries > 0) the compare
    corpus of that many countries with a codebook and every country's answers."""
    folder = work / (f"n{n}" if not countries else f"n{n}-c{countries}")
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    t = time.perf_counter()
    laws = make_compare_corpus(folder, laws=n, countries=countries) if countries else make_corpus(folder, n)
    gen = time.perf_counter() - t
    size_kb = sum(p.stat().st_size for p in laws.glob("[a-z][a-z]/*.yml")) / n / 1024
    db = folder / "laws.db"
    floor_s, floor_mb = measure([sys.executable, "-m", "bench.floor", str(laws), str(folder / "floor.db")], folder)
    val_s, val_mb = measure(lawrepo("validate", str(laws)), folder)
    full = measure_tree(lawrepo("build", "--full", "--laws", str(laws), "--db", str(db)), folder)
    build_s, build_mb = full.seconds, full.rss_mb
    # files written a moment ago are read again by the next build (their time may not have moved yet)
    time.sleep(2)
    # the first patch after a full build copies the database; the later ones patch the file
    # the previous patch moved aside (ingest/build/spare.py), as a contributor's edits do
    edits: list[tuple[float, float]] = []
    for i, number in enumerate((8, 19, 30, 8, 19)):
        one = laws / "th" / f"synthetic-law-{number}.yml"
        text = one.read_text(encoding="utf-8")
        one.write_text(text.replace(f"short_title: SA {number}", f"short_title: SA {number} edit {i}", 1), encoding="utf-8")
        edits.append(measure(lawrepo("build", "--laws", str(laws), "--db", str(db)), folder))
        row = sqlite3.connect(db).execute(f"SELECT short_title FROM laws WHERE id = 'th-synthetic-law-{number}'").fetchone()
        assert row is not None and str(row[0]).startswith(f"SA {number} edit {i}"), row
        time.sleep(2)
    edit_s, edit_mb = edits[0]
    later = sorted(s for s, _ in edits[1:])
    return {
        "records": n,
        "countries": countries or 11,
        "kb_per_record": size_kb,
        "generate_s": gen,
        "floor_s": floor_s,
        "floor_mb": floor_mb,
        "validate_s": val_s,
        "validate_mb": val_mb,
        "build_s": build_s,
        "build_mb": build_mb,
        "build_pss_mb": full.pss_mb,
        "records_per_s": n / build_s,
        "ratio_to_floor": build_s / floor_s,
        "edit_one_s": edit_s,
        "edit_one_mb": edit_mb,
        "edit_later_s": later,  # the next edits, each rebuilt on its own (sorted)
        "edit_later_mb": max(mb for _, mb in edits[1:]),
        "db_mb": db.stat().st_size / 1e6,
    }


# --------------------------------------------------------------------------
# serving


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start(args: list[str], url: str, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    proc = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"server did not start: {' '.join(args)}")


def latency(url: str, requests: int, clients: int) -> dict[str, float]:
    """Median and p99 latency in ms of `requests` GETs from `clients` concurrent clients."""
    times: list[float] = []
    lock = threading.Lock()
    per_client = max(1, requests // clients)

    def client() -> None:
        with httpx.Client(timeout=60) as c:
            for _ in range(3):  # warm up
                c.get(url)
            for _ in range(per_client):
                t = time.perf_counter()
                r = c.get(url)
                elapsed = (time.perf_counter() - t) * 1000
                assert r.status_code == 200, (url, r.status_code)
                with lock:
                    times.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    times.sort()
    return {"median_ms": statistics.median(times), "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))], "n": len(times)}


# the site's own pages (issue 18 item 1), measured with the page cache off: what one distinct URL costs
SITE_PAGES = {
    "home (/)": "/",
    "country (/country/TH)": "/country/TH",
    "area (/area/data-protection)": "/area/data-protection",
    "compare (/compare)": "/compare",
    "area matrix (/compare/data-protection)": "/compare/data-protection",
    "side by side (/side-by-side?c=TH&c=VN)": "/side-by-side?c=TH&c=VN",
}


def page_sizes(base: str) -> dict[str, int]:
    """Bytes of each site page's HTML."""
    return {name: len(httpx.get(base + path, timeout=120).content) for name, path in SITE_PAGES.items()}


def bare_table(db: Path) -> Path:
    """A database beside `db` holding only a copy of its laws table: no indexes,
    no full-text search, no views (bare.db); Datasette's baseline."""
    bare = db.parent / "bare.db"
    bare.unlink(missing_ok=True)
    conn = sqlite3.connect(bare)
    conn.execute(f"ATTACH '{db}' AS src")
    conn.execute("CREATE TABLE laws AS SELECT * FROM src.laws")
    conn.commit()
    conn.close()
    return bare


def serve_bare(bare: Path, port: int) -> subprocess.Popen[bytes]:
    """Datasette with its defaults serving `bare` immutable (no plugins, templates or settings)."""
    inspect = bare.parent / "bare-inspect.json"
    subprocess.run([sys.executable, "-m", "datasette", "inspect", str(bare), "--inspect-file", str(inspect)], check=True)
    args = [sys.executable, "-m", "datasette", "serve", "-i", str(bare), "--inspect-file", str(inspect), "--port", str(port)]
    return start(args, f"http://127.0.0.1:{port}/")


def bench_serving(db: Path, requests: int, clients: int, page_requests: int = 20) -> dict[str, dict[str, float]]:
    bare = bare_table(db)
    ours_port, bare_port = free_port(), free_port()
    ours = start(
        datasette_args(ROOT, db, ensure_inspect_file(db), "127.0.0.1", ours_port),
        f"http://127.0.0.1:{ours_port}/",
        env={**os.environ, "LAWREPO_PAGE_CACHE": "0"},
    )
    plain = serve_bare(bare, bare_port)
    try:
        hit = sqlite3.connect(db).execute("SELECT number FROM laws WHERE id = 'vn-synthetic-law-54321'").fetchone()
        term = hit[0].split("/")[0] if hit else "8"
        base = f"http://127.0.0.1:{ours_port}"
        found = httpx.get(f"{base}/laws/laws.json?_search={term}&_shape=array", timeout=60).json()
        results = {
            "bare table (Datasette default)": latency(f"http://127.0.0.1:{bare_port}/bare/laws", requests, clients),
            "laws table with default facets": latency(f"{base}/laws/laws", requests, clients),
            f"one-hit search ({len(found)} hit)": latency(f"{base}/laws/laws?_search={term}", requests, clients),
        }
        sizes = page_sizes(base)
        for name, path in SITE_PAGES.items():
            results[name] = {**latency(base + path, page_requests, clients), "bytes": sizes[name]}
    finally:
        for proc in (ours, plain):
            proc.terminate()
            proc.wait(10)
    return results


# --------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000,10000,100000")
    ap.add_argument("--requests", type=int, default=200, help="requests per page for latency")
    ap.add_argument("--clients", type=int, default=1, help="concurrent clients for latency")
    ap.add_argument("--page-requests", type=int, default=20, help="requests per site page (home, country, area, compare)")
    ap.add_argument("--work", type=Path, default=OUT, help="where corpora and databases are written")
    ap.add_argument(
        "--countries",
        type=int,
        default=200,
        help="also build the compare corpus of this many countries at the largest size (0: no)",
    )
    ap.add_argument("--no-serve", action="store_true", help="measure the builds only, not the serving")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; SQLite {sqlite3.sqlite_version}")
    rows = []
    for n in sizes:
        r = bench_size(n, args.work)
        rows.append(r)
        print(f"  {n:>7,} records done ({r['kb_per_record']:.1f} KB each)", flush=True)
    wide = bench_size(sizes[-1], args.work, args.countries) if args.countries else None
    if wide:
        print(f"  {sizes[-1]:>7,} records in {args.countries} countries done", flush=True)
    print()
    head = (
        f"{'records':>8} {'floor s':>8} {'validate s':>10} {'build s':>8} {'rec/s':>7} {'build/floor':>11} "
        f"{'peak MB':>8} {'floor MB':>8} {'DB MB':>7} {'edit-one s':>10} {'us/rec':>7}"
    )
    print("Validate and build (build = validate + write; floor = C-loader parse + one executemany)")
    print(head)
    for r in rows:
        print(
            f"{r['records']:>8,} {r['floor_s']:>8.1f} {r['validate_s']:>10.1f} {r['build_s']:>8.1f} "
            f"{r['records_per_s']:>7,.0f} {r['ratio_to_floor']:>11.2f} {r['build_mb']:>8.0f} {r['floor_mb']:>8.0f} "
            f"{r['db_mb']:>7.1f} {r['edit_one_s']:>10.2f} {r['build_s'] / r['records'] * 1e6:>7.0f}"
        )
    print()
    print("Build and rebuild (issue 18 item 5: targets build/floor <= 0.70, peak <= 300 MB, one record <= 2 s)")
    for r in [*rows, *([wide] if wide else [])]:
        print(
            f"  {r['records']:>7,} records, {r['countries']:>3} countries: full build {r['build_s']:6.1f} s = "
            f"{r['ratio_to_floor']:.2f} x floor ({r['floor_s']:.1f} s, same run); peak {r['build_pss_mb']:4.0f} MB "
            f"(PSS; summed RSS {r['build_mb']:4.0f} MB); "
            f"one record rebuilt in {r['edit_one_s']:5.2f} s (peak {r['edit_one_mb']:.0f} MB)"
        )
        later = r["edit_later_s"]
        print(
            f"{'':>28}next {len(later)} one-record edits (the spare patched in place): "
            f"{later[0]:.2f}-{later[-1]:.2f} s, median {later[len(later) // 2]:.2f} s (peak {r['edit_later_mb']:.0f} MB)"
        )
    OUT.mkdir(parents=True, exist_ok=True)
    if args.no_serve:
        (OUT / "results.json").write_text(json.dumps({"sizes": rows, "countries": wide}, indent=2))
        return
    serving = bench_serving(args.work / f"n{sizes[-1]}" / "laws.db", args.requests, args.clients, args.page_requests)
    print()
    print(
        f"Serving {sizes[-1]:,} records as `lawrepo serve` does ({args.clients} client(s), {args.requests} requests each; "
        f"site pages {args.page_requests} each, page cache off)"
    )
    base = next(iter(serving.values()))["median_ms"]
    for name, s in serving.items():
        print(
            f"  {name:<40} median {s['median_ms']:7.1f} ms   p99 {s['p99_ms']:7.1f} ms   "
            f"median ratio to bare table {s['median_ms'] / base:5.2f}" + (f"   {s['bytes']:>10,} bytes" if "bytes" in s else "")
        )
    (OUT / "results.json").write_text(json.dumps({"sizes": rows, "countries": wide, "serving": serving}, indent=2))


if __name__ == "__main__":
    main()
