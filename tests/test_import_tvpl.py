"""The thuvienphapluat.vn importer: its own small pages always, the real saved pages when present."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from ingest.cli.main import main
from ingest.importers import registry
from ingest.importers.model import Refusal
from ingest.importers.page import load
from ingest.importers.parsers import tvpl
from tests.helpers import FIXTURES, LAWS, draft_texts, read_draft

DATA = Path(__file__).parent / "data" / "import" / "tvpl"
REAL = FIXTURES / "tvpl"
LAW_URL = "https://thuvienphapluat.vn/van-ban/Cong-nghe-thong-tin/Luat-an-ninh-mang-2018-351416.aspx"


def real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} is absent (real saved pages live in ../shared/fixtures)")
    return path


def vietnamese_part(path: Path) -> str:
    """The raw HTML of the page's Vietnamese text (up to the English translation), in NFC."""
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    start = raw.index('class="cldivContentDocVn"')
    end = raw.find('class="cldivContentDocEn"')
    return raw[start : end if end > 0 else len(raw)]


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["import", *args])


# --------------------------------------------------------------------------
# our own small pages


def test_detects_its_pages_and_no_others() -> None:
    for name in ("example-law.html", "example-decision.html"):
        page = load((DATA / name).read_bytes())
        assert tvpl.detect(page)
        assert registry.choose(page).NAME == "tvpl"
    assert tvpl.detect(load(b"<html><body><p>x</p></body></html>", url="https://thuvienphapluat.vn/van-ban/x.aspx"))
    assert not tvpl.detect(load(b"<html><body><p>x</p></body></html>", url="https://example.org/"))


def test_example_law() -> None:
    d = read_draft(DATA / "example-law.html")
    assert d.source == "tvpl" and d.language == "vi"
    assert d.url == "https://thuvienphapluat.vn/van-ban/Thuong-mai/Luat-Vi-du-2020-999999.aspx"
    assert d.number == "99/2020/QH14"
    assert d.instrument_type == "law"
    assert d.title is None and d.local_title == "Luật Ví dụ"
    assert d.agency == "Quốc hội"
    # the in-force date is masked in the table: it comes from the effect clause, not from the
    # sentence about Điều 3 nor from the English translation
    assert d.dates == {"adopted": "2020-06-15", "in_force": "2021-01-01"}
    assert d.status is None
    assert [(p.ref, p.heading) for p in d.provisions] == [
        ("Art. 1", "Phạm vi điều chỉnh"),
        ("Art. 2", "Giải thích từ ngữ"),
        ("Art. 3", "Điều không có neo"),
        ("Art. 4", "Hiệu lực thi hành"),
    ]
    base = d.url
    # anchors are the paragraph's own (dieu_2_1 for Điều 2); an article without one has no link
    assert [p.url for p in d.provisions] == [f"{base}#dieu_1", f"{base}#dieu_2_1", None, f"{base}#dieu_4"]
    assert any("effect clause" in n for n in d.notes)
    assert any("Đã biết" in n for n in d.notes)
    assert not [v for v in draft_texts(d) if "<" in v or ">" in v]


def test_example_decision_reads_a_visible_table() -> None:
    d = read_draft(DATA / "example-decision.html")
    assert d.number == "77/QĐ-UBND"
    assert d.instrument_type is None  # a decision has no code: the command asks for --type
    assert any("Quyết định" in n and "--type" in n for n in d.notes)
    assert d.dates == {"adopted": "2022-02-03", "in_force": "2022-02-03"}
    assert d.status == "in-force" and any("partly ceased" in n for n in d.notes)
    assert d.url == "https://thuvienphapluat.vn/van-ban/Bat-dong-san/Quyet-dinh-77-QD-UBND-2022-888888.aspx"
    assert d.local_title == "Quyết định 77/QĐ-UBND năm 2022 về việc phê duyệt ví dụ"
    # only "Điều N." is bold: the articles have no headings
    assert [(p.ref, p.heading, (p.url or "").rsplit("#", 1)[-1]) for p in d.provisions] == [
        ("Art. 1", None, "dieu_1"),
        ("Art. 2", None, "dieu_2_1"),
        ("Art. 3", None, "dieu_3"),
    ]


