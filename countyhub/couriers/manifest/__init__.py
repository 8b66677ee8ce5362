"""Read a depot's manifest — the CSV or XLSX list of parcels a courier handed over.

This docstring is the specification of a manifest as a depot clerk may upload it.
:func:`read_manifest` opens the file, refuses anything that is not a manifest with a
:class:`ManifestError` before a single row is read, and then yields the parcels one
at a time as :class:`ManifestRow`, so a file of a million rows is read in flat memory.

File
    An Excel workbook (.xlsx; also .xlsm) or a CSV text file, told apart by the
    content, not the name. Refused, each with what to do instead: an empty file,
    an old Excel .xls or a password-protected workbook, a damaged or cut-off .xlsx,
    a web page or XML file saved as .xls, UTF-16 "Unicode text", any other binary
    file (a stray NUL byte in a CSV does not make it binary: its row gets a
    problem). In a workbook the first visible sheet that has a header row is read;
    numbers stored as numbers are fine (73610555582883 and 13812345678.0 come back
    as those digits).
Encoding (CSV)
    UTF-8 with or without BOM, or GB18030 — which also reads GBK and GB2312 — found
    without being told. A file that is UTF-8 with Chinese text in one part and
    GB18030 in another is refused if that shows in the first 64 KiB, otherwise the
    undecodable rows get a problem.
Delimiter (CSV)
    Comma, tab, semicolon or vertical bar, found from the header line. Fields may be
    quoted ("…", a quote inside doubled) and may hold line breaks.
Shape
    The header row is searched among the first 20 non-blank rows; lines above it
    (a title such as "中通快递铜鼓网点 2026-11-25 派件清单") are kept as
    ``title_lines``. Blank rows anywhere, a repeat of the header row and a closing
    totals row (its first cell 合计, 总计, 小计, 汇总, "共 123 件", total or sum; or a
    row with no waybill, address, name or phone but a number under weight or pieces)
    are skipped without a report. Cells are trimmed; empty columns are ignored.
Columns
    Header names are matched after Unicode NFKC folding (full-width to half-width),
    lowercasing, removing spaces, underscores, hyphens, dots, slashes, brackets,
    colons, asterisks and a trailing unit or note (kg, 千克, 公斤, 件, 个, 必填, 选填):
    "Weight (kg)", "重量（千克）", "重量/kg" and "*运单号" all match. Required:
    waybill and address.

    ===============  ==========================================================
    field            accepted header names
    ===============  ==========================================================
    waybill          运单号 运单编号 运单号码 快递单号 快递单号码 单号 物流单号
                     面单号 waybill "waybill no" "waybill number" tracking
                     "tracking no" "tracking number"
    courier          快递公司 快递 快递品牌 承运商 物流公司 courier carrier express
    recipient_name   收件人 收件人姓名 收货人 收货人姓名 姓名 recipient
                     "recipient name" name consignee
    recipient_phone  电话 收件人电话 收货人电话 手机 手机号 手机号码 联系电话
                     电话号码 收件人手机 phone mobile tel "recipient phone"
    address          地址 收件地址 收件人地址 收货地址 收货人地址 详细地址 address
                     "recipient address"
    weight_kg        重量 weight; in grams: 重量(g) 重量(克) weight(g) weight(grams)
    pieces           件数 数量 包裹数 pieces qty quantity count
    ===============  ==========================================================

    Any other column is passed on in ``extra`` under its header; a value in a column
    without a header under the column letter ("F列").
Values
    waybill and phone: as written, minus what spreadsheets add to long numbers
    (``="…"``, a leading apostrophe, a trailing ".0"); spaces and hyphens are removed
    from phone numbers. Weight in kilograms: "1.5", "1.5kg", "1.5 公斤", "500g",
    "3斤"; blank is unknown; "1,5", zero, negative or text are problems. Pieces:
    blank is 1; otherwise a whole number of at least 1 ("2", "2件").
Problems
    A row with a bad cell is still yielded, with :class:`FieldProblem` entries in
    ``problems``: empty waybill or address, a weight or pieces that cannot be read,
    undecodable bytes, a quoted field that runs over many lines (an unclosed quote),
    a character no database stores — NUL, or half of a UTF-16 surrogate pair, in a
    workbook also as a character reference that XML forbids (``&#0;``,
    ``&#55296;``). Undecodable bytes and such characters read as U+FFFD, so no
    text the reader gives holds them; in a header or title they are no problem.
"""

from .csv import MAX_RECORD_LINES, SNIFF_BYTES
from .encoding import CHUNK_BYTES, sniff_encoding
from .header import (
    FIELD_ALIASES,
    GRAM_WEIGHT_HEADERS,
    HEADER_SEARCH_ROWS,
    REQUIRED_FIELDS,
)
from .model import FieldProblem, ManifestError, ManifestRow
from .read import Manifest, read_manifest

__all__ = [
    "CHUNK_BYTES",
    "FIELD_ALIASES",
    "GRAM_WEIGHT_HEADERS",
    "HEADER_SEARCH_ROWS",
    "MAX_RECORD_LINES",
    "REQUIRED_FIELDS",
    "SNIFF_BYTES",
    "FieldProblem",
    "Manifest",
    "ManifestError",
    "ManifestRow",
    "read_manifest",
    "sniff_encoding",
]
