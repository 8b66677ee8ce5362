"""Manifests for the tests: a standard header and parcel, CSV and XLSX writers."""

from __future__ import annotations

import csv
import io
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
