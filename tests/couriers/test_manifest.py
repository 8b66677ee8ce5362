import csv
import io
import random
import re
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countyhub.couriers import manifest as manifest_module
from countyhub.couriers.manifest import (
    FIELD_ALIASES,
    GRAM_WEIGHT_HEADERS,
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


# -- CSV encodings -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("encoding", "found"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gb18030", "gb18030")],
)
def test_csv_encoding_is_detected(tmp_path: Path, encoding: str, found: str) -> None:
    """UTF-8 with or without BOM and GB18030 are told apart without being told."""
    manifest, rows = read_all(
        write(tmp_path / "m.csv", csv_bytes([HEADER, PARCEL], encoding))
    )
    assert manifest.encoding == found
    assert manifest.columns["waybill"] == "运单号"
    assert (rows[0].recipient_name, rows[0].address) == ("张三", "铜鼓县永宁镇城南村")


@pytest.mark.parametrize("encoding", ["gbk", "gb2312"])
def test_gbk_and_gb2312_content_reads_as_gb18030(tmp_path: Path, encoding: str) -> None:
    """GBK and GB2312 files are decoded by GB18030, their superset."""
    manifest, rows = read_all(
        write(tmp_path / "m.csv", csv_bytes([HEADER, PARCEL], encoding))
    )
    assert manifest.encoding == "gb18030"
    assert rows[0].address == "铜鼓县永宁镇城南村"


def test_gb18030_four_byte_characters(tmp_path: Path) -> None:
    """Characters outside GBK (four-byte GB18030) survive."""
    row = [*PARCEL[:1], "𠀾𪚥", *PARCEL[2:]]
    _, rows = read_all(write(tmp_path / "m.csv", csv_bytes([HEADER, row], "gb18030")))
    assert rows[0].recipient_name == "𠀾𪚥"


def ascii_rows(count: int) -> list[list[str]]:
    return [
        [f"7361055{i:07d}", "Zhang San", "13812345678", f"Yongning Rd {i}"]
        for i in range(count)
    ]


def test_ascii_start_then_gb18030_switches_encoding(tmp_path: Path) -> None:
    """A file pure ASCII for its first 64 KiB and GB18030 later is read as GB18030."""
    head = csv_bytes([["waybill", "name", "phone", "address"], *ascii_rows(3000)])
    assert len(head) > manifest_module.SNIFF_BYTES
    tail = csv_bytes([["73610555599999", "李四", "13812345679", "铜鼓县温泉镇"]], "gbk")
    with read_manifest(write(tmp_path / "m.csv", head + tail)) as manifest:
        assert manifest.encoding == "utf-8"
        rows = list(manifest)
        assert manifest.encoding == "gb18030"
    assert rows[-1].address == "铜鼓县温泉镇"
    assert rows[-1].row_number == 3002
    assert not any(row.problems for row in rows)


def test_utf8_then_gbk_later_reports_the_gbk_rows(tmp_path: Path) -> None:
    """UTF-8 Chinese, then GBK after the first block: the GBK rows get a problem."""
    good = [
        [f"7361055{i:07d}", "张三", "13812345678", f"铜鼓县永宁镇{i}号"]
        for i in range(2500)
    ]
    head = csv_bytes([["运单号", "收件人", "电话", "地址"], *good])
    assert len(head) > manifest_module.SNIFF_BYTES
    tail = csv_bytes(
        [["73610555599999", "李四", "13812345679", "铜鼓县温泉镇新村"]], "gbk"
    )
    _, rows = read_all(write(tmp_path / "m.csv", head + tail))
    assert len(rows) == 2501
    assert not any(row.problems for row in rows[:-1])
    assert rows[-1].row_number == 2502
    assert "mixes encodings" in rows[-1].problems[0].reason


