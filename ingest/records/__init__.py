"""Records: finding and reading the files under laws/, guarded YAML parsing, the in-memory model of a
law, answers periods and what counts as an official source.

Imports: ingest.common.
"""
