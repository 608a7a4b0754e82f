"""Benchmark the open exports and the record times at scale.

    python -m bench.export [--size 100000] [--work bench/out/export]

A synthetic corpus (bench/synthetic.py) is written, committed once into a
fresh git repository made in the work folder, and built. Then, each in its own
process, with wall time and peak memory of the process tree (bench/run.py's
`measure`):

- `lawrepo export --format all` (the Data Package, the Atom feed with record
  times from git, the trade-repository list), and each format alone;
- `timestamps.record_times` on the laws folder: from git, and from the
  records' own dates.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.run import OUT, measure
from bench.synthetic import make_corpus

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Bench",
    "GIT_AUTHOR_EMAIL": "bench@example.org",
    "GIT_COMMITTER_NAME": "Bench",
    "GIT_COMMITTER_EMAIL": "bench@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def times_only(laws: Path, use_git: bool) -> None:
    """Compute the record times (the process measured by `measure`)."""
    from ingest.build.timestamps import record_times

    start = time.perf_counter()
    found = record_times(laws, use_git=use_git)
    sources: dict[str, int] = {}
    for _, _, source in found.values():
        sources[source] = sources.get(source, 0) + 1
    print(json.dumps({"files": len(found), "sources": sources, "seconds": time.perf_counter() - start}))


def run(n: int, work: Path) -> dict[str, float]:
    folder = work / f"n{n}"
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    laws = make_corpus(folder, n)
    git(folder, "init", "-q")
    git(folder, "add", "-A", "laws")
    git(folder, "commit", "-q", "-m", "synthetic corpus")
    db = folder / "laws.db"
    py = sys.executable
    build_s, build_mb = measure([py, "-m", "ingest", "build", "--full", "--laws", str(laws), "--db", str(db)], folder)
    out: dict[str, float] = {"records": n, "build_s": build_s, "build_mb": build_mb, "db_mb": db.stat().st_size / 1e6}
    export = [py, "-m", "ingest.cli_export", "--db", str(db), "--laws", str(laws), "--base-url", "https://example.org"]
    for fmt in ("all", "datapackage", "atom", "atr"):
        target = folder / f"exports-{fmt}"
        secs, mb = measure([*export, "--format", fmt, "--out", str(target)], folder)
        out[f"export_{fmt}_s"], out[f"export_{fmt}_mb"] = secs, mb
        out[f"export_{fmt}_out_mb"] = sum(p.stat().st_size for p in target.iterdir()) / 1e6
    for label, flag in (("git", "--git"), ("record", "--no-git")):
        secs, mb = measure([py, "-m", "bench.export", "--record-times", str(laws), flag], folder)
        out[f"times_{label}_s"], out[f"times_{label}_mb"] = secs, mb
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size", type=int, default=100_000, help="law records in the synthetic corpus")
    ap.add_argument("--work", type=Path, default=OUT / "export", help="where the corpus, database and exports go")
    ap.add_argument("--record-times", type=Path, help=argparse.SUPPRESS)
    ap.add_argument("--git", dest="use_git", action="store_true", default=True, help=argparse.SUPPRESS)
    ap.add_argument("--no-git", dest="use_git", action="store_false", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.record_times:
        times_only(args.record_times, args.use_git)
        return
    if shutil.which("git") is None:
        raise SystemExit("git is not installed: the record times from git cannot be measured")
    print(f"Machine: {os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    r = run(args.size, args.work)
    print(f"{r['records']:,} law records; database {r['db_mb']:.0f} MB (built in {r['build_s']:.1f} s)")
    print(f"{'what':<42} {'seconds':>8} {'peak MB':>8} {'output MB':>10}")
    for fmt in ("all", "datapackage", "atom", "atr"):
        print(
            f"{'lawrepo export --format ' + fmt:<42} {r[f'export_{fmt}_s']:>8.1f} {r[f'export_{fmt}_mb']:>8.0f} "
            f"{r[f'export_{fmt}_out_mb']:>10.1f}"
        )
    for label in ("git", "record"):
        print(f"{'record_times (' + label + ')':<42} {r[f'times_{label}_s']:>8.1f} {r[f'times_{label}_mb']:>8.0f}")
    args.work.mkdir(parents=True, exist_ok=True)
    (args.work / f"results-{args.size}.json").write_text(json.dumps(r, indent=2))


if __name__ == "__main__":
    main()
