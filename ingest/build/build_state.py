"""What a build knew, kept beside the database for the next build.

A build that patches the previous database needs that database's digests
and law facts (ingest.rules.corpus.Previous). Reading them back from the
database's tables takes seconds at 100,000 records, so each build also writes
them to `<database>.state`, with the size and modification time of each law
file when its digest was taken (an unchanged file is then not read again) and
the record_times rows. The state names the database it describes (device,
inode, size and modification time): a database changed or replaced since, or
a state file that cannot be read, is ignored and the tables are read instead.
"""

from __future__ import annotations

import gc
import marshal
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ingest.build.times_table import Times, law_file
from ingest.common.atomic import write_bytes
from ingest.records.model import Corpus, LawFacts
from ingest.rules.corpus import Previous

VERSION = 1
RACY_NS = 2_000_000_000  # a file changed this shortly before its stat was taken may change again unseen


def path_of(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.state")


def _identity(db_path: Path) -> tuple[int, int, int, int]:
    st = os.stat(db_path)
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


@contextmanager
def _no_collection() -> Iterator[None]:
    """Hundreds of thousands of containers are made here and none is garbage:
    the cyclic collector would only walk them again and again."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()


def save(db_path: Path, corpus: Corpus, builder: str, times: dict[str, Times], today: str, started_ns: int) -> None:
    """Write the state of the database just moved into place at `db_path`."""
    with _no_collection():
        facts = [
            (
                law_file(f.id, f.country),
                (
                    f.id,
                    f.country,
                    f.status,
                    f.dates,
                    f.areas,
                    f.relations,
                    f.evidence,
                    f.verification,
                    f.has_note,
                    f.provisions,
                    f.quoted,
                    f.last_verified,
                ),
            )
            for f in corpus.laws.values()
        ]
        stats = {k: v for k, v in corpus.stats.items() if v[1] < started_ns - RACY_NS}
        state = {
            "version": VERSION,
            "database": _identity(db_path),
            "builder": builder,
            "digests": corpus.digests,
            "facts": facts,
            "stats": stats,
            "times": times,
            "times_today": today,
        }
        data = marshal.dumps(state)
        del facts, state
    write_bytes(path_of(db_path), data)


def load(db_path: Path) -> Previous | None:
    """The state of the database at `db_path`, or None when there is no usable one."""
    try:
        with _no_collection():
            state: Any = marshal.loads(path_of(db_path).read_bytes())
            if not isinstance(state, dict) or state.get("version") != VERSION or state["database"] != _identity(db_path):
                return None
            facts = {key: LawFacts(f[0], f[1], key, *f[2:]) for key, f in state.pop("facts")}
            previous = Previous(state["digests"], facts, state["builder"], state["stats"], state["times"], state["times_today"])
            # kept for the whole build and never garbage: the collector need not walk them again
            gc.freeze()
            return previous
    except (OSError, EOFError, ValueError, TypeError, KeyError, IndexError):
        return None
