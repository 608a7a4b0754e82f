"""/reconcile/unctad (also .json and .csv): our records beside the UNCTAD Global
Cyberlaw Tracker, from the tables the build writes (db/peers.sql): per member
state, UNCTAD's status beside ours in each of its areas, and every
disagreement with its kind, its reason, their document and our law records.
Without those tables the page says that no reconciliation is recorded."""

from __future__ import annotations

import json
from typing import Any

from datasette import Response, hookimpl
from datasette.utils.asgi import NotFound

from ingest.common.csvtext import to_csv
from ingest.reconcile.report import CSV_COLUMNS
from ingest.site import origin

PEER = "unctad"
BASE = f"/reconcile/{PEER}"


def _rows(conn: Any, sql: str, params: Any = ()) -> list[dict[str, Any]]:
    cur = conn.execute(sql, params)
    cols = [c[0] for c in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def load(conn: Any, peer: str = PEER) -> dict[str, Any]:
    """The page's data: {'recorded': False} when the database holds no reconciliation."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'peer_%'")}
    if not {"peer_snapshots", "peer_status", "peer_disagreements", "peer_disagreement_kinds"} <= present:
        return {"recorded": False, "peer": peer}
    snapshots = _rows(conn, "SELECT * FROM peer_snapshots WHERE peer = ?", (peer,))
    if not snapshots:
        return {"recorded": False, "peer": peer}
    snapshot = snapshots[0]
    snapshot["files"] = json.loads(snapshot["files"])
    labels = {
        **dict(conn.execute("SELECT code, label FROM coverage_statuses")),
        **dict(conn.execute("SELECT code, label FROM statuses")),
    }
    areas = dict(conn.execute("SELECT code, label FROM areas"))
    kinds = _rows(
        conn,
        """SELECT k.code, k.label, k.description, count(d.kind) AS count FROM peer_disagreement_kinds k
                           LEFT JOIN peer_disagreements d ON d.kind = k.code AND d.peer = ?
                           GROUP BY k.code ORDER BY k.position""",
        (peer,),
    )
    kind_labels = {k["code"]: k["label"] for k in kinds}
    titles: dict[str, str] = {}
    countries: dict[str, dict[str, Any]] = {}
    for s in _rows(
        conn,
        """SELECT s.*, c.name, coalesce(l.short_title, l.title) AS our_law_title, l.year AS our_law_year
                            FROM peer_status s JOIN countries c ON c.code = s.country
                            LEFT JOIN laws l ON l.id = s.our_law_id
                            WHERE s.peer = ? ORDER BY c.name, s.rowid""",
        (peer,),
    ):
        name = s.pop("name")
        country = countries.setdefault(s["country"], {"code": s["country"], "name": name, "cells": [], "disagreements": []})
        s["area_label"] = areas.get(s["area"], s["area"])
        s["our_status_label"] = labels.get(s["our_status"], s["our_status"])
        s["our_statement_label"] = labels.get(s["our_statement"]) if s["our_statement"] else None
        country["cells"].append(s)
    rows = _rows(conn, "SELECT * FROM peer_disagreements WHERE peer = ? ORDER BY position", (peer,))
    ids = sorted({i for d in rows for i in json.loads(d["law_ids"])})
    for i in range(0, len(ids), 500):
        part = ids[i : i + 500]
        titles.update(
            conn.execute(f"SELECT id, coalesce(short_title, title) FROM laws WHERE id IN ({','.join('?' * len(part))})", part)
        )
    for d in rows:
        d["law_ids"] = json.loads(d["law_ids"])
        d["laws"] = [{"id": i, "title": titles.get(i, i)} for i in d["law_ids"]]
        d["kind_label"] = kind_labels.get(d["kind"], d["kind"])
        d["their_href"] = d["their_url"] if (d["their_url"] or "").startswith(("http://", "https://")) else None
        if d["country"] in countries:
            countries[d["country"]]["disagreements"].append(d)
    return {
        "recorded": True,
        "peer": peer,
        "snapshot": snapshot,
        "kinds": kinds,
        "total": len(rows),
        "countries": list(countries.values()),
    }


def csv_rows(data: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for c in data.get("countries") or []:
        for d in c["disagreements"]:
            out.append({**{k: d.get(k) for k in CSV_COLUMNS}, "country_name": c["name"], "law_ids": " ".join(d["law_ids"])})
    return out


def _csv(rows: list[dict[str, Any]]) -> str:
    return to_csv(rows, CSV_COLUMNS)


async def reconcile_view(datasette: Any, request: Any) -> Response:
    fmt = (request.url_vars.get("ext") or "").lstrip(".") or request.args.get("_format") or "html"
    if fmt not in ("html", "json", "csv"):
        raise NotFound(f"No {fmt} format for this page")
    data = await origin.database(datasette).execute_fn(load)
    if fmt == "json":
        return Response.json({"ok": True, **data})
    if fmt == "csv":
        return Response(
            _csv(csv_rows(data)),
            content_type="text/csv; charset=utf-8",
            headers={"content-disposition": f'inline; filename="reconcile-{PEER}.csv"'},
        )
    base = datasette.urls.path(BASE)
    links = {"json": f"{base}.json", "csv": f"{base}.csv", "html": base}
    html = await datasette.render_template("reconcile.html", {"data": data, "links": links}, request=request)
    return Response.html(html)


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(rf"^{BASE}(?P<ext>\.json|\.csv)?$", reconcile_view)]
