"""What the reasons of a reconciliation need from the database, read once:
our records by country, area and status labels, law details and names."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Any

from ingest.build.record_match import Records, details
from ingest.records.model import ENACTED


class Context:
    """What the reasons need from the database, read once."""

    def __init__(self, conn: sqlite3.Connection, countries: list[str]) -> None:
        self.conn = conn
        self.records = Records.load(conn, countries)
        self.area_labels = dict(conn.execute("SELECT code, label FROM areas"))
        self.status_labels = dict(conn.execute("SELECT code, label FROM statuses"))
        self.statement_labels = dict(conn.execute("SELECT code, label FROM coverage_statuses"))
        self.names = dict(conn.execute("SELECT code, name FROM countries"))
        self.coverage = {(c, a): (s, n) for c, a, s, n in conn.execute("SELECT country, area, status, note FROM coverage")}
        self.principal = {(c, a): law for c, a, law in conn.execute("SELECT country, area, law_id FROM principal_laws")}
        self.enacted: dict[tuple[str, str], list[str]] = defaultdict(list)
        self.drafts: dict[tuple[str, str], list[str]] = defaultdict(list)
        for law in self.records.laws.values():
            country = law.country
            for area in law.areas:
                if law.status in ENACTED:
                    self.enacted[(country, area)].append(law.id)
                elif law.status == "draft":
                    self.drafts[(country, area)].append(law.id)
        self._details: dict[str, dict[str, Any]] = {}

    def law(self, law_id: str) -> dict[str, Any]:
        if law_id not in self._details:
            self._details.update(details(self.conn, [law_id]))
        return self._details[law_id]

    def name(self, law_id: str) -> str:
        d = self.law(law_id)
        text = str(d["title"])
        if d["number"] and d["number"] not in text:
            text += f" ({d['number']})"
        if d["year"] and str(d["year"]) not in text:
            text += f", {d['year']}"
        return text

    def state(self, law_id: str) -> str:
        d = self.law(law_id)
        text = str(self.status_labels.get(d["status"], d["status"])).lower()
        if d["status"] in ("in-force", "partly-in-force") and d["in_force"] and d["in_force"] != "unknown":
            text += f" since {d['in_force']}"
        if d["status"] == "repealed" and d["repealed"]:
            text += f" on {d['repealed']}"
        return text

    def areas(self, codes: tuple[str, ...] | list[str]) -> str:
        return " or ".join(self.area_labels.get(a, a).lower() for a in codes)
