"""Walk a laws folder, and take the size and time of every law record, in a
child process while the caller does something else.

Given what the previous build kept of its files (a `Reference`), each child
also compares its part of the folder with it (ingest.records.changes) and
sends back only the changes, not the hundred thousand files found.

A rebuild after a one-record edit of a hundred thousand records spends about
as long finding the files and taking their sizes and times as reading what
the previous build knew of them; the two are done side by side. Where a
process cannot be forked (or threads are running, which a fork would not
carry over), the walk is done in the calling process when its result is asked
for.
"""

from __future__ import annotations

import marshal
import os
import threading
from collections.abc import Collection
from contextlib import suppress
from pathlib import Path
from typing import Any, NamedTuple

from ingest.common.problems import Problem
from ingest.records.changes import Changes, Reference, compare
from ingest.records.files import discover, is_country_folder

Found = list[tuple[str, str, str]]  # (kind, path, path below the root), as discover gives
Stats = dict[str, tuple[int, int]]  # law file below the root -> (size, modification time in ns)


class Scanned(NamedTuple):
    found: Found  # without the law files when `changes` is given
    problems: list[Problem]
    stats: Stats  # the size and time of each law file found (empty when `changes` is given)
    changes: Changes | None  # the law files compared with the previous build's (given a usable reference)


def scan(root: Path, tops: Collection[str] | None = None, reference: Reference | None = None) -> Scanned:
    """discover(root, tops), and the size and time of each law file found; or,
    given a `reference` that has the previous build's files, the changes."""
    found, problems = discover(root, tops)
    stats: Stats = {}
    stat = os.stat
    for kind, path, rel in found:
        if kind == "law":
            try:
                st = stat(path)
            except OSError:
                continue  # gone since: whoever reads it says so
            stats[rel] = (st.st_size, st.st_mtime_ns)
    if reference is not None:
        state_of, kept = reference(tops)
        if state_of is not None:
            laws = [(path, rel) for kind, path, rel in found if kind == "law"]
            changes = compare(laws, stats, kept, state_of)
            return Scanned([f for f in found if f[0] != "law"], problems, {}, changes)
    return Scanned(found, problems, stats, None)


def halves(root: Path) -> list[set[str]]:
    """The folders of `root` (and "" for its own files) in two runs of
    consecutive names, each with about half the country folders, which hold
    nearly all the files."""
    names = sorted(d.name for d in os.scandir(root) if d.is_dir() and not d.name.startswith("."))
    countries = [i for i, name in enumerate(names) if is_country_folder(name)]
    if len(countries) < 2:
        return [{"", *names}]
    cut = countries[len(countries) // 2]
    return [{"", *names[:cut]}, set(names[cut:])]


class BackgroundScan:
    """`scan(root)`, started in child processes (one for each half of the
    folders); `result()` waits for them."""

    def __init__(self, root: Path, reference: Reference | None = None) -> None:
        self.root = root.resolve()
        self.reference = reference
        self._children: list[tuple[int, int]] = []  # (pid, read end of its pipe)
        self._whole = False  # every part was started
        if hasattr(os, "fork") and threading.active_count() == 1:
            with suppress(OSError):
                for part in halves(self.root):
                    self._children.append(self._start(part))
                self._whole = True

    def _start(self, tops: set[str]) -> tuple[int, int]:
        read, write = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: nothing of the parent runs here but the scan, and it leaves at once
            status = 1
            try:
                os.close(read)
                found, problems, stats, changes = scan(self.root, tops, self.reference)
                parts = (changes.state_of, changes.changed, changes.touched, changes.gone) if changes else None
                data = marshal.dumps((found, [(p.path, p.line, p.field, p.message) for p in problems], stats, parts))
                with os.fdopen(write, "wb") as fh:
                    fh.write(data)
                status = 0
            finally:
                os._exit(status)
        os.close(write)
        return pid, read

    def result(self) -> Scanned:
        children, self._children = self._children, []
        whole, self._whole = self._whole, False
        parts = [_collect(pid, fd) for pid, fd in children]
        if not whole or any(p is None for p in parts):
            return scan(self.root, None, self.reference)  # not every part could be started or done: do it all here
        compared = [p[3] for p in parts if p is not None]
        if any(c is None for c in compared) or len({repr(c[0]) for c in compared if c is not None}) > 1:
            # a part found no usable state, or the state changed between the parts: walk it all here
            return scan(self.root, None, self.reference)
        found: Found = []
        problems: list[Problem] = []
        stats: Stats = {}
        changes: Changes | None = None
        for part in parts:
            assert part is not None
            found += part[0]
            problems += [Problem(*p) for p in part[1]]
            stats.update(part[2])
            if part[3] is not None:
                one = Changes(*part[3])
                if changes is None:
                    changes = one
                else:
                    changes.add(one)
        return Scanned(found, problems, stats, changes)

    def close(self) -> None:
        """Wait for children whose result was not asked for."""
        if self._children:
            self.result()


Part = tuple[Found, list[tuple[str, int, str, str]], Stats, tuple[Any, ...] | None]


def _collect(pid: int, fd: int) -> Part | None:
    with os.fdopen(fd, "rb") as fh:
        data = fh.read()
    _, status = os.waitpid(pid, 0)
    if status != 0 or not data:
        return None
    found, problems, stats, changes = marshal.loads(data)
    return found, problems, stats, changes
