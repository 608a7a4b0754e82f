"""The benchmark's memory figures: a forked worker's pages shared with its
parent count once in the proportional size, twice in summed resident sizes."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from bench.run import measure_tree

pytestmark = pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="needs Linux /proc smaps_rollup")

SHARE_60_MB = """
import os, time
block = bytearray(60 << 20)
for i in range(0, len(block), 4096):
    block[i] = 1
pid = os.fork()
time.sleep(1.5)
if pid:
    os.waitpid(pid, 0)
else:
    os._exit(0)
"""


def test_shared_pages_of_a_forked_child_count_once(tmp_path: Path) -> None:
    m = measure_tree([sys.executable, "-c", SHARE_60_MB], tmp_path)
    assert m.rss_mb >= 120  # parent and child each hold the 60 MB as resident
    assert 60 <= m.pss_mb <= m.rss_mb - 45  # but it is in memory once
    assert m.seconds >= 1.5