def test_mixed_encodings_in_the_first_block_are_refused(tmp_path: Path) -> None:
    """UTF-8 Chinese lines followed at once by GBK lines: the file is refused."""
    data = csv_bytes([HEADER, PARCEL]) + csv_bytes([PARCEL], "gbk")
    assert "mixes encodings" in refused(tmp_path, data)


# -- CSV shapes ----------------------------------------------------------------------


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


def test_unclosed_quote_is_reported(tmp_path: Path) -> None:
    """A quote never closed swallows the lines after it; the row says so."""
    lines = ["运单号,地址", '1,"铜鼓县', *(f"{i},村{i}" for i in range(2, 10))]
    _, rows = read_all(write(tmp_path / "m.csv", "\n".join(lines).encode()))
    assert len(rows) == 1
    assert "quote" in rows[0].problems[0].reason
    assert rows[0].problems[0].column == "地址"


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


# -- headers -------------------------------------------------------------------------


ALIASES = [(f, alias) for f, aliases in FIELD_ALIASES.items() for alias in aliases]


@pytest.mark.parametrize(("name", "alias"), ALIASES)
def test_every_alias_names_its_field(tmp_path: Path, name: str, alias: str) -> None:
    """Each documented header name is recognised as its field."""
    header = {"waybill": "运单号", "address": "地址", name: alias}
    data = csv_bytes([list(header.values()), ["1"] * len(header)])
    manifest, _ = read_all(write(tmp_path / "m.csv", data))
    assert manifest.columns[name] == alias


@pytest.mark.parametrize(
    ("header", "name"),
    [
        ("Waybill_No", "waybill"),
        ("WAYBILL NUMBER", "waybill"),
        ("Tracking-Number", "waybill"),
        ("tracking_number", "waybill"),
        ("*运单号", "waybill"),
        ("收件人（必填）", "recipient_name"),
        ("重量(kg)", "weight_kg"),
        ("重量（千克）", "weight_kg"),
        ("重量/kg", "weight_kg"),
        ("重量(公斤)", "weight_kg"),
        ("Weight (KG)", "weight_kg"),
        ("weight_kg", "weight_kg"),
        ("Ｗｅｉｇｈｔ（ｋｇ）", "weight_kg"),
        ("件数(件)", "pieces"),
        ("Recipient_Phone", "recipient_phone"),
    ],
)
def test_header_variants(tmp_path: Path, header: str, name: str) -> None:
    """Case, width, spaces, underscores, brackets, units and 必填 do not matter."""
    headers = {"waybill": "运单号", "address": "地址", name: header}
    data = csv_bytes([list(headers.values()), ["1"] * len(headers)])
    manifest, _ = read_all(write(tmp_path / "m.csv", data))
    assert manifest.columns[name] == header


def test_module_docstring_documents_every_header() -> None:
    """The user-facing spec lists every accepted header name."""
    doc = manifest_module.__doc__ or ""
    missing = [a for _, a in ALIASES if a not in doc]
    missing += [h for h in GRAM_WEIGHT_HEADERS if h not in doc]
    assert missing == []


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


# -- XLSX ----------------------------------------------------------------------------


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


def test_format_is_told_by_content_not_name(tmp_path: Path) -> None:
    """A workbook named .csv is read as xlsx and a CSV named .xlsx as CSV."""
    workbook = save_xlsx(tmp_path / "m.xlsx", XLSX_ROWS)
    assert (
        read_all(write(tmp_path / "w.csv", workbook.read_bytes()))[0].format == "xlsx"
    )
    assert (
        read_all(write(tmp_path / "c.xlsx", csv_bytes([HEADER, PARCEL])))[0].format
        == "csv"
    )


# -- refusals ------------------------------------------------------------------------


def test_empty_file_is_refused(tmp_path: Path) -> None:
    """An empty file is not a manifest."""
    assert "empty" in refused(tmp_path, b"")


def test_blank_lines_only_are_refused(tmp_path: Path) -> None:
    """A file of blank lines has no content."""
    assert "only blank lines" in refused(tmp_path, b"\r\n\r\n  \r\n,,,\r\n")