def test_effect_clause_forms() -> None:
    assert tvpl.effect("Điều 9. Hiệu lực 1. Luật này có hiệu lực thi hành từ ngày 01 tháng 7 năm 2024.")[0] == "2024-07-01"
    assert tvpl.effect("Nghị định này có hiệu lực kể từ ngày 15/8/2023.")[0] == "2023-08-15"
    assert tvpl.effect("Khoản 2 Điều 10 của Luật này có hiệu lực từ ngày 01 tháng 01 năm 2030.") == (None, None)
    date, sentence = tvpl.effect("Điều 5. Quyết định này có hiệu lực kể từ ngày ký.")
    assert date is None and sentence and "ngày ký" in sentence
    assert tvpl.effect("Luật này có hiệu lực thi hành từ ngày 31 tháng 02 năm 2024.")[0] is None  # no such day


def test_cli_prints_a_valid_record(tmp_path: Path) -> None:
    result = run(
        str(DATA / "example-law.html"),
        "--country",
        "VN",
        "--expect",
        "99/2020/QH14",
        "--status",
        "in-force",
        "--area",
        "e-transactions",
        "--id",
        "vn-example-law-2020",
        "--laws",
        str(LAWS),
        "--read-on",
        "2026-01-02",
    )
    assert result.exit_code == 0, result.output
    rec = yaml.safe_load(result.output)
    assert rec["number"] == "99/2020/QH14"
    assert rec["dates"] == {"adopted": "2020-06-15", "in_force": "2021-01-01"}
    assert len(rec["provisions"]) == 4
    assert rec["provenance"]["sources"][0]["provisions"] == ["Art. 1", "Art. 2", "Art. 3", "Art. 4"]


def test_cli_refuses_another_law(tmp_path: Path) -> None:
    out = tmp_path / "draft.yml"
    result = run(str(DATA / "example-decision.html"), "--country", "VN", "--expect", "20/2023/QH15", "--out", str(out))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "77/QĐ-UBND" in lines[0] and "expected 20/2023/QH15" in lines[0]
    assert "Traceback" not in result.output and not out.exists()


# --------------------------------------------------------------------------
# hostile pages: a draft without markup, or a Refusal; never another exception

