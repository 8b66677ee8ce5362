"""The province report laid out as tables, for the XLSX and PDF exports.

One reading of the content (``content.build_content``) serves both formats, so
that a figure added to the content shows in both without a line per section:

- every *labelled* section (a dict with ``label_zh``) gives its scalar figures
  to one summary table (指标, 项目, 数值, 单位, 说明);
- every list of records in it (``by_courier``, ``by_point`` …) and the top-level
  ``daily`` series become a table each, its columns taken from the records'
  keys, headed in Chinese from :data:`COLUMNS` (an unknown key heads its column
  with its own name).

Values stay typed (int, float, ``datetime.date``, str, None); each format
chooses how to show them from the column's :class:`Kind`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeGuard


class Kind(StrEnum):
    """How a column's values are shown."""

    TEXT = "text"
    COUNT = "count"  # integers, with thousands separators
    PERCENT = "percent"  # 0.1
    RATE = "rate"  # 0.01
    KM = "km"  # 0.001
    HOURS = "hours"  # 0.1, converted from seconds
    DATE = "date"
    MIXED = "mixed"  # the summary's value column: each cell by its own type


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    zh: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Table:
    """A titled table; ``sheet`` is a short name (≤ 31 characters, for XLSX)."""

    sheet: str
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Any, ...], ...]


TITLE = "县域寄递物流共同配送月度报告"
HIDDEN = {"label_en", "kind"}  # read in Chinese: the zh label says the kind
COLUMNS: dict[str, tuple[str, Kind]] = {
    "code": ("代码", Kind.TEXT),
    "name": ("名称", Kind.TEXT),
    "label_zh": ("名称", Kind.TEXT),
    "kind": ("方式代码", Kind.TEXT),
    "township": ("乡镇代码", Kind.TEXT),
    "township_name": ("乡镇", Kind.TEXT),
    "parcels": ("包裹数（件）", Kind.COUNT),
    "handovers": ("交付数（件）", Kind.COUNT),
    "cadence_days": ("规定间隔（天）", Kind.COUNT),
    "visits": ("到访次数", Kind.COUNT),
    "visits_per_week": ("每周到访（次/周）", Kind.RATE),
    "longest_gap_days": ("最长间隔（天）", Kind.COUNT),
    "breaches": ("违反频次次数", Kind.COUNT),
    "day": ("日期", Kind.DATE),
    "inbound_received": ("进港接收（件）", Kind.COUNT),
    "inbound_delivered": ("进港投递（件）", Kind.COUNT),
    "outbound_registered": ("上行登记（件）", Kind.COUNT),
}
LISTS = {
    "by_courier": "按快递企业",
    "by_township": "按乡镇",
    "by_category": "按产品类别",
    "by_point": "按服务站点",
    "by_kind": "按交付方式",
    "couriers": "企业名单",
}
SECTIONS = {  # short names for sheet titles
    "inbound_received": "进港接收",
    "inbound_delivered": "进港投递",
    "outbound_registered": "上行登记",
    "cadence": "投递频次",
    "consent": "村民同意",
    "couriers_participating": "参与企业",
    "daily": "每日数量",
}
# a summary figure: its name, its unit (None: the section's), its kind
FIGURES: dict[str, tuple[str, str | None, Kind]] = {
    "total": ("合计", None, Kind.COUNT),
    "count": ("数量", None, Kind.COUNT),
    "percent": ("比例", "%", Kind.PERCENT),
    "active": ("在用", None, Kind.COUNT),
    "declared": ("已标注贫困村", "", Kind.TEXT),
    "value": ("金额", None, Kind.TEXT),
    "mean": ("平均", None, Kind.RATE),
    "min": ("最低", None, Kind.RATE),
    "points": ("站点数", "个", Kind.COUNT),
    "points_kept": ("全月达标站点数", "个", Kind.COUNT),
    "breaches": ("违反频次次数", "次", Kind.COUNT),
    "received": ("接收", "件", Kind.COUNT),
    "due": ("应投递", "件", Kind.COUNT),
    "within_48h": ("48小时内投递", "件", Kind.COUNT),
    "dwell_median_s": ("到站至交付时长中位数", "小时", Kind.HOURS),
    "dwell_p90_s": ("到站至交付时长90分位", "小时", Kind.HOURS),
    "returned": ("退回", None, Kind.COUNT),
    "from_point": ("自服务站点退回", None, Kind.COUNT),
    "from_centre": ("自县级中心退回", None, Kind.COUNT),
    "brought_back": ("带回中心", None, Kind.COUNT),
    "lost": ("遗失", None, Kind.COUNT),
    "handovers": ("交付总数", None, Kind.COUNT),
    "with_consent": ("有同意记录", None, Kind.COUNT),
    "without_consent": ("无同意记录", None, Kind.COUNT),
    "vehicles": ("使用车辆", "辆", Kind.COUNT),
    "runs": ("投递趟次", "趟", Kind.COUNT),
    "km_planned": ("计划里程", "km", Kind.KM),
    "km_recorded": ("记录里程", "km", Kind.KM),
    "runs_recorded": ("已记录里程趟次", "趟", Kind.COUNT),
}
NOTES = {
    "not declared": "未申报：县内尚无村庄标注为贫困村",
    "not captured: the platform records no goods value": "未采集：平台不记录货值",
    "refused and not collected are not told apart; losses are not recorded": (
        "拒收与未取未分开统计；遗失未记录"
    ),
    "not recorded": "未记录：本期车次均未记录实际行驶里程",
}
_PARTIAL = re.compile(r"recorded for (\d+) of (\d+) runs")  # the fleet's note
SUMMARY_COLUMNS = (
    Column("label", "指标", Kind.TEXT),
    Column("figure", "项目", Kind.TEXT),
    Column("value", "数值", Kind.MIXED),
    Column("unit", "单位", Kind.TEXT),
    Column("note", "说明", Kind.TEXT),
)


