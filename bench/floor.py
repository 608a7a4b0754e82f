"""The floor a build is compared with: parse every record with PyYAML's C loader
in one process, then one `executemany` of one row per record into SQLite.

    python -m bench.floor LAWS_DIR OUT.db
"""

from __future__ import annotations

import json
import sqlite3
import sys
from pathlib import Path

import yaml


def main(laws: Path, out: Path) -> None:
    rows = []
    for path in sorted(laws.glob("[a-z][a-z]/*.yml")):
        rec = yaml.load(path.read_bytes(), Loader=yaml.CSafeLoader)
        rows.append((rec["id"], rec["country"], rec["title"], json.dumps(rec, default=str, ensure_ascii=False)))
    conn = sqlite3.connect(out)
    conn.execute("CREATE TABLE laws (id TEXT PRIMARY KEY, country TEXT, title TEXT, record TEXT)")
    with conn:
        conn.executemany("INSERT INTO laws VALUES (?, ?, ?, ?)", rows)
    conn.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
