"""Benchmark the importers: pages per second per parser on the real saved pages,
and peak memory on the largest page and on a synthetic 20 MB page.

    python -m bench.importers [--fixtures ../shared/fixtures] [--repeat 5]

Every figure is beside a baseline measured in the same run on the same bytes:
parsing the page with BeautifulSoup and lxml and nothing else (what any
importer must pay). Ratios > 1 are what the parser adds on top. Peak memory is
each measurement's own process (max RSS), so runs do not disturb each other.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PAGES = {  # parser -> saved pages under the fixtures folder
    "sso": ["sso/gst-act-1993.html"],
    "lawphil": [
        "lawphil/ra-8792-e-commerce.html",
        "lawphil/ra-10173-data-privacy-act.html",
        "lawphil/ra-8484-access-devices-regulation.html",
        "lawphil/ra-9995-anti-voyeurism.html",
    ],
    "tvpl": ["tvpl/luat-an-ninh-mang-2018.html"],
    "vbpl": ["vbpl/bo-luat-tttths-101-2015-thuoctinh.html", "vbpl/constitution-2013-toanvan.html"],
}

CHILD = """
import json, resource, sys, time
from pathlib import Path
data = Path(sys.argv[1]).read_bytes()
started = time.perf_counter()
if sys.argv[2] == "baseline":
    from bs4 import BeautifulSoup
    BeautifulSoup(data.decode("utf-8", "replace"), "lxml")
else:
    from ingest.importers import registry
    from ingest.importers.page import load
    from ingest.importers.model import Refusal
    try:
        registry.read(load(data), sys.argv[2])
    except Refusal:
        pass
print(json.dumps({"seconds": time.perf_counter() - started,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def synthetic(path: Path, size_mb: int = 20) -> Path:
    """A generic page of `size_mb` MB: schema.org metadata, then many short sections."""
    head = (
        '<html><head><script type="application/ld+json">{"@type": "Legislation", "name": "Synthetic Act 2020", '
        '"legislationIdentifier": "No. 1 of 2020", "legislationDate": "2020-01-01"}</script></head><body>'
        "<h1>Synthetic Act 2020</h1>"
    )
    section = "<p><b>Section {n}.</b> <i>Heading {n}</i> " + "The words of the section. " * 6 + "</p>"
    parts, size, n = [head], len(head), 0
    while size < size_mb * 1024 * 1024:
        n += 1
        parts.append(section.format(n=n))
        size += len(parts[-1])
    parts.append("</body></html>")
    path.write_text("".join(parts), encoding="utf-8")
    return path


def measure(page: Path, parser: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(page), parser],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--fixtures", type=Path, default=ROOT.parent / "shared" / "fixtures")
    ap.add_argument("--repeat", type=int, default=5)
    args = ap.parse_args()
    sys.path.insert(0, str(ROOT))
    from bs4 import BeautifulSoup

    from ingest.importers import registry
    from ingest.importers.page import load

    print(f"{'parser':10} {'page':44} {'KB':>6} {'pages/s':>8} {'baseline/s':>10} {'ratio':>6}")
    for parser, names in PAGES.items():
        for name in names:
            path = args.fixtures / name
            if not path.exists():
                print(f"{parser:10} {name:44} (missing)")
                continue
            data = path.read_bytes()
            times, base = [], []
            for _ in range(args.repeat):
                t = time.perf_counter()
                BeautifulSoup(data.decode("utf-8", "replace"), "lxml")
                base.append(time.perf_counter() - t)
                t = time.perf_counter()
                registry.read(load(data), parser)
                times.append(time.perf_counter() - t)
            own, floor = statistics.median(times), statistics.median(base)
            print(f"{parser:10} {name:44} {len(data) // 1024:>6} {1 / own:>8.1f} {1 / floor:>10.1f} {own / floor:>6.2f}")

    print()
    print(f"{'peak memory':44} {'MB read':>8} {'seconds':>8} {'peak MB':>8} {'baseline MB':>11} {'ratio':>6}")
    big = (
        synthetic(ROOT / "bench" / "out" / "synthetic-20mb.html")
        if (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True) is None
        else None
    )
    cases = [(args.fixtures / "sso" / "gst-act-1993.html", "sso"), (big, "generic")]
    for page, parser in cases:
        if page is None or not page.exists():
            continue
        own, floor = measure(page, parser), measure(page, "baseline")
        print(
            f"{parser + ': ' + page.name:44} {page.stat().st_size / 1e6:>8.1f} {own['seconds']:>8.2f} "
            f"{own['peak_mb']:>8.0f} {floor['peak_mb']:>11.0f} {own['peak_mb'] / floor['peak_mb']:>6.2f}"
        )


if __name__ == "__main__":
    main()
