"""The compare pages through Datasette's test client: overview, area matrix,
side by side, country profile, progress and codebook, in HTML, JSON and CSV,
with and without an `as of` date."""

from __future__ import annotations

import csv
import datetime as dt
import io
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from datasette.app import Datasette

from ingest.site import compare
from tests import answers_fixture as fx
from tests.helpers import make_datasette

VN_2005 = "vn-law-on-e-transactions-2005"
VN_2023 = "vn-law-on-e-transactions-2023"


@pytest.fixture(scope="module")
def ds(compare_db: Path) -> Datasette:
    return make_datasette(compare_db)


async def get(ds: Datasette, path: str, status: int = 200) -> Any:
    response = await ds.client.get(path)
    assert response.status_code == status, f"{path}: {response.status_code}\n{response.text[:1500]}"
    return response


async def page(ds: Datasette, path: str) -> BeautifulSoup:
    return BeautifulSoup((await get(ds, path)).text, "html.parser")


def cell(soup: BeautifulSoup, **data: str) -> Any:
    attrs = {f"data-{k}": v for k, v in data.items()}
    found = soup.find("td", attrs=attrs)
    assert found is not None, data
    return found


# --- overview -------------------------------------------------------------------


async def test_overview_today_names_principal_laws(ds: Datasette) -> None:
    soup = await page(ds, "/compare")
    th = cell(soup, country="TH", area="data-protection")
    assert th["data-status"] == "in-force"
    assert th.find("a", href=f"/law/{fx.PDPA}") is not None
    tl = cell(soup, country="TL", area="data-protection")
    assert tl["data-status"] == "none"
    vn = cell(soup, country="VN", area="e-transactions")
    assert vn.find("a", href=f"/law/{VN_2023}") is not None


@pytest.mark.parametrize(
    "as_of, country, area, status, law",
    [
        ("2018-01-01", "TH", "data-protection", "none-recorded", None),
        ("2023-01-01", "TH", "data-protection", "in-force", fx.PDPA),
        ("2020-01-01", "VN", "e-transactions", "in-force", VN_2005),
        ("2025-01-01", "VN", "e-transactions", "in-force", VN_2023),
        ("2019-05-25", "TH", "data-protection", "enacted-not-in-force", fx.PDPA),
    ],
)
async def test_overview_as_of(ds: Datasette, as_of: str, country: str, area: str, status: str, law: str | None) -> None:
    soup = await page(ds, f"/compare?as_of={as_of}")
    found = cell(soup, country=country, area=area)
    assert found["data-status"] == status
    links = [a["href"] for a in found.find_all("a")]
    assert links == ([f"/law/{law}"] if law else [])
    data = (await get(ds, f"/compare.json?as_of={as_of}")).json()
    row = next(c for c in data["countries"] if c["code"] == country)
    assert row["cells"][area]["status"] == status and row["cells"][area]["law_id"] == law


async def test_vn_2005_law_is_replaced_on_2025(ds: Datasette) -> None:
    data = (await get(ds, "/compare.json?as_of=2025-01-01")).json()
    vn = next(c for c in data["countries"] if c["code"] == "VN")
    assert vn["cells"]["e-transactions"]["law_id"] == VN_2023
    assert vn["cells"]["e-transactions"]["since"] == "2024-07-01"
    rows = list(csv.DictReader(io.StringIO((await get(ds, "/compare.csv?as_of=2020-01-01")).content.decode("utf-8-sig"))))
    assert len(rows) == 11 * 6
    assert {"country": "VN", "area": "e-transactions", "law_id": VN_2005}.items() <= next(
        r for r in rows if r["country"] == "VN" and r["area"] == "e-transactions"
    ).items()


@pytest.mark.parametrize("bad", ["2020-13-01", "yesterday", "2020-02-30"])
async def test_bad_as_of_is_a_clear_400(ds: Datasette, bad: str) -> None:
    response = await get(ds, f"/compare?as_of={bad}", status=400)
    assert "is not a date" in BeautifulSoup(response.text, "html.parser").find(class_="error").get_text()
    assert (await get(ds, f"/compare.json?as_of={bad}", status=400)).json()["ok"] is False


# --- area matrix -------------------------------------------------------------------


