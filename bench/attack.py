"""The site under an attack of arbitrary SQL, and each attack payload alone.

    python -m bench.attack [--clients 20] [--requests 150] [--rounds 5] [--hammer] [--cache] [--set running=1 …]

The repository's records are built into a database, served the way `lawrepo
serve` serves it (a subprocess on 127.0.0.1, a free port; the limits of
datasette.yaml, except the per-client SQL rate, raised for the run so that the
lane's queue and workers are what is measured: twenty attackers from twenty
addresses; and the page cache off, so that every page is rendered while the
attack runs, unless --cache). Then:

1. each payload alone: its status, time and the server's memory rise (RSS,
   sampled every 10 ms while it runs);
2. the law page, search and compare, one client each after the other
   (--requests each): median and p99 latency, unloaded, and
3. the same while --clients attackers send a mix of slow SQL (recursive
   queries that run to the time limit) and exploding SQL (the payloads of 1)
   without pause: median and p99 again, their ratio to 2, the attackers'
   answers by status, and the server's peak memory over the run.

Requests go to 127.0.0.1 only; the run stops after the attack's --seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
import psutil

from bench.run import ROOT, free_port, lawrepo, start, tree_rss
from ingest.site.serve import datasette_args, ensure_inspect_file

MB = 1024 * 1024
SLOW = "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c"
PAYLOADS: list[tuple[str, str, dict[str, str]]] = [
    ("randomblob 300 MB", "/laws/-/query.json", {"sql": "select hex(randomblob(300000000))"}),
    ("printf width", "/laws/-/query.json", {"sql": "select printf('%.*c', 2000000000, 'x')"}),
    ("replace(hex(zeroblob))", "/laws/-/query.json", {"sql": "select replace(hex(zeroblob(100000000)), '0', 'x')"}),
    ("1 MB per row", "/laws/-/query.json", {"sql": "select hex(randomblob(400000)) from laws"}),
    ("streamed CSV", "/laws/-/query.csv", {"sql": "select hex(randomblob(400000)) from laws", "_stream": "1"}),
    ("fts3_tokenizer", "/laws/-/query.json", {"sql": "select hex(fts3_tokenizer('simple'))"}),
    ("database path", "/laws/-/query.json", {"sql": "select * from pragma_database_list"}),
    ("recursive CTE", "/laws/-/query.json", {"sql": SLOW}),
    ("table page _where", "/laws/laws.json", {"_where": f"({SLOW}) > 0"}),
    ("bad facet", "/laws/laws", {"_facet": "nope"}),
    ("POST query", "/laws/-/query", {}),
]
PAGES = {
    "law page": "/law/sg-electronic-transactions-act-2010",
    "search": "/search?q=electronic+transactions",
    "compare": "/side-by-side?c=TH&c=VN&c=SG",
}


class Peak:
    """The server's highest RSS while running, sampled every 10 ms."""

    def __init__(self, process: psutil.Process) -> None:
        self.process, self.peak, self.stop = process, 0, threading.Event()
        self.thread = threading.Thread(target=self.sample, daemon=True)

    def rss(self) -> int:
        """The server's process and its children (the workers running the public's SQL)."""
        return tree_rss(self.process.pid)

    def sample(self) -> None:
        while not self.stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.01)

    def __enter__(self) -> Peak:
        self.before = self.peak = self.rss()
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def payloads_alone(base: str, process: psutil.Process) -> list[dict[str, Any]]:
    rows = []
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, path, params in PAYLOADS:
            with Peak(process) as memory:
                t = time.perf_counter()
                r = client.post(path) if name.startswith("POST") else client.get(path, params=params)
                size = len(r.content)
                elapsed = time.perf_counter() - t
            rows.append(
                {
                    "payload": name,
                    "status": r.status_code,
                    "seconds": elapsed,
                    "rise_mb": (memory.peak - memory.before) / MB,
                    "bytes": size,
                }
            )
    return rows


def page_times(base: str, requests: int) -> dict[str, list[float]]:
    """Milliseconds of `requests` GETs of each page, one client, one after the other."""
    out: dict[str, list[float]] = {}
    with httpx.Client(base_url=base, timeout=120) as client:
        for name, path in PAGES.items():
            client.get(path)
            times = out.setdefault(name, [])
            for _ in range(requests):
                t = time.perf_counter()
                r = client.get(path)
                times.append((time.perf_counter() - t) * 1000)
                if r.status_code != 200:
                    raise SystemExit(f"{path}: {r.status_code}")
    return out


def summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    return {"median_ms": statistics.median(ordered), "p99_ms": ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]}


