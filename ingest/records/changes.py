"""Which law files changed since the previous build, from their sizes and times.

The previous build kept, for each law file, its digest and the size and
modification time the file had when the digest was taken. A file with the same
size and time now is taken as unchanged without being opened; one whose size
or time moved is read and its digest compared: if the digest is the same, the
content is too, and only its new size and time are kept. A one-record rebuild
of a hundred thousand records opens one file.

The comparison is made where the folder is walked (ingest.records.scan), in
the child processes that walk it when there are any, so that the building
process never holds the size and time of every file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field

from ingest.records.files import digest

# what the previous build kept of a law file: its digest, and its size and modification time
# in ns when the digest was taken (None when the file changed too shortly before to trust them)
Kept = tuple[str, int | None, int | None]
# the previous build's law files below some top folders (None: all), and the identity of
# the database that build wrote, read where the folder is walked
Reference = Callable[[Collection[str] | None], tuple[list[int] | None, dict[str, Kept]]]


@dataclass
class Changes:
    """The law files of a folder compared with what the previous build kept of them."""

    state_of: list[int] | None = None  # the database the compared state describes
    changed: list[tuple[str, str]] = field(default_factory=list)  # (path, key) of new or changed files
    touched: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> new (size, time); content as before
    gone: list[str] = field(default_factory=list)  # keys of the previous build's files no longer there

    def add(self, other: Changes) -> None:
        """Take in the changes of another part of the folder (compared with the same state)."""
        self.changed += other.changed
        self.touched.update(other.touched)
        self.gone += other.gone


def compare(
    law_files: Sequence[tuple[str, str]],
    sizes: Mapping[str, tuple[int, int]],
    kept: Mapping[str, Kept],
    state_of: list[int] | None = None,
) -> Changes:
    """Compare the law files found, (path, key), with their size and time in
    `sizes` when already taken, with what the previous build `kept` of the
    same part of the folder."""
    out = Changes(state_of)
    stat = os.stat
    seen = 0
    for path, key in law_files:
        old = kept.get(key)
        if old is None:
            out.changed.append((path, key))
            continue
        seen += 1
        sig = sizes.get(key)
        if sig is None:
            st = stat(path)
            sig = (st.st_size, st.st_mtime_ns)
        if old[1] == sig[0] and old[2] == sig[1]:
            continue
        if _digest(path) == old[0]:
            out.touched[key] = sig
        else:
            out.changed.append((path, key))
    if seen < len(kept):
        found = {key for _, key in law_files}
        out.gone = sorted(k for k in kept if k not in found)
    return out


def _digest(path: str) -> str:
    with open(path, "rb") as fh:
        return digest(fh.read())
