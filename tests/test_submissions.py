"""The moderated web path for contributors (plugins/submissions.py, ingest/submissions/):
forms at /submit checked by the rules of `lawrepo validate`, kept in their own
database, refused when cross-site, oversized, too frequent or filled in by a
robot; moderation behind a sign-in; export into record files that validate and build."""

from __future__ import annotations

import re
import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from click.testing import CliRunner
from datasette.app import Datasette

from ingest.build.database import build
from ingest.cli.main import main
from ingest.rules.corpus import validate
from ingest.submissions import moderators
from tests.helpers import LAWS, make_datasette

PDPA = "th-personal-data-protection-act-2019"
PASSWORD = "correct horse battery staple"
HASH = moderators.hash_password(PASSWORD, iterations=1000)
XSS = "<script>alert(1)</script>\"'><img src=x onerror=alert(1)>"


def make(built_db: Path, tmp_path: Path, laws: Path = LAWS, **settings: Any) -> Datasette:
    config = {
        "db_path": str(tmp_path / "submissions.db"),
        "laws_dir": str(laws),
        "rate_limit": {"per_minute": 100, "per_day": 1000},
        "moderators": {"mod": HASH},
        **settings,
    }
    return make_datasette(built_db, {"submissions": config})


@pytest.fixture
def site(built_db: Path, tmp_path: Path) -> Datasette:
    return make(built_db, tmp_path)


def stored(tmp_path: Path) -> list[dict[str, Any]]:
    path = tmp_path / "submissions.db"
    if not path.exists():
        return []
    with closing(sqlite3.connect(path)) as conn:
        conn.row_factory = sqlite3.Row
        return [dict(r) for r in conn.execute("select * from submissions order by created")]


async def open_form(ds: Datasette, path: str, cookies: dict[str, str] | None = None) -> tuple[BeautifulSoup, dict[str, str]]:
    response = await ds.client.get(path, cookies=cookies or {})
    assert response.status_code == 200, response.text[:1000]
    jar = dict(cookies or {})
    if "lawrepo_form" in response.cookies:
        jar["lawrepo_form"] = response.cookies["lawrepo_form"]
    return BeautifulSoup(response.text, "html.parser"), jar


def form_values(page: BeautifulSoup) -> dict[str, Any]:
    """What a browser would send from the page's contribution form, unchanged."""
    form = page.find("form", class_="contribution")
    data: dict[str, Any] = {}
    for field in form.find_all(["input", "select", "textarea"]):
        name = field.get("name")
        if not name or field.get("type") == "checkbox":
            continue
        if field.name == "select":
            chosen = field.find("option", selected=True) or field.find("option")
            data[name] = chosen["value"] if chosen else ""
        elif field.name == "textarea":
            data[name] = field.get_text()
        else:
            data[name] = field.get("value", "")
    return data


