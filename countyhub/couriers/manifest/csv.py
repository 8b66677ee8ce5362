"""The CSV reader: delimiter and header from the first block, then records streamed.

The text comes from :mod:`.encoding`; each record becomes a row through the maker of
:mod:`.cells`, with the problems of the text itself (bad bytes, a quote that is never
closed) handed over.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Generator, Iterable, Iterator
from typing import BinaryIO

from .cells import WHY, Maker, storable, unstorable_problems
from .encoding import Decoded, sniff_encoding
from .header import Header, refuse_header, search_header
from .model import FieldProblem, ManifestError, ManifestRow

SNIFF_BYTES = 64 * 1024  # CSV bytes that decide encoding and delimiter
MAX_RECORD_LINES = 5  # a CSV record over more lines is reported (unclosed quote?)

_DELIMITERS = (",", "\t", ";", "|")


def _records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each starts on."""
    reader = csv.reader(lines, delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _sniff_header(text: str, final: bool, name: str) -> tuple[str, Header]:
    """Find the delimiter and the header row in the first block of text."""
    lines = io.StringIO(text, newline="").readlines()
    if not final and lines:
        lines.pop()  # cut off by the block's end
    best: Header | None = None
    firsts: list[str | None] = []
    for delimiter, header, seen in _searches(lines):
        if header and header.layout.complete:
            return delimiter, header
        firsts.append(seen)
        if header and (
            best is None or len(header.layout.index) > len(best.layout.index)
        ):
            best = header
    raise _refuse(name, lines, best, firsts)


def _searches(lines: list[str]) -> Iterator[tuple[str, Header | None, str | None]]:
    """search_header with each delimiter that parses the lines."""
    for delimiter in _DELIMITERS:
        try:
            yield delimiter, *search_header(_records(lines, delimiter))
        except csv.Error:
            continue


def _refuse(
    name: str, lines: list[str], best: Header | None, firsts: list[str | None]
) -> ManifestError:
    raw = (line.strip() for line in lines if line.strip())
    first = None if None in firsts else next(raw, "")  # ",,," is blank, say
    if first is not None and first.lstrip().startswith("<"):
        return ManifestError(
            f"{name}: this is a web page or XML file (some systems "
            "export these under an .xls name), not CSV or .xlsx. Open "
            "it in Excel or WPS and save it as .xlsx."
        )
    return refuse_header(name, best, first)


class CsvSource:
    format = "csv"
    sheet: str | None = None
    total_rows: int | None = None

    def __init__(self, file: BinaryIO, name: str) -> None:
        head = file.read(SNIFF_BYTES)
        final = len(head) < SNIFF_BYTES
        encoding, text = sniff_encoding(head, name, final, stray_nul=True)
        # A NUL in the header or a title is shown as U+FFFD; the rows are decoded
        # again from the bytes and report theirs.
        self.delimiter, self.header = _sniff_header(storable(text), final, name)
        self.name, self.rows_read, self.done = name, 0, False
        self._stream = Decoded(file, head, encoding)

    @property
    def encoding(self) -> str | None:
        return self._stream.encoding

    def bytes_read(self, size: int) -> int:
        return self._stream.bytes_read

    def rows(self, make: Maker) -> Generator[ManifestRow, None, None]:
        stream, header_row = self._stream, self.header.row
        reader = csv.reader(stream.lines(), delimiter=self.delimiter)
        start = 1
        try:
            for cells in reader:
                number, start = start, reader.line_num + 1
                if number <= header_row or not cells:
                    continue
                self.rows_read += 1
                found: tuple[FieldProblem, ...] = ()
                if (
                    stream.damaged
                    or stream.nul
                    or self._runaway(number, start - 1, cells)
                ):
                    found = self._stream_problems(number, start - 1, cells)
                if (row := make(number, cells, found)) is not None:
                    yield row
        except csv.Error as exc:
            raise ManifestError(
                f"{self.name}: line {start} cannot be read ({exc}); "
                'check its quote marks (").'
            ) from None
        self.done = True

    def _runaway(self, first: int, last: int, cells: list[str]) -> bool:
        """Whether a record swallowed later records: it spans too many lines, or
        a cell holds a line that reads as a record of its own (as many
        delimiters as the header has columns less one)."""
        if last - first >= MAX_RECORD_LINES:
            return True
        columns = len(self.header.layout.headers) - 1
        return columns > 0 and any(
            line.count(self.delimiter) >= columns
            for cell in cells
            if "\n" in cell
            for line in cell.splitlines()[1:]
        )

    def _stream_problems(
        self, first: int, last: int, cells: list[str]
    ) -> tuple[FieldProblem, ...]:
        """Problems of the text rather than of a value: bad bytes, a NUL, a runaway
        quote."""
        label, found = self.header.layout.label, []
        if self._stream.damaged:
            why = WHY["encoding"].format(encoding=self._stream.encoding)
            bad = (i for i, c in enumerate(cells) if "\ufffd" in c)
            found = [FieldProblem(label(i), cells[i].strip(), why) for i in bad]
        if self._stream.nul:  # after the bad bytes: this puts U+FFFD in the cells
            found.extend(unstorable_problems(cells, label))
        if self._runaway(first, last, cells):
            i = max(range(len(cells)), key=lambda i: cells[i].count("\n"))
            why = WHY["quote"].format(first=first, last=last)
            found.append(FieldProblem(label(i), cells[i].strip()[:200], why))
        return tuple(found)
