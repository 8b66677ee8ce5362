"""Manifests for the tests: a standard header and parcel, CSV and XLSX writers."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import openpyxl
import pytest

from countyhub.couriers.manifest import (
    Manifest,
    ManifestError,
    ManifestRow,
    read_manifest,
)

HEADER = ["运单号", "收件人", "电话", "地址", "重量", "件数", "备注"]
PARCEL = ["73610555582883", "张三", "13812345678", "铜鼓县永宁镇城南村", "1.5", "2", ""]


def csv_bytes(
    rows: list[list[str]], encoding: str = "utf-8", delimiter: str = ","
) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    return buffer.getvalue().encode(encoding)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def read_all(
    source: Path | io.BytesIO, **kwargs: str
) -> tuple[Manifest, list[ManifestRow]]:
    with read_manifest(source, **kwargs) as manifest:
        return manifest, list(manifest)


def one_row(tmp_path: Path, **cells: str) -> ManifestRow:
    row = [cells.get(h, v) for h, v in zip(HEADER, PARCEL, strict=True)]
    _, rows = read_all(write(tmp_path / "m.csv", csv_bytes([HEADER, row])))
    assert len(rows) == 1
    return rows[0]


def save_xlsx(
    path: Path, *sheets: list[list[object]], hidden: int | None = None
) -> Path:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for i, rows in enumerate(sheets):
        sheet = book.create_sheet(f"Sheet{i + 1}")
        for row in rows:
            sheet.append(row)
    if hidden is not None:
        book.worksheets[hidden].sheet_state = "hidden"
        book.active = next(i for i in range(len(sheets)) if i != hidden)
    book.save(path)
    return path


_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PARTS = {
    "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/'
    '2006/content-types"><Default Extension="rels" ContentType="application/'
    'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
    'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
    f'ContentType="{_TYPE}.sheet.main+xml"/><Override PartName="/xl/worksheets/'
    f'sheet1.xml" ContentType="{_TYPE}.worksheet+xml"/><Override PartName="/xl/'
    f'sharedStrings.xml" ContentType="{_TYPE}.sharedStrings+xml"/></Types>',
    "_rels/.rels": f'<Relationships xmlns="{_RELS}"><Relationship Id="rId1" '
    f'Type="{_DOCUMENT}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": f'<workbook xmlns="{_MAIN}" xmlns:r="{_DOCUMENT}"><sheets>'
    '<sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{_RELS}"><Relationship '
    f'Id="rId1" Type="{_DOCUMENT}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_DOCUMENT}/sharedStrings" '
    'Target="sharedStrings.xml"/></Relationships>',
}


def raw_xlsx(path: Path, rows: list[list[str]]) -> Path:
    """A workbook written by hand, as Excel does: every cell a shared string.

    The cells are XML as they stand, so a test may write character references
    that no spreadsheet program would (``&#0;``, ``&#xD800;``).
    """
    strings: list[str] = []
    sheet = []
    for number, row in enumerate(rows, 1):
        cells = []
        for column, text in enumerate(row):
            if text:
                cells.append(
                    f'<c r="{chr(65 + column)}{number}" t="s"><v>{len(strings)}</v></c>'
                )
                strings.append(f"<si><t>{text}</t></si>")
        sheet.append(f'<row r="{number}">{"".join(cells)}</row>')
    with zipfile.ZipFile(path, "w") as archive:
        for name, xml in _PARTS.items():
            archive.writestr(name, xml)
        archive.writestr(
            "xl/worksheets/sheet1.xml",
            f'<worksheet xmlns="{_MAIN}"><sheetData>{"".join(sheet)}</sheetData>'
            "</worksheet>",
        )
        archive.writestr(
            "xl/sharedStrings.xml",
            f'<sst xmlns="{_MAIN}" count="{len(strings)}">{"".join(strings)}</sst>',
        )
    return path


def refused(tmp_path: Path, data: bytes, name: str = "m.csv") -> str:
    with pytest.raises(ManifestError) as caught:
        read_manifest(write(tmp_path / name, data))
    assert name in str(caught.value)
    return str(caught.value)


XLSX_ROWS: list[list[object]] = [
    ["中通快递铜鼓网点 2026-11-25 派件清单"],
    [],
    [
        "运单号",
        "快递公司",
        "收件人",
        "手机",
        "收件地址",
        "重量（千克）",
        "件数",
        "备注",
    ],
    [73610555582883, "中通", "张三", 13812345678, "铜鼓县永宁镇", 1.5, 2, None],
    [
        73610555582884.0,
        "中通",
        " 李四 ",
        13812345679.0,
        "铜鼓县温泉镇",
        2,
        None,
        "易碎",
    ],
    [None, None, None, None, None, None, None],
    ["合计", None, None, None, None, 3.5, 3, None],
]
