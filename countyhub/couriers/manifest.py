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
    file. In a workbook the first visible sheet that has a header row is read;
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
    undecodable bytes, a quoted field that runs over many lines (an unclosed quote).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import BinaryIO

# The reader's limits are re-exported (imported "as" themselves) for callers and tests.
from ._manifest_cells import row_maker
from ._manifest_csv import MAX_RECORD_LINES as MAX_RECORD_LINES
from ._manifest_csv import SNIFF_BYTES as SNIFF_BYTES
from ._manifest_csv import CsvSource
from ._manifest_encoding import CHUNK_BYTES as CHUNK_BYTES
from ._manifest_header import FIELD_ALIASES, GRAM_WEIGHT_HEADERS, REQUIRED_FIELDS
from ._manifest_header import HEADER_SEARCH_ROWS as HEADER_SEARCH_ROWS
from ._manifest_model import FieldProblem, ManifestError, ManifestRow
from ._manifest_xlsx import XlsxSource

__all__ = [
    "FIELD_ALIASES",
    "GRAM_WEIGHT_HEADERS",
    "REQUIRED_FIELDS",
    "FieldProblem",
    "Manifest",
    "ManifestError",
    "ManifestRow",
    "read_manifest",
]

_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: .xls, .et, encrypted .xlsx
_ZIP_MAGIC = b"PK\x03\x04"


class Manifest:
    """An opened manifest: what was found in it, then its rows, read once.

    Iterate for the :class:`ManifestRow` in file order; rows are read as they are
    asked for. Iteration raises :class:`ManifestError` only if the file breaks
    half-way (a damaged workbook, a CSV line that cannot be parsed). Use as a
    context manager, or call :meth:`close`.

    Attributes
    ----------
    name : str
        The file name used in messages.
    format : {"csv", "xlsx"}
    encoding : {"utf-8", "utf-8-sig", "gb18030"} or None
        CSV only. A file whose first 64 KiB are ASCII may turn from "utf-8" to
        "gb18030" while it is read.
    delimiter : str or None
        CSV only.
    sheet : str or None
        XLSX only: the worksheet read.
    columns : dict of str to str
        Field name -> header text, for the fields found.
    has_courier_column : bool
    header_row : int
        Row (line) number of the header.
    title_lines : tuple of str
        The non-blank rows above the header, cells joined by a space.
    size : int
        Bytes in the file.
    bytes_read : int
        Bytes read so far (XLSX: estimated from rows); ``size`` once all is read.
    rows_read : int
        Rows (records) read below the header so far, skipped ones included.
    total_rows : int or None
        XLSX only: rows below the header as the sheet's dimension states them.
    """

    def __init__(
        self,
        source: CsvSource | XlsxSource,
        size: int,
        close_file: Callable[[], None] | None,
    ) -> None:
        self._source, self._close_file = source, close_file
        self.name, self.format, self.size = source.name, source.format, size
        self.delimiter, self.sheet = source.delimiter, source.sheet
        layout = source.header.layout
        self.columns = {f: layout.headers[i] for f, i in layout.index.items()}
        self.has_courier_column = "courier" in layout.index
        self.header_row, self.title_lines = source.header.row, source.header.titles
        self.total_rows = source.total_rows
        self._rows = source.rows(row_maker(layout))

    @property
    def encoding(self) -> str | None:
        return self._source.encoding

    @property
    def bytes_read(self) -> int:
        return self._source.bytes_read(self.size)

    @property
    def rows_read(self) -> int:
        return self._source.rows_read

    def progress(self) -> float:
        """Fraction of the file read, from 0.0 to 1.0."""
        return self.bytes_read / self.size if self.size else 1.0

    def __iter__(self) -> Iterator[ManifestRow]:
        return self._rows

    def close(self) -> None:
        """Stop reading and close the file if :func:`read_manifest` opened it."""
        self._rows.close()
        if isinstance(self._source, XlsxSource):
            self._source.close()
        if self._close_file is not None:
            self._close_file()
            self._close_file = None

    def __enter__(self) -> Manifest:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self.close()


def read_manifest(
    source: str | os.PathLike[str] | BinaryIO, *, filename: str | None = None
) -> Manifest:
    """Open a manifest file and check that it is one; read its rows by iterating.

    Parameters
    ----------
    source : str, path-like or binary file object
        A path, or a file opened in binary mode (an upload stream). A stream is read
        from its current position and left open; a stream that cannot seek is first
        copied to a temporary file.
    filename : str, optional
        The name to use in messages; default the path's or the stream's name.

    Returns
    -------
    Manifest
        Closes the file it opened when closed (use ``with``).

    Raises
    ------
    ManifestError
        The file is empty, binary, an old .xls, a damaged .xlsx, has no header row
        in its first 20 non-blank rows, or lacks a waybill or address column.
    """
    file, name, close_file = _open(source, filename)
    try:
        start = file.tell()
        size = file.seek(0, io.SEEK_END) - start
        file.seek(start)
        return Manifest(_source(file, name), size, close_file)
    except BaseException:
        if close_file is not None:
            close_file()
        raise


def _open(
    source: str | os.PathLike[str] | BinaryIO, filename: str | None
) -> tuple[BinaryIO, str, Callable[[], None] | None]:
    if isinstance(source, (str, os.PathLike)):
        path = os.fspath(source)
        file: BinaryIO = open(path, "rb")  # noqa: SIM115 - the Manifest closes it
        return file, filename or os.path.basename(path), file.close
    given = getattr(source, "name", None)
    name = filename or (os.path.basename(given) if isinstance(given, str) else "upload")
    if getattr(source, "seekable", lambda: False)():
        return source, name, None
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the Manifest closes it
    shutil.copyfileobj(source, spool)
    spool.seek(0)
    return spool, name, spool.close  # type: ignore[return-value]


def _source(file: BinaryIO, name: str) -> CsvSource | XlsxSource:
    magic = file.read(len(_XLS_MAGIC))
    file.seek(-len(magic), io.SEEK_CUR)
    if not magic:
        raise ManifestError(
            f"{name}: the file is empty. Export the manifest again "
            "and upload the saved file."
        )
    if magic == _XLS_MAGIC:
        raise ManifestError(
            f"{name}: this is an old Excel workbook (.xls) or a "
            "password-protected one, which cannot be read. Open it in "
            "Excel or WPS and save it as .xlsx (no password) or as "
            "CSV UTF-8."
        )
    if magic.startswith(_ZIP_MAGIC):
        return XlsxSource(file, name)
    return CsvSource(file, name)
