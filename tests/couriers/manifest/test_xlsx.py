"""Tests for countyhub.couriers.manifest.xlsx: sheets, numbers, damaged workbooks."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import pytest

from countyhub.couriers.manifest import read_manifest
from tests.couriers.manifest.files import (
    XLSX_ROWS,
    raw_xlsx,
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


# -- characters XML forbids ---------------------------------------------------------


def test_a_lone_surrogate_written_by_openpyxl_is_a_problem_of_its_row(
    tmp_path: Path,
) -> None:
    """openpyxl writes half a surrogate pair as &#55296;, which XML forbids: that
    cell is a problem of its row, shown with U+FFFD; the other rows are read."""
    rows = [list(row) for row in XLSX_ROWS]
    rows[4][4] = "铜鼓县\ud800温泉镇"
    _, read = read_all(save_xlsx(tmp_path / "m.xlsx", rows))
    assert [r.row_number for r in read] == [4, 5]
    assert read[0].problems == ()
    (problem,) = read[1].problems
    assert (problem.column, problem.value) == ("收件地址", "铜鼓县\ufffd温泉镇")
    assert "U+D800" in problem.reason
    assert read[1].address == "铜鼓县\ufffd温泉镇"


@pytest.mark.parametrize(
    ("reference", "code"),
    [("&#0;", "U+0000"), ("&#xD800;", "U+D800"), ("&#56320;", "U+DC00")],
)
def test_a_shared_string_with_a_forbidden_reference_is_a_problem_of_its_row(
    tmp_path: Path, reference: str, code: str
) -> None:
    """NUL or half a surrogate pair as a character reference in the shared strings
    (where Excel keeps text): a problem of the rows using it, not a damaged file."""
    rows = [
        ["运单号", "收件人", "地址"],
        ["73610555582883", "张三", "铜鼓县永宁镇"],
        ["73610555582884", f"李{reference}四", "铜鼓县温泉镇"],
        ["73610555582885", "王五", "铜鼓县三都镇"],
    ]
    _, read = read_all(raw_xlsx(tmp_path / "m.xlsx", rows))
    bad = [(r.row_number, p.column, p.value) for r in read for p in r.problems]
    assert bad == [(3, "收件人", "李\ufffd四")]
    assert code in read[1].problems[0].reason
    assert read[1].recipient_name == "李\ufffd四"


def test_forbidden_references_outside_the_rows_are_no_problem(tmp_path: Path) -> None:
    """A NUL in a header is shown as U+FFFD; a control character XML forbids but a
    database stores (&#1;) comes back as written."""
    rows = [
        ["运单号", "地址", "备注&#0;"],
        ["73610555582883", "铜鼓县永宁镇", "易&#1;碎"],
    ]
    _, read = read_all(raw_xlsx(tmp_path / "m.xlsx", rows))
    assert read[0].problems == ()
    assert read[0].extra == {"备注\ufffd": "易\x01碎"}


def test_a_forbidden_reference_far_down_the_sheet_is_a_problem_of_its_row(
    tmp_path: Path,
) -> None:
    """A bad cell read long after the header still spoils only its own row."""
    rows: list[list[object]] = [["运单号", "地址"]]
    rows += [[f"7361055{i:07d}", f"铜鼓县永宁镇{i}号"] for i in range(3000)]
    rows[2500][1] = "铜鼓县\udfff永宁镇"
    _, read = read_all(save_xlsx(tmp_path / "m.xlsx", rows))
    assert len(read) == 3000
    bad = [(r.row_number, p.column, p.value) for r in read for p in r.problems]
    assert bad == [(2501, "地址", "铜鼓县\ufffd永宁镇")]


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