async def test_area_matrix_cells(ds: Datasette) -> None:
    soup = await page(ds, "/compare/data-protection")
    headers = [th.get_text(" ", strip=True) for th in soup.select("table.answers-matrix thead th")][1:]
    assert len(headers) == 12 and headers[0].startswith("1. Is a comprehensive personal data protection law")
    th = cell(soup, country="TH", indicator="pdp-comprehensive-law")
    assert th["data-value"] == "yes" and "value-yes" in th["class"] and "is-unverified" in th["class"]
    assert th.find("a", href=f"/law/{fx.PDPA}#provision-0").get_text() == "PDPA, s 2"
    hours = cell(soup, country="TH", indicator="pdp-breach-deadline-hours")
    assert hours.find(class_="answer").get_text() == "72 hours"
    assert "is-disputed" in hours["class"]
    assert hours.find(class_="flag-disputed")["title"] == f"Disputed: {fx.DISPUTE}"
    fine = cell(soup, country="TH", indicator="pdp-max-fine")
    assert fine.find(class_="answer").get_text() == "5,000,000 THB"
    regime = cell(soup, country="TH", indicator="pdp-transfer-regime")
    assert regime.find(class_="answer").get_text() == "Conditional"
    unknown = cell(soup, country="PH", indicator="pdp-breach-deadline-hours")
    assert unknown["data-value"] == "unknown" and unknown.find(class_="answer").get_text() == "Unknown"
    # every member state has a row, and every row a cell per indicator
    assert len(soup.select("table.answers-matrix tbody tr")) == 11
    assert all(len(tr.find_all("td")) == 12 for tr in soup.select("table.answers-matrix tbody tr"))


@pytest.mark.parametrize("as_of, value", [("2018-01-01", "no"), ("2020-01-01", "partial"), ("2023-01-01", "yes"), (None, "yes")])
async def test_area_matrix_as_of_uses_history(ds: Datasette, as_of: str | None, value: str) -> None:
    query = f"?as_of={as_of}" if as_of else ""
    soup = await page(ds, f"/compare/data-protection{query}")
    assert cell(soup, country="TH", indicator="pdp-comprehensive-law")["data-value"] == value
    data = (await get(ds, f"/compare/data-protection.json{query}")).json()
    th = next(c for c in data["countries"] if c["code"] == "TH")
    assert th["cells"]["pdp-comprehensive-law"]["value"] == value


async def test_answer_with_unknown_start_holds_only_from_today(ds: Datasette) -> None:
    past = (await get(ds, "/compare/data-protection.json?as_of=2015-01-01")).json()
    th = next(c for c in past["countries"] if c["code"] == "TH")
    assert th["cells"]["pdp-max-fine"]["value"] is None  # since-date not recorded
    assert th["cells"]["pdp-breach-deadline-hours"]["value"] is None  # before its since-date
    future = (await get(ds, f"/compare/data-protection.json?as_of={dt.date.today().year + 1}-01-01")).json()
    th = next(c for c in future["countries"] if c["code"] == "TH")
    assert th["cells"]["pdp-max-fine"]["value"] == "5000000"


async def test_area_matrix_csv(ds: Datasette) -> None:
    response = await get(ds, "/compare/data-protection.csv")
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="compare-data-protection.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")  # the byte order mark spreadsheets need
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 11 * 12
    th = next(r for r in rows if r["country"] == "TH" and r["indicator"] == "pdp-breach-deadline-hours")
    assert th["value"] == "72" and th["review_status"] == "disputed" and th["dispute"] == fx.DISPUTE
    assert th["legal_basis"] == f"{fx.PDPA} s 2"


async def test_unknown_area_is_404(ds: Datasette) -> None:
    await get(ds, "/compare/not-an-area", status=404)
    await get(ds, "/compare/data-protection.xml", status=404)


# --- side by side ----------------------------------------------------------------


