"""Rules: the JSON Schemas and every rule beyond them, for law records, country profiles, the codebook,
answers and reviews; verification earned from sources. `corpus.validate` loads a laws folder and
applies them all.

Imports: ingest.common, ingest.records.
"""
