"""Shared fixtures: the repository's own records built into a database once per run."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from ingest.build.database import build
from ingest.rules.corpus import validate
from ingest.site import page_cache
from ingest.site.page_cache import MB, PageCache
from tests.helpers import CHROMIUM, LAWS


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


@pytest.fixture(scope="session")
def compare_db(tmp_path_factory) -> Path:
    """The shipped records with known answers for Thailand and the Philippines
    (tests/answers_fixture.py), built into a database."""
    from tests import answers_fixture

    tmp = tmp_path_factory.mktemp("compare")
    laws = tmp / "laws"
    shutil.copytree(LAWS, laws)
    answers_fixture.install(laws)
    corpus, counts = build(laws, tmp / "laws.db")
    assert not corpus.problems, "\n".join(map(str, corpus.problems))
    assert counts
    return tmp / "laws.db"


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium (Debian's) driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is not installed")
    sync_api = pytest.importorskip("playwright.sync_api", reason="the playwright package is not installed")
    with sync_api.sync_playwright() as p:
        instance = p.chromium.launch(
            executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        yield instance
        instance.close()


@pytest.fixture
def fresh_cache(monkeypatch: pytest.MonkeyPatch) -> Iterator[PageCache]:
    """An empty page cache of 64 MB in place of the site's, for tests that count its entries."""
    cache = PageCache(64 * MB)
    monkeypatch.setattr(page_cache, "CACHE", cache)
    yield cache