def attack(base: str, clients: int, hammer: bool, stop: Any, results: Any) -> None:
    """Run `clients` attackers (threads of this process) until `stop` is set; put their answers by status in `results`."""
    mix = [("/laws/-/query.json", {"sql": SLOW})] * 2 + [(p, q) for n, p, q in PAYLOADS if q and n != "bad facet"]
    answers: Counter[int] = Counter()
    lock = threading.Lock()

    def run(i: int) -> None:
        with httpx.Client(base_url=base, timeout=120) as client:
            k = i
            while not stop.is_set():
                path, params = mix[k % len(mix)]
                k += 1
                retry = 0.0
                try:
                    r = client.get(path, params=params)
                    status, retry = r.status_code, float(r.headers.get("retry-after", "0"))
                except httpx.HTTPError:
                    status = 0
                with lock:
                    answers[status] += 1
                if status == 429 and not hammer:
                    stop.wait(retry)

    threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    results.put(dict(answers))


def attackers(base: str, clients: int, hammer: bool) -> tuple[Any, Any, multiprocessing.Process]:
    """The attack in a process of its own, so that its threads do not slow the measuring client."""
    stop, results = multiprocessing.Event(), multiprocessing.Queue()
    process = multiprocessing.Process(target=attack, args=(base, clients, hammer, stop, results), daemon=True)
    process.start()
    return stop, results, process


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=150, help="requests to each page, alone and under attack")
    parser.add_argument("--rounds", type=int, default=5, help="turns of unloaded and attacked measurement")
    parser.add_argument("--seconds", type=float, default=60, help="the longest an attack round waits for its attackers")
    parser.add_argument(
        "--set", action="append", default=[], metavar="NAME=VALUE", help="a limit of plugins.hardening for the run (running=1)"
    )
    parser.add_argument(
        "--hammer", action="store_true", help="attackers retry at once after a 429 instead of waiting its Retry-After"
    )
    parser.add_argument("--cache", action="store_true", help="keep the page cache on (pages then come from memory)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "laws.db"
        subprocess.run(lawrepo("build", "--db", str(db)), cwd=ROOT, check=True, capture_output=True)
        port = free_port()
        cmd = datasette_args(ROOT, db, ensure_inspect_file(db), "127.0.0.1", port)
        cmd += ["-s", "plugins.hardening.rate", "1000000/minute"]
        for setting in args.set:
            name, _, value = setting.partition("=")
            cmd += ["-s", f"plugins.hardening.{name}", value]
        base = f"http://127.0.0.1:{port}"
        # the page cache off unless asked for, so every page is rendered under the attack
        env = {**os.environ, **({} if args.cache else {"LAWREPO_PAGE_CACHE": "0"})}
        server = start(cmd, f"{base}/", env=env)
        try:
            process = psutil.Process(server.pid)
            idle = process.memory_info().rss
            print(f"server RSS at rest: {idle / MB:.0f} MB\n\nEach payload alone:")
            print(f"{'payload':26} {'status':>6} {'seconds':>8} {'RSS rise MB':>12} {'bytes':>8}")
            for row in payloads_alone(base, process):
                print(f"{row['payload']:26} {row['status']:>6} {row['seconds']:>8.3f} {row['rise_mb']:>12.1f} {row['bytes']:>8}")
            # alone and under attack in turns, so that the machine's other load falls on both alike
            alone_times: dict[str, list[float]] = {}
            loaded_times: dict[str, list[float]] = {}
            answers: Counter[int] = Counter()
            per_round = max(1, args.requests // args.rounds)
            started = time.monotonic()
            with Peak(process) as memory:
                for _ in range(args.rounds):
                    for name, times in page_times(base, per_round).items():
                        alone_times.setdefault(name, []).extend(times)
                    stop, results, process_ = attackers(base, args.clients, args.hammer)
                    time.sleep(1)
                    for name, times in page_times(base, per_round).items():
                        loaded_times.setdefault(name, []).extend(times)
                    stop.set()
                    answers.update(results.get(timeout=args.seconds))
                    process_.join(timeout=args.seconds)
            took = time.monotonic() - started
            alone = {name: summary(times) for name, times in alone_times.items()}
            loaded = {name: summary(times) for name, times in loaded_times.items()}
            print(
                f"\nPages, {args.requests} requests each, alone and under {args.clients} SQL attackers,"
                f" in {args.rounds} turns ({took:.0f} s):"
            )
            print(f"{'page':10} {'p50 alone':>10} {'p99 alone':>10} {'p50 attack':>11} {'p99 attack':>11} {'p99 ratio':>10}")
            for name in PAGES:
                a, b = alone[name], loaded[name]
                print(
                    f"{name:10} {a['median_ms']:>10.1f} {a['p99_ms']:>10.1f} {b['median_ms']:>11.1f} {b['p99_ms']:>11.1f}"
                    f" {b['p99_ms'] / a['p99_ms']:>10.2f}"
                )
            print(f"\nattackers' answers by status: {dict(sorted(answers.items()))}")
            print(f"server RSS: at rest {idle / MB:.0f} MB, peak under attack {memory.peak / MB:.0f} MB")
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
