"""What a source is: whether an address is official, and which provisions carry an official quote.

`laws/sources/official-hosts.yml` lists the address prefixes whose texts are
official: government sites and gazettes, and faithful copies of official texts.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any
from urllib.parse import urlsplit

Hosts = Sequence[Mapping[str, Any]]


def ref_key(ref: str) -> str:
    """A provision reference compared ignoring case and repeated spaces."""
    return " ".join(ref.split()).lower()


def official_entry(url: str | None, hosts: Hosts) -> Mapping[str, Any] | None:
    """The official-hosts entry that `url` falls under, or None (the first
    listed, when several do).

    A prefix without a slash is a host: it matches that host and its
    subdomains. A prefix with a path matches that host and path prefix."""
    if not url:
        return None
    return _index_of(hosts).entry(url)


class _HostIndex:
    """The official-hosts entries arranged for looking addresses up: each
    record's sources and links are looked up by several rules and tables,
    a hundred thousand records at a time."""

    MAX_ANSWERS = 1 << 16  # addresses remembered

    def __init__(self, hosts: Hosts) -> None:
        self.hosts, self.size = hosts, len(hosts)
        self.by_host: dict[str, tuple[int, Mapping[str, Any]]] = {}
        self.by_path: list[tuple[int, str, str, Mapping[str, Any]]] = []
        for i, entry in enumerate(hosts):
            prefix = _host_lowered(str(entry["prefix"]))
            if "/" in prefix:
                self.by_path.append((i, prefix, prefix.rstrip("/") + "/", entry))
            else:
                self.by_host.setdefault(prefix, (i, entry))
        self.answers: dict[str, Mapping[str, Any] | None] = {}

    def describes(self, hosts: Hosts) -> bool:
        return self.hosts is hosts and self.size == len(hosts)

    def entry(self, url: str) -> Mapping[str, Any] | None:
        if url in self.answers:
            return self.answers[url]
        best: tuple[int, Mapping[str, Any]] | None = None
        found = _host_and_path(url)
        if found is not None:
            host, where = found
            labels = host.split(".")
            for k in range(len(labels)):  # the host itself, then each domain above it
                hit = self.by_host.get(".".join(labels[k:]))
                if hit is not None and (best is None or hit[0] < best[0]):
                    best = hit
            for i, prefix, under, entry in self.by_path:
                if (best is None or i < best[0]) and (where == prefix or where.startswith(under)):
                    best = (i, entry)
        if len(self.answers) >= self.MAX_ANSWERS:
            self.answers.clear()
        self.answers[url] = answer = best[1] if best is not None else None
        return answer


_indexes: dict[int, _HostIndex] = {}


def _index_of(hosts: Hosts) -> _HostIndex:
    """The index of this list of hosts, made once (a list that has since grown or shrunk is indexed again)."""
    index = _indexes.get(id(hosts))
    if index is None or not index.describes(hosts):
        if len(_indexes) >= 8:
            _indexes.clear()
        index = _indexes[id(hosts)] = _HostIndex(hosts)
    return index


def _host_lowered(prefix: str) -> str:
    """A prefix with its host in lower case: hosts ignore case, paths do not
    (`github.com/Owner/Repo` stays as written)."""
    host, slash, path = prefix.partition("/")
    return host.lower() + slash + path


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
