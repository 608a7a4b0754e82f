"""Exports: open exports written from the built database: a Frictionless Data Package, an Atom feed and
the trade-repository CSV.

Imports: ingest.common, ingest.records, ingest.rules, ingest.build.
"""
