"""The parsers, chosen by name or detected from the page."""

from __future__ import annotations

import importlib
import pkgutil
from types import ModuleType

from ingest.importers.model import Draft, Refusal
from ingest.importers.page import Page

MIN_TEXT = 400  # characters of visible text below which a page holds no law


def parsers() -> dict[str, ModuleType]:
    """Every parser module of ingest.importers.parsers by NAME, in PRIORITY order (the generic reader last)."""
    from ingest.importers import parsers as package

    found = [importlib.import_module(f"{package.__name__}.{info.name}") for info in pkgutil.iter_modules(package.__path__)]
    return {m.NAME: m for m in sorted(found, key=lambda m: (m.PRIORITY, m.NAME))}


def choose(page: Page, name: str = "auto") -> ModuleType:
    """The parser for `page`: the one named, or the first whose detect() accepts it."""
    found = parsers()
    if name != "auto":
        if name not in found:
            raise Refusal(f"no parser is named {name!r}; use one of: auto, {', '.join(found)}")
        return found[name]
    for module in found.values():
        if module.detect(page):
            return module
    raise Refusal(
        "no parser recognises this page (Singapore Statutes Online, LawPhil, thuvienphapluat.vn, vbpl.vn, "
        "JDIH BPK, or a page with schema.org Legislation, ELI or Dublin Core metadata); name one with --source"
    )


def refuse_shells(page: Page) -> None:
    """A page whose visible text is too short to hold a law: most often a
    JavaScript application saved before it rendered."""
    body = page.soup.body or page.soup
    seen = 0
    for text in body.stripped_strings:  # stop as soon as there is enough: a large page is not copied
        seen += len(text)
        if seen >= MIN_TEXT:
            return
    if seen < MIN_TEXT:
        if page.had_scripts:
            raise Refusal(
                "the page is a JavaScript application shell with no law text in it: open it in a browser, "
                "let it render, and save the rendered page (or the site's print view) instead"
            )
        raise Refusal(f"the page holds no law text ({seen} characters of text)")


def read(page: Page, source: str = "auto") -> Draft:
    """The draft a page states, by the chosen parser."""
    refuse_shells(page)
    draft: Draft = choose(page, source).parse(page)
    draft.sha256 = page.sha256
    if draft.url is None:
        draft.url = page.url
    return draft
