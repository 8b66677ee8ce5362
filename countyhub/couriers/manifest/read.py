"""Open a manifest: tell a workbook from CSV text by its first bytes, then read it.

:func:`read_manifest` refuses what is neither (empty, an old .xls) and hands the
file to the XLSX or the CSV reader; :class:`Manifest` is what the clerk's file
turned out to hold, and its rows. The format is documented in
:mod:`countyhub.couriers.manifest`.
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from types import TracebackType
from typing import BinaryIO

from .cells import row_maker
from .csv import CsvSource
from .model import ManifestError, ManifestRow
from .xlsx import XlsxSource

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
