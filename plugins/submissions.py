"""The moderated web path for contributors:

- /submit?law=<id>                            suggest a correction of a law record
- /submit?kind=law                            propose a law
- /submit?country=<cc>&indicator=<id>         question an answer
- /submissions/<id>                           a submission's status (also .json), for the one who made it
- /submissions/login, /submissions/logout     moderators sign in and out
- /submissions/queue                          the moderation queue (also .json)
- /submissions/review/<id>                    one submission against the current record; accept or reject

Submissions live in their own SQLite file (ingest/submissions/store.py), read
and written here with sqlite3 only: it is never attached to Datasette, so no
table, query or JSON endpoint can reach it, and laws.db stays immutable.
Corrections are checked by the rules of `lawrepo validate` on the record as it
would be after the change (ingest/submissions/changes.py).

Configuration (datasette.yaml, plugins: submissions): db_path, laws_dir,
rate_limit {per_minute, per_day}, client_header, moderators {name: hash}.
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path
from typing import Any, cast
from urllib.parse import parse_qs, urlsplit

from datasette import Response, hookimpl
from datasette.utils.asgi import NotFound, PayloadTooLarge
from itsdangerous import BadSignature

from ingest.site import origin
from ingest.submissions import changes, checks, forms, moderators, store

PLUGIN = "submissions"
ROOT = Path(__file__).resolve().parent.parent
COOKIE = "lawrepo_form"
NO_STORE = {"cache-control": "private, no-store"}
SESSION_SECONDS = 8 * 3600
MODERATORS_ONLY = "Only moderators can see submissions: sign in at /submissions/login."


def config(datasette: Any) -> dict[str, Any]:
    return datasette.plugin_config(PLUGIN) or {}


def enabled(datasette: Any) -> bool:
    """Whether this copy of the site takes proposals: off on read-only replicas
    (`lawrepo package --role reader` sets LAWREPO_SUBMISSIONS=off), where the
    cache in front sends the forms to the one writer."""
    if os.environ.get("LAWREPO_SUBMISSIONS", "").lower() in ("off", "0", "false", "no"):
        return False
    return bool(config(datasette).get("enabled", True))


OFF = (
    "This copy of the site is read-only and does not take proposals. "
    "Open the form on the site's main address, or report the problem to the repository."
)


def when_enabled(view: Any) -> Any:
    """The view, or a clear 404 page on a copy of the site that takes no proposals."""

    async def guarded(datasette: Any, request: Any) -> Response:
        if not enabled(datasette):
            return await refuse(datasette, request, 404, OFF, json=(request.url_vars.get("ext") == ".json"))
        return cast(Response, await view(datasette, request))

    return guarded


def db_path(datasette: Any) -> Path:
    return Path(config(datasette).get("db_path") or os.environ.get("LAWREPO_SUBMISSIONS_DB") or ROOT / "db" / "submissions.db")


def laws_dir(datasette: Any) -> Path:
    """The records proposals are checked against: configured, else the folder `lawrepo serve` was given, else laws/."""
    return Path(config(datasette).get("laws_dir") or os.environ.get("LAWREPO_LAWS_DIR") or ROOT / "laws")


def limits(datasette: Any) -> store.Limits:
    given = config(datasette).get("rate_limit") or {}
    return store.Limits(int(given.get("per_minute", 5)), int(given.get("per_day", 50)))


async def in_store(datasette: Any, fn: Any) -> Any:
    """Run fn(connection) on the submissions database in a worker thread, as one transaction."""

    def work() -> Any:
        with store.connect(db_path(datasette)) as conn:
            return fn(conn)

    return await asyncio.to_thread(work)


async def laws_rows(datasette: Any, sql: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [dict(r) for r in (await origin.database(datasette).execute(sql, params or {})).rows]


# --- requests from elsewhere, tokens, clients, moderators ------------------------


def cross_origin(request: Any) -> str | None:
    """Why a POST is refused as cross-site (the rule Datasette applies to every POST), or None."""
    site = request.headers.get("sec-fetch-site")
    if site is not None:
        return None if site in ("same-origin", "none") else f"a form sent from another site ({site})"
    origin = request.headers.get("origin")
    if origin is None:
        return None
    parts = urlsplit(origin)
    if (parts.scheme, parts.netloc.lower()) != (request.scheme, request.host.lower()):
        return "a form sent from another site"
    return None


def form_cookie(request: Any) -> str | None:
    value = request.cookies.get(COOKIE, "")
    return value if store.is_id(value) else None


def token_for(datasette: Any, cookie: str) -> str:
    return str(datasette.sign(cookie, "lawrepo-form"))


def token_ok(datasette: Any, request: Any, token: str) -> bool:
    cookie = form_cookie(request)
    try:
        return bool(cookie) and datasette.unsign(token, "lawrepo-form") == cookie
    except BadSignature:
        return False


def client(datasette: Any, request: Any) -> str:
    header = config(datasette).get("client_header")
    address = request.headers.get(header.lower(), "") if header else ""
    address = address.split(",")[0].strip() or (request.scope.get("client") or ("unknown",))[0]
    return store.client_key(str(address), datasette._secret)


def moderator(datasette: Any, request: Any) -> str | None:
    actor = request.actor or {}
    name = actor.get("id") if actor.get("lawrepo_moderator") else None
    return name if name and name in moderators.configured(config(datasette)) else None


async def page(datasette: Any, request: Any, template: str, context: dict[str, Any], status: int = 200) -> Response:
    cookie = form_cookie(request)
    fresh = cookie is None
    cookie = cookie or store.new_id()
    context = {"token": token_for(datasette, cookie), "moderator": moderator(datasette, request), **context}
    response = Response.html(await datasette.render_template(template, context, request=request), status=status, headers=NO_STORE)
    if fresh:
        response.set_cookie(COOKIE, cookie, httponly=True, samesite="strict", secure=request.scheme == "https")
    return response


async def refuse(datasette: Any, request: Any, status: int, message: str, json: bool = False) -> Response:
    if json:
        return Response.json({"ok": False, "error": message}, status=status, headers=NO_STORE)
    return await page(datasette, request, "submission_refused.html", {"message": message, "status": status}, status)


async def read_form(datasette: Any, request: Any, bucket: str) -> dict[str, list[str]] | Response:
    """The posted form, or the response refusing it: from another site, too large,
    without its token, filled in by a robot, or over the rate limit."""
    why = cross_origin(request)
    if why:
        return await refuse(datasette, request, 403, f"Refused: {why}.")
    try:
        body = await request.post_body(max_bytes=forms.MAX_BODY)
    except PayloadTooLarge:
        return await refuse(datasette, request, 413, f"Refused: a form may hold at most {forms.MAX_BODY // 1024} KB.")
    try:
        form = parse_qs(body.decode("utf-8"), keep_blank_values=True, max_num_fields=300)
    except (UnicodeDecodeError, ValueError):
        return await refuse(datasette, request, 400, "Refused: the form could not be read.")
    if not token_ok(datasette, request, (form.get("form_token") or [""])[0]):
        return await refuse(
            datasette, request, 403, "This form has expired or was not sent from this site: reload it and try again."
        )
    if any(v.strip() for v in form.get(forms.HONEYPOT) or []):
        return await refuse(datasette, request, 400, "Refused: a field that must stay empty was filled in.")
    key = client(datasette, request)
    over = await in_store(datasette, lambda conn: store.allow(conn, bucket, key, limits(datasette)))
    if over:
        response = await refuse(datasette, request, 429, f"Too many forms from your address ({over}): please wait and try again.")
        response.headers["retry-after"] = "60"
        return response
    return form


# --- the forms ------------------------------------------------------------------


async def choices(datasette: Any) -> dict[str, list[dict[str, Any]]]:
    q = "select code, label from {} order by position"
    return {
        "countries": await laws_rows(datasette, "select code, name as label, official_languages from countries order by name"),
        "statuses": await laws_rows(datasette, q.format("statuses")),
        "instrument_types": await laws_rows(datasette, q.format("instrument_types")),
        "areas": await laws_rows(datasette, q.format("areas")),
        "languages": await laws_rows(datasette, q.format("languages")),
    }


async def subject(datasette: Any, kind: str, law_id: str, country: str, indicator: str) -> dict[str, Any]:
    """What the form is about: the law record (with its values) or the answer; NotFound when there is none."""
    if kind == "correction":
        found = await laws_rows(
            datasette,
            "select l.id, l.title, l.country, l.file, l.number, l.adopted, l.promulgated, l.in_force, l.repealed, l.status,"
            " l.official_url, c.name as country_name, c.official_languages from laws l join countries c on c.code = l.country"
            " where l.id = :id",
            {"id": law_id},
        )
        if not found:
            raise NotFound(f"No law record has the id {law_id}")
        law = found[0]
        recorded = {k: "" if law[k] is None else str(law[k]) for k in changes.CORRECTABLE}
        return {"law": law, "recorded": recorded}
    if kind == "answer":
        found = await laws_rows(
            datasette,
            "select i.id as indicator, i.question, i.area, c.code as country, c.name as country_name,"
            " (select coalesce(v.label, a.value) from answers a left join answer_values v on v.code = a.value"
            "  where a.country = c.code and a.indicator = i.id and a.period = 0) as answer"
            " from indicators i, countries c where i.id = :indicator and c.code = :country",
            {"indicator": indicator, "country": country.upper()},
        )
        if not found:
            raise NotFound("No such member state or question")
        return {"answer": found[0]}
    return {}


def kind_of(args: Any) -> str:
    if args.get("law"):
        return "correction"
    if args.get("indicator"):
        return "answer"
    return "law" if args.get("kind") == "law" else ""


async def submit(datasette: Any, request: Any) -> Response:
    if request.method == "POST":
        return await submit_post(datasette, request)
    kind = kind_of(request.args)
    if not kind:
        return await page(datasette, request, "submit.html", {"kind": "", "errors": {}, "values": {}})
    country, indicator = request.args.get("country", ""), request.args.get("indicator", "")
    about = await subject(datasette, kind, request.args.get("law", ""), country, indicator)
    values = forms.initial(kind, about.get("recorded"), country=country, indicator=indicator)
    context = {"kind": kind, "values": values, "errors": {}, "labels": forms.LABELS, **about, **await choices(datasette)}
    return await page(datasette, request, "submit.html", context)


async def submit_post(datasette: Any, request: Any) -> Response:
    form = await read_form(datasette, request, "submit")
    if isinstance(form, Response):
        return form
    posted = forms.parse(form)
    if "_form" in posted.errors:
        return await refuse(datasette, request, 400, posted.errors["_form"][0])
    f = posted.fields
    about = await subject(datasette, posted.kind, posted.law_id, f.get("country", ""), f.get("indicator", ""))
    lists = await choices(datasette)
    forms.check_choices(
        posted,
        {
            "country": {c["code"] for c in lists["countries"]},
            "status": {s["code"] for s in lists["statuses"]},
            "instrument_type": {t["code"] for t in lists["instrument_types"]},
            "areas": {a["code"] for a in lists["areas"]},
            "link_language": {g["code"] for g in lists["languages"]},
        },
    )
    proposal: dict[str, Any] = {}
    if not posted.errors:
        proposal = await asyncio.to_thread(checks.check, posted, about, laws_dir(datasette))
        if posted.kind == "law" and not posted.errors:
            taken = await laws_rows(datasette, "select id from laws where id = :id", {"id": proposal["law_id"]})
            if taken:
                posted.error(
                    "title", f"A record with the id {proposal['law_id']} exists: suggest a correction on its page instead."
                )
    if posted.errors:
        context = {
            "kind": posted.kind,
            "values": {**posted.fields, "credit": posted.credit},
            "errors": posted.errors,
            **about,
            **lists,
        }
        return await page(datasette, request, "submit.html", {**context, "labels": forms.LABELS}, 400)
    proposal |= {"kind": posted.kind, "fields": posted.fields, "credit": posted.credit}
    proposal |= {k: posted.fields.get(k, "") for k in ("source", "comment", "name", "email")}
    sid = await in_store(datasette, lambda conn: store.add(conn, proposal))
    return Response.redirect(datasette.urls.path(f"/submissions/{sid}"), status=303, headers=NO_STORE)


# --- tracking, moderation -------------------------------------------------------------


async def tracking(datasette: Any, request: Any) -> Response:
    """A submission's status, for whoever has its id: no content, no personal data."""
    sid = request.url_vars["id"]
    sub = await in_store(datasette, lambda conn: store.get(conn, sid))
    if sub is None:
        raise NotFound("No submission has this id")
    public = {
        "id": sub["id"],
        "kind": sub["kind"],
        "status": sub["status"],
        "received": sub["created"][:10],
        "decided": (sub["decided_at"] or "")[:10] or None,
    }
    if request.url_vars.get("ext"):
        return Response.json({"ok": True, **public}, headers=NO_STORE)
    return await page(datasette, request, "submission_status.html", {"submission": public})