async def post(ds: Datasette, path: str, changes: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    page, jar = await open_form(ds, path)
    data = {**form_values(page), **changes}
    return await ds.client.post("/submit", data=data, cookies=jar, headers=headers or {})


def errors_beside(html: str) -> dict[str, list[str]]:
    page = BeautifulSoup(html, "html.parser")
    found: dict[str, list[str]] = {}
    for span in page.find_all("span", class_="field-error"):
        found.setdefault(span["id"].removeprefix("error-"), []).append(span.get_text(" ", strip=True))
    return found


# --- the forms --------------------------------------------------------------------


async def test_law_page_links_to_a_prefilled_correction_form(site: Datasette, built_db: Path) -> None:
    law = BeautifulSoup((await site.client.get(f"/law/{PDPA}")).text, "html.parser")
    assert law.find("a", href=f"/submit?law={PDPA}", string="Suggest a correction")
    page, _ = await open_form(site, f"/submit?law={PDPA}")
    with closing(sqlite3.connect(built_db)) as conn:
        title, in_force, status, url = conn.execute(
            "select title, in_force, status, official_url from laws where id = ?", (PDPA,)
        ).fetchone()
    values = form_values(page)
    assert (values["title"], values["in_force"], values["status"], values["official_url"]) == (title, in_force, status, url or "")
    assert {"source", "name", "email", "website", "form_token"} <= set(values)
    assert page.find("input", attrs={"name": "website"}).find_parent(class_="hp")


async def test_a_valid_correction_is_stored_as_pending(site: Datasette, tmp_path: Path) -> None:
    response = await post(
        site,
        f"/submit?law={PDPA}",
        {"in_force": "2019-05-29", "source": "Royal Gazette vol. 136", "name": "Somchai", "email": "s@example.org"},
    )
    assert response.status_code == 303, response.text[:2000]
    [row] = stored(tmp_path)
    assert (row["kind"], row["law_id"], row["status"]) == ("correction", PDPA, "pending")
    assert '"in_force": "2019-05-29"' in row["fields"] and '"in_force": "2019-05-28"' in row["recorded"]
    track = response.headers["location"]
    assert track == f"/submissions/{row['id']}" and re.fullmatch(r"[0-9a-f]{32}", row["id"])
    page = await site.client.get(track)
    assert page.status_code == 200 and "waiting for a moderator" in page.text
    assert "Somchai" not in page.text and "s@example.org" not in page.text and "Royal Gazette" not in page.text
    data = (await site.client.get(f"{track}.json")).json()
    assert set(data) == {"ok", "id", "kind", "status", "received", "decided"} and data["status"] == "pending"
    assert (await site.client.get(f"/submissions/{'0' * 32}")).status_code == 404


async def test_an_invalid_correction_shows_each_problem_beside_its_field(site: Datasette, tmp_path: Path) -> None:
    response = await post(
        site,
        f"/submit?law={PDPA}",
        {"adopted": "2019-02-30", "repealed": "2001-01-01", "official_url": "ftp://x", "source": "", "email": "nope"},
    )
    assert response.status_code == 400
    found = errors_beside(response.text)
    assert set(found) >= {"official_url", "source", "email"}, found
    assert not stored(tmp_path)
    # the record rules of `lawrepo validate`, on the record after the change
    response = await post(site, f"/submit?law={PDPA}", {"adopted": "2019-02-30", "source": "Royal Gazette"})
    assert response.status_code == 400
    assert "not a real calendar date" in " ".join(errors_beside(response.text)["adopted"])
    response = await post(site, f"/submit?law={PDPA}", {"repealed": "2001-01-01", "source": "Royal Gazette"})
    assert "is before" in " ".join(errors_beside(response.text)["repealed"])
    response = await post(site, f"/submit?law={PDPA}", {"status": "abolished", "source": "Royal Gazette"})
    assert "not one of the choices" in " ".join(errors_beside(response.text)["status"])
    response = await post(site, f"/submit?law={PDPA}", {"source": "Royal Gazette"})
    assert response.status_code == 400 and "Nothing was changed" in response.text
    assert not stored(tmp_path)


async def test_propose_a_law(site: Datasette, tmp_path: Path) -> None:
    page, _ = await open_form(site, "/submit?kind=law")
    assert page.find("select", attrs={"name": "country"}) and page.find_all("input", attrs={"name": "areas"})
    new = {
        "country": "SG",
        "title": "Online Safety (Relief and Accountability) Act 2025",
        "number": "No. 30 of 2025",
        "instrument_type": "act",
        "status": "enacted-not-in-force",
        "adopted": "2025-11-05",
        "areas": ["platforms", "cybersecurity"],
        "official_url": "https://sso.agc.gov.sg/Acts-Supp/30-2025/",
        "link_language": "en",
        "source": "https://sso.agc.gov.sg/Acts-Supp/30-2025/",
    }
    response = await post(site, "/submit?kind=law", new)
    assert response.status_code == 303, errors_beside(response.text)
    [row] = stored(tmp_path)
    assert (
        row["law_id"] == "sg-online-safety-relief-and-accountability-act-2025"
        and '"areas": "platforms,cybersecurity"' in row["fields"]
    )
    taken = await post(site, "/submit?kind=law", {**new, "title": "Electronic Transactions Act 2010"})
    assert taken.status_code == 400 and "suggest a correction" in " ".join(errors_beside(taken.text)["title"])
    none = await post(site, "/submit?kind=law", {**new, "areas": [], "adopted": "2025-13-01"})
    assert set(errors_beside(none.text)) >= {"areas", "adopted"}
    assert len(stored(tmp_path)) == 1


async def test_every_compare_cell_links_to_question_this_answer(site: Datasette, tmp_path: Path) -> None:
    page = BeautifulSoup((await site.client.get("/compare/data-protection")).text, "html.parser")
    cells = page.find_all("td", class_="answer-cell")
    assert cells
    for td in cells:
        link = td.find("a", class_="question-answer")
        assert link["href"] == f"/submit?country={td['data-country']}&indicator={td['data-indicator']}", link
    href = cells[0].find("a", class_="question-answer")["href"]
    response = await post(site, href, {"value": "yes", "comment": "Section 26 says so.", "source": "Royal Gazette"})
    assert response.status_code == 303, errors_beside(response.text)
    [row] = stored(tmp_path)
    assert (row["kind"], row["country"], row["indicator"]) == ("answer", cells[0]["data-country"], cells[0]["data-indicator"])
    side = BeautifulSoup((await site.client.get("/side-by-side?c=TH&c=VN&area=data-protection")).text, "html.parser")
    assert len(side.select("table.side-by-side-table td a.question-answer")) == 2 * len(side.select("tr[data-indicator]"))
    assert (await site.client.get("/submit?country=TH&indicator=no-such-question")).status_code == 404


# --- abuse ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers", [{"origin": "https://evil.example"}, {"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}]
)
async def test_a_cross_origin_post_is_refused(site: Datasette, tmp_path: Path, headers: dict[str, str]) -> None:
    response = await post(site, f"/submit?law={PDPA}", {"in_force": "2019-05-29", "source": "Gazette"}, headers)
    assert response.status_code == 403
    assert not stored(tmp_path)