def test_random_bytes_are_refused(tmp_path: Path) -> None:
    """Binary data is neither CSV nor xlsx."""
    data = random.Random(7).randbytes(5000)
    assert "neither a CSV" in refused(tmp_path, b"abc" + data)


def test_old_xls_is_refused(tmp_path: Path) -> None:
    """An old Excel .xls (OLE2) file is refused with: save as .xlsx or CSV."""
    message = refused(tmp_path, manifest_module._XLS_MAGIC + bytes(600), "m.xls")
    assert ".xlsx" in message and "CSV" in message


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


def test_utf16_is_refused(tmp_path: Path) -> None:
    """Excel's "Unicode text" (UTF-16) is refused with: save as CSV UTF-8."""
    assert "UTF-16" in refused(tmp_path, "运单号\t地址\n1\t甲村\n".encode("utf-16"))


def test_web_page_is_refused(tmp_path: Path) -> None:
    """An HTML table saved as .xls is refused with: save as .xlsx."""
    page = "<html><body><table><tr><td>运单号</td></tr></table></body></html>"
    assert "web page" in refused(tmp_path, page.encode(), "m.xls")


def test_no_header_is_refused(tmp_path: Path) -> None:
    """A CSV whose columns are not a manifest's is refused, quoting its first line."""
    message = refused(tmp_path, b"foo,bar,baz\n1,2,3\n")
    assert "no header row" in message and "foo" in message


def test_missing_required_columns_are_named(tmp_path: Path) -> None:
    """A header without an address column names what is missing and what was found."""
    message = refused(
        tmp_path, csv_bytes([["单号", "收件人", "电话"], ["1", "张三", "1"]])
    )
    assert "lacks the required column(s) 地址" in message
    assert "单号, 收件人, 电话" in message


def test_xlsx_without_header_is_refused(tmp_path: Path) -> None:
    """A workbook with no manifest sheet is refused before any row is read."""
    assert "no header row" in refused(
        tmp_path, save_xlsx(tmp_path / "w.xlsx", [["说明"]]).read_bytes(), "m.xlsx"
    )


# -- streams and files ---------------------------------------------------------------


class Unseekable(io.RawIOBase):
    def __init__(self, data: bytes) -> None:
        self._data = io.BytesIO(data)

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray) -> int:  # type: ignore[override]
        chunk = self._data.read(len(buffer))
        buffer[: len(chunk)] = chunk
        return len(chunk)


def test_unseekable_stream_is_read(tmp_path: Path) -> None:
    """An upload stream that cannot seek is spooled and read; it is not closed."""
    data = save_xlsx(tmp_path / "m.xlsx", XLSX_ROWS).read_bytes()
    stream = Unseekable(data)
    manifest, rows = read_all(stream, filename="upload.xlsx")  # type: ignore[arg-type]
    assert (manifest.name, len(rows)) == ("upload.xlsx", 2)
    assert not stream.closed
    stream.close()


def test_stream_is_left_open(tmp_path: Path) -> None:
    """A caller's stream is read from where it stands and left open."""
    stream = io.BytesIO(b"junk" + csv_bytes([HEADER, PARCEL]))
    stream.seek(4)
    manifest, rows = read_all(stream)
    assert (manifest.name, manifest.size, len(rows)) == (
        "upload",
        len(stream.getvalue()) - 4,
        1,
    )
    assert not stream.closed


def test_rows_are_read_lazily(tmp_path: Path) -> None:
    """The first row comes before the file is read; close() stops the reading."""
    data = csv_bytes([HEADER, *([PARCEL] * 40000)])
    with read_manifest(write(tmp_path / "m.csv", data)) as manifest:
        rows = iter(manifest)
        assert next(rows).row_number == 2
        assert manifest.bytes_read < manifest.size / 2
        manifest.close()
        assert list(rows) == []


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
