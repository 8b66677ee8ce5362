"""Tests for countyhub.couriers.manifest.csv: delimiters, lines, quotes, streaming."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countyhub.couriers.manifest import ManifestError, ManifestRow, read_manifest
from tests.couriers.manifest.files import (
    HEADER,
    PARCEL,
    csv_bytes,
    read_all,
    refused,
    write,
)


@pytest.mark.parametrize("delimiter", [",", "\t", ";", "|"])
def test_delimiter_is_found_from_the_header(tmp_path: Path, delimiter: str) -> None:
    """Comma, tab, semicolon and bar delimited files read alike, title line or not."""
    data = "派件清单 2026-11-25\n".encode() + csv_bytes(
        [HEADER, PARCEL], delimiter=delimiter
    )
    manifest, rows = read_all(write(tmp_path / "m.csv", data))
    assert manifest.delimiter == delimiter
    assert rows[0].waybill == "73610555582883"
    assert rows[0].row_number == 3


def test_quoted_newlines_keep_row_numbers(tmp_path: Path) -> None:
    """A record with line breaks inside quotes is numbered by the line it starts on."""
    rows_in = [HEADER, [*PARCEL[:3], "铜鼓县\n永宁镇\n城南村", *PARCEL[4:]], PARCEL]
    _, rows = read_all(write(tmp_path / "m.csv", csv_bytes(rows_in)))
    assert [r.row_number for r in rows] == [2, 5]
    assert rows[0].address == "铜鼓县\n永宁镇\n城南村"


def test_lf_and_cr_line_endings_count_lines(tmp_path: Path) -> None:
    """Unix and old Mac line endings number the lines as an editor does."""
    for ending in ("\n", "\r"):
        text = ending.join(["运单号,地址", "", "1,甲村", "2,乙村"]) + ending
        _, rows = read_all(write(tmp_path / "m.csv", text.encode()))
        assert [(r.row_number, r.waybill) for r in rows] == [(3, "1"), (4, "2")]


def test_real_export_shape(tmp_path: Path) -> None:
    """Title and blank lines, padded columns, spaces, a repeated header, totals."""
    text = (
        "中通快递铜鼓网点 2026-11-25 派件清单,,,,,,,,\n"
        "网点：铜鼓,,,,,,,,\n"
        ",,,,,,,,\n"
        " 运单号 ,收件人,电话,地址,重量,件数,备注,,\n"
        " 73610555582883 , 张三 ,138 1234 5678, 铜鼓县永宁镇 ,1.5,,,,\n"
        "\n"
        "运单号,收件人,电话,地址,重量,件数,备注,,\n"
        "73610555582884,李四,13812345679,铜鼓县温泉镇,2,3,易碎,,\n"
        "合计,,,,3.5,4,,,\n"
        ",,,,,,,,\n"
    )
    manifest, rows = read_all(write(tmp_path / "m.csv", text.encode("gb18030")))
    assert manifest.title_lines == (
        "中通快递铜鼓网点 2026-11-25 派件清单",
        "网点：铜鼓",
    )
    assert manifest.header_row == 4
    assert [r.row_number for r in rows] == [5, 8]
    assert rows[0] == ManifestRow(
        5,
        "73610555582883",
        None,
        "张三",
        "13812345678",
        "铜鼓县永宁镇",
        1.5,
        1,
        (),
        {"备注": ""},
    )
    assert rows[1].extra == {"备注": "易碎"}


def test_unclosed_quote_is_reported(tmp_path: Path) -> None:
    """A quote never closed swallows the lines after it; the row says so."""
    lines = ["运单号,地址", '1,"铜鼓县', *(f"{i},村{i}" for i in range(2, 10))]
    _, rows = read_all(write(tmp_path / "m.csv", "\n".join(lines).encode()))
    assert len(rows) == 1
    assert "quote" in rows[0].problems[0].reason
    assert rows[0].problems[0].column == "地址"


@pytest.mark.parametrize("after", [1, 2, 3])
def test_a_short_unclosed_quote_is_reported_where_it_starts(
    tmp_path: Path, after: int
) -> None:
    """A quote that swallows even one later record (few lines) is a problem of its
    row, the row where the quote opens; a multi-line address alone is not."""
    lines = ["运单号,地址", '1,"铜鼓县', *(f"{i},村{i}" for i in range(2, 2 + after))]
    _, rows = read_all(write(tmp_path / "m.csv", "\n".join(lines).encode()))
    assert [r.row_number for r in rows] == [2]
    assert "quote" in rows[0].problems[0].reason
    assert "lines 2-" in rows[0].problems[0].reason


def test_runaway_quote_breaks_off_the_reading(tmp_path: Path) -> None:
    """A quote swallowing more than csv's field limit stops the reading at its line."""
    lines = [
        "运单号,地址",
        "1,甲村",
        '2,"乙村',
        *(f"{i},村{i}" for i in range(3, 20000)),
    ]
    with read_manifest(
        write(tmp_path / "m.csv", "\n".join(lines).encode())
    ) as manifest:
        rows = iter(manifest)
        assert next(rows).waybill == "1"
        with pytest.raises(ManifestError, match=r"m.csv: line 3 cannot be read"):
            next(rows)