async def login(datasette: Any, request: Any) -> Response:
    if request.method != "POST":
        return await page(datasette, request, "submissions_login.html", {"error": None})
    form = await read_form(datasette, request, "login")
    if isinstance(form, Response):
        return form
    name = (form.get("name") or [""])[0].strip()
    password = (form.get("password") or [""])[0]
    encoded = moderators.configured(config(datasette)).get(name)
    ok = bool(encoded) and await asyncio.to_thread(moderators.verify, password, encoded or "")
    if not ok:
        return await page(datasette, request, "submissions_login.html", {"error": "Unknown name or wrong password."}, 403)
    response = Response.redirect(datasette.urls.path("/submissions/queue"), status=303, headers=NO_STORE)
    datasette.set_actor_cookie(response, {"id": name, "lawrepo_moderator": True}, expire_after=SESSION_SECONDS)
    return response


async def logout(datasette: Any, request: Any) -> Response:
    if request.method != "POST" or cross_origin(request):
        return await refuse(datasette, request, 405, "Sign out with the button on the moderation pages.")
    response = Response.redirect(datasette.urls.path("/"), status=303, headers=NO_STORE)
    datasette.delete_actor_cookie(response)
    return response


async def queue(datasette: Any, request: Any) -> Response:
    as_json = bool(request.url_vars.get("ext"))
    name = moderator(datasette, request)
    if name is None:
        return await refuse(datasette, request, 403, MODERATORS_ONLY, as_json)
    wanted = request.args.get("status") or "pending"
    status = None if wanted == "all" else wanted if wanted in store.STATUSES else "pending"
    found = await in_store(datasette, lambda conn: store.listing(conn, status))
    if as_json:
        return Response.json({"ok": True, "status": wanted, "submissions": found}, headers=NO_STORE)
    context = {"submissions": found, "status": wanted, "statuses": store.STATUSES}
    return await page(datasette, request, "submissions_queue.html", context)