async def test_side_by_side_marks_differences(ds: Datasette) -> None:
    soup = await page(ds, "/side-by-side?c=TH&c=PH&area=data-protection")
    heads = [th.get_text(strip=True) for th in soup.select("table.side-by-side-table thead th")]
    assert heads == ["Question", "Thailand", "Philippines"]
    rows = {tr["data-indicator"]: tr for tr in soup.select("table.side-by-side-table tbody tr[data-indicator]")}
    assert len(rows) == 12
    assert "differs" in rows["pdp-breach-deadline-hours"]["class"]  # 72 hours vs unknown
    assert "same" in rows["pdp-comprehensive-law"]["class"]  # yes and yes
    assert "same" in rows["pdp-transfer-regime"]["class"]
    since = rows["pdp-comprehensive-law"].find_all("td")[0].find(class_="since").get_text()
    assert since == "since 1 June 2022"
    assert rows["pdp-comprehensive-law"].find_all("td")[1].find(class_="since").get_text() == "since: not recorded"
    only = await page(ds, "/side-by-side?countries=TH,PH&area=data-protection&diff=1")
    ids = [tr["data-indicator"] for tr in only.select("tbody tr[data-indicator]")]
    assert "pdp-breach-deadline-hours" in ids and "pdp-comprehensive-law" not in ids
    assert all("differs" in tr["class"] for tr in only.select("tbody tr[data-indicator]"))


async def test_side_by_side_as_of_and_all_areas(ds: Datasette) -> None:
    data = (await get(ds, "/side-by-side.json?c=TH&c=PH&as_of=2020-01-01")).json()
    assert [c["code"] for c in data["countries"]] == ["TH", "PH"]
    assert len(data["rows"]) == 48
    row = next(r for r in data["rows"] if r["indicator"]["id"] == "pdp-comprehensive-law")
    assert row["cells"][0]["value"] == "partial" and row["differs"]
    soup = await page(ds, "/side-by-side?c=TH&c=PH")
    assert len(soup.select("tr.area-row")) == 5


@pytest.mark.parametrize(
    "query, message",
    [
        ("c=TH&c=PH&c=VN&c=SG&c=MY", "choose 2 to 4 member states"),
        ("c=TH&c=XX", "not a member state code: XX"),
    ],
)
async def test_side_by_side_bad_choice(ds: Datasette, query: str, message: str) -> None:
    response = await get(ds, f"/side-by-side?{query}", status=400)
    assert message in response.text
    assert message in (await get(ds, f"/side-by-side.json?{query}", status=400)).json()["error"]


@pytest.mark.parametrize(
    "query, advice", [("", "Choose two to four member states"), ("?c=TH&area=platforms", "Thailand is chosen")]
)
async def test_side_by_side_without_enough_choice_shows_the_form(ds: Datasette, query: str, advice: str) -> None:
    response = await ds.client.get(f"/side-by-side{query}")
    assert response.status_code == 200  # reached from a link: never an error on arrival
    soup = BeautifulSoup(response.text, "html.parser")
    assert len(soup.select("form.pick input[name=c]")) == 11
    assert soup.find(class_="error") is None and advice in soup.find(class_="next-step").get_text()
    if "TH" in query:
        assert soup.select_one("form.pick input[value=TH]").has_attr("checked")
        assert soup.select_one("form.pick option[value=platforms]").has_attr("selected")
    # the API still says what is missing
    api = await ds.client.get(f"/side-by-side.json{query}")
    assert api.status_code == 400 and "choose 2 to 4 member states" in api.json()["error"]


# --- country profile, progress, codebook ---------------------------------------------


async def test_country_profile(ds: Datasette) -> None:
    soup = await page(ds, "/country/TH")
    row = soup.find("tr", id="pdp-breach-deadline-hours")
    assert "Disputed:" in row.get_text() and fx.DISPUTE in row.get_text()
    earlier = soup.find("tr", id="pdp-comprehensive-law").find("details", class_="earlier")
    assert earlier.summary.get_text() == "Earlier answers (2)"
    periods = [" ".join(v.get_text(" ", strip=True).split()) for v in earlier.select(".answer-view")]
    assert periods[0].startswith("Partly PDPA, s 2 from 28 May 2019 until 1 June 2022")
    assert periods[1].startswith("No until 28 May 2019")
    current = soup.find("tr", id="pdp-comprehensive-law").find(class_="answer-view")
    assert current.find_parent("details") is None and current.find(class_="since").get_text() == "since 1 June 2022"
    gaps = soup.find("h3", string=lambda s: s and s.startswith("Questions without a known answer"))
    assert gaps is not None
    timeline = [li.get_text(" ", strip=True) for li in soup.select("ol.timeline li")]
    assert any("28 May 2019" in t and "PDPA" in t and "came into force" in t for t in timeline)
    vn = await page(ds, "/country/VN")
    replaced = [li for li in vn.select("ol.timeline li") if " replaced " in li.get_text()]
    assert any(
        [a["href"] for a in li.find_all("a")] == [f"/law/{VN_2023}", f"/law/{VN_2005}"] and "1 July 2024" in li.get_text()
        for li in replaced
    )
    data = (await get(ds, "/country/TH.json")).json()
    assert data["counts"]["answers"] == 48
    assert {g["area"]["code"] for g in data["answers"]} == {
        "e-transactions",
        "e-signatures",
        "data-protection",
        "consumer-protection",
        "platforms",
    }


