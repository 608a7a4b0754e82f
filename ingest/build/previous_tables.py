"""What a previous build knew, read from its database's own tables.

The build state beside the database (ingest.build.build_state) says the same
faster; this is what a build reads when that state is missing or does not
describe the database (deleted, or the database changed since).
"""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from ingest.records.model import LawFacts
from ingest.records.sources import ref_key
from ingest.rules.corpus import Previous


def read(db_path: Path, builder: str, builder_row: str) -> Previous | None:
    """The digests and law facts in the database at `db_path`, or None when
    another builder wrote it (its `files` row `builder_row` holds the builder's digest)."""
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
            if conn.execute("SELECT digest FROM files WHERE path = ?", [builder_row]).fetchone() != (builder,):
                return None
            digests = dict(conn.execute("SELECT path, digest FROM files"))
            rels: dict[str, list[tuple[str, str]]] = {}
            for law_id, rtype, target in conn.execute(
                "SELECT law_id, type, target_id FROM relations WHERE stated_in = law_id ORDER BY rowid"
            ):
                rels.setdefault(law_id, []).append((rtype, target))
            refs: dict[str, list[str]] = {}
            quoted: dict[str, list[str]] = {}
            for law_id, ref, official in conn.execute(
                "SELECT law_id, ref, quote_official FROM provisions ORDER BY law_id, position"
            ):
                refs.setdefault(law_id, []).append(ref_key(ref))
                if official:
                    quoted.setdefault(law_id, []).append(ref_key(ref))
            facts = {}
            for row in conn.execute(
                "SELECT id, country, file, status, adopted, promulgated, in_force, repealed, "
                "evidence, verification, provenance_note IS NOT NULL, areas, last_verified FROM laws"
            ):
                d = {k: v for k, v in zip(("adopted", "promulgated", "in_force", "repealed"), row[4:8], strict=True) if v}
                facts[row[2]] = LawFacts(
                    row[0],
                    row[1],
                    row[2],
                    row[3],
                    d,
                    tuple(json.loads(row[11])),
                    tuple(rels.get(row[0], ())),
                    row[8],
                    row[9],
                    bool(row[10]),
                    tuple(refs.get(row[0], ())),
                    tuple(quoted.get(row[0], ())),
                    row[12],
                )
            builder = digests.pop(builder_row, "")
            return Previous(digests, facts, builder)
    except sqlite3.Error:
        return None
