"""The law facts of a corpus when most records have not changed since the
previous build.

A build that patches the previous database reads again only the records that
changed. The facts of all the others are known from that build (its state
file and its database) and are read from there one by one, when a rule or a
table asks for them: a one-record rebuild of a hundred thousand records holds
a few hundred facts in memory, not a hundred thousand.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Collection, ItemsView, Iterable, Iterator, MutableMapping, ValuesView
from typing import Protocol

from ingest.records.changes import Kept
from ingest.records.files import law_id_of, law_key
from ingest.records.model import LawFacts


class KnownLaws(Protocol):
    """What the previous build knew of its law records, read on demand."""

    # the day that build applied the rules across records (None: unknown, check everything)
    checked_on: str | None

    def facts(self, key: str) -> LawFacts | None:
        """The facts of the law record at `key` (a path below the laws folder)."""

    def all_facts(self) -> Iterator[tuple[str, LawFacts]]:
        """(key, facts) of every law record, in one pass."""

    def kept(self) -> dict[str, Kept]:
        """What that build kept of each law file (its digest, size and time), by key."""

    def times_of(self, keys: Collection[str]) -> dict[str, tuple[str, str, str]]:
        """The times that build found for the files at `keys` (those it has)."""

    def all_times(self) -> dict[str, tuple[str, str, str]]:
        """The times that build found for every file."""

    def related(self, law_ids: Collection[str]) -> set[str]:
        """Ids of the laws that stated a relation with any of `law_ids`, or were
        the object of one stated by them."""

    def due(self, since: str, until: str) -> set[str]:
        """Ids of the laws one of whose dates (the first or last day it may
        mean) falls after `since` and on or before `until`: the laws whose
        date rules may say something else on `until` than on `since`."""

    def laws_in(self, country: str, area: str, statuses: Collection[str], besides: Collection[str], limit: int) -> list[str]:
        """Ids (at most `limit`, 0: all) of a member state's laws in an area whose
        status is one of `statuses`, leaving out those in `besides`."""

    def close(self) -> None: ...


class LawIndex(MutableMapping[str, LawFacts]):
    """Law facts by id: those of the records read in this run, and those of
    the unchanged ones, fetched from `known` when first asked for."""

    def __init__(self, known: KnownLaws, root: str, unchanged: Iterable[str], show: Callable[[str], str]) -> None:
        self.known = known
        self._root = root
        self._show = show
        self._unchanged = set(unchanged)  # keys (paths below the root) of the law records not read again
        self._fetched: dict[str, LawFacts] = {}
        self.fresh: dict[str, LawFacts] = {}  # facts of the records read in this run
        self._whole = False

    def _fetch(self, law_id: str) -> LawFacts:
        facts = self._fetched.get(law_id)
        if facts is None:
            key = law_key(law_id)
            found = self.known.facts(key)
            if found is None:
                raise KeyError(law_id)
            found.path = self._show(self._root + os.sep + key.replace("/", os.sep))
            facts = self._fetched[law_id] = found
        return facts

    def __getitem__(self, law_id: str) -> LawFacts:
        facts = self.fresh.get(law_id)
        if facts is not None:
            return facts
        if law_key(law_id) in self._unchanged:
            return self._fetch(law_id)
        raise KeyError(law_id)

    def __contains__(self, law_id: object) -> bool:
        return law_id in self.fresh or (isinstance(law_id, str) and law_key(law_id) in self._unchanged)

    def __setitem__(self, law_id: str, facts: LawFacts) -> None:
        self._unchanged.discard(law_key(law_id))
        self._fetched.pop(law_id, None)
        self.fresh[law_id] = facts

    def __delitem__(self, law_id: str) -> None:
        if law_id not in self:
            raise KeyError(law_id)
        self.fresh.pop(law_id, None)
        self._unchanged.discard(law_key(law_id))
        self._fetched.pop(law_id, None)

    def __iter__(self) -> Iterator[str]:
        yield from map(law_id_of, self._unchanged)
        yield from self.fresh

    def __len__(self) -> int:
        return len(self._unchanged) + len(self.fresh)

    @property
    def read(self) -> int:
        """How many unchanged records' facts have been read so far."""
        return len(self._fetched)

    def whole(self) -> dict[str, LawFacts]:
        """Every law's facts, the unchanged ones read in one pass (for what
        needs them all: a full check, a new state file)."""
        if not self._whole:
            for key, facts in self.known.all_facts():
                law_id = law_id_of(key)
                if key in self._unchanged and law_id not in self._fetched:
                    facts.path = self._show(self._root + os.sep + key.replace("/", os.sep))
                    self._fetched[law_id] = facts
            self._whole = True
        return {**{i: self._fetched[i] for i in map(law_id_of, self._unchanged)}, **self.fresh}

    def values(self) -> ValuesView[LawFacts]:
        return self.whole().values()

    def items(self) -> ItemsView[str, LawFacts]:
        return self.whole().items()
