"""A posted proposal checked as `lawrepo validate` would check the record it
makes: the correction applied to the record as it is now, or the new record;
each problem is put beside the form field it is about."""

from __future__ import annotations

import copy
import datetime as dt
from pathlib import Path
from typing import Any

from ingest.submissions import changes, forms


def language_of(corpus: Any, country: str) -> str:
    """The first official language of a member state (the language of an official link added)."""
    return str(((corpus.countries.get(country.upper()) or {}).get("official_languages") or ["en"])[0])


def check(posted: forms.Posted, about: dict[str, Any], laws_dir: Path) -> dict[str, Any]:
    """Add the record's problems to `posted`; return what to store about the
    subject (the law's id and the values recorded when proposed)."""
    f = posted.fields
    entry = changes.source_entry(f["source"], "(pending)", "anonymous", "a moderator", dt.date.today().isoformat())
    try:
        if posted.kind == "correction":
            law = about["law"]
            rec = changes.read_record(laws_dir, law["file"])
            recorded = changes.recorded_values(rec)
            after = copy.deepcopy(rec)
            corpus = changes.support(laws_dir)
            if not changes.apply(after, f, entry, corpus.official_hosts, language_of(corpus, law["country"])):
                posted.error("_record", "Nothing was changed: correct at least one of the values.")
                return {}
            for field, message in changes.problems(laws_dir, law["file"], after):
                posted.error(forms.field_of(field, "correction"), message)
            return {"law_id": law["id"], "country": law["country"], "recorded": recorded}
        if posted.kind == "law":
            rec = changes.new_record(f, entry)
            rel = f"{rec['country'].lower()}/{rec['id'].split('-', 1)[1]}.yml"
            for field, message in changes.problems(laws_dir, rel, rec):
                posted.error(forms.field_of(field, "law"), message)
            return {"law_id": rec["id"], "country": rec["country"]}
    except changes.Unavailable as exc:
        posted.error("_record", f"This server cannot check the proposal: {exc}. Please try again later.")
        return {}
    answer = about["answer"]
    return {"country": answer["country"], "indicator": answer["indicator"], "recorded": {"value": answer["answer"] or ""}}
