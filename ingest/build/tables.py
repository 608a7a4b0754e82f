"""The rows each kind of record writes: law records (laws and their child
tables), vocabularies, country profiles, and the codebook with its answers
and reviews (rewritten on every build: they are few)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Mapping, Sequence
from typing import Any

from ingest.build import aliases, reviews
from ingest.common import dates
from ingest.common.text import fold, search_key
from ingest.records import sources
from ingest.records.answers import periods, value_text
from ingest.records.model import Corpus
from ingest.records.sources import ref_key
from ingest.rules import verification

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

LAW_CHILD_TABLES = ("law_areas", "law_titles", "provisions", "sources", "links", "alignments", "aliases")


CODEBOOK_TABLES = (
    "review_findings",
    "review_scope",
    "review_parties",
    "reviews",
    "answer_sources",
    "answer_basis",
    "answers",
    "indicator_references",
    "indicator_options",
    "indicators",
    "codebook_changes",
    "codebook",
)


def codebook_and_answers(conn: sqlite3.Connection, corpus: Corpus) -> None:
    """The codebook, every answer and every review, written afresh on every
    build (they are few)."""
    for table in CODEBOOK_TABLES:
        conn.execute(f"DELETE FROM [{table}]")
    book = corpus.codebook
    if book is None:
        return
    conn.execute(
        "INSERT INTO codebook VALUES (?,?,?,?,?)",
        (book["codebook"], book["title"], book["version"], book["date"], book["description"]),
    )
    conn.executemany(
        "INSERT INTO codebook_changes VALUES (?,?,?,?,?)",
        [
            (i, c["version"], c["date"], c["summary"], json.dumps(c["indicators"]) if "indicators" in c else None)
            for i, c in enumerate(book["changes"])
        ],
    )
    first = book["changes"][0]["version"]
    numbers: dict[str, int] = {}
    for pos, (ind_id, ind) in enumerate(corpus.indicators().items()):
        numbers[ind["area"]] = numbers.get(ind["area"], 0) + 1
        conn.execute(
            "INSERT INTO indicators VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                ind_id,
                ind["area"],
                pos,
                numbers[ind["area"]],
                ind["question"],
                ind["answer_type"],
                ind.get("unit"),
                ind["guidance"],
                "; ".join(ind["origin"]),
                int(ind.get("basis_required", True)),
                ind.get("since_version", first),
                ind.get("withdrawn_in"),
                f"codebook/{ind['area']}.yml",
            ),
        )
        conn.executemany(
            "INSERT INTO indicator_options VALUES (?,?,?,?,?)",
            [(ind_id, i, o["code"], o["label"], o["description"]) for i, o in enumerate(ind.get("options") or [])],
        )
        conn.executemany(
            "INSERT INTO indicator_references VALUES (?,?,?,?)",
            [(ind_id, i, r["instrument"], r.get("article")) for i, r in enumerate(ind.get("reference") or [])],
        )
    for country, (_, data) in sorted(corpus.answer_files.items()):
        file = f"answers/{country.lower()}.yml"
        for answer in data["answers"]:
            ver, rev = answer["verification"], answer["review"]
            ind_id = answer["indicator"]
            for p in periods(answer):
                item = p.data
                value = item["value"]
                number = value if isinstance(value, int | float) and not isinstance(value, bool) else None
                conn.execute(
                    "INSERT INTO answers VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    (
                        country,
                        ind_id,
                        p.seq,
                        value_text(value),
                        number,
                        item.get("currency"),
                        item.get("since"),
                        item.get("until"),
                        p.starts,
                        p.ends,
                        item.get("note"),
                        verification.answer_level(corpus, ver["status"], ver["evidence"], item.get("basis") or []),
                        ver["by"],
                        ver["on"],
                        ver["evidence"],
                        rev["status"],
                        rev.get("by"),
                        rev.get("on"),
                        rev.get("dispute"),
                        None,
                        file,
                    ),
                )
                rows = []
                for j, b in enumerate(item.get("basis") or []):
                    refs = corpus.laws[b["law"]].provisions
                    key = ref_key(b["provision"]) if "provision" in b else None
                    rows.append(
                        (
                            country,
                            ind_id,
                            p.seq,
                            j,
                            b["law"],
                            b.get("provision"),
                            refs.index(key) if key in refs else None,
                            *_quote_cols(b.get("quote"))[:4],
                        )
                    )
                conn.executemany(
                    "INSERT INTO answer_basis (country, indicator, period, position, law_id, provision, "
                    "provision_position, law_title, quote, quote_lang, quote_url, quote_via) "
                    "VALUES (?,?,?,?,?,?,?,'',?,?,?,?)",
                    rows,
                )
            conn.executemany(
                "INSERT INTO answer_sources VALUES (?,?,?,?,?,?)",
                [
                    (country, ind_id, i, s["citation"], s.get("url"), s.get("accessed"))
                    for i, s in enumerate(ver.get("sources") or [])
                ],
            )
    # the titles of the laws cited, so that the compare pages need not read the laws table
    conn.execute("""UPDATE answer_basis SET
                      law_title = (SELECT coalesce(short_title, title) FROM laws WHERE id = law_id),
                      law_year = (SELECT year FROM laws WHERE id = law_id),
                      provision_heading = (SELECT heading FROM provisions p
                                           WHERE p.law_id = answer_basis.law_id AND p.position = provision_position)""")
    # a basis without its own quote shows the quote recorded on the cited provision
    conn.execute("""UPDATE answer_basis SET (quote, quote_lang, quote_url, quote_via) =
                      (SELECT p.quote, p.quote_lang, p.quote_url, p.quote_via FROM provisions p
                       WHERE p.law_id = answer_basis.law_id AND p.position = answer_basis.provision_position)
                    WHERE quote IS NULL AND provision_position IS NOT NULL""")
    reviews.write(conn, corpus)


def vocabularies(conn: sqlite3.Connection, corpus: Corpus) -> None:
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


def countries(conn: sqlite3.Connection, corpus: Corpus) -> None:
    for code in sorted(corpus.countries):
        c = corpus.countries[code]
        prov = c["provenance"]
        conn.execute(
            "INSERT INTO countries VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                code,
                c["name"],
                c.get("official_name"),
                c["iso3"],
                c["m49"],
                c["asean_member_since"],
                json.dumps(c["official_languages"]),
                c.get("legislative_portal", {}).get("name"),
                c.get("legislative_portal", {}).get("url"),
                c.get("trade_repository", {}).get("name"),
                c.get("trade_repository", {}).get("url"),
                prov["verification"],
                prov["evidence"],
                prov.get("note"),
                f"countries/{code.lower()}.yml",
            ),
        )
        conn.executemany("INSERT INTO aliases VALUES (?,?,?,?,?,?)", alias_rows(None, code, aliases.country_aliases(c)))
        for st in c.get("coverage") or []:
            conn.execute("INSERT INTO coverage VALUES (?,?,?,?,?)", (code, st["area"], st["status"], st.get("as_of"), st["note"]))
            conn.executemany(
                "INSERT INTO coverage_sources VALUES (?,?,?,?,?,?,?)",
                [
                    (code, st["area"], i, s["citation"], s.get("url"), s.get("accessed"), s.get("supports"))
                    for i, s in enumerate(st["sources"])
                ],
            )


def _quote_cols(quote: Mapping[str, Any] | None) -> tuple[Any, ...]:
    """text, lang, url, via of a quote (all None when there is none)."""
    q = quote or {}
    return q.get("text"), q.get("lang"), q.get("url"), q.get("via")


def law_rows(
    rec: dict[str, Any], inverse: dict[str, str], hosts: Sequence[Mapping[str, Any]] = ()
) -> dict[str, list[tuple[Any, ...]]]:
    """The rows one law record contributes to each table."""
    rid = rec["id"]
    d = rec.get("dates") or {}
    prov = rec["provenance"]
    titles = rec.get("local_titles") or []
    links = rec.get("links") or []
    quoted = set(sources.official_quotes(rec.get("provisions") or [], hosts))
    missing = verification.unsupported(rec, hosts)
    official = next((x["url"] for x in links if x["official"]), None)
    year = next((dates.year_of(d[k]) for k in ("adopted", "promulgated", "in_force") if k in d and d[k] != "unknown"), None)
    # local titles as written and without diacritics, so both spellings find them
    folded = " ".join(
        [
            *(t["title"] for t in titles),
            *(fold(s) for s in [rec["title"], rec.get("short_title") or "", *(t["title"] for t in titles)] if s),
        ]
    )
    file = f"{rec['country'].lower()}/{rid.split('-', 1)[1]}.yml"  # the rules make the path follow the id
    law = (
        rid,
        rec["country"],
        rec["title"],
        rec.get("short_title"),
        titles[0]["title"] if titles else None,
        rec["instrument_type"],
        rec.get("number"),
        year,
        d.get("adopted"),
        d.get("promulgated"),
        d.get("in_force"),
        d.get("repealed"),
        rec["status"],
        rec["areas"][0],
        json.dumps(rec["areas"]),
        rec.get("agency"),
        rec.get("summary"),
        official,
        verification.effective_level(rec, hosts, missing),
        prov["evidence"],
        prov.get("last_verified"),
        prov.get("note"),
        file,
        folded,
        json.dumps(missing),
    )
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
        "provisions": [
            (
                rid,
                i,
                p["ref"],
                p["heading"],
                p.get("summary"),
                p.get("area"),
                p.get("url"),
                *_quote_cols(p.get("quote")),
                int(ref_key(p["ref"]) in quoted),
            )
            for i, p in enumerate(rec.get("provisions") or [])
        ],
        "sources": [
            (
                rid,
                i,
                s["citation"],
                s.get("url"),
                s.get("accessed"),
                json.dumps(s.get("supports") or []),
                json.dumps(s.get("provisions") or []),
                int(bool(sources.official_entry(s.get("url"), hosts))),
                s.get("via"),
                s.get("note"),
            )
            for i, s in enumerate(prov["sources"])
        ],
        "links": [
            (
                rid,
                i,
                x["url"],
                x["kind"],
                x["language"],
                int(x["official"]),
                x.get("title"),
                int(bool(sources.official_entry(x["url"], hosts))),
            )
            for i, x in enumerate(links)
        ],
        "alignments": [(rid, a["instrument"], a.get("note")) for a in rec.get("alignment") or []],
        "aliases": alias_rows(rid, rec["country"], aliases.law_aliases(rec, year)),
    }


def alias_rows(law_id: str | None, country: str, pairs: list[tuple[str, str]]) -> list[tuple[Any, ...]]:
    """Rows of the aliases table: (law_id, country, alias, key, form, rank)."""
    return [(law_id, country, a, search_key(a), form, aliases.FORMS.index(form)) for a, form in pairs]
