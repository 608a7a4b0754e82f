"""The vbpl.vn importer: its own small pages always, the real saved pages when present."""

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
from ingest.importers.parsers import vbpl
from tests.helpers import FIXTURES, LAWS, draft_texts, read_draft

DATA = Path(__file__).parent / "data" / "import" / "vbpl"
REAL = FIXTURES / "vbpl"


def real(name: str) -> Path:
    path = REAL / name
    if not path.exists():
        pytest.skip(f"{path} is absent (real saved pages live in ../shared/fixtures)")
    return path


def bold_articles(path: Path) -> list[str]:
    """The numbers of the bold "Điều N" lines in the raw page, read in NFC (a few are written with combining accents)."""
    raw = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
    return re.findall(r"<strong>\s*Điều\s+(\d+)", raw)


def run(*args: str) -> object:
    return CliRunner().invoke(main, ["import", *args])


# --------------------------------------------------------------------------
# our own small pages


def test_detects_its_pages_and_no_others() -> None:
    for name in ("example-thuoctinh.html", "example-toanvan.html"):
        page = load((DATA / name).read_bytes())
        assert vbpl.detect(page)
        assert registry.choose(page).NAME == "vbpl"
    assert vbpl.detect(load(b"<html><body><p>x</p></body></html>", url="http://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1"))
    assert not vbpl.detect(load(b"<html><body><p>x</p></body></html>", url="https://example.org/"))


def test_attributes_view() -> None:
    d = read_draft(DATA / "example-thuoctinh.html")
    assert d.source == "vbpl" and d.language == "vi"
    assert d.url == "https://vbpl.vn/TW/Pages/vbpq-thuoctinh.aspx?dvid=13&ItemID=99999&Keyword="  # default port dropped
    assert d.number == "88/2019/QH14"
    assert d.instrument_type == "law"
    assert d.local_title == "Luật Ví dụ về giao dịch điện tử" and d.title is None
    assert any("subject line" in n for n in d.notes)
    assert d.agency == "Quốc hội"
    assert d.dates == {"adopted": "2019-11-20", "promulgated": "2019-12-31", "in_force": "2020-07-01"}
    assert d.status == "repealed"  # Hết hiệu lực toàn bộ
    assert any("Công báo số 1 đến 2, năm 2019" in n for n in d.notes)
    assert d.provisions == []


def test_full_text_view() -> None:
    d = read_draft(DATA / "example-toanvan.html")
    assert d.number == "12/2020/QH14"
    assert d.instrument_type == "law"  # from the breadcrumb "Luật 12/2020/QH14"
    assert d.local_title == "Luật Mẫu thử nghiệm"  # the enacting formula
    assert d.agency == "QUỐC HỘI"
    assert d.dates == {"adopted": "2020-12-10", "in_force": "2031-01-01"}
    assert d.status == "enacted-not-in-force"  # Chưa có hiệu lực
    # "Điều 3" is written with a combining accent; "Điều 2 của Luật này" in a sentence is no article
    assert [(p.ref, p.heading, p.url) for p in d.provisions] == [
        ("Art. 1", "Phạm vi điều chỉnh", None),
        ("Art. 2", "Giải thích từ ngữ", None),
        ("Art. 3", "Điều viết bằng dấu tổ hợp", None),
        ("Art. 4", "Hiệu lực thi hành", None),
    ]


@pytest.mark.parametrize(
    ("shown", "status"),
    [
        ("Còn hiệu lực", "in-force"),
        ("Hết hiệu lực toàn bộ", "repealed"),
        ("Hết hiệu lực một phần", "in-force"),
        ("Chưa có hiệu lực", "enacted-not-in-force"),
        ("Ngưng hiệu lực", None),
    ],
)
def test_statuses(shown: str, status: str | None) -> None:
    html = (DATA / "example-thuoctinh.html").read_text(encoding="utf-8").replace("Hết hiệu lực toàn bộ", shown)
    d = vbpl.parse(load(html.encode()))
    assert d.status == status
    if shown == "Hết hiệu lực một phần":
        assert any("partly ceased" in n for n in d.notes)
    if status is None:
        assert any(shown in n for n in d.notes)