async def test_a_post_without_the_form_token_is_refused(site: Datasette, tmp_path: Path) -> None:
    page, jar = await open_form(site, f"/submit?law={PDPA}")
    data = {**form_values(page), "in_force": "2019-05-29", "source": "Gazette"}
    assert (await site.client.post("/submit", data={**data, "form_token": "forged"}, cookies=jar)).status_code == 403
    assert (await site.client.post("/submit", data=data)).status_code == 403  # no cookie
    other = {"lawrepo_form": "f" * 32}
    assert (await site.client.post("/submit", data=data, cookies=other)).status_code == 403
    assert not stored(tmp_path)


async def test_an_oversized_form_is_refused(site: Datasette, tmp_path: Path) -> None:
    response = await post(site, f"/submit?law={PDPA}", {"in_force": "2019-05-29", "source": "Gazette", "comment": "x" * 70_000})
    assert response.status_code == 413
    assert not stored(tmp_path)


async def test_the_honeypot_refuses_robots(site: Datasette, tmp_path: Path) -> None:
    response = await post(site, f"/submit?law={PDPA}", {"in_force": "2019-05-29", "source": "Gazette", "website": "http://spam"})
    assert response.status_code == 400
    assert not stored(tmp_path)


@pytest.mark.parametrize(("limits", "allowed"), [({"per_minute": 2, "per_day": 50}, 2), ({"per_minute": 50, "per_day": 3}, 3)])
async def test_rate_limits(built_db: Path, tmp_path: Path, limits: dict[str, int], allowed: int) -> None:
    ds = make(built_db, tmp_path, rate_limit=limits)
    codes = [
        (await post(ds, f"/submit?law={PDPA}", {"in_force": f"2019-06-{i + 10}", "source": "Gazette"})).status_code
        for i in range(allowed + 1)
    ]
    assert codes == [303] * allowed + [429]
    assert len(stored(tmp_path)) == allowed


