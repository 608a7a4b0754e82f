"""Reconcile: reading a peer's data (the UNCTAD Global Cyberlaw Tracker) into a snapshot record, and
the disagreement report. The comparison itself runs at build time (ingest.build.peers).

Imports: ingest.common, ingest.records, ingest.rules, ingest.build.
"""
