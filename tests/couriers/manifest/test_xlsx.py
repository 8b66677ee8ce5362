"""Tests for countyhub.couriers.manifest.xlsx: sheets, numbers, damaged workbooks."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from countyhub.couriers.manifest import read_manifest
from tests.couriers.manifest.files import (
    XLSX_ROWS,
    read_all,
    refused,
    save_xlsx,
)


def test_xlsx_numbers_stored_as_numbers(tmp_path: Path) -> None:
    """Waybills, phones and weights stored as numbers come back as written."""
    manifest, rows = read_all(save_xlsx(tmp_path / "m.xlsx", XLSX_ROWS))
    assert (manifest.format, manifest.encoding, manifest.sheet) == (
        "xlsx",
        None,
        "Sheet1",
    )
    assert manifest.title_lines == ("中通快递铜鼓网点 2026-11-25 派件清单",)
    assert [r.row_number for r in rows] == [4, 5]
    assert [r.waybill for r in rows] == ["73610555582883", "73610555582884"]
    assert [r.recipient_phone for r in rows] == ["13812345678", "13812345679"]
    assert [(r.weight_kg, r.pieces) for r in rows] == [(1.5, 2), (2.0, 1)]
    assert rows[1].recipient_name == "李四"
    assert rows[1].extra == {"备注": "易碎"}
    assert all(r.problems == () and r.courier == "中通" for r in rows)


def test_xlsx_progress(tmp_path: Path) -> None:
    """A workbook reports rows from its dimension and is read to its full size."""
    with read_manifest(save_xlsx(tmp_path / "m.xlsx", XLSX_ROWS)) as manifest:
        assert manifest.total_rows == 4
        assert manifest.bytes_read == 0
        list(manifest)
        assert manifest.bytes_read == manifest.size
        assert manifest.progress() == 1.0


def test_xlsx_with_a_wrong_dimension_is_read_in_full(tmp_path: Path) -> None:
    """A workbook whose stated dimension is only A1 still yields every row."""
    whole = save_xlsx(tmp_path / "whole.xlsx", XLSX_ROWS)
    broken = tmp_path / "m.xlsx"
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(broken, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1"', data)
            target.writestr(item, data)
    manifest, rows = read_all(broken)
    assert manifest.total_rows is None
    assert [r.row_number for r in rows] == [4, 5]


def test_xlsx_skips_hidden_sheets(tmp_path: Path) -> None:
    """A hidden sheet is not read even if it looks like a manifest."""
    other = [["运单号", "地址"], ["999", "隐藏"]]
    manifest, rows = read_all(
        save_xlsx(tmp_path / "m.xlsx", other, XLSX_ROWS, hidden=0)
    )
    assert manifest.sheet == "Sheet2"
    assert len(rows) == 2


def test_xlsx_uses_the_first_sheet_with_a_header(tmp_path: Path) -> None:
    """A notes sheet before the manifest is passed over."""
    notes = [["说明"], ["本表由网点导出"]]
    manifest, rows = read_all(save_xlsx(tmp_path / "m.xlsx", notes, XLSX_ROWS))
    assert manifest.sheet == "Sheet2"
    assert len(rows) == 2


# -- refusals ------------------------------------------------------------------------


def test_truncated_xlsx_is_refused(tmp_path: Path) -> None:
    """A workbook cut off half-way is refused as damaged."""
    data = save_xlsx(tmp_path / "whole.xlsx", XLSX_ROWS).read_bytes()
    assert "damaged" in refused(tmp_path, data[: len(data) // 2], "m.xlsx")


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    """A ZIP archive without a workbook inside is refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert "damaged" in refused(tmp_path, buffer.getvalue(), "m.xlsx")


def test_xlsx_without_header_is_refused(tmp_path: Path) -> None:
    """A workbook with no manifest sheet is refused before any row is read."""
    assert "no header row" in refused(
        tmp_path, save_xlsx(tmp_path / "w.xlsx", [["说明"]]).read_bytes(), "m.xlsx"
    )
