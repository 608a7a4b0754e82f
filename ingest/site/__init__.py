"""Site: everything behind the Datasette site: page data read from the built database (compare,
country, freshness, progress chart), the page cache, serving options and the Docker context. The
only stage that imports Datasette.

Imports: ingest.common, ingest.records, ingest.rules, ingest.build; Datasette.
"""