async def review(datasette: Any, request: Any) -> Response:
    as_json = bool(request.url_vars.get("ext"))
    name = moderator(datasette, request)
    if name is None:
        return await refuse(datasette, request, 403, MODERATORS_ONLY, as_json)
    sid = request.url_vars["id"]
    if request.method == "POST":
        form = await read_form(datasette, request, "moderate")
        if isinstance(form, Response):
            return form
        decision = {"accept": "accepted", "reject": "rejected"}.get((form.get("decision") or [""])[0])
        note = forms.clean((form.get("note") or [""])[0])[:2000]
        if decision is None:
            return await refuse(datasette, request, 400, "Choose to accept or to reject.")
        done = await in_store(datasette, lambda conn: store.decide(conn, sid, decision, name, note))
        if not done:
            return await refuse(datasette, request, 409, "This submission cannot be decided (unknown, or already exported).")
        return Response.redirect(datasette.urls.path(f"/submissions/review/{sid}"), status=303, headers=NO_STORE)
    sub = await in_store(datasette, lambda conn: store.get(conn, sid))
    if sub is None:
        raise NotFound("No submission has this id")
    history = await in_store(datasette, lambda conn: store.decisions(conn, sid))
    now = await current(datasette, sub)
    rows = changes.diff(sub["kind"], sub["fields"], sub["recorded"], now)
    if as_json:
        return Response.json({"ok": True, "submission": sub, "decisions": history, "diff": rows}, headers=NO_STORE)
    context = {"submission": sub, "decisions": history, "diff": rows, "labels": forms.LABELS}
    return await page(datasette, request, "submission_review.html", context)


async def current(datasette: Any, sub: dict[str, Any]) -> dict[str, str] | None:
    """The values recorded now for what the submission is about (None: no such record yet)."""
    if sub["kind"] == "answer":
        found = await subject(datasette, "answer", "", sub["country"] or "", sub["indicator"] or "")
        return {"value": found["answer"]["answer"] or ""}
    try:
        found = await subject(datasette, "correction", sub["law_id"] or "", "", "")
    except NotFound:
        return None
    return dict(found["recorded"])


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [
        (r"^/submit$", when_enabled(submit)),
        (r"^/submissions/(?P<id>[0-9a-f]{32})(?P<ext>\.json)?$", when_enabled(tracking)),
        (r"^/submissions/login$", when_enabled(login)),
        (r"^/submissions/logout$", when_enabled(logout)),
        (r"^/submissions/queue(?P<ext>\.json)?$", when_enabled(queue)),
        (r"^/submissions/review/(?P<id>[0-9a-f]{32})(?P<ext>\.json)?$", when_enabled(review)),
    ]
