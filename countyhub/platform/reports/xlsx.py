"""The province report as an XLSX workbook.

A cover sheet (封面: county, period, version when the content carries one), a
summary sheet (概要) and one sheet per breakdown, laid out by
:mod:`countyhub.platform.reports._tables`.  Headers are Chinese and frozen;
numbers are numbers with a number format, dates are dates.  The same content
gives the same bytes: the document's dates are the month's close and every
entry of the zip archive carries one fixed time.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from countyhub.platform.reports._tables import (
    TITLE,
    Kind,
    Table,
    cover,
    report_tables,
)

FORMATS = {
    Kind.COUNT: "#,##0",
    Kind.PERCENT: "0.0",
    Kind.RATE: "0.00",
    Kind.KM: "#,##0.000",
    Kind.HOURS: "0.0",
    Kind.DATE: "yyyy-mm-dd",
}
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE4EE")
ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip entry can carry


def report_xlsx(content: dict[str, Any]) -> bytes:
    """The workbook of ``content`` (a built report), as the bytes of a file."""
    book = Workbook()
    _cover(book.active, content)
    for table in report_tables(content):
        _sheet(book.create_sheet(table.sheet), table)
    stamp = _stamp(content)
    book.properties.creator = "countyhub"
    book.properties.title = TITLE
    book.properties.created = book.properties.modified = stamp
    return _fixed_times(_save(book))


def _cover(sheet: Worksheet, content: dict[str, Any]) -> None:
    sheet.title = "封面"
    for label, value in cover(content):
        sheet.append([label, value])
        if isinstance(value, dt.datetime):
            sheet.cell(sheet.max_row, 2).number_format = "yyyy-mm-dd hh:mm"
        elif isinstance(value, dt.date):
            sheet.cell(sheet.max_row, 2).number_format = FORMATS[Kind.DATE]
    for cell in sheet["A"]:
        cell.font = HEADER_FONT
    _widths(sheet, [14, 40])


def _sheet(sheet: Worksheet, table: Table) -> None:
    sheet.append([table.title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([c.zh for c in table.columns])
    for cell in sheet[2]:
        cell.font, cell.fill = HEADER_FONT, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", wrap_text=True)
    for row in table.rows:
        sheet.append(list(row))
        for column, cell in zip(table.columns, sheet[sheet.max_row], strict=True):
            number_format = _format(column.kind, cell.value)
            if number_format:
                cell.number_format = number_format
    sheet.freeze_panes = "A3"
    _widths(sheet, [_width(table, i) for i in range(len(table.columns))])


def _format(kind: Kind, value: Any) -> str | None:
    if kind is Kind.MIXED:  # the summary: an int is a count, a float a share
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None
        return FORMATS[Kind.COUNT] if isinstance(value, int) else "#,##0.0##"
    return FORMATS.get(kind)


def _width(table: Table, index: int) -> float:
    """Characters wide: a CJK character counts two; at least the header."""
    texts = [table.columns[index].zh] + [_text(row[index]) for row in table.rows[:200]]
    return min(max(_display(t) for t in texts) + 2, 60)


def _text(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    return "" if value is None else str(value)


def _display(text: str) -> int:
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _widths(sheet: Worksheet, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _stamp(content: dict[str, Any]) -> dt.datetime:
    """The month's close (naive UTC, as openpyxl writes it), else a fixed day."""
    try:
        close = dt.datetime.fromisoformat(content["as_of"])
    except (KeyError, TypeError, ValueError):
        return dt.datetime(2000, 1, 1)
    if close.tzinfo is not None:
        close = close.astimezone(dt.UTC).replace(tzinfo=None)
    return close


def _save(book: Workbook) -> bytes:
    # openpyxl's save() stamps the document "modified" with the clock;
    # its writer, called directly, keeps the date set above
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        ExcelWriter(book, archive).save()
    return buffer.getvalue()


def _fixed_times(body: bytes) -> bytes:
    """The same archive with every entry dated :data:`ZIP_TIME`."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(body)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for entry in source.infolist():
            fixed = zipfile.ZipInfo(entry.filename, date_time=ZIP_TIME)
            fixed.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(fixed, source.read(entry.filename))
    return out.getvalue()
