"""What every printable page states about itself (templates/_print.html):
`today_iso`, the date a page shows when no other is asked for, and
`data_version`, the version of the data it was made from: the date of the
latest change to a record and the first digits of the database's content hash
(the same records give the same database, hence the same version)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from datasette import hookimpl

from ingest.site import origin


async def data_version(datasette: Any) -> str:
    db = origin.database(datasette)
    digest = (db.hash or "")[:10]
    try:
        latest = (await db.execute("SELECT max(updated) FROM record_times")).first()[0]
    except Exception:  # a database without record times (an older build): the hash alone
        latest = None
    parts = [str(latest)[:10]] if latest else []
    return " ".join(parts + ([f"({digest})" if parts else digest] if digest else [])) or "unknown"


@hookimpl
def extra_template_vars(datasette: Any) -> Any:
    async def inner() -> dict[str, Any]:
        return {"today_iso": dt.date.today().isoformat(), "data_version": await data_version(datasette)}

    return inner
