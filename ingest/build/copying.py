"""Copying the previous database in the background while the records are read.

A patched build works on a copy of the previous database. At 100,000 records
that file is hundreds of megabytes: copying it, and later flushing the copy to
disk, takes as long as everything else a one-record rebuild does. The copy is
made by the kernel (`os.sendfile`) in a thread, and flushed to disk there as
well, while the main thread reads and checks the records; the build waits for
it only when it starts patching, and drops it when the build turns out not to
be a patch (or when nothing changed).
"""

from __future__ import annotations

import os
import threading
from contextlib import suppress
from pathlib import Path

CHUNK = 64 << 20  # bytes per sendfile call: how soon a dropped copy stops


class BackgroundCopy:
    def __init__(self, source: Path, target: Path) -> None:
        self.source, self.target = source, target
        self.error: OSError | None = None
        self._dropped = threading.Event()
        self._copied = threading.Event()
        # opened here, before any drop: the thread never creates the file after the build has moved on
        self._src = open(source, "rb")  # noqa: SIM115 - closed by the thread
        try:
            self._dst = open(target, "wb")  # noqa: SIM115 - closed by the thread
        except OSError:
            self._src.close()
            raise
        self._thread = threading.Thread(target=self._run, name="copy-previous-database", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            with self._src as src, self._dst as dst:
                size, offset = os.fstat(src.fileno()).st_size, 0
                while offset < size and not self._dropped.is_set():
                    sent = os.sendfile(dst.fileno(), src.fileno(), offset, min(CHUNK, size - offset))
                    if sent == 0:
                        break
                    offset += sent
                if offset < size and not self._dropped.is_set():
                    raise OSError(f"{self.source} shrank while it was copied")
                self._copied.set()
                if not self._dropped.is_set():
                    # the patch changes few pages: most of the final flush is done here, in the background
                    os.fdatasync(dst.fileno())
        except OSError as exc:
            self.error = exc
        finally:
            self._copied.set()

    def wait(self) -> None:
        """Block until the whole file is copied (not necessarily on disk yet); raise what the copy raised."""
        self._copied.wait()
        if self.error is not None:
            raise self.error

    def finish(self) -> None:
        """Block until the copy is on disk too."""
        self._thread.join()
        if self.error is not None:
            raise self.error

    def drop(self) -> None:
        """Stop copying and remove the copy (the thread stops after its current chunk, writing only to the removed file)."""
        self._dropped.set()
        with suppress(FileNotFoundError):
            self.target.unlink()


def set_aside(path: Path, pid: int) -> Path | None:
    """A second name for the file at `path` (None when there is no file, or no
    link can be made), so that moving the new file over `path` does not free
    the old one's blocks: hundreds of megabytes take a moment, which
    `remove_in_background` spends while the build writes its state."""
    if not path.exists():
        return None
    aside = path.with_name(f"{path.name}.tmp-old-{pid}")  # removed by the next build if this one dies first
    try:
        os.link(path, aside)
    except OSError:
        return None
    return aside


def remove_in_background(aside: Path | None) -> threading.Thread:
    """Start removing `aside`; the caller joins the thread before it returns."""
    thread = threading.Thread(target=_remove, args=(aside,), name="remove-previous-database")
    thread.start()
    return thread


def _remove(aside: Path | None) -> None:
    if aside is not None:
        with suppress(OSError):
            aside.unlink()