def test_the_rate_limits_are_configured() -> None:
    import yaml

    from tests.helpers import ROOT

    config = yaml.safe_load((ROOT / "datasette.yaml").read_text(encoding="utf-8"))
    assert config["plugins"]["submissions"]["rate_limit"] == {"per_minute": 5, "per_day": 50}


# --- moderation -------------------------------------------------------------------


async def sign_in(ds: Datasette, password: str = PASSWORD) -> tuple[int, dict[str, str]]:
    page, jar = await open_form(ds, "/submissions/login")
    token = page.find("input", attrs={"name": "form_token"})["value"]
    response = await ds.client.post(
        "/submissions/login", data={"name": "mod", "password": password, "form_token": token}, cookies=jar
    )
    if "ds_actor" in response.cookies:
        jar["ds_actor"] = response.cookies["ds_actor"]
    return response.status_code, jar


async def test_anonymous_users_cannot_reach_the_queue(site: Datasette, tmp_path: Path) -> None:
    response = await post(
        site,
        f"/submit?law={PDPA}",
        {"title": "Zqxjv Unique Title", "source": "Gazette", "name": "Nim", "email": "nim@example.org"},
    )
    assert response.status_code == 303
    sid = stored(tmp_path)[0]["id"]
    impostor = {"ds_actor": site.client.actor_cookie({"id": "eve", "lawrepo_moderator": True})}
    for cookies in ({}, impostor):
        for path in [
            "/submissions/queue",
            "/submissions/queue.json",
            f"/submissions/review/{sid}",
            f"/submissions/review/{sid}.json",
        ]:
            page = await site.client.get(path, cookies=cookies)
            assert page.status_code == 403, path
            assert "nim@example.org" not in page.text and "Zqxjv" not in page.text
        assert (await site.client.get("/submissions/queue.json", cookies=cookies)).json()["ok"] is False
    # not a database of the site: no table, query or JSON endpoint reads it
    assert (await site.client.get("/-/databases.json")).status_code == 404  # not public (ingest/site/request_rules.py)
    assert [name for name in site.databases if name != "_internal"] == ["laws"]
    for path in ["/submissions.json", "/submissions/submissions.json", "/submissions/-/query.json?sql=select+1"]:
        assert (await site.client.get(path)).status_code in (403, 404), path
    # nothing pending is public: search, tables, exports
    assert (await site.client.get("/search?q=Zqxjv&_format=json")).json()["results"] == []
    assert (await site.client.get("/laws/laws.json?_search=Zqxjv&_shape=array")).json() == []
    assert "Zqxjv" not in (await site.client.get(f"/law/{PDPA}")).text
    assert "Zqxjv" not in (await site.client.get("/exports/laws.csv")).text


async def test_a_moderator_signs_in_reviews_and_accepts(site: Datasette, tmp_path: Path) -> None:
    assert (await sign_in(site, "wrong password"))[0] == 403
    await post(site, f"/submit?law={PDPA}", {"in_force": "2019-05-29", "source": "Royal Gazette", "email": "s@example.org"})
    sid = stored(tmp_path)[0]["id"]
    status, jar = await sign_in(site)
    assert status == 303 and "ds_actor" in jar
    queue = await site.client.get("/submissions/queue", cookies=jar)
    assert queue.status_code == 200 and f"/submissions/review/{sid}" in queue.text
    assert [s["id"] for s in (await site.client.get("/submissions/queue.json", cookies=jar)).json()["submissions"]] == [sid]
    review = BeautifulSoup((await site.client.get(f"/submissions/review/{sid}", cookies=jar)).text, "html.parser")
    changed = review.select("table.diff tr.changed")
    assert [tr.th.get_text() for tr in changed] == ["In force"] and changed[0].find("mark").get_text() == "2019-05-29"
    assert "s@example.org" in review.get_text()  # moderators see who wrote
    token = review.find("form", class_="contribution").find("input", attrs={"name": "form_token"})["value"]
    decided = await site.client.post(
        f"/submissions/review/{sid}", data={"decision": "accept", "note": "Gazette checked", "form_token": token}, cookies=jar
    )
    assert decided.status_code == 303
    data = (await site.client.get(f"/submissions/review/{sid}.json", cookies=jar)).json()
    assert data["submission"]["status"] == "accepted" and data["submission"]["decided_by"] == "mod"
    assert [(d["status"], d["moderator"], d["note"]) for d in data["decisions"]] == [("accepted", "mod", "Gazette checked")]
    assert data["decisions"][0]["at"]
    assert (await site.client.get(f"/submissions/{sid}.json")).json()["status"] == "accepted"


