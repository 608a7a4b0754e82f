"""Serving: when to rebuild, the inspect file, the Datasette command line, the
coverage matrix for `lawrepo stats`."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

from ingest.common.atomic import replacing, write_text
from ingest.records.yamlsafe import load_config

DATABASE = "laws"  # the name metadata.yml and datasette.yaml describe the database under


def is_stale(root: Path, db_path: Path) -> bool:
    """True when the database is missing or older than any file under `root`."""
    if not db_path.exists():
        return True
    built = db_path.stat().st_mtime
    for dirpath, _, filenames in os.walk(root):
        for name in filenames:
            if os.stat(os.path.join(dirpath, name)).st_mtime > built:
                return True
    return False


def ensure_inspect_file(db_path: Path) -> Path:
    """Write Datasette's inspect file (table counts) for an immutable database
    when it is missing or older than the database; atomically."""
    target = db_path.with_name("inspect-data.json")
    if target.exists() and target.stat().st_mtime >= db_path.stat().st_mtime:
        return target
    with replacing(target) as tmp:
        subprocess.run(
            [sys.executable, "-m", "datasette", "inspect", str(db_path), "--inspect-file", str(tmp)],
            check=True,
            capture_output=True,
        )
    return target


def datasette_args(project: Path, db_path: Path, inspect: Path, host: str, port: int) -> list[str]:
    """The command line that serves the repository the way it is deployed."""
    args = [
        sys.executable,
        "-m",
        "datasette",
        "serve",
        "-i",
        str(db_path),
        "--inspect-file",
        str(inspect),
        "--host",
        host,
        "--port",
        str(port),
    ]
    for flag, name in [
        ("--metadata", "metadata.yml"),
        ("--config", "datasette.yaml"),
        ("--template-dir", "templates"),
        ("--plugins-dir", "plugins"),
    ]:
        if (project / name).exists():
            path = project / name
            if flag in ("--metadata", "--config"):
                path = for_database(path, db_path)
            args += [flag, str(path)]
    if (project / "static").is_dir():
        args += ["--static", f"assets:{project / 'static'}"]
    return args


def for_database(path: Path, db_path: Path) -> Path:
    """The site's metadata or configuration for the database at `db_path`.

    Datasette names a database after its file (`big.db` is `big`), and the
    project's files describe it as `laws`; for another name, a copy that
    describes it under its own name is written beside the database (JSON,
    which Datasette reads as YAML), so every table description, facet and
    stored query still applies."""
    name = db_path.stem
    if name == DATABASE:
        return path
    target = db_path.with_name(f".{name}-{path.stem}.json")
    data = load_config(path)
    databases = data.get("databases") or {}
    if DATABASE in databases:
        databases[name] = databases.pop(DATABASE)
    text = json.dumps(data, ensure_ascii=False, indent=1)
    if not target.exists() or target.read_text(encoding="utf-8") != text:
        write_text(target, text)
    return target


def matrix_rows(db_path: Path) -> tuple[list[str], list[list[str]], list[tuple[str, str, str, str]]]:
    """(header, one row per country, gaps) from the country_area_status view."""
    with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
        areas = conn.execute("SELECT code FROM areas ORDER BY position").fetchall()
        counts = dict(
            ((c, a), n)
            for c, a, n in conn.execute(
                "SELECT l.country, la.area, count(*) FROM law_areas la JOIN laws l ON l.id = la.law_id "
                "WHERE l.status IN ('in-force', 'partly-in-force', 'enacted-not-in-force') GROUP BY 1, 2"
            )
        )
        header = ["Country", *[a for (a,) in areas], "Laws"]
        rows, gaps = [], []
        totals = dict(conn.execute("SELECT country, count(*) FROM laws GROUP BY country"))
        for code, name in conn.execute("SELECT code, name FROM countries ORDER BY name"):
            row = [name]
            for (area,) in areas:
                n = counts.get((code, area))
                if n:
                    row.append(str(n))
                    continue
                status, note = conn.execute(
                    "SELECT cell_status, coalesce(statement_note, '') FROM country_area_status WHERE country = ? AND area = ?",
                    (code, area),
                ).fetchone()
                row.append(status)
                gaps.append((name, area, status, note[:80] + ("…" if len(note) > 80 else "")))
            row.append(str(totals.get(code, 0)))
            rows.append(row)
        return header, rows, gaps
