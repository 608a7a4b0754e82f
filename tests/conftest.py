"""Shared fixtures: the repository's own records built into a database once per run."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ingest.build import build
from ingest.corpus import validate

ROOT = Path(__file__).resolve().parent.parent
LAWS = ROOT / "laws"
SHARED = ROOT.parent / "shared"
FIXTURES = SHARED / "fixtures"


@pytest.fixture(scope="session")
def corpus():
    """The shipped records, validated."""
    c = validate(LAWS)
    assert not c.problems, "\n".join(map(str, c.problems))
    return c


@pytest.fixture(scope="session")
def built_db(corpus, tmp_path_factory) -> Path:
    """A database built from the shipped records."""
    path = tmp_path_factory.mktemp("db") / "laws.db"
    build(LAWS, path)
    return path


@pytest.fixture
def laws_copy(tmp_path) -> Path:
    """A writable copy of the laws folder (for tests that break records)."""
    dst = tmp_path / "laws"
    shutil.copytree(LAWS, dst)
    return dst

