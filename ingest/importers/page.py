"""A fetched or saved page, decoded and parsed safely.

Bytes are capped (`MAX_BYTES`); the encoding is sniffed from the bytes
(charset-normalizer), never taken from a meta tag alone: LawPhil pages declare
windows-1252 and are UTF-8. Parsing uses lxml through BeautifulSoup, which
copes with unclosed tags and deep nesting; scripts, styles and comments are
dropped before any text is read, so no markup or script text reaches a field.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from typing import Any

from bs4 import BeautifulSoup, Comment, Tag
from charset_normalizer import from_bytes

from ingest.importers.model import Refusal

MAX_BYTES = 25 * 1024 * 1024
_SPACE = re.compile(r"\s+")
_META_CHARSET = re.compile(rb"<meta[^>]+charset=[\"']?([A-Za-z0-9_-]+)", re.I)


@dataclass
class Page:
    data: bytes
    text: str  # the decoded page
    soup: BeautifulSoup
    url: str | None = None
    encoding: str = "utf-8"
    sha256: str = ""
    json_ld: list[str] = field(default_factory=list)  # the texts of <script type="application/ld+json"> blocks
    had_scripts: bool = False  # the page carried scripts (an application shell is mostly script)

    def find_text(self, selector: str) -> str | None:
        """Clean text of the first element matching a CSS selector."""
        el = self.soup.select_one(selector)
        return clean(el) if el is not None else None


def clean(el: Tag | str | None) -> str:
    """Plain text with white space folded; '' for None."""
    if el is None:
        return ""
    raw = el if isinstance(el, str) else el.get_text(" ")
    return _SPACE.sub(" ", raw.replace("\u00a0", " ")).strip()


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 when the bytes are UTF-8 whatever the page
    declares; otherwise the declared encoding when it decodes cleanly;
    otherwise charset-normalizer's best guess."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii").lower()
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    best = from_bytes(data[: 2 * 1024 * 1024]).best()
    if best is not None and best.encoding:
        return data.decode(best.encoding, errors="replace"), best.encoding
    return data.decode("utf-8", errors="replace"), "utf-8"


def load(data: bytes, url: str | None = None) -> Page:
    """Decode and parse a page; Refusal for one too large or with no HTML."""
    if len(data) > MAX_BYTES:
        raise Refusal(
            f"the page is {len(data) // (1024 * 1024)} MB, more than the {MAX_BYTES // (1024 * 1024)} MB an "
            "importer reads; save the statute's own page or its print view"
        )
    text, encoding = decode(data)
    if "<" not in text[:65536]:
        raise Refusal("this is not an HTML page; save the statute page itself (HTML)")
    soup = BeautifulSoup(text, "lxml")
    json_ld: list[str] = []
    had_scripts = False
    for el in soup.find_all(["script", "style", "noscript", "template", "iframe", "object", "embed"]):
        if el.name == "script":
            had_scripts = True
            if "ld+json" in str(el.get("type") or "") and el.string:
                json_ld.append(str(el.string))
        el.decompose()
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    return Page(data, text, soup, url, encoding, hashlib.sha256(data).hexdigest(), json_ld, had_scripts)


def meta(page: Page, *names: str) -> str | None:
    """The content of the first <meta name|property=...> among `names`."""
    for name in names:
        el = page.soup.find("meta", attrs={"name": name}) or page.soup.find("meta", attrs={"property": name})
        if isinstance(el, Tag) and el.get("content"):
            return clean(str(el["content"]))
    return None


def attr(el: Any, name: str) -> str | None:
    value = el.get(name) if isinstance(el, Tag) else None
    return str(value) if isinstance(value, str) else None
