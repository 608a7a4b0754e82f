"""A facet on a JSON array column, counted from the link table that holds the
same values one per row.

Datasette's own array facet parses the JSON of every row of the table; the
laws' areas are also stored one per row in `law_areas` (indexed), so the
counts can come from there. Configured at table level in datasette.yaml as

    facets:
      - linked: areas
    plugins:
      linked-facet:
        areas: {table: law_areas, key: law_id, value: area, pk: id}

Selecting a value filters with `areas__arraycontains=...`, exactly as the
array facet does, so URLs are the same as Datasette's.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl
from datasette.database import QueryInterrupted
from datasette.facets import Facet
from datasette.utils import escape_sqlite, path_with_added_args, path_with_removed_args


class LinkedFacet(Facet):
    type = "linked"

    def facet_sql(self, config: dict[str, str], size: int) -> str:
        table, key, value, pk = (escape_sqlite(config[k]) for k in ("table", "key", "value", "pk"))
        unfiltered = not self.params and " where " not in self.sql.lower()
        if unfiltered:  # every row of the table: count the link table directly
            source = f"select {value} as value from {table}"
        else:
            source = f"select {value} as value from {table} where {key} in (select {pk} from ({self.sql}))"
        return f"select value, count(*) as count from ({source}) group by value order by count desc, value limit {size + 1}"

    async def facet_results(self) -> tuple[list[dict[str, Any]], list[str]]:
        results: list[dict[str, Any]] = []
        timed_out: list[str] = []
        size = self.get_facet_size()
        links = self.ds.plugin_config("linked-facet", database=self.database, table=self.table) or {}
        for item in self.get_configs():
            column = item["config"].get("simple") or item["config"].get("column")
            config = links.get(column)
            if not config:
                continue  # not a linked column: nothing to count
            try:
                rows = await self.ds.execute(
                    self.database,
                    self.facet_sql(config, size),
                    self.params,
                    truncate=False,
                    custom_time_limit=self.ds.setting("facet_time_limit_ms"),
                )
            except QueryInterrupted:
                timed_out.append(column)
                continue
            pairs = self.get_querystring_pairs()
            values = []
            for row in rows.rows[:size]:
                value = str(row["value"])
                arg = {f"{column}__arraycontains": value}
                selected = (f"{column}__arraycontains", value) in pairs
                path = path_with_removed_args(self.request, arg) if selected else path_with_added_args(self.request, arg)
                values.append(
                    {
                        "value": value,
                        "label": value,
                        "count": row["count"],
                        "toggle_url": self.ds.absolute_url(self.request, path),
                        "selected": selected,
                    }
                )
            results.append(
                {
                    "name": column,
                    "type": self.type,
                    "results": values,
                    "hideable": item["source"] != "metadata",
                    "toggle_url": self.ds.urls.path(path_with_removed_args(self.request, {"_facet_linked": column})),
                    "truncated": len(rows) > size,
                }
            )
        return results, timed_out


@hookimpl
def register_facet_classes() -> list[type[Facet]]:
    return [LinkedFacet]
