"""Submissions: proposals made through the site's forms (a correction of a law record, a new law, a
question on an answer), kept in their own SQLite database apart from the data; the same checks as
`lawrepo validate` applied to the record as it would be after the change; moderators and their
decisions; the export of accepted proposals into record files.

Imports: ingest.common, ingest.records, ingest.rules.
"""
