"""Review: worksheets for a member state's review meeting (Markdown, CSV, HTML) and reading a filled
worksheet back into a review record.

Imports: ingest.common, ingest.records, ingest.rules, ingest.build.
"""
