"""Benchmark the reconciliation with the UNCTAD Global Cyberlaw Tracker at scale.

    python -m bench.reconcile [--laws 100000] [--repeat 3]

Generates a synthetic corpus (bench/synthetic.py) of the given number of law
records over the eleven member states, builds it, then measures
`lawrepo reconcile unctad` on it (parse both files, write the snapshot,
reconcile against the database, write the Markdown report) as a separate
process: wall time and peak resident memory. Also times, in this process, the
reconciliation alone (`ingest.reconcile.reconcile`) and the writing of its
tables into a copy of the database (`write_tables`, what the build does).

UNCTAD's files are read from ../shared/fixtures/unctad/ when present, else the
small test files in tests/data/unctad/.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sqlite3
import statistics
import sys
import time
from contextlib import closing
from pathlib import Path

from bench.run import OUT, ROOT, lawrepo, measure
from bench.synthetic import make_corpus
from ingest.build import peer_tables
from ingest.build import peers as reconcile
from ingest.records import yamlsafe

REAL = ROOT.parent / "shared" / "fixtures" / "unctad"
SMALL = ROOT / "tests" / "data" / "unctad"


def inputs() -> Path:
    return REAL if (REAL / "data.csv").exists() and (REAL / "document_links.json").exists() else SMALL


def run(n: int, repeat: int, work: Path) -> dict[str, float | int | str]:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    laws = make_corpus(work, n)
    db = work / "laws.db"
    build_s, build_mb = measure(lawrepo("build", "--full", "--laws", str(laws), "--db", str(db)), work)
    data = inputs()
    cmd = [
        sys.executable,
        "-m",
        "ingest.cli_reconcile",
        "unctad",
        "--data",
        str(data / "data.csv"),
        "--links",
        str(data / "document_links.json"),
        "--db",
        str(db),
        "--laws",
        str(laws),
        "--report",
        str(work / "unctad.md"),
    ]
    runs = [measure(cmd, work) for _ in range(repeat)]
    command_s = statistics.median(s for s, _ in runs)
    command_mb = max(mb for _, mb in runs)

    snap, _ = yamlsafe.load((laws / "peers" / "unctad.yml").read_bytes())
    times = []
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        for _ in range(repeat):
            start = time.perf_counter()
            result = reconcile.reconcile(snap, conn)
            times.append(time.perf_counter() - start)
    copy = work / "tables.db"
    shutil.copyfile(db, copy)
    with closing(sqlite3.connect(copy, isolation_level=None)) as conn:
        start = time.perf_counter()
        peer_tables.write_tables(conn, snap)
        tables_s = time.perf_counter() - start
    return {
        "laws": n,
        "inputs": str(data),
        "member_states": len(snap["countries"]),
        "documents": sum(len(a["links"]) for c in snap["countries"] for a in c["areas"]),
        "disagreements": len(result.disagreements),
        "build_s": build_s,
        "build_mb": build_mb,
        "command_s": command_s,
        "command_peak_mb": command_mb,
        "reconcile_s": statistics.median(times),
        "write_tables_s": tables_s,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--laws", type=int, default=100_000, help="number of synthetic law records")
    parser.add_argument("--repeat", type=int, default=3, help="runs of the command (median time, highest memory)")
    parser.add_argument("--work", type=Path, default=OUT / "reconcile", help="working folder (replaced)")
    args = parser.parse_args()
    fig = run(args.laws, args.repeat, args.work)
    print(
        f"Reconciliation with the UNCTAD tracker at {fig['laws']:,} laws "
        f"({fig['member_states']} member states, {fig['documents']} documents; inputs: {fig['inputs']})"
    )
    print(f"  build (--full)                  {fig['build_s']:8.2f} s   peak {fig['build_mb']:7.1f} MB")
    print(f"  lawrepo reconcile unctad        {fig['command_s']:8.2f} s   peak {fig['command_peak_mb']:7.1f} MB")
    print(f"  reconcile() alone               {fig['reconcile_s']:8.2f} s")
    print(f"  write_tables() (build step)     {fig['write_tables_s']:8.2f} s")
    print(f"  disagreements found             {fig['disagreements']:8d}")
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / f"reconcile-{fig['laws']}.json").write_text(json.dumps(fig, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
