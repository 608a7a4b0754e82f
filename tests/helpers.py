"""Helpers shared by the test modules: paths, small laws folders written from
Python dicts, a Datasette configured as `lawrepo serve` runs it, and the served
site on a free port for the browser tests."""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import shutil
import socket
import sqlite3
import struct
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import yaml
from datasette.app import Datasette
from datasette.utils import parse_metadata

from ingest.site.serve import datasette_args, ensure_inspect_file

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT / "laws"
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
AREAS = ["e-transactions", "e-signatures", "data-protection", "consumer-protection", "platforms", "cybersecurity"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --------------------------------------------------------------------------
# small laws folders

BASE_LAW: dict[str, Any] = {
    "id": "sg-example-act-2010",
    "country": "SG",
    "title": "Example Act 2010",
    "instrument_type": "act",
    "number": "No. 1 of 2010",
    "dates": {"adopted": "2010-05-19", "in_force": "2010-07-01"},
    "status": "in-force",
    "areas": ["e-transactions"],
    "summary": "An example.",
    "provisions": [{"ref": "s 6", "heading": "Legal recognition", "summary": "Records are not denied effect."}],
    "provenance": {
        "sources": [{"citation": "A test source"}],
        "verification": "unverified",
        "evidence": "seen",
        "last_verified": "2026-01-01",
    },
}


BASE_ANSWER: dict[str, Any] = {
    "indicator": "et-legal-recognition",
    "value": "yes",
    "since": "2010-07-01",
    "basis": [{"law": BASE_LAW["id"], "provision": "s 6"}],
    "note": "Records are not denied effect only because they are electronic.",
    "verification": {
        "status": "unverified",
        "by": "Test editors",
        "on": "2026-11-01",
        "evidence": "seen",
        "sources": [{"citation": "A test source"}],
    },
    "review": {"status": "draft"},
}


def changed(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    """A deep copy of `base` with fields replaced, or removed when given as None."""
    rec = copy.deepcopy(base)
    for key, value in changes.items():
        if value is None:
            rec.pop(key, None)
        else:
            rec[key] = value
    return rec


def law(**changes: Any) -> dict[str, Any]:
    return changed(BASE_LAW, **changes)


def good_answer(**changes: Any) -> dict[str, Any]:
    """A valid answer to an indicator of the real codebook, citing `BASE_LAW`."""
    return changed(BASE_ANSWER, **changes)


def make_root(tmp: Path, coverage: list[dict[str, Any]] | None = None) -> Path:
    """A laws folder with the real schemas, vocabularies and official hosts and a profile for SG only."""
    root = tmp / "laws"
    root.mkdir()
    shutil.copytree(ROOT / "laws" / "schemas", root / "schemas")
    shutil.copytree(ROOT / "laws" / "vocabularies", root / "vocabularies")
    shutil.copytree(ROOT / "laws" / "sources", root / "sources")
    (root / "countries").mkdir()
    if coverage is None:
        # 'partial' may stand beside a law in force, so records can come and go
        coverage = [
            {"area": a, "status": "partial", "note": "Sectoral rules only.", "sources": [{"citation": "test"}]} for a in AREAS
        ]
    profile = {
        "code": "SG",
        "name": "Singapore",
        "iso3": "SGP",
        "m49": "702",
        "asean_member_since": "1967-08-08",
        "official_languages": ["en"],
        "coverage": coverage,
        "provenance": {"sources": [{"citation": "test"}], "verification": "unverified", "evidence": "seen"},
    }
    write(root / "countries" / "sg.yml", profile)
    (root / "sg").mkdir()
    return root


def write(path: Path, data: Any) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def write_law(root: Path, rec: dict[str, Any]) -> Path:
    cc, slug = rec["id"].split("-", 1)
    return write(root / cc / f"{slug}.yml", rec)


# --------------------------------------------------------------------------
# the site


def spare_lacks(db: Path) -> list[str]:
    """The law records the spare beside the database at `db` lacks, as its build state says (none: no spare)."""
    state = db.with_name(f"{db.name}.state")
    if not state.exists() or not db.with_name(f"{db.name}.spare").exists():
        return []
    with closing(sqlite3.connect(state)) as conn:
        row = conn.execute("SELECT value FROM meta WHERE key = 'spare'").fetchone()
    spare = json.loads(row[0]) if row else None
    return list(spare["behind"]) if spare else []


def serve_options(db_path: Path) -> dict[str, Any]:
    """The options of the `lawrepo serve` command line (ingest.site.datasette_args)."""
    args = datasette_args(ROOT, db_path, ensure_inspect_file(db_path), "127.0.0.1", 8001)
    args = args[args.index("serve") + 1 :]
    flags: dict[str, str] = {}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        flags[flag] = value
    return flags


def make_datasette(
    db_path: Path, plugins: dict[str, dict[str, Any]] | None = None, settings: dict[str, Any] | None = None
) -> Datasette:
    """A Datasette instance configured like `lawrepo serve` for this database;
    `plugins` replaces the configuration of the plugins it names, `settings`
    overrides Datasette settings (such as `sql_time_limit_ms`)."""
    flags = serve_options(db_path)
    assert {"-i", "--metadata", "--config", "--template-dir", "--plugins-dir", "--static"} <= set(flags)
    mount, _, directory = flags["--static"].partition(":")
    config = parse_metadata(Path(flags["--config"]).read_text(encoding="utf-8"))
    if plugins:
        config["plugins"] = {**(config.get("plugins") or {}), **plugins}
    if settings:
        config["settings"] = {**(config.get("settings") or {}), **settings}
    return Datasette(
        immutables=[flags["-i"]],
        inspect_data=json.loads(Path(flags["--inspect-file"]).read_text(encoding="utf-8")),
        metadata=parse_metadata(Path(flags["--metadata"]).read_text(encoding="utf-8")),
        config=config,
        template_dir=flags["--template-dir"],
        plugins_dir=flags["--plugins-dir"],
        static_mounts=[(mount, directory)],
    )


def dated_datasette(db_path: Path, monkeypatch: Any, today: dt.date) -> Datasette:
    """`make_datasette`, with the day the coverage and freshness page counts from fixed."""
    from datasette.plugins import pm

    instance = make_datasette(db_path)
    plugin = pm.get_plugin("freshness_page.py")
    assert plugin is not None, "plugins/freshness_page.py is not loaded"
    monkeypatch.setattr(plugin, "today", lambda: today)
    return instance


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {timeout} s")


def serve(db: Path, log: Path, settings: dict[str, str] | None = None, env: dict[str, str] | None = None) -> Iterator[str]:
    """Run `lawrepo serve`'s command line on `db` until the generator is closed;
    `settings` adds Datasette configuration (`-s dotted.key value`) and `env`
    variables to the server's environment."""
    port = free_port()
    args = datasette_args(ROOT, db, ensure_inspect_file(db), "127.0.0.1", port)
    for key, value in (settings or {}).items():
        args += ["-s", key, value]
    with open(log, "wb") as out:
        process = subprocess.Popen(args, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, env={**os.environ, **(env or {})})
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(f"{base}/", process)
        yield base
    except RuntimeError as e:
        raise RuntimeError(f"{e}\n{log.read_text(errors='replace')}") from None
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def assert_png(path: Path) -> None:
    data = path.read_bytes()
    assert data[:8] == PNG_SIGNATURE, path
    width, height = struct.unpack(">II", data[16:24])  # the IHDR chunk
    assert width > 0 and height > 0 and len(data) > 1000, (path, width, height, len(data))


# --------------------------------------------------------------------------
# importer drafts


def read_draft(path: Path, source: str = "auto") -> Any:
    """The draft the registry reads from a saved page (refusals raise)."""
    from ingest.importers import registry
    from ingest.importers.page import load

    return registry.read(load(path.read_bytes()), source)


def draft_texts(draft: Any) -> list[str]:
    """Every text a draft holds: its text fields, its dates and notes, and each provision's ref, heading and link."""
    import dataclasses

    out: list[str] = []
    for f in dataclasses.fields(draft):
        value = getattr(draft, f.name)
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, dict):
            out += [str(v) for v in value.values()]
        elif isinstance(value, list):
            for item in value:
                out += [str(x) for x in vars(item).values() if x] if hasattr(item, "__dict__") else [str(item)]
    return [t for t in out if t]


def settled_corpus(folder: Path, n: int) -> Path:
    """A synthetic corpus of `n` records whose files look an hour old: a build
    reads again a file written a moment before it (its time may not have
    moved yet), so tests of what a build skips need files that have settled."""
    from bench.synthetic import make_corpus

    laws = make_corpus(folder, n)
    hour_ago = time.time() - 3600
    for path in laws.rglob("*.yml"):
        os.utime(path, (hour_ago, hour_ago))
    return laws