# --- back to git ------------------------------------------------------------------


async def test_export_writes_records_that_validate_and_build(built_db: Path, tmp_path: Path, laws_copy: Path) -> None:
    ds = make(built_db, tmp_path, laws=laws_copy)
    record = laws_copy / "th" / "personal-data-protection-act-2019.yml"
    record.write_text(
        record.read_text(encoding="utf-8").replace(
            "  in_force: 2019-05-28\n", "  in_force: 2019-05-28  # the day after publication\n"
        ),
        encoding="utf-8",
    )
    assert (
        await post(
            ds,
            f"/submit?law={PDPA}",
            {
                "repealed": "",
                "number": "B.E. 2562 (2019)",
                "source": "Royal Gazette vol. 136 part 69A",
                "name": "Somchai",
                "credit": "1",
            },
        )
    ).status_code == 303
    law = {
        "country": "SG",
        "title": "Online Safety (Relief and Accountability) Act 2025",
        "instrument_type": "act",
        "status": "enacted-not-in-force",
        "adopted": "2025-11-05",
        "areas": ["platforms"],
        "source": "https://sso.agc.gov.sg/Acts-Supp/30-2025/",
    }
    assert (await post(ds, "/submit?kind=law", law)).status_code == 303
    _, jar = await sign_in(ds)
    for row in stored(tmp_path):
        review = BeautifulSoup((await ds.client.get(f"/submissions/review/{row['id']}", cookies=jar)).text, "html.parser")
        token = review.find("form", class_="contribution").find("input", attrs={"name": "form_token"})["value"]
        await ds.client.post(
            f"/submissions/review/{row['id']}", data={"decision": "accept", "note": "", "form_token": token}, cookies=jar
        )
    db = str(tmp_path / "submissions.db")
    result = CliRunner().invoke(main, ["submissions", "export", "--db", db, "--laws", str(laws_copy)])
    assert result.exit_code == 0, result.output
    text = record.read_text(encoding="utf-8")
    assert "# the day after publication" in text and "number: B.E. 2562 (2019)" in text
    assert "by Somchai; accepted by mod" in text
    new = laws_copy / "sg" / "online-safety-relief-and-accountability-act-2025.yml"
    assert "by anonymous; accepted by mod" in new.read_text(encoding="utf-8")
    assert not validate(laws_copy).problems
    corpus, _ = build(laws_copy, tmp_path / "laws.db")
    assert not corpus.problems
    with closing(sqlite3.connect(tmp_path / "laws.db")) as conn:
        assert conn.execute("select number from laws where id = ?", (PDPA,)).fetchone() == ("B.E. 2562 (2019)",)
        assert conn.execute("select status from laws where id = 'sg-online-safety-relief-and-accountability-act-2025'").fetchone()
    assert {r["status"] for r in stored(tmp_path)} == {"exported"}
    again = CliRunner().invoke(main, ["submissions", "export", "--db", db, "--laws", str(laws_copy)])
    assert again.exit_code == 0 and "No accepted submission" in again.output


# --- escaping ---------------------------------------------------------------------


def assert_escaped(html: str) -> None:
    assert "<script>alert" not in html and "<img src=x" not in html
    page = BeautifulSoup(html, "html.parser")
    assert not [s for s in page.find_all("script") if "alert" in s.get_text()]
    assert not page.find_all("img", src="x")
    for tag in page.find_all(True):
        assert not [a for a, v in tag.attrs.items() if a.lower().startswith("on")], tag