async def test_country_gaps_name_areas_without_law(ds: Datasette) -> None:
    soup = await page(ds, "/country/TL")
    gaps = soup.find(id="gap-data-protection")
    assert gaps is not None and gaps.find("h4").get_text() == "Personal data protection: no law"


async def test_progress_counts_and_chart(ds: Datasette, compare_db: Path) -> None:
    data = (await get(ds, "/progress.json")).json()
    years = data["years"]
    assert years[0] == 2000 and years[-1] == dt.date.today().year
    dp = next(s for s in data["series"] if s["area"]["code"] == "data-protection")["counts"]
    with sqlite3.connect(compare_db) as conn:
        expected_2018 = conn.execute(
            "select count(distinct country) from area_periods where area = 'data-protection' and starts <= '2018-12-31' "
            "and (ends is null or ends > '2018-12-31') and status in ('in-force', 'partly-in-force')"
        ).fetchone()[0]
    assert dp[years.index(2018)] == expected_2018
    assert dp[years.index(2019)] >= dp[years.index(2018)] + 1  # Thailand's PDPA
    assert all(0 <= n <= 11 for s in data["series"] for n in s["counts"])
    soup = await page(ds, "/progress")
    svg = soup.select_one("figure.chart svg")
    assert svg is not None and "Work Programme 2017–2025" in svg.get_text()
    assert len(svg.find_all("polyline")) == 6
    table = soup.select_one("table.progress-table")
    first = [td.get_text() for td in table.select("tbody tr")[0].find_all("td")]
    assert len(first) == len(years)
    svg_response = await get(ds, "/progress.svg")
    assert svg_response.headers["content-type"].startswith("image/svg+xml")
    rows = list(csv.DictReader(io.StringIO((await get(ds, "/progress.csv")).content.decode("utf-8-sig"))))
    assert len(rows) == 6 * len(years)


async def test_codebook_page(ds: Datasette) -> None:
    soup = await page(ds, "/codebook")
    assert len(soup.select("ol.indicators > li")) == 48
    item = soup.find("li", id="et-legal-recognition")
    assert "UNCITRAL Model Law on Electronic Commerce (1996), art. 5" in item.get_text()
    data = (await get(ds, "/codebook.json")).json()
    assert data["codebook"]["version"] == "1.0.0"
    assert {i["answer_type"] for i in data["indicators"]} == {"ternary", "number", "choice"}
    rows = list(csv.DictReader(io.StringIO((await get(ds, "/codebook.csv")).content.decode("utf-8-sig"))))
    assert next(r for r in rows if r["id"] == "es-model")["options"] == "minimalist; two-tier; prescriptive"


async def test_law_page_lists_answers_resting_on_it(ds: Datasette) -> None:
    soup = await page(ds, f"/law/{fx.PDPA}")
    cited = soup.select("ul.cited-by li")
    assert any("comprehensive personal data protection" in li.get_text() for li in cited)
    assert soup.find("tr", id="provision-0") is not None


# --- the query layer on its own ------------------------------------------------------


def test_parse_as_of() -> None:
    assert compare.parse_as_of("") is None and compare.parse_as_of("2020-02-29") == "2020-02-29"
    with pytest.raises(compare.BadRequest, match="is not a date"):
        compare.parse_as_of("2019-02-29")


async def test_home_page_leads_to_the_compare_pages(ds: Datasette) -> None:
    soup = await page(ds, "/")
    section = soup.find("section", class_="compare-intro")
    hrefs = {a["href"] for a in section.find_all("a")}
    assert {"/compare", "/side-by-side", "/progress", "/codebook", "/compare/data-protection"} <= hrefs
    assert "48 questions in five areas" in section.get_text()
