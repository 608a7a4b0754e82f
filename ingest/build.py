"""Build the SQLite database from a validated corpus, atomically.

The new database is written to a temporary file beside the target and moved
into place with `os.replace`, so a build that fails or is killed leaves the
previous database untouched. When only law files changed since the previous
build, that database is copied and patched (rows of changed records deleted
and inserted again) instead of being written from scratch; the content is the
same as a full build's.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from contextlib import closing, suppress
from pathlib import Path
from typing import Any

from . import dates, reconcile, reviews, timeline, timestamps, verification
from .answers import periods, value_text
from .atomic import alive
from .corpus import Previous, validate
from .files import digest
from .model import Corpus, LawFacts, ref_key
from .text import fold

DB_DIR = Path(__file__).resolve().parent.parent / "db"
SCHEMA_SQL = DB_DIR / "schema.sql"
VIEWS_SQL = DB_DIR / "views.sql"
DERIVED_SQL = DB_DIR / "derived.sql"

VOCAB_TABLES = {
    "areas": "areas",
    "instrument-types": "instrument_types",
    "statuses": "statuses",
    "verification": "verification_statuses",
    "evidence": "evidence_levels",
    "relation-types": "relation_types",
    "link-kinds": "link_kinds",
    "coverage-statuses": "coverage_statuses",
    "languages": "languages",
    "international-instruments": "international_instruments",
    "answer-types": "answer_types",
    "answer-values": "answer_values",
    "units": "units",
    "review-statuses": "review_statuses",
    "review-types": "review_types",
    "review-stages": "review_stages",
    "assessments": "assessments",
    "responses": "responses",
}
LAW_CHILD_TABLES = ("law_areas", "law_titles", "provisions", "sources", "links", "alignments")
# Full-text search: (table, columns, tokenizer)
FTS = [
    ("laws", ["title", "short_title", "number", "summary", "search_folded"], "unicode61 remove_diacritics 2"),
    ("provisions", ["ref", "heading", "summary"], "unicode61 remove_diacritics 2"),
    # substring search for titles in scripts written without spaces (Thai, Khmer, Lao, Burmese)
    ("law_titles", ["title", "title_folded"], "trigram"),
]
Progress = Callable[[int], None]


BUILDER = "(builder)"  # row of the files table: the digest of the code and SQL that wrote the database


def builder_digest() -> str:
    """Changes whenever the database's SQL or the code that reads and writes
    records changes (every module of this package and every SQL file)."""
    files = sorted(DB_DIR.glob("*.sql")) + sorted(Path(__file__).parent.glob("*.py"))
    return digest(b"\0".join(p.read_bytes() for p in files))


def read_previous(db_path: Path) -> Previous | None:
    """Digests and law facts of an existing database, or None if unusable."""
    if not db_path.exists():
        return None
    try:
        with closing(sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)) as conn:
            digests = dict(conn.execute("SELECT path, digest FROM files"))
            rels: dict[str, list[tuple[str, str]]] = {}
            for law_id, rtype, target in conn.execute(
                "SELECT law_id, type, target_id FROM relations WHERE stated_in = law_id ORDER BY rowid"
            ):
                rels.setdefault(law_id, []).append((rtype, target))
            refs: dict[str, list[str]] = {}
            quoted: dict[str, list[str]] = {}
            for law_id, ref, official in conn.execute(
                    "SELECT law_id, ref, quote_official FROM provisions ORDER BY law_id, position"):
                refs.setdefault(law_id, []).append(ref_key(ref))
                if official:
                    quoted.setdefault(law_id, []).append(ref_key(ref))
            facts = {}
            for row in conn.execute(
                "SELECT id, country, file, status, adopted, promulgated, in_force, repealed, "
                "evidence, verification, provenance_note IS NOT NULL, areas FROM laws"
            ):
                d = {k: v for k, v in zip(("adopted", "promulgated", "in_force", "repealed"), row[4:8], strict=True) if v}
                facts[row[2]] = LawFacts(row[0], row[1], row[2], row[3], d, json.loads(row[11]),
                                         rels.get(row[0], []), row[8], row[9], bool(row[10]), refs.get(row[0], []),
                                         quoted.get(row[0], []))
            builder = digests.pop(BUILDER, "")
            return Previous(digests, facts, builder)
    except sqlite3.Error:
        return None


def build(root: Path, db_path: Path, previous: Previous | None = None, today: dt.date | None = None,
          jobs: int | None = None, progress: Progress | None = None) -> tuple[Corpus, dict[str, int] | None]:
    """Validate the records under `root` and write the database atomically.

    Rows are written to a temporary file while the records are read; the file
    replaces `db_path` only if every rule passes. Returns the corpus (with its
    problems) and the row counts, or None for the counts when nothing was
    written (problems found, or nothing changed since `previous`)."""
    db_path.parent.mkdir(parents=True, exist_ok=True)
    _remove_stale_temporaries(db_path)
    if previous and previous.builder != builder_digest():
        previous = None  # written by other code or SQL: build afresh
    tmp = db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")
    writer = _Writer(tmp, db_path, previous, today or dt.date.today())
    try:
        corpus = validate(root, previous=previous, today=today, jobs=jobs, progress=progress, sink=writer.add)
        if corpus.problems or (previous and previous.digests == corpus.digests and db_path.exists()):
            return corpus, None
        counts = writer.finish(corpus)
        with open(tmp, "rb") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, db_path)
        _fsync_dir(db_path.parent)
        return corpus, counts
    finally:
        writer.close()
        with suppress(FileNotFoundError):
            tmp.unlink()


class _Writer:
    """Receives valid law records as they are read and writes their rows."""

    BATCH = 2000

    def __init__(self, tmp: Path, target: Path, previous: Previous | None, today: dt.date) -> None:
        self.tmp, self.target, self.previous, self.today = tmp, target, previous, today
        self.conn: sqlite3.Connection | None = None
        self.patch = False
        self.inverse: dict[str, str] = {}
        self.hosts: list[dict[str, Any]] = []
        self.rows: dict[str, list[tuple[Any, ...]]] = {}
        self.pending = 0
        self.written: set[str] = set()  # ids of the laws whose rows this patch rewrote

    def _open(self, corpus: Corpus) -> sqlite3.Connection:
        # Patch a copy of the previous database when only law files changed.
        self.patch = corpus.incremental and self.target.exists()
        if self.patch:
            shutil.copyfile(self.target, self.tmp)
        conn = sqlite3.connect(self.tmp, isolation_level=None)
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        if not self.patch:
            conn.executescript(SCHEMA_SQL.read_text(encoding="utf-8"))
        conn.execute("BEGIN")
        self.inverse = corpus.inverse()
        self.hosts = corpus.official_hosts
        self.rows = {t: [] for t in ("laws", "relations", *LAW_CHILD_TABLES)}
        self.conn = conn
        return conn

    def add(self, corpus: Corpus, rec: dict[str, Any]) -> None:
        conn = self.conn or self._open(corpus)
        if self.patch:
            self._flush()
            _delete_laws(conn, "= ?", [rec["id"]])
            self.written.add(rec["id"])
        for table, rows in law_rows(rec, self.inverse, self.hosts).items():
            self.rows[table].extend(rows)
        self.pending += 1
        if self.pending >= self.BATCH:
            self._flush()

    def _flush(self) -> None:
        assert self.conn is not None
        for table, rows in self.rows.items():
            if rows:
                self.conn.executemany(f"INSERT INTO [{table}] VALUES ({','.join('?' * len(rows[0]))})", rows)
                rows.clear()
        self.pending = 0

    def finish(self, corpus: Corpus) -> dict[str, int]:
        conn = self.conn or self._open(corpus)
        self._flush()
        if self.patch:
            assert self.previous is not None
            old = self.previous.digests
            # records removed or renamed since the previous build
            gone = sorted({f.id for f in self.previous.facts.values()} - set(corpus.laws))
            for law_id in gone:
                _delete_laws(conn, "= ?", [law_id])
            affected = _affected_countries(self.written | set(gone), corpus, self.previous)
            stale = [(p,) for p in old if p not in corpus.digests or old[p] != corpus.digests[p]]
            conn.executemany("DELETE FROM files WHERE path = ?", stale)
            _files(conn, [(p, d) for p, d in corpus.digests.items() if old.get(p) != d])
        else:
            _vocabularies(conn, corpus)
            _countries(conn, corpus)
            _files(conn, [*corpus.digests.items(), (BUILDER, builder_digest())])
            affected = set(corpus.countries)
        _codebook_and_answers(conn, corpus)
        # when each record file was created and last changed (git history, else its own dates)
        conn.execute("DELETE FROM record_times")
        conn.executemany("INSERT INTO record_times VALUES (?, ?, ?, ?)",
                         [(p, *t) for p, t in sorted(timestamps.record_times(Path(corpus.root)).items())])
        conn.execute("COMMIT")
        # derived tables: recomputed for the countries whose laws changed
        conn.execute("CREATE TEMP TABLE affected_countries (code TEXT PRIMARY KEY)")
        conn.executemany("INSERT INTO affected_countries VALUES (?)", [(c,) for c in sorted(affected)])
        conn.executescript(DERIVED_SQL.read_text(encoding="utf-8"))
        conn.execute("BEGIN")
        timeline.recompute(conn, sorted(affected), self.today)
        conn.execute("COMMIT")
        # the reconciliation with the UNCTAD tracker snapshot, recomputed from the current records
        reconcile.write_tables(conn, corpus.peer_files.get("unctad", ("", None))[1])
        if not self.patch:
            conn.executescript(VIEWS_SQL.read_text(encoding="utf-8"))
            import sqlite_utils  # only a full build needs it

            db = sqlite_utils.Database(conn)
            for table, columns, tokenize in FTS:
                db[table].enable_fts(columns, tokenize=tokenize, create_triggers=True, replace=True)
            conn.execute("ANALYZE")
            # A safety net: the rules already guarantee every reference. A patch
            # keeps the statistics of the copy and skips this full scan.
            broken = conn.execute("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"foreign keys broken in the new database: {broken[:5]}")
        counts = {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                  for t in ("laws", "countries", "provisions", "relations", "law_titles")}
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        self.conn = None
        return counts

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def _affected_countries(ids: set[str], corpus: Corpus, previous: Previous) -> set[str]:
    """Countries of the given laws, before and after, and of the laws they relate to."""
    before = {f.id: f for f in previous.facts.values()}
    out: set[str] = set()
    for law_id in ids:
        for facts in (corpus.laws.get(law_id), before.get(law_id)):
            if facts:
                out.add(facts.country)
                for _, target in facts.relations:
                    other = corpus.laws.get(target) or before.get(target)
                    if other:
                        out.add(other.country)
    return out


def _delete_laws(conn: sqlite3.Connection, condition: str, params: list[str]) -> None:
    conn.execute(f"DELETE FROM relations WHERE stated_in {condition}", params)
    for table in LAW_CHILD_TABLES:
        conn.execute(f"DELETE FROM [{table}] WHERE law_id {condition}", params)
    conn.execute(f"DELETE FROM laws WHERE id {condition}", params)


def _remove_stale_temporaries(db_path: Path) -> None:
    for p in db_path.parent.glob(f"{db_path.name}.tmp-*"):
        pid = p.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not alive(int(pid)):
            with suppress(OSError):
                p.unlink()


def _fsync_dir(path: Path) -> None:
    with suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _files(conn: sqlite3.Connection, items: Iterable[tuple[str, str]]) -> None:
    rows = []
    for path, value in sorted(items):
        top = path.split("/", 1)[0]
        kind = "builder" if path == BUILDER else FILE_KINDS.get(top, "law")
        rows.append((path, kind, value))
    conn.executemany("INSERT INTO files VALUES (?, ?, ?)", rows)


FILE_KINDS = {"schemas": "schema", "vocabularies": "vocabulary", "countries": "country",
              "codebook": "codebook", "answers": "answers", "reviews": "review", "peers": "peer"}
CODEBOOK_TABLES = ("review_findings", "review_scope", "review_parties", "reviews",
                   "answer_sources", "answer_basis", "answers", "indicator_references", "indicator_options",
                   "indicators", "codebook_changes", "codebook")


def _codebook_and_answers(conn: sqlite3.Connection, corpus: Corpus) -> None:
    """The codebook, every answer and every review, written afresh on every
    build (they are few)."""
    for table in CODEBOOK_TABLES:
        conn.execute(f"DELETE FROM [{table}]")
    book = corpus.codebook
    if book is None:
        return
    conn.execute("INSERT INTO codebook VALUES (?,?,?,?,?)",
                 (book["codebook"], book["title"], book["version"], book["date"], book["description"]))
    conn.executemany("INSERT INTO codebook_changes VALUES (?,?,?,?,?)",
                     [(i, c["version"], c["date"], c["summary"], json.dumps(c["indicators"]) if "indicators" in c else None)
                      for i, c in enumerate(book["changes"])])
    first = book["changes"][0]["version"]
    numbers: dict[str, int] = {}
    for pos, (ind_id, ind) in enumerate(corpus.indicators().items()):
        numbers[ind["area"]] = numbers.get(ind["area"], 0) + 1
        conn.execute("INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                     (ind_id, ind["area"], pos, numbers[ind["area"]], ind["question"], ind["answer_type"], ind.get("unit"),
                      ind["guidance"], "; ".join(ind["origin"]), int(ind.get("basis_required", True)),
                      ind.get("since_version", first), ind.get("withdrawn_in"),
                      f"codebook/{ind['area']}.yml"))
        conn.executemany("INSERT INTO indicator_options VALUES (?,?,?,?,?)",
                         [(ind_id, i, o["code"], o["label"], o["description"]) for i, o in enumerate(ind.get("options") or [])])
        conn.executemany("INSERT INTO indicator_references VALUES (?,?,?,?)",
                         [(ind_id, i, r["instrument"], r.get("article")) for i, r in enumerate(ind.get("reference") or [])])
    for country, (_, data) in sorted(corpus.answer_files.items()):
        file = f"answers/{country.lower()}.yml"
        for answer in data["answers"]:
            ver, rev = answer["verification"], answer["review"]
            ind_id = answer["indicator"]
            for p in periods(answer):
                item = p.data
                value = item["value"]
                number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
                conn.execute("INSERT INTO answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                             (country, ind_id, p.seq, value_text(value), number, item.get("currency"),
                              item.get("since"), item.get("until"), p.starts, p.ends, item.get("note"),
                              ver["status"], ver["by"], ver["on"], ver["evidence"],
                              rev["status"], rev.get("by"), rev.get("on"), rev.get("dispute"), None, file))
                rows = []
                for j, b in enumerate(item.get("basis") or []):
                    refs = corpus.laws[b["law"]].provisions
                    key = ref_key(b["provision"]) if "provision" in b else None
                    rows.append((country, ind_id, p.seq, j, b["law"], b.get("provision"),
                                 refs.index(key) if key in refs else None, *_quote_cols(b.get("quote"))[:4]))
                conn.executemany("INSERT INTO answer_basis (country, indicator, period, position, law_id, provision, "
                                 "provision_position, law_title, quote, quote_lang, quote_url, quote_via) "
                                 "VALUES (?,?,?,?,?,?,?,'',?,?,?,?)", rows)
            conn.executemany("INSERT INTO answer_sources VALUES (?,?,?,?,?,?)",
                             [(country, ind_id, i, s["citation"], s.get("url"), s.get("accessed"))
                              for i, s in enumerate(ver.get("sources") or [])])
    # the titles of the laws cited, so that the compare pages need not read the laws table
    conn.execute("""UPDATE answer_basis SET
                      law_title = (SELECT coalesce(short_title, title) FROM laws WHERE id = law_id),
                      law_year = (SELECT year FROM laws WHERE id = law_id),
                      provision_heading = (SELECT heading FROM provisions p
                                           WHERE p.law_id = answer_basis.law_id AND p.position = provision_position)""")
    reviews.write(conn, corpus)


def _vocabularies(conn: sqlite3.Connection, corpus: Corpus) -> None:
    for name in sorted(corpus.vocab):
        table = VOCAB_TABLES.get(name)
        if not table:
            continue
        conn.execute("INSERT INTO vocabularies VALUES (?, ?, ?)", (name, corpus.vocab_titles[name], table))
        cols = [r[1] for r in conn.execute(f"PRAGMA table_info([{table}])")]
        rows = []
        for pos, e in enumerate(corpus.vocab[name]):
            value = {"position": pos, "is_primary": int(e.get("primary", True)), "spaces": int(e.get("spaces", True)), **e}
            rows.append([value.get(c) for c in cols])
        conn.executemany(f"INSERT INTO [{table}] VALUES ({','.join('?' * len(cols))})", rows)


def _countries(conn: sqlite3.Connection, corpus: Corpus) -> None:
    for code in sorted(corpus.countries):
        c = corpus.countries[code]
        prov = c["provenance"]
        conn.execute(
            "INSERT INTO countries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (code, c["name"], c.get("official_name"), c["iso3"], c["m49"], c["asean_member_since"],
             json.dumps(c["official_languages"]),
             c.get("legislative_portal", {}).get("name"), c.get("legislative_portal", {}).get("url"),
             c.get("trade_repository", {}).get("name"), c.get("trade_repository", {}).get("url"),
             prov["verification"], prov["evidence"], prov.get("note"),
             f"countries/{code.lower()}.yml"),
        )
        for st in c.get("coverage") or []:
            conn.execute("INSERT INTO coverage VALUES (?,?,?,?,?)",
                         (code, st["area"], st["status"], st.get("as_of"), st["note"]))
            conn.executemany("INSERT INTO coverage_sources VALUES (?,?,?,?,?,?,?)",
                             [(code, st["area"], i, s["citation"], s.get("url"), s.get("accessed"), s.get("supports"))
                              for i, s in enumerate(st["sources"])])


def _quote_cols(quote: Mapping[str, Any] | None) -> tuple[Any, ...]:
    """text, lang, url, via of a quote (all None when there is none)."""
    q = quote or {}
    return q.get("text"), q.get("lang"), q.get("url"), q.get("via")


def law_rows(rec: dict[str, Any], inverse: dict[str, str],
             hosts: Sequence[Mapping[str, Any]] = ()) -> dict[str, list[tuple[Any, ...]]]:
    """The rows one law record contributes to each table."""
    rid = rec["id"]
    d = rec.get("dates") or {}
    prov = rec["provenance"]
    titles = rec.get("local_titles") or []
    links = rec.get("links") or []
    quoted = set(verification.official_quotes(rec.get("provisions") or [], hosts))
    official = next((x["url"] for x in links if x["official"]), None)
    year = next((dates.year_of(d[k]) for k in ("adopted", "promulgated", "in_force") if k in d and d[k] != "unknown"), None)
    # local titles as written and without diacritics, so both spellings find them
    folded = " ".join([*(t["title"] for t in titles),
                       *(fold(s) for s in [rec["title"], rec.get("short_title") or "", *(t["title"] for t in titles)] if s)])
    file = f"{rec['country'].lower()}/{rid.split('-', 1)[1]}.yml"  # the rules make the path follow the id
    law = (rid, rec["country"], rec["title"], rec.get("short_title"), titles[0]["title"] if titles else None,
           rec["instrument_type"], rec.get("number"), year,
           d.get("adopted"), d.get("promulgated"), d.get("in_force"), d.get("repealed"),
           rec["status"], rec["areas"][0], json.dumps(rec["areas"]), rec.get("agency"), rec.get("summary"), official,
           verification.effective_level(rec, hosts), prov["evidence"], prov.get("last_verified"), prov.get("note"),
           file, folded, json.dumps(verification.unsupported(rec, hosts)))
    relations = []
    for r in rec.get("relations") or []:
        note = r.get("note")
        relations.append((rid, r["type"], r["target"], note, rid))
        relations.append((r["target"], inverse[r["type"]], rid, note, rid))
    return {
        "laws": [law],
        "relations": relations,
        "law_areas": [(rid, a, i) for i, a in enumerate(rec["areas"])],
        "law_titles": [(rid, i, t["lang"].split("-")[0], t["title"], fold(t["title"])) for i, t in enumerate(titles)],
        "provisions": [(rid, i, p["ref"], p["heading"], p.get("summary"), p.get("area"), p.get("url"),
                        *_quote_cols(p.get("quote")), int(ref_key(p["ref"]) in quoted))
                       for i, p in enumerate(rec.get("provisions") or [])],
        "sources": [(rid, i, s["citation"], s.get("url"), s.get("accessed"), json.dumps(s.get("supports") or []),
                     json.dumps(s.get("provisions") or []), int(bool(verification.official_entry(s.get("url"), hosts))),
                     s.get("via"), s.get("note"))
                    for i, s in enumerate(prov["sources"])],
        "links": [(rid, i, x["url"], x["kind"], x["language"], int(x["official"]), x.get("title"))
                  for i, x in enumerate(links)],
        "alignments": [(rid, a["instrument"], a.get("note")) for a in rec.get("alignment") or []],
    }
