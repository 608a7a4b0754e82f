"""Importers: official statute pages read into draft law records, and a watch on
the sources. One parser module per source (`sso`, `lawphil`, `tvpl`, `vbpl`,
`jdih`, `generic`), each with the same interface: `NAME`, `detect(page)` and
`parse(page) -> Draft`. `page` decodes and parses a page safely; `record` turns
a draft into a record and compares it with an existing one.

Imports: ingest.common, ingest.records, ingest.rules.
"""
