"""The province report as a PDF for a person to read.

Title, county and period; the summary; a chart of the daily volume drawn with
fpdf2's own lines; then every breakdown table (the cadence table among them),
laid out by :mod:`countyhub.platform.reports._tables`.  Chinese is set in Noto
Sans SC, shipped in ``fonts/`` (a GB 2312 subset, see ``fonts/SOURCE.md``), of
which the PDF embeds only the glyphs it uses.  The same content gives the same
bytes: the creation date is the month's close and the file id derives from it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from collections.abc import Iterator, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import Align, TableCellFillMode, XPos, YPos
from fpdf.fonts import FontFace

from countyhub.platform.reports._tables import (
    TITLE,
    Kind,
    Table,
    cover,
    daily_series,
    report_tables,
)

FAMILY = "NotoSansSC"
FONTS = {"": "NotoSansSC-Regular-subset.ttf", "B": "NotoSansSC-Bold-subset.ttf"}
SERIES = (  # the chart's lines: key, legend, colour
    ("inbound_received", "进港接收", (31, 119, 180)),
    ("inbound_delivered", "进港投递", (44, 160, 44)),
    ("outbound_registered", "上行登记", (255, 127, 14)),
)
GREY = (110, 110, 110)
ALARM = (190, 20, 20)
HEADER_FILL = (221, 228, 238)
STRIPE_FILL = (246, 247, 250)
NUMERIC = {Kind.COUNT, Kind.PERCENT, Kind.RATE, Kind.KM, Kind.HOURS, Kind.MIXED}


class _Report(FPDF):
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FAMILY, "", 8)
        self.set_text_color(*GREY)
        self.cell(0, 6, f"第 {self.page_no()} 页 / 共 {{nb}} 页", align=Align.C)


def report_pdf(content: dict[str, Any]) -> bytes:
    """The PDF of ``content`` (a built report), as the bytes of a file."""
    pdf = _Report(orientation="portrait", unit="mm", format="A4")
    pdf.set_creation_date(_stamp(content))
    pdf.set_title(TITLE)
    pdf.set_creator("countyhub")
    pdf.set_auto_page_break(auto=True, margin=16)
    with _font_files() as paths:
        for style, path in paths.items():
            pdf.add_font(FAMILY, style, str(path))
        pdf.add_page()
        _heading(pdf, content)
        tables = report_tables(content)
        _table(pdf, tables[0])
        _chart(pdf, daily_series(content))
        for table in tables[1:]:
            _table(pdf, table)
        return bytes(pdf.output())


@contextlib.contextmanager
def _font_files() -> Iterator[dict[str, Path]]:
    folder = resources.files(__package__).joinpath("fonts")
    with contextlib.ExitStack() as stack:
        yield {
            style: stack.enter_context(resources.as_file(folder.joinpath(name)))
            for style, name in FONTS.items()
        }


def _stamp(content: dict[str, Any]) -> dt.datetime:
    """The month's close, else a fixed day: never the clock."""
    try:
        return dt.datetime.fromisoformat(content["as_of"]).astimezone(dt.UTC)
    except (KeyError, TypeError, ValueError):
        return dt.datetime(2000, 1, 1, tzinfo=dt.UTC)


