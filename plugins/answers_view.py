"""The answers resting on a law, for its page (/law/<id>): every period of
every answer whose legal basis cites it, once each, current answers first and
earlier ones apart. Templates render each with the `answer` filter, the one
renderer of answers (ingest/records/answer_view.py)."""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

from ingest.site import answer_periods, origin


@hookimpl
def extra_template_vars(datasette: Any) -> dict[str, Any]:
    async def answers_resting_on(law_id: str) -> dict[str, list[dict[str, Any]]]:
        db = origin.database(datasette)
        found = await db.execute_fn(lambda conn: answer_periods.periods(conn, law_id=law_id))
        names = {r["code"]: r["name"] for r in (await db.execute("SELECT code, name FROM countries")).rows}
        items = [
            {"country": a["country"], "country_name": names.get(a["country"]), "indicator": a["indicator_row"], "cell": a}
            for a in found
        ]
        return {"current": [i for i in items if i["cell"]["period"] == 0], "earlier": [i for i in items if i["cell"]["period"]]}

    return {"answers_resting_on": answers_resting_on}
