"""The province report's XLSX and PDF exports: Chinese headers, typed cells, an
embedded font subset, the same bytes for the same content."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import zipfile
from importlib import resources
from typing import Any

import openpyxl
import pytest
from pypdf import PdfReader
from sqlalchemy.orm import Session

from countyhub.platform.models import User
from countyhub.platform.plans.results import record_run_km
from countyhub.platform.reports.content import build_content
from countyhub.platform.reports.pdf import report_pdf
from countyhub.platform.reports.xlsx import report_xlsx
from tests.platform.reports.test_content import validate
from tests.platform.stats.conftest import NOW, build


def _labelled(en: str, zh: str, unit: str, **figures: Any) -> dict[str, Any]:
    return {"label_en": en, "label_zh": zh, "unit": unit, **figures}


def sample() -> dict[str, Any]:
    """A report of 铜鼓县 for October 2026, shaped as build_content makes one."""
    days = [
        {
            "day": f"2026-10-{d:02d}",
            "inbound_received": 300 + 7 * d,
            "inbound_delivered": 280 + 6 * d,
            "outbound_registered": 20 + d % 9,
        }
        for d in range(1, 32)
    ]
    return {
        "schema_version": "1",
        "county": {"code": "360926", "name": "铜鼓县"},
        "period": {
            "month": "2026-10",
            "first_day": "2026-10-01",
            "last_day": "2026-10-31",
            "days": 31,
            "time_zone": "Asia/Shanghai",
        },
        "as_of": "2026-11-01T00:00:00+08:00",
        "inbound_received": _labelled(
            "inbound",
            "县级中心接收的进港包裹",
            "件",
            total=12345,
            by_courier=[
                {"code": "ZTO", "name": "中通快递", "parcels": 7345},
                {"code": "YTO", "name": "圆通速递", "parcels": 5000},
            ],
        ),
        "inbound_delivered": _labelled(
            "delivered",
            "投递到村民手中的进港包裹（村民确认）",
            "件",
            total=11000,
            by_township=[
                {"code": "360926100", "name": "永宁镇", "parcels": 6000},
                {"code": None, "name": "未解析", "parcels": 5000},
            ],
        ),
        "outbound_registered": _labelled(
            "outbound",
            "村级网点登记的上行包裹（农产品上行）",
            "件",
            total=650,
            by_courier=[{"code": "EMS", "name": "邮政EMS", "parcels": 650}],
            by_category=[
                {"code": "tea", "label_zh": "茶叶", "label_en": "tea", "parcels": 600},
                {
                    "code": None,
                    "label_zh": "未分类",
                    "label_en": "not given",
                    "parcels": 50,
                },
            ],
        ),
        "outbound_declared_value": _labelled(
            "value",
            "上行包裹申报货值",
            "元",
            value=None,
            note="not captured: the platform records no goods value",
        ),
        "villages_served": _labelled(
            "villages",
            "本期至少服务一次的行政村",
            "%",
            count=80,
            total=84,
            percent=95.2,
        ),
        "poverty_villages_served": _labelled(
            "poverty",
            "本期至少服务一次的贫困村",
            "%",
            declared=False,
            count=None,
            total=None,
            percent=None,
            note="not declared",
        ),
        "townships_with_point": _labelled(
            "townships",
            "设有在用服务站点的乡镇",
            "%",
            count=9,
            total=9,
            percent=100.0,
        ),
        "service_points": _labelled(
            "points", "村级寄递物流服务站点（在用/总数）", "个", active=82, total=84
        ),
        "cadence": _labelled(
            "cadence",
            "村级网点每周平均投递次数",
            "次/周",
            mean=3.61,
            min=2.0,
            points=2,
            points_kept=1,
            breaches=2,
            by_point=[
                {
                    "code": "P001",
                    "name": "大塅村服务站",
                    "township": "360926100",
                    "township_name": "大塅镇",
                    "cadence_days": 2,
                    "visits": 16,
                    "visits_per_week": 3.61,
                    "longest_gap_days": 2,
                    "breaches": 0,
                },
                {
                    "code": "P002",
                    "name": "高桥村服务站",
                    "township": "360926101",
                    "township_name": "高桥乡",
                    "cadence_days": 2,
                    "visits": 9,
                    "visits_per_week": 2.03,
                    "longest_gap_days": 5,
                    "breaches": 2,
                },
            ],
        ),
        "delivered_within_48h": _labelled(
            "48h",
            "到达县级中心后48小时内投递的进港包裹",
            "%",
            received=12345,
            due=12000,
            within_48h=11500,
            percent=95.8,
            dwell_median_s=30600,
            dwell_p90_s=118800,
        ),
        "returns": _labelled(
            "returns",
            "退回（拒收或未取）及带回的包裹",
            "件",
            returned=40,
            from_point=30,
            from_centre=10,
            brought_back=12,
            lost=None,
            note="refused and not collected are not told apart",
        ),
        "consent": _labelled(
            "consent",
            "有村民同意记录与无同意记录的交付",
            "件",
            handovers=11000,
            with_consent=10900,
            without_consent=100,
            by_kind=[
                {
                    "kind": "picked_up",
                    "label_en": "picked up",
                    "label_zh": "村民凭取件码取件",
                    "handovers": 10900,
                },
            ],
        ),
        "fleet": _labelled(
            "fleet",
            "使用车辆、投递趟次与里程（计划）",
            "辆, 趟, km",
            vehicles=4,
            runs=62,
            km_planned=4321.125,
            km_recorded=None,
            note="runs record no odometer",
        ),
        "couriers_participating": _labelled(
            "couriers",
            "参与共同配送的快递企业",
            "家",
            count=3,
            couriers=[
                {"code": "EMS", "name": "邮政EMS"},
                {"code": "YTO", "name": "圆通速递"},
                {"code": "ZTO", "name": "中通快递"},
            ],
        ),
        "daily": days,
    }


@pytest.fixture(scope="module")
def content() -> dict[str, Any]:
    report = sample()
    validate(report)  # the sample stays shaped as the builder's content
    return report


@pytest.fixture(scope="module")
def workbook(content: dict[str, Any]) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(report_xlsx(content)))


@pytest.fixture(scope="module")
def pdf(content: dict[str, Any]) -> bytes:
    return report_pdf(content)


def test_xlsx_has_a_cover_a_summary_and_a_sheet_per_breakdown(workbook) -> None:
    """Cover, summary, then one sheet for each list of records in the content."""
    assert workbook.sheetnames == [
        "封面", "概要", "进港接收-按快递企业", "进港投递-按乡镇", "上行登记-按快递企业",
        "上行登记-按产品类别", "投递频次-按服务站点", "村民同意-按交付方式",
        "参与企业-企业名单", "每日数量",
    ]  # fmt: skip
    cover = {row[0]: row[1] for row in workbook["封面"].iter_rows(values_only=True)}
    assert cover["县（区）"] == "铜鼓县"
    assert cover["统计月份"] == "2026-10"
    assert cover["统计期间起"] == dt.datetime(2026, 10, 1)
    assert "报告版本" not in cover


def test_xlsx_cover_shows_the_version_when_the_content_has_one(content) -> None:
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx({**content, "version": 2})))
    cover = {row[0]: row[1] for row in book["封面"].iter_rows(values_only=True)}
    assert cover["报告版本"] == 2


def test_xlsx_headers_are_chinese_and_frozen(workbook) -> None:
    sheet = workbook["投递频次-按服务站点"]
    assert sheet["A1"].value == "村级网点每周平均投递次数：按服务站点"
    headers = [c.value for c in sheet[2]]
    assert headers == [
        "代码", "名称", "乡镇代码", "乡镇", "规定间隔（天）", "到访次数",
        "每周到访（次/周）", "最长间隔（天）", "违反频次次数",
    ]  # fmt: skip
    assert sheet.freeze_panes == "A3"
    assert sheet.column_dimensions["B"].width >= len("大塅村服务站") * 2


def test_xlsx_numbers_are_numbers_and_dates_dates(workbook) -> None:
    points = workbook["投递频次-按服务站点"]
    assert [c.value for c in points[4]][3:] == ["高桥乡", 2, 9, 2.03, 5, 2]
    assert points["G4"].number_format == "0.00"
    assert points["F4"].number_format == "#,##0"
    daily = workbook["每日数量"]
    assert daily["A3"].value == dt.datetime(2026, 10, 1)
    assert daily["A3"].is_date
    assert daily["B3"].value == 307
    assert daily.max_row == 2 + 31


def test_xlsx_summary_keeps_each_figure_typed_with_its_unit(workbook) -> None:
    rows = list(workbook["概要"].iter_rows(min_row=3, values_only=True))
    found = {(r[0], r[1]): r[2:] for r in rows}
    assert found[("县级中心接收的进港包裹", "合计")] == (12345, "件", None)
    assert found[("本期至少服务一次的行政村", "比例")] == (95.2, "%", None)
    assert found[("到达县级中心后48小时内投递的进港包裹", "到站至交付时长中位数")] == (
        8.5,
        "小时",
        None,
    )
    poor = found[("本期至少服务一次的贫困村", "比例")]
    assert poor[0] is None
    assert poor[2].startswith("未申报")


def _fonts(body: bytes) -> list[dict[str, Any]]:
    reader = PdfReader(io.BytesIO(body))
    fonts = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendant = font["/DescendantFonts"][0].get_object()
            fonts[font["/BaseFont"]] = descendant["/FontDescriptor"].get_object()
    return [{"name": name, **descriptor} for name, descriptor in fonts.items()]


def test_pdf_embeds_only_a_subset_of_the_shipped_font(pdf: bytes) -> None:
    """Every font is a subset (ABCDEF+ tag) of Noto Sans SC, embedded as TrueType,
    and far smaller than the shipped file."""
    assert pdf.startswith(b"%PDF-")
    fonts = _fonts(pdf)
    assert {re.sub(r"^/[A-Z]{6}\+", "", f["name"]) for f in fonts} == {
        "NotoSansSC",
        "NotoSansSCBold",
    }
    for font in fonts:
        assert re.match(r"^/[A-Z]{6}\+", font["name"])
        embedded = font["/FontFile2"].get_object().get_data()
        assert 1_000 < len(embedded) < 400_000


def test_pdf_text_holds_the_county_the_period_and_the_tables(pdf: bytes) -> None:
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    for expected in ("铜鼓县", "360926", "2026-10", "2026-10-01", "2026-10-31",
                     "大塅村服务站", "最长间隔", "每日数量", "12,345"):  # fmt: skip
        assert expected in text


def test_same_content_same_bytes(content: dict[str, Any], pdf: bytes) -> None:
    """Both exports can be hashed: no clock, no random id."""
    first = hashlib.sha256(report_xlsx(content)).digest()
    assert hashlib.sha256(report_xlsx(sample())).digest() == first
    assert report_pdf(sample()) == pdf
    other = {**sample(), "as_of": "2026-11-02T00:00:00+08:00"}
    assert report_pdf(other) != pdf


def test_no_clock_in_either_file(content: dict[str, Any], pdf: bytes) -> None:
    """Dates inside the files are the month's close, so a second run cannot differ
    by the time it ran at."""
    archive = zipfile.ZipFile(io.BytesIO(report_xlsx(content)))
    assert {e.date_time for e in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
    core = archive.read("docProps/core.xml").decode()
    assert core.count("2026-10-31T16:00:00Z") == 2  # created and modified
    info = PdfReader(io.BytesIO(pdf)).metadata
    assert info.creation_date == dt.datetime(2026, 10, 31, 16, tzinfo=dt.UTC)


def test_the_font_ships_with_its_licence() -> None:
    """The package carries the font files, the OFL and where they came from."""
    fonts = resources.files("countyhub.platform.reports").joinpath("fonts")
    names = {f.name for f in fonts.iterdir()}
    assert {"OFL.txt", "SOURCE.md"} <= names
    assert "SIL OPEN FONT LICENSE Version 1.1" in fonts.joinpath("OFL.txt").read_text()
    ttfs = [f for f in fonts.iterdir() if f.name.endswith(".ttf")]
    assert len(ttfs) == 2
    assert sum(len(f.read_bytes()) for f in ttfs) < 5_000_000


def test_an_empty_month_renders(content: dict[str, Any]) -> None:
    """No parcels at all: tables without rows, a flat chart, no error."""
    empty = {
        **content,
        "daily": [
            {
                **d,
                "inbound_received": 0,
                "inbound_delivered": 0,
                "outbound_registered": 0,
            }
            for d in content["daily"]
        ],
    }
    empty["cadence"] = {**content["cadence"], "by_point": []}
    assert report_pdf(empty).startswith(b"%PDF-")
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(empty)))
    assert book["投递频次-按服务站点"].max_row == 2


def test_a_built_report_exports(session: Session, admin: User, analyst: User) -> None:
    """The content builder's own output renders in both formats."""
    build(session, admin)
    content = build_content(session, analyst, "2026-10", now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(content)))
    assert "投递频次-按服务站点" in book.sheetnames
    text = PdfReader(io.BytesIO(report_pdf(content))).pages[0].extract_text()
    assert content["county"]["name"] in text
    assert "2026-10" in text


def test_partly_recorded_km_show_with_their_note(
    session: Session, admin: User, analyst: User, dispatcher: User
) -> None:
    """One run of three with km driven: the summary gives its km and the count,
    with the note in Chinese."""
    build(session, admin)
    record_run_km(session, dispatcher, dt.date(2026, 10, 2), "TRI-1", 9.5)
    content = build_content(session, analyst, "2026-10", now=NOW)
    book = openpyxl.load_workbook(io.BytesIO(report_xlsx(content)))
    rows = list(book["概要"].iter_rows(min_row=3, values_only=True))
    found = {r[1]: r[2:] for r in rows if r[0] == content["fleet"]["label_zh"]}
    note = "部分记录：3趟中1趟记录了实际行驶里程"
    assert found["记录里程"] == (9.5, "km", note)
    assert found["已记录里程趟次"] == (1, "趟", note)
