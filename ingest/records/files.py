"""Find the record files under a `laws/` folder and say what kind each is.

Layout of a laws folder::

    laws/schemas/<kind>.schema.json     JSON Schemas (not records)
    laws/vocabularies/<name>.yml        controlled vocabularies
    laws/countries/<cc>.yml             country profiles
    laws/<cc>/<slug>.yml                law records (cc: lower-case ISO code)
    laws/codebook/codebook.yml          the indicator codebook: version, date, changes
    laws/codebook/<area>.yml            the indicators of one area
    laws/answers/<cc>.yml               one member state's answers to the indicators
    laws/reviews/<id>.yml               a review of a member state's laws (Outcome 9)
    laws/peers/<name>.yml               a snapshot of a peer's data (e.g. the UNCTAD tracker) to reconcile with
    laws/sources/official-hosts.yml     where official texts are published (what counts as an official source)
    laws/source-checks/<cc>.yml         the last check of each record's official page (lawrepo check-sources)
    laws/README.md, laws/*TEMPLATE.yml  documentation, not loaded
"""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable, Container
from pathlib import Path

from ingest.common.problems import Problem
from ingest.records import yamlsafe

DOCS = {"README.md", "TEMPLATE.yml", "ANSWERS-TEMPLATE.yml", "REVIEW-TEMPLATE.yml"}
_CC_DIR = re.compile(r"^[a-z]{2}$")


def law_key(law_id: str) -> str:
    """The path below the laws folder of the record with this id (the rules make
    an id `<cc>-<slug>` follow its file, `<cc>/<slug>.yml`)."""
    return f"{law_id[:2]}/{law_id[3:]}.yml"


def law_id_of(key: str) -> str:
    """The id of the law record at `key`, a path below the laws folder (see law_key)."""
    return f"{key[:2]}-{key[3:-4]}"


def is_country_folder(name: str) -> bool:
    """Law records are in folders named with a lower-case two-letter country code."""
    return _CC_DIR.match(name) is not None


def is_law_key(key: str) -> bool:
    """Law records are the files of the two-letter country folders."""
    return key.find("/") == 2


def find_root(start: Path) -> Path | None:
    """The laws folder containing `start` (a folder with schemas/ and vocabularies/)."""
    p = start.resolve()
    for cand in [p, *p.parents]:
        if (cand / "schemas").is_dir() and (cand / "vocabularies").is_dir():
            return cand
    return None


def classify(rel: str) -> str | None:
    """Kind of the file at `rel` (below the laws folder, '/'-separated): 'law',
    'country', 'vocabulary', 'codebook', 'indicators', 'answers', 'review',
    'peer', 'official-hosts', or None for
    documentation and schemas.
    Raises ValueError for a file that does not belong there."""
    parts = rel.split("/")
    if len(parts) == 1:
        if parts[0] in DOCS:
            return None
        raise ValueError("unexpected file at the top of the laws folder: law records go in laws/<cc>/<slug>.yml")
    if parts[0] == "schemas" and len(parts) == 2:
        return None
    suffix = os.path.splitext(parts[-1])[1]
    if suffix != ".yml":
        raise ValueError(f"record files must end in .yml, not '{suffix or '(no extension)'}'")
    if len(parts) != 2:
        raise ValueError("records are one folder deep: laws/<cc>/<slug>.yml")
    folder = parts[0]
    if folder == "vocabularies":
        return "vocabulary"
    if folder == "countries":
        return "country"
    if folder == "codebook":
        return "codebook" if parts[1] == "codebook.yml" else "indicators"
    if folder == "answers":
        return "answers"
    if folder == "reviews":
        return "review"
    if folder == "peers":
        return "peer"
    if folder == "source-checks":
        return "source-checks"
    if folder == "sources":
        if parts[1] == "official-hosts.yml":
            return "official-hosts"
        raise ValueError("laws/sources/ holds only official-hosts.yml")
    if _CC_DIR.match(folder):
        return "law"
    raise ValueError(f"unexpected folder '{folder}': law records go in laws/<cc>/ with a lower-case country code")


def discover(root: Path, tops: Container[str] | None = None) -> tuple[list[tuple[str, str, str]], list[Problem]]:
    """Every file under `root` as (kind, path, path below root), sorted; and
    problems for files that do not belong. Given `tops`, only the folders of
    `root` named there are walked (and the files of `root` itself only if ""
    is named): the parts of a walk of consecutive folders, put end to end,
    are the whole walk."""
    found: list[tuple[str, str, str]] = []
    problems: list[Problem] = []
    base = str(root)
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        if tops is not None and dirpath == base:
            dirnames[:] = [d for d in dirnames if d in tops]
            if "" not in tops:
                filenames = []
        rel_dir = os.path.relpath(dirpath, base).replace(os.sep, "/")
        laws = _CC_DIR.match(rel_dir) is not None  # a country's folder of law records: most files are here
        prefix = "" if rel_dir == "." else f"{rel_dir}/"
        for name in sorted(filenames):
            if name.startswith("."):
                continue
            rel = prefix + name
            full = dirpath + os.sep + name
            if laws and name.endswith(".yml"):
                found.append(("law", full, rel))  # as classify(rel) says, without its checks
                continue
            try:
                kind = classify(rel)
            except ValueError as exc:
                problems.append(Problem(show(full), 0, "", str(exc)))
                continue
            if kind:
                found.append((kind, full, rel))
    return found, problems


def show(path: str | Path) -> str:
    """The path as shown to people: relative to the working directory when below it."""
    text = str(path)
    if not os.path.isabs(text):
        text = os.path.abspath(text)
    cwd = os.getcwd() + os.sep
    return text[len(cwd) :] if text.startswith(cwd) else text


def shower() -> Callable[[str], str]:
    """`show` for many absolute, normalised paths (as `discover` gives): the
    working directory is read once."""
    cwd = os.getcwd() + os.sep
    return lambda text: text[len(cwd) :] if text.startswith(cwd) else text


def digest(data: bytes) -> str:
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def line_of_field(path: str, field_path: tuple[str | int, ...]) -> int:
    """Line of a field in a file that parsed before (used for cross-record problems)."""
    try:
        _, lines = yamlsafe.load(Path(path).read_bytes(), lines=True)
    except (OSError, yamlsafe.LoadError):
        return 0
    return yamlsafe.line_for(lines, field_path)