def report_tables(content: dict[str, Any]) -> list[Table]:
    """The summary table, then one table per list of records, in content order."""
    tables = [Table("概要", "主要指标", SUMMARY_COLUMNS, tuple(_summary(content)))]
    for key, section in content.items():
        if isinstance(section, dict) and "label_zh" in section:
            for name, records in section.items():
                if _is_records(records):
                    tables.append(_records_table(key, section, name, records))
        elif _is_records(section):
            tables.append(_records_table(key, {}, "", section))
    return _unique_sheets(tables)


def cover(content: dict[str, Any]) -> list[tuple[str, Any]]:
    """The cover's lines (label, value): county, period, version when known."""
    county, period = content.get("county", {}), content.get("period", {})
    lines: list[tuple[str, Any]] = [
        ("报告", TITLE),
        ("县（区）", county.get("name")),
        ("行政区划代码", county.get("code")),
        ("统计月份", period.get("month")),
        ("统计期间起", as_date(period.get("first_day"))),
        ("统计期间止", as_date(period.get("last_day"))),
        ("天数", period.get("days")),
        ("时区", period.get("time_zone")),
        ("数据截至", _local(content.get("as_of"))),
        ("数据格式版本", content.get("schema_version")),
    ]
    if content.get("version") is not None:
        lines.insert(3, ("报告版本", content["version"]))
    return [(label, value) for label, value in lines if value is not None]


def daily_series(content: dict[str, Any]) -> list[dict[str, Any]]:
    """The daily records (for the chart); empty when the content has none."""
    daily = content.get("daily")
    return daily if _is_records(daily) else []


def as_date(value: Any) -> Any:
    """An ISO date string as a ``datetime.date``; anything else unchanged."""
    if isinstance(value, str) and len(value) == 10:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    return value


def _local(value: Any) -> Any:
    """An ISO date-time as a naive local one (spreadsheets know no offsets)."""
    try:
        return dt.datetime.fromisoformat(value).replace(tzinfo=None)
    except (TypeError, ValueError):
        return value


def note_zh(note: Any) -> str:
    """A content note in Chinese where it is a known one, else as given."""
    if note is None:
        return ""
    if partial := _PARTIAL.fullmatch(str(note)):
        return "部分记录：{1}趟中{0}趟记录了实际行驶里程".format(*partial.groups())
    return NOTES.get(note, str(note))


def _is_records(value: Any) -> TypeGuard[list[dict[str, Any]]]:
    return isinstance(value, list) and all(isinstance(r, dict) for r in value)


def _summary(content: dict[str, Any]) -> Iterator[tuple[Any, ...]]:
    for section in content.values():
        if not (isinstance(section, dict) and "label_zh" in section):
            continue
        note = note_zh(section.get("note"))
        for key, value in section.items():
            if key in {"label_zh", "label_en", "unit", "note"} or _is_records(value):
                continue
            name, unit, kind = FIGURES.get(key, (key, None, Kind.TEXT))
            shown = _cell(kind, value)
            unit = _unit(section.get("unit", "")) if unit is None else unit
            yield (section["label_zh"], name, shown, unit, note)


def _unit(section: str) -> str:
    """A count's unit in a section measured in % is a count of places."""
    return "个" if section == "%" else section


def _cell(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, bool):
        return "是" if value else "否"
    if kind is Kind.HOURS:
        return round(value / 3600, 1)
    if kind is Kind.DATE:
        return as_date(value)
    return value


def _records_table(
    key: str, section: dict[str, Any], name: str, records: list[dict[str, Any]]
) -> Table:
    keys = [k for k in dict.fromkeys(k for r in records for k in r) if k not in HIDDEN]
    columns = tuple(Column(k, *COLUMNS.get(k, (k, _guess(records, k)))) for k in keys)
    rows = tuple(tuple(_cell(c.kind, r.get(c.key)) for c in columns) for r in records)
    part, short = LISTS.get(name, name), SECTIONS.get(key, key)
    title = f"{section['label_zh']}：{part}" if part else short
    sheet = f"{short}-{part}" if part else short
    return Table(sheet, title, columns, rows)


def _guess(records: list[dict[str, Any]], key: str) -> Kind:
    values = [r.get(key) for r in records if r.get(key) is not None]
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return Kind.COUNT
    if values and all(isinstance(v, int | float) for v in values):
        return Kind.RATE
    return Kind.TEXT


def _unique_sheets(tables: list[Table]) -> list[Table]:
    seen: set[str] = {"封面"}
    unique = []
    for table in tables:
        base = "".join(c for c in table.sheet if c not in "[]:*?/\\")[:28]
        sheet, n = base, 2
        while sheet in seen:
            sheet, n = f"{base}{n}", n + 1
        seen.add(sheet)
        unique.append(Table(sheet, table.title, table.columns, table.rows))
    return unique
