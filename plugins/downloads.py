"""Spreadsheet downloads (ingest/site/downloads.py): files a browser saves,
`text/csv; charset=utf-8` with a UTF-8 byte order mark so that Excel and
LibreOffice open Thai, Khmer, Lao, Burmese and Vietnamese titles intact.

- /download/laws.csv     every law record: public columns, readable headers
- /download/matrix.csv   member states x areas
"""

from __future__ import annotations

from typing import Any

from datasette import Response, hookimpl

from ingest.common.csvtext import attachment, for_spreadsheets
from ingest.site import downloads, origin


async def laws_view(datasette: Any, request: Any) -> Response:
    base = origin.base_url(datasette)
    text = await origin.database(datasette).execute_fn(lambda conn: downloads.laws_csv(conn, base))
    headers = attachment("asean-ecommerce-laws.csv")
    return Response(for_spreadsheets(text), content_type="text/csv; charset=utf-8", headers=headers)


async def matrix_view(datasette: Any, request: Any) -> Response:
    text = await origin.database(datasette).execute_fn(downloads.matrix_csv)
    headers = attachment("asean-member-states-by-area.csv")
    return Response(for_spreadsheets(text), content_type="text/csv; charset=utf-8", headers=headers)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(r"^/download/laws\.csv$", laws_view), (r"^/download/matrix\.csv$", matrix_view)]