def test_cli_prints_a_valid_record() -> None:
    result = run(
        str(DATA / "example-thuoctinh.html"),
        "--country",
        "VN",
        "--expect",
        "88/2019/QH14",
        "--id",
        "vn-example-law-2019",
        "--laws",
        str(LAWS),
        "--read-on",
        "2026-01-02",
    )
    assert result.exit_code == 0, result.output
    rec = yaml.safe_load(result.output)
    assert rec["number"] == "88/2019/QH14"
    assert rec["status"] == "repealed" and rec["areas"] == ["e-transactions"]
    assert rec["dates"] == {"adopted": "2019-11-20", "promulgated": "2019-12-31", "in_force": "2020-07-01"}
    assert "provisions" not in rec


def test_cli_refuses_another_law(tmp_path: Path) -> None:
    out = tmp_path / "draft.yml"
    result = run(str(DATA / "example-toanvan.html"), "--country", "VN", "--expect", "20/2023/QH15", "--out", str(out))
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "12/2020/QH14" in lines[0] and "Luật Mẫu thử nghiệm" in lines[0]
    assert "Traceback" not in result.output and not out.exists()


# --------------------------------------------------------------------------
# hostile pages: a draft without markup, or a Refusal; never another exception

INFO = '<div class="vbInfo"><ul><li><span>Hiệu lực:</span> Còn hiệu lực<img src=x onerror=alert(1)></li></ul></div>'
PROPS = (
    '<div class="vbProperties"><table><tr><td class="title" colspan="4">Tên <b onclick="x()">ví dụ</b>'
    "<script>alert(2)</script>&lt;b&gt;</td></tr><tr><td class='label'>Số ký hiệu</td><td>5/2020/QH14</td>"
    "<td class='label'>Ngày ban hành</td><td>31/02/2020</td></tr>"
    "<tr><td class='label' rowspan='999999'>Cơ quan ban hành/ Chức danh / Người ký</td><td>Quốc hội</td></tr></table></div>"
)
ARTICLE = (
    '<p><strong onmouseover="alert(1)">Điều 1. Tên <img src=x onerror="alert(1)"><script>alert(2)</script>'
    "&lt;script&gt;alert(3)&lt;/script&gt;</strong></p>"
)
FILLER = "<p>" + "Nội dung văn bản ví dụ. " * 40 + "</p>"
HOSTILE = {
    "malformed": f"<html><body>{INFO}<div id='toanvancontent'><p><strong>Điều 1. Mở<td><p><strong>Điều 2<div>{FILLER}<b></p>",
    "empty body": "<html><head><title>x</title></head><body></body></html>",
    "deep nesting": f"<html><body>{INFO}{PROPS}{'<div>' * 200}<div id='toanvancontent'>{ARTICLE}{FILLER}</div>{'</div>' * 200}",
    "script in headings": f"<html><body>{INFO}{PROPS}<div><div id='toanvancontent'>{ARTICLE}{FILLER}</div></div></body></html>",
    "neither view": f"<html><body>{INFO}{FILLER}</body></html>",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_pages(name: str) -> None:
    page = load(HOSTILE[name].encode(), url="https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=1")
    try:
        d = vbpl.parse(page)
    except Refusal as exc:
        assert str(exc) and "<" not in str(exc)
        return
    for value in draft_texts(d):
        assert "<" not in value and ">" not in value and "onerror" not in value, value
    assert "adopted" not in d.dates  # 31/02/2020 is no date
    assert all(re.fullmatch(r"Art\. \d+", p.ref) for p in d.provisions)


def test_hostile_headings_are_plain() -> None:
    d = vbpl.parse(load(HOSTILE["script in headings"].encode()))
    assert d.number == "5/2020/QH14" and d.agency == "Quốc hội"
    assert d.local_title == "Tên ví dụ"
    assert [(p.ref, p.heading) for p in d.provisions] == [("Art. 1", "Tên alert(3)")]


# --------------------------------------------------------------------------
# the real saved pages


def test_real_attributes_of_the_criminal_procedure_code() -> None:
    path = real("bo-luat-tttths-101-2015-thuoctinh.html")
    d = read_draft(path)
    assert d.source == "vbpl"
    assert d.number == "101/2015/QH13"
    assert d.instrument_type == "law"  # Bộ luật
    assert d.local_title == "Bộ luật Tố tụng hình sự"
    assert d.agency == "Quốc hội"
    # Ngày ban hành, Ngày đăng công báo, Ngày có hiệu lực
    assert d.dates == {"adopted": "2015-11-27", "promulgated": "2015-12-31", "in_force": "2018-01-01"}
    assert d.status == "in-force"
    assert d.url == "https://vbpl.vn/TW/Pages/vbpq-thuoctinh.aspx?dvid=13&ItemID=96172&Keyword="
    assert any("Công báo số 1271 đến 1276, năm 2015" in n for n in d.notes)
    # the attributes view has no text: no articles, and none are made up
    assert len(d.provisions) == len(bold_articles(path)) == 0


def test_real_full_text_of_the_constitution() -> None:
    path = real("constitution-2013-toanvan.html")
    d = read_draft(path)
    assert d.source == "vbpl"
    assert d.number is None and any("Không số" in n for n in d.notes)
    assert d.instrument_type is None and any("Hiến pháp" in n for n in d.notes)
    assert d.local_title == "HIẾN PHÁP NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert d.dates == {"adopted": "2013-11-28", "in_force": "2014-01-01"}
    assert d.status == "in-force"
    assert d.url == "https://vbpl.vn/TW/Pages/vbpq-toanvan.aspx?ItemID=32801&Keyword="
    numbers = bold_articles(path)
    assert len(numbers) == 120
    assert len(d.provisions) == len(numbers)
    assert [p.ref for p in d.provisions] == [f"Art. {n}" for n in numbers]
    by_ref = {p.ref: p for p in d.provisions}
    assert "Art. 115" in by_ref and "Art. 116" in by_ref  # written with combining accents in the page
    assert all(p.heading is None and p.url is None for p in d.provisions)  # no headings, no anchors
    assert not [v for v in draft_texts(d) if "<" in v or ">" in v]


def test_real_attributes_through_the_command() -> None:
    path = real("bo-luat-tttths-101-2015-thuoctinh.html")
    result = run(
        str(path),
        "--country",
        "VN",
        "--expect",
        "101/2015/QH13",
        "--area",
        "cybersecurity",
        "--id",
        "vn-imported-code-2015",
        "--laws",
        str(LAWS),
    )
    assert result.exit_code == 0, result.output
    rec = yaml.safe_load(result.output)
    assert rec["id"] == "vn-imported-code-2015"
    assert rec["number"] == "101/2015/QH13"
    assert rec["dates"] == {"adopted": "2015-11-27", "promulgated": "2015-12-31", "in_force": "2018-01-01"}
    assert rec["status"] == "in-force" and rec["instrument_type"] == "law"
    assert rec["links"][0]["official"] is True


def test_real_constitution_through_the_command() -> None:
    path = real("constitution-2013-toanvan.html")
    result = run(str(path), "--country", "VN", "--area", "cybersecurity", "--id", "vn-imported-constitution", "--laws", str(LAWS))
    # the page names no instrument type the vocabulary has: the command asks for one
    assert result.exit_code == 1 and "--type" in result.output and "Traceback" not in result.output
    result = run(
        str(path),
        "--country",
        "VN",
        "--area",
        "cybersecurity",
        "--type",
        "law",
        "--id",
        "vn-imported-constitution",
        "--laws",
        str(LAWS),
    )
    assert result.exit_code == 0, result.output
    rec = yaml.safe_load(result.output)
    assert "number" not in rec
    assert rec["dates"] == {"adopted": "2013-11-28", "in_force": "2014-01-01"}
    assert len(rec["provisions"]) == 120
