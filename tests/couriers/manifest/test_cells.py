"""Tests for countyhub.couriers.manifest.cells: values, problems and skipped rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.couriers.manifest.files import (
    HEADER,
    PARCEL,
    csv_bytes,
    one_row,
    read_all,
    write,
)

# -- rows ----------------------------------------------------------------------------


@pytest.mark.parametrize("first", ["合计", "总计：", "共 123 件", "Total", "小计"])
def test_totals_row_is_skipped(tmp_path: Path, first: str) -> None:
    """A closing totals row is neither a parcel nor a problem."""
    data = csv_bytes(
        [["序号", *HEADER], ["1", *PARCEL], [first, "", "", "", "", "1.5", "2", ""]]
    )
    _, rows = read_all(write(tmp_path / "m.csv", data))
    assert len(rows) == 1
    assert rows[0].problems == ()


def test_numbers_only_row_is_a_totals_row(tmp_path: Path) -> None:
    """A row with nothing but a weight or piece count is taken for the totals."""
    data = csv_bytes([HEADER, PARCEL, ["", "", "", "", "123.5", "45", ""]])
    _, rows = read_all(write(tmp_path / "m.csv", data))
    assert len(rows) == 1


def test_headerless_and_duplicate_columns_go_to_extra(tmp_path: Path) -> None:
    """Unknown headers, a second 备注 and a value under no header land in extra."""
    header = [*HEADER, "备注", "", "寄件人"]
    data = csv_bytes([header, [*PARCEL[:6], "a", "b", "c", "王五", "d"]])
    _, rows = read_all(write(tmp_path / "m.csv", data))
    assert rows[0].extra == {
        "备注": "a",
        "备注 (H列)": "b",
        "寄件人": "王五",
        "I列": "c",
        "K列": "d",
    }


def test_courier_column(tmp_path: Path) -> None:
    """The 快递公司 cell is passed on as written; without the column it is None."""
    data = csv_bytes([["快递公司", *HEADER], ["中通", *PARCEL], ["", *PARCEL]])
    manifest, rows = read_all(write(tmp_path / "m.csv", data))
    assert manifest.has_courier_column
    assert [r.courier for r in rows] == ["中通", ""]
    manifest, rows = read_all(write(tmp_path / "n.csv", csv_bytes([HEADER, PARCEL])))
    assert not manifest.has_courier_column
    assert rows[0].courier is None


# -- values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kg"),
    [("1.5", 1.5), ("1.5kg", 1.5), ("1.5 公斤", 1.5), ("2 千克", 2.0), ("500g", 0.5),
     ("500克", 0.5), ("3斤", 1.5), ("0.25KG", 0.25), ("", None)],
)  # fmt: skip
def test_weight_units(tmp_path: Path, text: str, kg: float | None) -> None:
    """Weights are read in kilograms, with kg, 公斤, g, 克 or 斤; blank is unknown."""
    row = one_row(tmp_path, 重量=text)
    assert (row.weight_kg, row.problems) == (kg, ())


@pytest.mark.parametrize(
    ("text", "why"),
    [("1,5", "decimal point"), ("0", "more than 0"), ("-1", "more than 0"),
     ("约2公斤", "not a weight"), ("nan", "not a weight")],
)  # fmt: skip
def test_bad_weight_is_a_problem(tmp_path: Path, text: str, why: str) -> None:
    """A weight that is not a positive number gives a problem; the row is kept."""
    row = one_row(tmp_path, 重量=text)
    assert row.weight_kg is None
    [problem] = row.problems
    assert (problem.column, problem.value) == ("重量", text)
    assert why in problem.reason


def test_weight_in_a_grams_column(tmp_path: Path) -> None:
    """Bare numbers under 重量(g) are grams; an explicit unit still wins."""
    data = csv_bytes(
        [["运单号", "地址", "重量(g)"], ["1", "甲村", "500"], ["2", "乙村", "2kg"]]
    )
    _, rows = read_all(write(tmp_path / "m.csv", data))
    assert [r.weight_kg for r in rows] == [0.5, 2.0]


@pytest.mark.parametrize(("text", "pieces"), [("", 1), ("1", 1), ("2", 2), ("3件", 3)])
def test_pieces(tmp_path: Path, text: str, pieces: int) -> None:
    """Pieces default to 1 and are read as whole numbers."""
    row = one_row(tmp_path, 件数=text)
    assert (row.pieces, row.problems) == (pieces, ())


@pytest.mark.parametrize("text", ["0", "-1", "1.5", "两", "two"])
def test_bad_pieces_is_a_problem(tmp_path: Path, text: str) -> None:
    """Pieces that are not a whole number of at least 1 give a problem."""
    row = one_row(tmp_path, 件数=text)
    assert row.pieces == 1
    assert [(p.column, p.value) for p in row.problems] == [("件数", text)]


@pytest.mark.parametrize(
    ("text", "phone"),
    [("138 1234-5678", "13812345678"), ("+86 138-1234-5678", "+8613812345678"),
     ("13812345678.0", "13812345678"), ('="13812345678"', "13812345678")],
)  # fmt: skip
def test_phone_is_stripped(tmp_path: Path, text: str, phone: str) -> None:
    """Phone numbers keep their digits; spaces, hyphens and spreadsheet marks go."""
    assert one_row(tmp_path, 电话=text).recipient_phone == phone


@pytest.mark.parametrize(
    ("text", "waybill"),
    [('="073610555582883"', "073610555582883"), ("'73610555582883", "73610555582883"),
     ("73610555582883.0", "73610555582883"), ("7.36106E+13", "7.36106E+13"),
     ("SF 1234-5678", "SF 1234-5678")],
)  # fmt: skip
def test_waybill_loses_only_spreadsheet_marks(
    tmp_path: Path, text: str, waybill: str
) -> None:
    """The waybill stays as written but for ="…", a leading ' and a trailing .0."""
    assert one_row(tmp_path, 运单号=text).waybill == waybill


def test_missing_waybill_and_address_are_problems(tmp_path: Path) -> None:
    """A row without waybill or address is still yielded, with problems."""
    data = csv_bytes([HEADER, ["", *PARCEL[1:]], [*PARCEL[:3], "", *PARCEL[4:]]])
    _, rows = read_all(write(tmp_path / "m.csv", data))
    assert [[p.column for p in r.problems] for r in rows] == [["运单号"], ["地址"]]
    assert all(p.value == "" for r in rows for p in r.problems)


# -- characters no database stores ---------------------------------------------------


@pytest.mark.parametrize("column", ["运单号", "收件人", "地址", "备注"])
def test_a_nul_in_a_cell_is_a_problem_of_its_row(tmp_path: Path, column: str) -> None:
    """A NUL (PostgreSQL stores none) is a problem naming the column; the row keeps
    a U+FFFD in its place, so nothing after the reader meets the NUL."""
    text = PARCEL[HEADER.index(column)] or "易碎"
    row = one_row(tmp_path, **{column: f"{text[:2]}\x00{text[2:]}"})
    shown = f"{text[:2]}\ufffd{text[2:]}"
    assert [(p.column, p.value) for p in row.problems] == [(column, shown)]
    assert "U+0000" in row.problems[0].reason
    values = {
        "运单号": row.waybill,
        "收件人": row.recipient_name,
        "地址": row.address,
        "备注": row.extra["备注"],
    }
    assert values[column] == shown
