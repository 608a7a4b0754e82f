"""Build: writes the SQLite database in db/ from a validated corpus, atomically and incrementally:
tables, derived periods (timeline), record times from git, review outcomes and the peer (UNCTAD)
disagreements.

Imports: ingest.common, ingest.records, ingest.rules.
"""
