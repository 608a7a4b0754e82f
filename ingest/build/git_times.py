"""Record times from git: one `git log` over the laws folder, read in a single
pass (see ingest.build.timestamps for the rules)."""

from __future__ import annotations

import datetime as dt
import functools
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

Times = tuple[str, str, str]  # (created, updated, source)


def iso(ts: float) -> str:
    """A POSIX timestamp as ISO 8601 UTC to the second."""
    return _iso(int(ts))


@functools.lru_cache(maxsize=4096)  # files of one commit share its time
def _iso(ts: int) -> str:
    return dt.datetime.fromtimestamp(ts, dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _git(args: list[str], cwd: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_OPTIONAL_LOCKS": "0", "LC_ALL": "C"}
    return subprocess.Popen(
        ["git", "--no-pager", *args],
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def _run(args: list[str], cwd: Path) -> bytes | None:
    proc = _git(args, cwd)
    out, _ = proc.communicate()
    return out if proc.returncode == 0 else None


def in_git(root: Path) -> bool:
    """Whether the times of the files below `root` come from git: it is in a
    git work tree, and git is installed."""
    if shutil.which("git") is None:
        return False
    try:
        info = _run(["rev-parse", "--is-inside-work-tree"], root)
    except OSError:
        return False
    return info is not None and info.strip() == b"true"


def git_times(root: Path, files: list[str]) -> dict[str, Times] | None:
    """Times from git, or None when `root` is not in a git work tree (or git is missing)."""
    if shutil.which("git") is None:
        return None
    try:
        info = _run(["rev-parse", "--is-inside-work-tree", "--show-prefix", "--is-shallow-repository"], root)
    except OSError:
        return None
    if info is None:
        return None
    lines = info.decode("utf-8", "surrogateescape").split("\n")
    if len(lines) < 3 or lines[0] != "true":
        return None
    prefix, shallow = lines[1], lines[2] == "true"
    log = _git(
        [
            "-c",
            "log.showRoot=true",
            "log",
            "-z",
            "--no-renames",
            "--name-status",
            "--format=%x01%ct",
            "--no-show-signature",
            "--",
            ".",
        ],
        root,
    )
    assert log.stdout is not None
    history = _history(_tokens(log.stdout), prefix)
    if log.wait() != 0:
        return None
    dirty = _dirty(root, prefix)
    if dirty is None:
        return None
    source = "git-shallow" if shallow else "git"
    out: dict[str, Times] = {}
    for rel in files:
        seen = history.get(rel)
        if seen is not None and rel not in dirty:
            out[rel] = (iso(seen[0]), iso(seen[1]), source)
            continue
        try:
            mtime = iso(os.stat(root / rel).st_mtime)
        except OSError:
            continue  # removed meanwhile
        out[rel] = (iso(seen[0]) if seen else mtime, mtime, "working-tree")
    return out


def _tokens(stream: Any, size: int = 1 << 20) -> Iterator[str]:
    """The NUL-separated fields of a byte stream, read in chunks."""
    rest = b""
    while chunk := stream.read(size):
        parts = (rest + chunk).split(b"\0")
        rest = parts.pop()
        for p in parts:
            yield p.decode("utf-8", "surrogateescape")
    if rest:
        yield rest.decode("utf-8", "surrogateescape")


def _history(tokens: Iterator[str], prefix: str) -> dict[str, tuple[int, int]]:
    """(created, updated) commit times per path below the prefix, from
    `git log -z --name-status --format=%x01%ct` (newest commit first)."""
    span_of: dict[str, tuple[int, int]] = {}
    closed: set[str] = set()  # paths whose current life has begun: older commits are ignored
    when = 0
    cut = len(prefix)
    for token in tokens:
        token = token.lstrip("\n")
        if token.startswith("\x01"):
            when = int(token[1:])
            continue
        if not token:
            continue
        status, path = token[0], next(tokens, "")
        if not path.startswith(prefix):
            continue
        rel = path[cut:]
        if rel in closed:
            continue
        if status == "D":
            closed.add(rel)  # deleted: anything older belongs to an earlier life
            continue
        old = span_of.get(rel)
        span_of[rel] = (when, when) if old is None else (min(old[0], when), max(old[1], when))
        if status == "A":
            closed.add(rel)
    return span_of


def _dirty(root: Path, prefix: str) -> set[str] | None:
    """Paths below `root` with uncommitted changes or never committed."""
    out = _run(["status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames", "--", "."], root)
    if out is None:
        return None
    dirty = set()
    for entry in out.decode("utf-8", "surrogateescape").split("\0"):
        path = entry[3:]
        if len(entry) > 3 and path.startswith(prefix):
            dirty.add(path[len(prefix) :])
    return dirty
