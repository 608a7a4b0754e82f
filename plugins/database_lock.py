"""The database files the site serves are locked for reading while it runs.

A patched build keeps the database it replaces and patches that file in place
at the next build (ingest/build/spare.py). A server started before the first
build still reads the replaced file: the shared lock taken here, held for the
life of the server, tells the next build to leave that file alone and copy
the current database instead."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from datasette import hookimpl

from ingest.build import spare

_HELD: dict[tuple[int, int], int] = {}  # (device, inode) -> descriptor kept open (and so locked) until exit


@hookimpl
def startup(datasette: Any) -> None:
    for db in datasette.databases.values():
        if not db.path:
            continue
        try:
            st = os.stat(db.path)
        except OSError:
            continue
        if (st.st_dev, st.st_ino) not in _HELD:
            fd = spare.hold_for_reading(Path(db.path))
            if fd is not None:
                _HELD[(st.st_dev, st.st_ino)] = fd
