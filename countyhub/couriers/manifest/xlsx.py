"""The XLSX reader: the first visible sheet with a header row, read with openpyxl.

Cells come back as the clerk sees them and become rows through the maker of
:mod:`.cells`; any error of a damaged workbook is a ManifestError.  A reference to
a character XML forbids (NUL, half a surrogate pair) reaches its cell through
:mod:`.xmlrefs` and is a problem of its row, not a damaged file.
"""

from __future__ import annotations

import warnings
from collections.abc import Generator
from contextlib import closing
from datetime import datetime
from typing import Any, BinaryIO

from openpyxl.reader.excel import ExcelReader

from .cells import Maker, storable, unstorable_problems
from .header import Header, refuse_header, search_header
from .model import ManifestError, ManifestRow
from .xmlrefs import RefZip, restore


def _cell_text(value: object) -> str:
    """A cell as the clerk sees it: integral numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return restore(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime) and value == datetime.combine(
        value, datetime.min.time()
    ):
        return str(value.date())
    return str(value)


def _damaged(name: str, exc: BaseException) -> ManifestError:
    return ManifestError(
        f"{name}: the .xlsx workbook is damaged or incomplete "
        f"({type(exc).__name__}: {exc}); it may have been cut off "
        "while copying or uploading. Open it in Excel or WPS, save "
        "it again and upload the new file."
    )


def _load(file: BinaryIO, name: str) -> tuple[Any, RefZip]:
    """The workbook and its archive: openpyxl's load_workbook, but for the archive,
    which reads the XML parts through the filter of :mod:`.xmlrefs`."""
    try:  # openpyxl raises many kinds of error on a damaged file (zip, xml, key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and the like
            reader = ExcelReader(file, read_only=True, data_only=True)
            reader.archive.close()  # (it leaves the file open)
            reader.archive = archive = RefZip(file)
            reader.read()
            return reader.wb, archive
    except Exception as exc:
        raise _damaged(name, exc) from None


class XlsxSource:
    format = "xlsx"
    encoding = None
    delimiter = None

    def __init__(self, file: BinaryIO, name: str) -> None:
        self.name, self.rows_read, self.done = name, 0, False
        self._book, self._archive = _load(file, name)
        try:
            self._pick_sheet()
        except BaseException:
            self._book.close()
            raise

    def _pick_sheet(self) -> None:
        """The first visible sheet with a header row."""
        best, first = None, None
        for sheet in self._book.worksheets:
            if sheet.sheet_state != "visible":
                continue
            max_row = sheet.max_row  # from the sheet's own dimension, maybe wrong:
            header, seen = self._search_header(sheet)
            if header and header.layout.complete:
                self._sheet, self.sheet = sheet, storable(restore(sheet.title))
                self.header = header
                below = (max_row or 0) - header.row
                self.total_rows = below if below > 0 else None
                return
            best, first = best or header, first or seen
        raise refuse_header(self.name, best, first)

    def _search_header(self, sheet: Any) -> tuple[Header | None, str | None]:
        sheet.reset_dimensions()  # … so read every row there is
        with closing(self._numbered(sheet, 1)) as rows, warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # A NUL in the header or a title is shown as U+FFFD: no row to reject.
            return search_header((n, [storable(c) for c in cells]) for n, cells in rows)

    def _numbered(
        self, sheet: Any, min_row: int
    ) -> Generator[tuple[int, list[str]], None, None]:
        rows = sheet.iter_rows(min_row=min_row, values_only=True)
        try:
            for number, values in enumerate(rows, min_row):
                yield number, [_cell_text(v) for v in values]
        except Exception as exc:  # zlib, zip or XML errors in the sheet
            raise _damaged(self.name, exc) from None
        finally:
            rows.close()

    def bytes_read(self, size: int) -> int:
        """Estimated from the rows read, for one progress measure over both formats."""
        if self.done or not size:
            return size
        return (
            min(size * self.rows_read // self.total_rows, size)
            if self.total_rows
            else 0
        )

    def rows(self, make: Maker) -> Generator[ManifestRow, None, None]:
        numbered = self._numbered(self._sheet, self.header.row + 1)
        label = self.header.layout.label
        try:
            for number, cells in numbered:
                self.rows_read += 1
                if not cells:
                    continue
                # Only a carried reference brings a NUL or a surrogate into a cell.
                carried = self._archive.carried
                found = tuple(unstorable_problems(cells, label)) if carried else ()
                if (row := make(number, cells, found)) is not None:
                    yield row
        finally:
            numbered.close()
        self.done = True

    def close(self) -> None:
        self._book.close()
