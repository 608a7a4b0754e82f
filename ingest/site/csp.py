"""Security headers for every response, and the Content-Security-Policy of a page.

Pages run scripts served by the site itself, and only those inline scripts
whose *shape* is known: the inline scripts of Datasette's templates and ours,
listed in `csp_scripts.txt`. A script's shape is its code with every JSON
value assigned in it replaced by `DATA` (Datasette writes page data into
inline scripts as JSON) and runs of white space made one space. A page's
policy lists the SHA-256 hashes of its inline scripts whose shape is known,
so a script that was not written by a template cannot run, even if it ended
up in a page. Inline event-handler attributes are allowed the same way, by
exact text (`'unsafe-hashes'`). Styles may be inline: Datasette's templates
and scripts set style attributes, and a style runs no code. Nothing may
frame a page; forms post only to the site.

When a new Datasette release or a template changes an inline script, the site
test that renders every page kind names the new shape; review it and add its
line to `csp_scripts.txt`.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

INLINE_SCRIPT = re.compile(r"<script\b(?![^>]*\bsrc\s*=)[^>]*>(.*?)</script\s*>", re.I | re.S)
HANDLER = re.compile(r"""\s(on[a-z]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.I)
ASSIGNED = re.compile(r"=\s*(?=[\[{\"'0-9tfn-])")
QUOTED = re.compile(r"'[^'\\\n<]*'")
SHAPES_FILE = Path(__file__).with_name("csp_scripts.txt")

COMMON = {
    "x-content-type-options": "nosniff",
    "referrer-policy": "strict-origin-when-cross-origin",
    "x-frame-options": "DENY",
    "permissions-policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), browsing-topics=()"
    ),
    "cross-origin-opener-policy": "same-origin",
}
# Data responses (JSON, CSV, feeds, images) run nothing and embed nothing.
DATA_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
_DECODER = json.JSONDecoder()


def shape(code: str) -> str:
    """`code` with each JSON value (or short single-quoted text) assigned in it
    replaced by DATA, and white space made single spaces."""
    out: list[str] = []
    pos = 0
    for m in ASSIGNED.finditer(code):
        start = m.end()
        if start < pos:
            continue
        end = _literal_end(code, start)
        if end is None:
            continue
        out.append(code[pos:start] + "DATA")
        pos = end
    out.append(code[pos:])
    return " ".join("".join(out).split())


def _literal_end(code: str, start: int) -> int | None:
    quoted = QUOTED.match(code, start)
    if quoted:
        return quoted.end()
    try:
        _, end = _DECODER.raw_decode(code, start)
    except ValueError:
        return None
    return end


def shape_id(code: str) -> str:
    return hashlib.sha256(shape(code).encode("utf-8")).hexdigest()


@cache
def known_shapes() -> frozenset[str]:
    """The shape ids in csp_scripts.txt (first word of each line; # starts a comment)."""
    ids = set()
    for line in SHAPES_FILE.read_text(encoding="utf-8").splitlines():
        word = line.split("#", 1)[0].strip()
        if word:
            ids.add(word.split()[0])
    return frozenset(ids)


def inline_scripts(page: str) -> Iterator[str]:
    """The code of every inline script and event-handler attribute of a page."""
    for m in INLINE_SCRIPT.finditer(page):
        yield m.group(1)
    yield from _handlers(page)


def _handlers(page: str) -> Iterator[str]:
    """The code of every inline event-handler attribute (onclick="…") of a page."""
    for m in HANDLER.finditer(page):
        yield html.unescape(m.group(2) if m.group(2) is not None else m.group(3))


def _csp_hash(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


def page_policy(page: str, known: frozenset[str] | None = None) -> str:
    """The Content-Security-Policy for an HTML page: its known inline scripts by hash."""
    known = known_shapes() if known is None else known
    scripts = sorted({_csp_hash(m.group(1)) for m in INLINE_SCRIPT.finditer(page) if shape_id(m.group(1)) in known})
    handlers = sorted({_csp_hash(code) for code in _handlers(page) if shape_id(code) in known})
    script_src = ["'self'", *scripts]
    if handlers:
        script_src += ["'unsafe-hashes'", *handlers]
    return "; ".join(
        [
            "default-src 'self'",
            "script-src " + " ".join(script_src),
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data:",
            "font-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def is_html(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() == "text/html"