# -- refusals ------------------------------------------------------------------------


def test_blank_lines_only_are_refused(tmp_path: Path) -> None:
    """A file of blank lines has no content."""
    assert "only blank lines" in refused(tmp_path, b"\r\n\r\n  \r\n,,,\r\n")


def test_web_page_is_refused(tmp_path: Path) -> None:
    """An HTML table saved as .xls is refused with: save as .xlsx."""
    page = "<html><body><table><tr><td>运单号</td></tr></table></body></html>"
    assert "web page" in refused(tmp_path, page.encode(), "m.xls")


# -- progress ------------------------------------------------------------------------


def test_csv_progress_reaches_the_size(tmp_path: Path) -> None:
    """bytes_read grows to the file size as the rows are read."""
    with read_manifest(
        write(tmp_path / "m.csv", csv_bytes([HEADER, *([PARCEL] * 5000)]))
    ) as manifest:
        assert manifest.progress() < 1.0
        assert sum(1 for _ in manifest) == 5000
        assert (manifest.bytes_read, manifest.rows_read) == (manifest.size, 5000)
        assert manifest.progress() == 1.0


# -- round trip ----------------------------------------------------------------------

TEXT = st.text(
    st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    ),
    max_size=12,
)
LINES = st.lists(TEXT, min_size=1, max_size=2).map("\n".join)  # at most one break
ROW = st.tuples(
    st.text("0123456789ABCDEFJKSTY", min_size=1, max_size=16),
    LINES,
    st.text("0123456789", max_size=11),
    LINES.filter(str.strip),
    st.one_of(st.just(""), st.integers(1, 99999).map(lambda g: str(g / 1000))),
    st.integers(1, 99).map(str),
    LINES,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(ROW, max_size=8), st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]))
def test_round_trip(rows: list[tuple[str, ...]], encoding: str) -> None:
    """Rows written as CSV in either encoding read back with their values and lines."""
    with read_manifest(io.BytesIO(csv_bytes([HEADER, *rows], encoding))) as manifest:
        read = list(manifest)
    line = 2
    assert len(read) == len(rows)
    for written, got in zip(rows, read, strict=True):
        waybill, name, phone, address, weight, pieces, note = written
        assert got.row_number == line
        assert (got.waybill, got.recipient_name, got.recipient_phone) == (
            waybill,
            name.strip(),
            phone,
        )
        assert (got.address, got.extra) == (address.strip(), {"备注": note.strip()})
        assert (got.weight_kg, got.pieces) == (
            float(weight) if weight else None,
            int(pieces),
        )
        assert got.problems == ()
        line += 1 + sum(value.count("\n") for value in written)
