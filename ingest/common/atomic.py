"""Writing files so that a reader never sees half of one, and telling which
leftover temporary files belong to processes that have died."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def replacing(path: Path, durable: bool = True) -> Iterator[Path]:
    """A temporary path beside `path` for the caller (or a program it runs) to
    write; when the block ends without error the file is flushed to disk and
    moved into place. On any error the temporary file is removed and the
    previous content of `path` stays. A file that is only an aid (checked
    before use, rebuilt when wrong) need not be flushed: `durable=False`."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    try:
        yield tmp
        if durable:
            flush_to_disk(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def flush_to_disk(path: Path) -> None:
    """Wait until the content of the file at `path` is on disk (before it is moved into place)."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_text(path: Path, text: str) -> None:
    """Write `text` to `path` atomically (see `replacing`)."""
    with replacing(path) as tmp, open(tmp, "w", encoding="utf-8", newline="") as fh:
        fh.write(text)


def write_bytes(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically (see `replacing`)."""
    with replacing(path) as tmp, open(tmp, "wb") as fh:
        fh.write(data)


def alive(pid: int) -> bool:
    """True when a process with this id exists (temporary files name their writer's id)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
