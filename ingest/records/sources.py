"""What a source is: whether an address is official, and which provisions carry an official quote.

`laws/sources/official-hosts.yml` lists the address prefixes whose texts are
official: government sites and gazettes, and faithful copies of official texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from typing import Any
from urllib.parse import urlsplit

Hosts = Sequence[Mapping[str, Any]]


def ref_key(ref: str) -> str:
    """A provision reference compared ignoring case and repeated spaces."""
    return " ".join(ref.split()).lower()


def official_entry(url: str | None, hosts: Hosts) -> Mapping[str, Any] | None:
    """The official-hosts entry that `url` falls under, or None.

    A prefix without a slash is a host: it matches that host and its
    subdomains. A prefix with a path matches that host and path prefix."""
    if not url:
        return None
    found = _host_and_path(url)
    if found is None:
        return None
    host, where = found
    for entry in hosts:
        prefix = str(entry["prefix"]).lower()
        if "/" in prefix:
            if where == prefix or where.startswith(prefix.rstrip("/") + "/"):
                return entry
        elif host == prefix or host.endswith("." + prefix):
            return entry
    return None


@lru_cache(maxsize=4096)  # a record's addresses are looked at by several rules and tables
def _host_and_path(url: str) -> tuple[str, str] | None:
    """The host (without www.) and the host and path of an address, lower-case host."""
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    host = (parts.hostname or "").lower()
    if host.startswith("www."):
        host = host[4:]
    return host, host + parts.path


def official_quotes(provisions: Iterable[Mapping[str, Any]], hosts: Hosts) -> list[str]:
    """Ref keys of the provisions whose quote comes from an official text."""
    return [
        ref_key(p["ref"])
        for p in provisions
        if isinstance(p.get("quote"), Mapping) and official_entry(p["quote"].get("url"), hosts)
    ]