def _heading(pdf: FPDF, content: dict[str, Any]) -> None:
    lines = dict(cover(content))
    pdf.set_font(FAMILY, "B", 18)
    pdf.cell(0, 10, TITLE, align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_font(FAMILY, "", 12)
    county = f"{lines.get('县（区）', '')}（{lines.get('行政区划代码', '')}）"
    month = lines.get("统计月份", "")
    pdf.cell(
        0, 8, f"{county}  {month}", align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    period = f"统计期间 {lines.get('统计期间起', '')} 至 {lines.get('统计期间止', '')}"
    close = lines.get("数据截至")
    close = f"{close:%Y-%m-%d %H:%M}" if isinstance(close, dt.datetime) else close
    facts = [period, f"时区 {lines.get('时区', '')}", f"数据截至 {close or ''}"]
    if "报告版本" in lines:
        facts.append(f"第 {lines['报告版本']} 版")
    pdf.set_font(FAMILY, "", 9)
    pdf.set_text_color(*GREY)
    pdf.cell(0, 6, "；".join(facts), align=Align.C, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_text_color(0, 0, 0)
    pdf.ln(2)


def _title(pdf: FPDF, text: str) -> None:
    if pdf.will_page_break(24):  # keep a title with its first rows
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FAMILY, "B", 11)
    pdf.cell(0, 7, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _table(pdf: FPDF, table: Table) -> None:
    _title(pdf, table.title)
    pdf.set_font(FAMILY, "", 8.5)
    cells = _blank_repeats(
        table,
        [
            [_show(c.kind, v) for c, v in zip(table.columns, row, strict=True)]
            for row in table.rows
        ],
    )
    if not cells:
        pdf.set_text_color(*GREY)
        pdf.cell(0, 6, "（本期无数据）", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        return
    aligns = tuple("RIGHT" if c.kind in NUMERIC else "LEFT" for c in table.columns)
    widths = _widths(pdf, table, cells)
    with pdf.table(
        width=min(sum(widths), pdf.epw),
        align=Align.L,
        col_widths=widths,
        text_align=aligns,
        headings_style=FontFace(emphasis="BOLD", fill_color=HEADER_FILL),
        cell_fill_color=STRIPE_FILL,
        cell_fill_mode=TableCellFillMode.ROWS,
        line_height=5,
        padding=(0.8, 1.2),
        repeat_headings=1,
        first_row_as_headings=True,
    ) as grid:
        grid.row([c.zh for c in table.columns])
        for values, row in zip(table.rows, cells, strict=True):
            line = grid.row()
            for column, value, text in zip(table.columns, values, row, strict=True):
                line.cell(text, style=_alarm(column.key, value))


def _alarm(key: str, value: Any) -> FontFace | None:
    """A broken visit cadence stands out in red."""
    if key == "breaches" and isinstance(value, int) and value > 0:
        return FontFace(emphasis="BOLD", color=ALARM)
    return None


def _blank_repeats(table: Table, cells: list[list[str]]) -> list[list[str]]:
    """The summary names a figure's indicator (and its note) on its first row."""
    keys = [c.key for c in table.columns]
    if "label" not in keys:
        return cells
    label, shown = keys.index("label"), ""
    blanks = [i for i, k in enumerate(keys) if k in {"label", "note"}]
    out = []
    for row in cells:
        repeat, shown = row[label] == shown, row[label]
        out.append(["" if repeat and i in blanks else t for i, t in enumerate(row)])
    return out


def _widths(pdf: FPDF, table: Table, cells: list[list[str]]) -> tuple[float, ...]:
    """Each column as wide as its widest cell (capped); a narrow table grows
    by half at most, a wide one shrinks to the page."""
    pdf.set_font(FAMILY, "B", 8.5)
    heads = [pdf.get_string_width(c.zh) for c in table.columns]
    pdf.set_font(FAMILY, "", 8.5)
    widest = [
        min(max([h] + [pdf.get_string_width(row[i]) for row in cells[:300]]), 70) + 3
        for i, h in enumerate(heads)
    ]
    scale = min(pdf.epw / sum(widest), 1.5)
    return tuple(w * scale for w in widest)


def _show(kind: Kind, value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, dt.date):
        return value.isoformat()
    if kind is Kind.MIXED and isinstance(value, int | float):
        return f"{value:,}"
    formats = {
        Kind.COUNT: "{:,}",
        Kind.PERCENT: "{:.1f}",
        Kind.RATE: "{:.2f}",
        Kind.KM: "{:,.3f}",
        Kind.HOURS: "{:.1f}",
    }
    if kind in formats and isinstance(value, int | float):
        return formats[kind].format(value)
    return str(value)


def _chart(pdf: FPDF, days: Sequence[dict[str, Any]]) -> None:
    """Daily volume: one line a series, over a grid with its scale."""
    if not days:
        return
    height, left = 62.0, pdf.l_margin + 12
    if pdf.will_page_break(height + 28):  # the title, legend and labels too
        pdf.add_page()
    _title(pdf, "每日数量（件）")
    _legend(pdf, left, pdf.get_y())
    top, width = pdf.get_y() + 8, pdf.epw - 12
    peak = max(max(int(d.get(k) or 0) for d in days) for k, _, _ in SERIES)
    step = _nice_step(peak)
    ceiling = step * max(1, math.ceil(peak / step))
    x = _positions(left, width, len(days))
    _grid(pdf, left, top, width, height, ceiling, step)
    _x_labels(pdf, days, x, top + height)
    for key, _, colour in SERIES:
        points = [
            (x[i], top + height * (1 - (d.get(key) or 0) / ceiling))
            for i, d in enumerate(days)
        ]
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.5)
        pdf.polyline(points)
    pdf.set_draw_color(0, 0, 0)
    pdf.set_line_width(0.2)
    pdf.set_xy(pdf.l_margin, top + height + 8)


def _nice_step(peak: int) -> int:
    """A round gridline step giving four to eight lines up to ``peak``."""
    raw = max(peak, 1) / 5
    magnitude = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    for factor in (1, 2, 5, 10):
        if factor * magnitude >= raw:
            return int(max(factor * magnitude, 1))
    return int(10 * magnitude)  # pragma: no cover - the loop ends at 10


def _positions(left: float, width: float, count: int) -> list[float]:
    slot = width / count
    return [left + slot * (i + 0.5) for i in range(count)]


def _grid(
    pdf: FPDF,
    left: float,
    top: float,
    width: float,
    height: float,
    ceiling: int,
    step: int,
) -> None:
    pdf.set_font(FAMILY, "", 7)
    pdf.set_text_color(*GREY)
    pdf.set_line_width(0.1)
    for value in range(0, ceiling + 1, step):
        y = top + height * (1 - value / ceiling)
        pdf.set_draw_color(200, 200, 200) if value else pdf.set_draw_color(0, 0, 0)
        pdf.line(left, y, left + width, y)
        pdf.set_xy(pdf.l_margin, y - 2)
        pdf.cell(10, 4, f"{value:,}", align=Align.R)
    pdf.set_draw_color(0, 0, 0)
    pdf.line(left, top, left, top + height)
    pdf.set_text_color(0, 0, 0)


def _x_labels(
    pdf: FPDF, days: Sequence[dict[str, Any]], x: list[float], bottom: float
) -> None:
    pdf.set_font(FAMILY, "", 7)
    for i, day in enumerate(days):
        number = str(day.get("day", ""))[-2:].lstrip("0")
        if i == 0 or number in {"5", "10", "15", "20", "25", "30"}:
            pdf.line(x[i], bottom, x[i], bottom + 1)
            pdf.set_xy(x[i] - 5, bottom + 1)
            pdf.cell(10, 4, f"{number}日", align=Align.C)


def _legend(pdf: FPDF, left: float, top: float) -> None:
    pdf.set_font(FAMILY, "", 7.5)
    x = left + 3
    for _, label, colour in SERIES:
        pdf.set_draw_color(*colour)
        pdf.set_line_width(0.8)
        pdf.line(x, top + 2, x + 6, top + 2)
        pdf.set_xy(x + 7, top)
        pdf.cell(18, 4, label)
        x += 26
