"""Benchmark the contributors' forms and the moderation queue and print the figures.

    python -m bench.submissions [--submissions 2000] [--pending 10000] [--clients 16]
                                [--requests 200] [--max-seconds 900]

The repository's records are built into a database, which is served the way
`lawrepo serve` serves it (a subprocess on 127.0.0.1, a free port) with its
own submissions database and a moderator given through the environment; the
rate limits are raised for the run with Datasette's `-s` configuration (the
defaults in datasette.yaml are untouched). Then:

- submissions per second: --clients concurrent clients each open a correction
  form once (its cookie and token) and post corrections, --submissions in all;
  every response must be the redirect to a tracking page, and the rows stored
  must be exactly the responses accepted (none lost, none doubled);
- the moderation queue (/submissions/queue, signed in) with --pending pending
  submissions (the posted ones plus rows added directly to the database):
  median and p99 latency at 1 client and at --clients clients.

Each figure is beside a baseline measured in the same run on the same server:
Datasette's /-/versions.json at the same concurrency. Requests go to 127.0.0.1
only; their number is fixed and the run stops after --max-seconds.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from contextlib import closing
from pathlib import Path
from typing import Any

import httpx
from bs4 import BeautifulSoup

from bench.run import OUT, ROOT, free_port, latency, lawrepo
from ingest.site.serve import datasette_args, ensure_inspect_file
from ingest.submissions import moderators, store

MODERATOR = "bench"
PASSWORD = secrets.token_urlsafe(18)
RAISED = 10**9  # requests a minute and a day per client, for the run only


class Deadline:
    def __init__(self, seconds: float) -> None:
        self.end = time.monotonic() + seconds

    def check(self) -> None:
        if time.monotonic() > self.end:
            raise SystemExit("the benchmark ran out of time (--max-seconds)")


def start_server(db: Path, submissions: Path, log: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    args = datasette_args(ROOT, db, ensure_inspect_file(db), "127.0.0.1", port)
    args += ["-s", "plugins.submissions.rate_limit.per_minute", str(RAISED)]
    args += ["-s", "plugins.submissions.rate_limit.per_day", str(RAISED)]
    env = {
        **os.environ,
        "LAWREPO_SUBMISSIONS_DB": str(submissions),
        "LAWREPO_MODERATORS": f"{MODERATOR}:{moderators.hash_password(PASSWORD, iterations=1000)}",
        "DATASETTE_SECRET": secrets.token_hex(32),
    }
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the server exited:\n{log.read_text(errors='replace')[-2000:]}")
        try:
            if httpx.get(f"{base}/-/versions.json", timeout=2).status_code == 200:
                return proc, base
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"the server did not start: {' '.join(args)}")


def open_form(client: httpx.Client, path: str) -> dict[str, str]:
    """The values a browser would send from the page's contribution form, unchanged."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    form = BeautifulSoup(response.text, "html.parser").find("form", class_="contribution")
    data: dict[str, str] = {}
    for field in form.find_all(["input", "select", "textarea"]):  # type: ignore[union-attr]
        name = field.get("name")
        if not name or field.get("type") == "checkbox":
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[str(name)] = str(chosen["value"]) if chosen else ""
        elif field.name == "textarea":
            data[str(name)] = field.get_text()
        else:
            data[str(name)] = str(field.get("value", ""))
    return data