async def test_hostile_text_in_every_field_is_escaped(site: Datasette, tmp_path: Path, built_db: Path) -> None:
    with closing(sqlite3.connect(built_db)) as conn:
        (indicator,) = conn.execute("select id from indicators order by position limit 1").fetchone()
    everything = dict.fromkeys(
        [
            "title",
            "number",
            "adopted",
            "promulgated",
            "in_force",
            "repealed",
            "official_url",
            "source",
            "comment",
            "name",
            "email",
            "value",
        ],
        XSS,
    )
    for path in [f"/submit?law={PDPA}", "/submit?kind=law", f"/submit?country=TH&indicator={indicator}"]:
        response = await post(site, path, {**everything, "areas": [XSS], "country": "TH", "status": XSS})
        assert response.status_code == 400, path
        assert_escaped(response.text)
    assert not stored(tmp_path)
    # stored, then shown to the moderator
    hostile = {"title": f"Personal Data Protection Act {XSS}", "source": XSS, "comment": XSS, "name": XSS}
    response = await post(site, f"/submit?law={PDPA}", hostile)
    assert response.status_code == 303, errors_beside(response.text)
    sid = stored(tmp_path)[0]["id"]
    _, jar = await sign_in(site)
    for path in ["/submissions/queue", f"/submissions/review/{sid}", f"/submissions/{sid}"]:
        page = await site.client.get(path, cookies=jar)
        assert page.status_code == 200
        assert_escaped(page.text)


def test_moderator_passwords_are_hashed_and_read_from_configuration_or_environment() -> None:
    assert moderators.verify(PASSWORD, HASH) and not moderators.verify("guess", HASH)
    assert not moderators.verify(PASSWORD, "plain-text") and not moderators.verify(PASSWORD, "md5$1$x$y")
    found = moderators.configured({"moderators": {"ann": HASH}}, {"LAWREPO_MODERATORS": f"bob:{HASH}, eve:"})
    assert found == {"ann": HASH, "bob": HASH}
    result = CliRunner().invoke(main, ["submissions", "hash-password"], input=f"{PASSWORD}\n{PASSWORD}\n")
    assert result.exit_code == 0 and moderators.verify(PASSWORD, result.output.strip().splitlines()[-1])


def test_proposals_are_checked_against_the_folder_serve_was_given(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from types import SimpleNamespace

    from tests.test_site import load_plugin

    plugin = load_plugin("submissions")
    bare = SimpleNamespace(plugin_config=lambda name: None)
    monkeypatch.delenv("LAWREPO_LAWS_DIR", raising=False)
    assert plugin.laws_dir(bare).name == "laws"
    monkeypatch.setenv("LAWREPO_LAWS_DIR", str(tmp_path / "other"))
    assert plugin.laws_dir(bare) == tmp_path / "other"
    configured = SimpleNamespace(plugin_config=lambda name: {"laws_dir": str(tmp_path / "configured")})
    assert plugin.laws_dir(configured) == tmp_path / "configured"


# --- a read-only replica takes no proposals ---------------------------------------


@pytest.mark.parametrize("how", ["config", "environment"])
async def test_a_replica_without_forms_says_so_and_stores_nothing(
    built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    if how == "config":
        ds = make(built_db, tmp_path, enabled=False)
    else:
        monkeypatch.setenv("LAWREPO_SUBMISSIONS", "off")
        ds = make(built_db, tmp_path)
    page = await ds.client.get(f"/submit?kind=correction&law={PDPA}")
    assert page.status_code == 404 and "does not take proposals" in page.text
    assert 'href="http://127.0.0.1:8001/submit"' in page.text
    posted = await ds.client.post("/submit", data={"kind": "law", "title": "x"})
    assert posted.status_code == 404
    queue = await ds.client.get("/submissions/queue.json")
    assert queue.status_code == 404 and queue.json()["ok"] is False
    assert not (tmp_path / "submissions.db").exists()