TABLE = (
    "<table><tr><td><b>Số hiệu:</b></td><td>1/2020/QH14<img src=x onerror=alert(1)></td>"
    "<td><b>Loại văn bản:</b></td><td>Luật</td></tr><tr><td><b>Ngày ban hành:</b></td><td>99/99/2020</td></tr></table>"
)
ARTICLE = (
    '<p><a name="dieu_1" onmouseover="alert(1)"><b onclick="x()">Điều 1. Tên <img src=x onerror="alert(1)">'
    "<script>alert(2)</script>&lt;script&gt;alert(3)&lt;/script&gt;</b></a></p>"
)
FILLER = "<p>" + "Nội dung văn bản ví dụ. " * 40 + "</p>"
HOSTILE = {
    "malformed": f"<html><body>{TABLE}<div class='cldivContentDocVn'><p><b>Điều 1. Mở<td><p><b>Điều 2<div>{FILLER}<b><i></p>",
    "empty body": "<html><head><title>x</title></head><body></body></html>",
    "deep nesting": f"<html><body>{TABLE}{'<div>' * 200}<div class='cldivContentDocVn'>{ARTICLE}{FILLER}</div>{'</div>' * 200}</body></html>",
    "script in headings": f"<html><body>{TABLE}<div class='cldivContentDocVn'>{ARTICLE}{FILLER}</div></body></html>",
    "no table, no text": f"<html><body>{FILLER}</body></html>",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_pages(name: str) -> None:
    page = load(HOSTILE[name].encode(), url="https://thuvienphapluat.vn/van-ban/x-1.aspx")
    try:
        d = tvpl.parse(page)
    except Refusal as exc:
        assert str(exc) and "<" not in str(exc)
        return
    for value in draft_texts(d):
        assert "<" not in value and ">" not in value and "onerror" not in value, value
    assert "99/99/2020" not in d.dates.values() and not d.dates.get("adopted")
    assert all(re.fullmatch(r"Art\. \d+", p.ref) for p in d.provisions)


def test_hostile_headings_are_plain() -> None:
    d = tvpl.parse(load(HOSTILE["script in headings"].encode()))
    assert d.number == "1/2020/QH14"
    assert [p.ref for p in d.provisions] == ["Art. 1"]
    assert d.provisions[0].heading == "Tên alert(3)"


# --------------------------------------------------------------------------
# the real saved pages


def test_real_law_on_cybersecurity() -> None:
    path = real("luat-an-ninh-mang-2018.html")
    d = read_draft(path)
    assert d.source == "tvpl"
    assert d.number == "24/2018/QH14"
    assert d.instrument_type == "law"
    assert d.local_title == "Luật An ninh mạng" and d.title is None
    assert d.agency == "Quốc hội"
    assert d.url == LAW_URL
    # Ngày ban hành 12/06/2018; the in-force date is masked ("Đã biết") and comes from Điều 43
    assert d.dates == {"adopted": "2018-06-12", "in_force": "2019-01-01"}
    assert d.status is None  # masked too
    # every article, counted independently in the raw Vietnamese part (the English part repeats the anchors)
    part = vietnamese_part(path)
    numbers = re.findall(r"<b>\s*Điều\s+(\d+)\.", part)
    assert len(numbers) == 43 == len(re.findall(r'name="dieu_\d+"', part))
    assert len(d.provisions) == len(numbers)
    assert [p.ref for p in d.provisions] == [f"Art. {n}" for n in numbers]
    by_ref = {p.ref: p for p in d.provisions}
    assert by_ref["Art. 1"].heading == "Phạm vi điều chỉnh"
    assert by_ref["Art. 26"].heading == "Bảo đảm an ninh thông tin trên không gian mạng"
    assert by_ref["Art. 43"].heading == "Hiệu lực thi hành"
    assert by_ref["Art. 43"].url == f"{LAW_URL}#dieu_43"
    assert by_ref["Art. 8"].url == f"{LAW_URL}#dieu_8"
    art16 = by_ref["Art. 16"].heading or ""
    assert art16.startswith("Phòng ngừa, xử lý thông tin trên không gian mạng") and art16.endswith("…")
    assert len(art16) <= 200
    assert not [v for v in draft_texts(d) if "<" in v or ">" in v]


def test_real_decision_saved_under_another_name() -> None:
    path = real("saved-as-e-transactions-law-2023.html")
    d = read_draft(path)
    assert d.number == "1456/QĐ-UBND"
    assert d.instrument_type is None
    assert d.agency == "Tỉnh Nam Định"
    assert d.dates == {"adopted": "2021-07-09"}  # "có hiệu lực kể từ ngày ký" gives no calendar date
    assert d.local_title and d.local_title.startswith("Quyết định 1456/QĐ-UBND năm 2021")
    numbers = re.findall(r"<b>\s*Điều\s+(\d+)\.", vietnamese_part(path))
    assert len(d.provisions) == len(numbers) == 5
    assert d.provisions[1].url and d.provisions[1].url.endswith("#dieu_2_1")


def test_real_decision_is_refused_as_the_e_transactions_law(tmp_path: Path) -> None:
    path = real("saved-as-e-transactions-law-2023.html")
    out = tmp_path / "draft.yml"
    result = run(str(path), "--country", "VN", "--expect", "20/2023/QH15", "--laws", str(LAWS), "--out", str(out))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert "expected 20/2023/QH15, but the page holds 1456/QĐ-UBND" in lines[0]
    assert "Quyết định 1456/QĐ-UBND" in lines[0]
    assert "Traceback" not in result.output and not out.exists()


def test_real_law_through_the_command(laws_copy: Path) -> None:
    path = real("luat-an-ninh-mang-2018.html")
    # the shipped record of this law would be matched by its number: take it out of the copy
    (laws_copy / "vn" / "law-on-cybersecurity-2018.yml").unlink()
    result = run(
        str(path),
        "--country",
        "VN",
        "--expect",
        "24/2018/QH14",
        "--status",
        "superseded",
        "--id",
        "vn-imported-cybersecurity-law",
        "--laws",
        str(laws_copy),
    )
    assert result.exit_code == 0, result.output
    rec = yaml.safe_load(result.output)
    assert rec["id"] == "vn-imported-cybersecurity-law"
    assert rec["number"] == "24/2018/QH14"
    assert rec["dates"] == {"adopted": "2018-06-12", "in_force": "2019-01-01"}
    assert rec["instrument_type"] == "law" and rec["areas"] == ["cybersecurity"]
    assert len(rec["provisions"]) == 43
    assert rec["links"][0]["url"] == LAW_URL


def test_real_law_compared_with_the_recorded_one() -> None:
    path = real("luat-an-ninh-mang-2018.html")
    record = LAWS / "vn" / "law-on-cybersecurity-2018.yml"
    before = record.read_bytes()
    result = run(str(path), "--country", "VN", "--expect", "24/2018/QH14", "--laws", str(LAWS))
    assert result.exit_code == 0, result.output
    assert "law-on-cybersecurity-2018.yml" in result.output
    # a comparison only: either the differences with "nothing written", or "no change"
    assert "nothing written" in result.output or "no change" in result.output
    assert record.read_bytes() == before