def corrections(base: str, db: Path, wanted: int = 8) -> list[tuple[str, dict[str, str]]]:
    """Laws whose title, corrected, passes the checks: (law id, the changed fields)."""
    with closing(sqlite3.connect(db)) as conn:
        ids = [i for (i,) in conn.execute("select id from laws order by id")]
    found = []
    with httpx.Client(base_url=base, timeout=30) as client:
        for law_id in ids[:: max(1, len(ids) // (wanted * 3))]:
            form = open_form(client, f"/submit?law={law_id}")
            change = {"title": form["title"] + " (as corrected)", "source": "Official Gazette, the benchmark's citation"}
            if client.post("/submit", data={**form, **change, "comment": "probe"}).status_code == 303:
                found.append((law_id, change))
            if len(found) == wanted:
                break
    if not found:
        raise SystemExit("no law record accepts the benchmark's correction")
    return found


def post_submissions(base: str, laws: list[tuple[str, dict[str, str]]], total: int, clients: int) -> dict[str, Any]:
    """`total` corrections from `clients` concurrent clients; what was sent and accepted."""
    accepted: list[str] = []
    errors: list[str] = []
    lock = threading.Lock()
    per_client = [total // clients + (1 if i < total % clients else 0) for i in range(clients)]
    ready = threading.Barrier(clients + 1)

    def client(n: int) -> None:
        law_id, change = laws[n % len(laws)]
        with httpx.Client(base_url=base, timeout=60) as c:
            form = open_form(c, f"/submit?law={law_id}")
            ready.wait()
            for i in range(per_client[n]):
                marker = f"bench {n}-{i}"
                try:
                    r = c.post("/submit", data={**form, **change, "comment": marker})
                    ok = r.status_code == 303 and r.headers.get("location", "").startswith("/submissions/")
                    why = "" if ok else f"{r.status_code} {r.text[:200]}"
                except httpx.HTTPError as exc:
                    ok, why = False, repr(exc)
                with lock:
                    (accepted if ok else errors).append(marker if ok else why)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for th in threads:
        th.start()
    ready.wait()
    t = time.perf_counter()
    for th in threads:
        th.join()
    seconds = time.perf_counter() - t
    return {"sent": total, "accepted": accepted, "errors": errors, "seconds": seconds, "per_s": len(accepted) / seconds}


def throughput(url: str, total: int, clients: int) -> float:
    """GETs per second of `url` from `clients` concurrent clients, `total` in all."""
    per = max(1, total // clients)
    ready = threading.Barrier(clients + 1)

    def client() -> None:
        with httpx.Client(timeout=60) as c:
            c.get(url)
            ready.wait()
            for _ in range(per):
                assert c.get(url).status_code == 200, url

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    ready.wait()
    t = time.perf_counter()
    for th in threads:
        th.join()
    return per * clients / (time.perf_counter() - t)


def add_pending(submissions: Path, laws: list[tuple[str, dict[str, str]]], pending: int) -> int:
    """Add pending corrections directly to the submissions database up to `pending`; how many there are."""
    with store.connect(submissions) as conn:
        (have,) = conn.execute("select count(*) from submissions where status = 'pending'").fetchone()
        for i in range(have, pending):
            law_id, change = laws[i % len(laws)]
            proposal = {"kind": "correction", "law_id": law_id, "country": law_id[:2].upper(), "fields": change}
            store.add(conn, {**proposal, "recorded": {}, "source": change["source"], "comment": f"seeded {i}"})
        (now,) = conn.execute("select count(*) from submissions where status = 'pending'").fetchone()
    return int(now)


def sign_in(base: str) -> dict[str, str]:
    with httpx.Client(base_url=base, timeout=30) as c:
        token = open_form(c, "/submissions/login")["form_token"]
        r = c.post("/submissions/login", data={"name": MODERATOR, "password": PASSWORD, "form_token": token})
        assert r.status_code == 303, (r.status_code, r.text[:300])
        return dict(c.cookies)


def queue_latency(url: str, cookies: dict[str, str], requests: int, clients: int) -> dict[str, float]:
    """Like bench.run.latency, signed in as the moderator."""
    times: list[float] = []
    lock = threading.Lock()

    def client() -> None:
        with httpx.Client(timeout=60, cookies=cookies) as c:
            for _ in range(3):
                c.get(url)
            for _ in range(max(1, requests // clients)):
                t = time.perf_counter()
                r = c.get(url)
                elapsed = (time.perf_counter() - t) * 1000
                assert r.status_code == 200 and 'table class="queue"' in r.text, (url, r.status_code)
                with lock:
                    times.append(elapsed)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    times.sort()
    return {"median_ms": statistics.median(times), "p99_ms": times[min(len(times) - 1, int(len(times) * 0.99))], "n": len(times)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--submissions", type=int, default=2000, help="corrections posted in all")
    ap.add_argument("--pending", type=int, default=10_000, help="pending submissions when the queue is measured")
    ap.add_argument("--clients", type=int, default=16, help="concurrent clients")
    ap.add_argument("--requests", type=int, default=200, help="requests per latency measurement")
    ap.add_argument("--max-seconds", type=float, default=900, help="stop the run after this long")
    ap.add_argument("--work", type=Path, default=OUT / "submissions")
    args = ap.parse_args()
    deadline = Deadline(args.max_seconds)
    print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}; SQLite {sqlite3.sqlite_version}")
    if args.work.exists():
        shutil.rmtree(args.work)
    args.work.mkdir(parents=True)
    db, submissions = args.work / "laws.db", args.work / "submissions.db"
    subprocess.run(lawrepo("build", "--laws", str(ROOT / "laws"), "--db", str(db)), cwd=ROOT, check=True, capture_output=True)
    proc, base = start_server(db, submissions, args.work / "server.log")
    try:
        laws = corrections(base, db)
        with closing(sqlite3.connect(submissions)) as conn:
            (before,) = conn.execute("select count(*) from submissions").fetchone()
        deadline.check()
        posted = post_submissions(base, laws, args.submissions, args.clients)
        with closing(sqlite3.connect(submissions)) as conn:
            rows = [c for (c,) in conn.execute("select comment from submissions where comment like 'bench %'")]
            (after,) = conn.execute("select count(*) from submissions").fetchone()
        deadline.check()
        versions = f"{base}/-/versions.json"
        baseline_per_s = throughput(versions, args.submissions, args.clients)
        lost = len(set(posted["accepted"]) - set(rows))
        extra = (after - before) - len(posted["accepted"])
        deadline.check()
        pending = add_pending(submissions, laws, args.pending)
        cookies = sign_in(base)
        queue = {}
        for clients in (1, args.clients):
            deadline.check()
            queue[clients] = {
                "queue": queue_latency(f"{base}/submissions/queue", cookies, args.requests, clients),
                "versions": latency(versions, args.requests, clients),
            }
    finally:
        proc.terminate()
        proc.wait(10)
    print(
        f"\nServing as `lawrepo serve` does; laws corrected: {len(laws)}; rate limits raised to {RAISED:,} for the run"
        f"\nSubmissions, {args.clients} concurrent clients, {args.submissions:,} posted in {posted['seconds']:.1f} s"
    )
    print(
        f"  accepted {len(posted['accepted']):,}  errors {len(posted['errors'])}  stored {len(rows):,}  "
        f"lost {lost}  unexpected rows {extra}"
    )
    print(
        f"  {posted['per_s']:.1f} submissions/s   baseline /-/versions.json {baseline_per_s:.1f} requests/s   "
        f"ratio {posted['per_s'] / baseline_per_s:.3f}"
    )
    if posted["errors"]:
        print(f"  first error: {posted['errors'][0]}")
    print(f"\nModeration queue (/submissions/queue, signed in) with {pending:,} pending, {args.requests} requests each")
    for clients, r in queue.items():
        q, v = r["queue"], r["versions"]
        print(
            f"  {clients:>2} client(s): queue median {q['median_ms']:7.1f} ms  p99 {q['p99_ms']:7.1f} ms   "
            f"/-/versions.json median {v['median_ms']:6.1f} ms  p99 {v['p99_ms']:6.1f} ms   "
            f"median ratio {q['median_ms'] / v['median_ms']:5.2f}"
        )
    ok = not posted["errors"] and lost == 0 and extra == 0 and len(rows) == len(posted["accepted"])
    print(f"\n  zero errors and zero lost: {'met' if ok else 'NOT met'}")
    results = {
        "submissions": {k: v for k, v in posted.items() if k not in ("accepted", "errors")}
        | {"accepted": len(posted["accepted"]), "errors": len(posted["errors"]), "stored": len(rows), "lost": lost},
        "baseline_versions_per_s": baseline_per_s,
        "pending": pending,
        "queue": queue,
    }
    (args.work / "results.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    if not ok:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
