"""The site-wide menu: its sections, in order, and which one a page belongs to.

Every page, Datasette's own included, shows the menu (templates/base.html,
templates/_site_menu.html, plugins/site_menu.py); the section a page belongs
to is marked. A page belongs to the section whose address or prefix is the
longest one that starts its path.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    label: str
    href: str
    prefixes: tuple[str, ...] = ()


SECTIONS = (
    Section("Laws", "/laws/laws", ("/law", "/laws", "/review")),
    Section("Member states", "/countries", ("/country",)),
    Section("Compare", "/compare", ("/codebook", "/area", "/reconcile")),
    Section("Side by side", "/side-by-side"),
    Section("Progress", "/progress"),
    Section("Freshness", "/freshness"),
    Section("Search", "/search"),
    Section("Downloads", "/exports", ("/laws.db",)),
    Section("About / Contribute", "/about", ("/submit", "/submissions")),
)


def _starts(path: str, prefix: str) -> bool:
    """`path` is `prefix` or below it ('/laws/laws.csv' is below '/laws'; '/lawsuit' is not)."""
    return path == prefix or path.startswith(prefix.rstrip("/") + "/") or path.startswith(prefix + ".")


def sections(database: str = "laws") -> tuple[Section, ...]:
    """The sections, their addresses under the served database's name (`lawrepo serve --db big.db`: /big/laws)."""
    if database == "laws":
        return SECTIONS
    swap = {"/laws/laws": f"/{database}/laws", "/laws": f"/{database}", "/laws.db": f"/{database}.db"}
    return tuple(Section(s.label, swap.get(s.href, s.href), tuple(swap.get(p, p) for p in s.prefixes)) for s in SECTIONS)


def current(path: str, database: str = "laws") -> Section | None:
    """The section `path` belongs to; None for the home page and pages of no section."""
    best: tuple[int, Section] | None = None
    for section in sections(database):
        for prefix in (section.href, *section.prefixes):
            if _starts(path, prefix) and (best is None or len(prefix) > best[0]):
                best = (len(prefix), section)
    return best[1] if best else None


def items(path: str, database: str = "laws") -> list[dict[str, str | bool]]:
    """The menu for the page at `path`: label, href (below the site's base URL),
    whether it is the current section, and whether it is this very page."""
    here = current(path, database)
    return [{"label": s.label, "href": s.href, "current": s is here, "page": path == s.href} for s in sections(database)]
