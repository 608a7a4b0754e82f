"""The previous-but-one database, kept beside the database to be patched in place.

A patched build used to copy the previous database (hundreds of megabytes at
100,000 records) and patch the copy, so that the previous one stays whole
until the new one is moved over it. Instead, the file a patched build moves
aside is kept as `<database>.spare`, and the state (ingest.build.build_state)
notes which law records it lacks (`behind`: those the build changed or
removed) and on which day it was left. The next patched build on the same day
takes the spare, reads those records again besides the changed ones, patches
it where it is (only the changed pages are written and flushed) and moves it
into place: the database stays whole throughout, as before, without the copy.

A spare is only taken when nothing reads it: the site takes a shared lock on
the database it serves (plugins/database_lock.py), and a server started
before a build still reads the file that build moved aside. A spare that is
locked, changed, or left on another day is not taken: the build copies the
previous database as before.
"""

from __future__ import annotations

import fcntl
import os
from contextlib import suppress
from pathlib import Path
from typing import Any

from ingest.build.build_state import identity, stat_identity


def path_of(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.spare")


def describe(spare: Path, behind: list[str], day: str) -> dict[str, Any]:
    """What the state keeps of a spare just left: its identity, the law record
    keys it lacks, and the day of the build that left it."""
    return {"identity": identity(spare), "behind": sorted(behind), "day": day}


class Spare:
    """A spare taken for a patch: moved to `target` (the build's temporary
    file) and locked so that no second build takes it. Used like a
    BackgroundCopy (ingest.build.copying) that is already done."""

    def __init__(self, target: Path, fd: int, behind: list[str], home: Path, taken: list[int]) -> None:
        self.target, self.behind = target, behind
        self._fd: int | None = fd
        self._home, self._taken = home, taken  # where it was, and its identity then

    def wait(self) -> None:
        """Nothing to wait for: the file is there."""

    def finish(self) -> None:
        """Nothing to flush ahead: the build flushes the few pages it changed."""

    def drop(self) -> None:
        """Put the file back when the build did not write to it (nothing changed,
        or not a patch after all), else remove it unless it was moved into place; unlock it."""
        with suppress(OSError):
            if identity(self.target) == self._taken:
                os.replace(self.target, self._home)
            else:
                self.target.unlink()
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def take(db_path: Path, target: Path, described: dict[str, Any] | None, today: str) -> Spare | None:
    """The spare of the database at `db_path`, moved to `target`, when the
    state `described` it, it is unchanged since, was left on `today` and
    nothing holds a lock on it; else None (and the spare stays where it is)."""
    spare = path_of(db_path)
    if not described or described.get("day") != today or not isinstance(described.get("behind"), list):
        return None
    try:
        fd = os.open(spare, os.O_RDWR)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a reader of it holds a shared lock
        taken = stat_identity(os.fstat(fd))
        if taken != described.get("identity"):
            raise OSError("the spare changed since it was left")
        os.replace(spare, target)
    except OSError:
        os.close(fd)
        return None
    return Spare(target, fd, [str(k) for k in described["behind"]], spare, taken)


def remove(db_path: Path) -> None:
    """Remove the spare (a full build leaves none: it would lack everything)."""
    with suppress(FileNotFoundError):
        path_of(db_path).unlink()


def hold_for_reading(db_path: Path) -> int | None:
    """Take a shared lock on the database file at `db_path` for as long as the
    returned descriptor stays open (the life of a server): a build does not
    take that file as its spare once it has been replaced. None when the file
    cannot be opened or locked."""
    try:
        fd = os.open(db_path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd
