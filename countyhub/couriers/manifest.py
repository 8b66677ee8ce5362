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

import codecs
import csv
import io
import itertools
import os
import re
import shutil
import tempfile
import unicodedata
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from types import TracebackType
from typing import BinaryIO

import openpyxl
from openpyxl.utils import get_column_letter

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

FIELD_ALIASES: dict[str, tuple[str, ...]] = {
    "waybill": ("运单号", "运单编号", "运单号码", "快递单号", "快递单号码", "单号",
                "物流单号", "面单号", "waybill", "waybill no", "waybill number",
                "tracking", "tracking no", "tracking number"),
    "courier": ("快递公司", "快递", "快递品牌", "承运商", "物流公司", "courier",
                "carrier", "express"),
    "recipient_name": ("收件人", "收件人姓名", "收货人", "收货人姓名", "姓名",
                       "recipient", "recipient name", "name", "consignee"),
    "recipient_phone": ("电话", "收件人电话", "收货人电话", "手机", "手机号",
                        "手机号码", "联系电话", "电话号码", "收件人手机", "phone",
                        "mobile", "tel", "recipient phone"),
    "address": ("地址", "收件地址", "收件人地址", "收货地址", "收货人地址", "详细地址",
                "address", "recipient address"),
    "weight_kg": ("重量", "weight"),
    "pieces": ("件数", "数量", "包裹数", "pieces", "qty", "quantity", "count"),
}  # fmt: skip
"""Header names per field, in the form a clerk writes them; the first names the field
in messages. Matching folds case, width, spacing, brackets and units (see above)."""

GRAM_WEIGHT_HEADERS = ("重量(g)", "重量(克)", "weight(g)", "weight(grams)")
"""Weight headers whose bare numbers are grams rather than kilograms."""

REQUIRED_FIELDS = ("waybill", "address")

HEADER_SEARCH_ROWS = 20  # non-blank rows searched for the header
SNIFF_BYTES = 64 * 1024  # CSV bytes that decide encoding and delimiter
CHUNK_BYTES = 256 * 1024  # CSV bytes read at a time afterwards
MAX_RECORD_LINES = 5  # a CSV record over more lines is reported (unclosed quote?)

_FIELDS = tuple(FIELD_ALIASES)
_DELIMITERS = (",", "\t", ";", "|")
_HEADER_NOISE = re.compile(
    r"[\s_\-.,/\\()\[\]{}<>【】《》:：*#'\"\u200b-\u200d\u2060\ufeff]+"
)
_HEADER_SUFFIX = re.compile(r"(?:kg|千克|公斤|件|个|必填|选填)+$")
_TOTALS = re.compile(r"合\s*计|总\s*计|小\s*计|汇\s*总|共\s*\d|total|sum\b", re.I)
_EXCEL_TEXT = re.compile(r'="(.*)"', re.S)  # ="0736…": Excel's way to keep text
_INTEGRAL = re.compile(r"(\d+)\.0+")
_WEIGHT = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(kg|千克|公斤|g|克|斤)?", re.I)
_PER_KG = {"kg": 1.0, "千克": 1.0, "公斤": 1.0, "g": 1000.0, "克": 1000.0, "斤": 2.0}
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")  # CJK ideographs (BMP)
_PHONE_NOISE = str.maketrans("", "", " \u3000\t-\uff0d")
# Control bytes never occur in UTF-8 or GB18030 text (tab, CR, LF, VT, FF, ^Z may).
_BINARY = re.compile(rb"[\x00-\x08\x0e-\x19\x1b-\x1f]")
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # OLE2: .xls, .et, encrypted .xlsx
_ZIP_MAGIC = b"PK\x03\x04"


@dataclass(frozen=True, slots=True)
class FieldProblem:
    """A cell that could not be read as it should.

    Attributes
    ----------
    column : str
        The header as written in the file (e.g. "重量"), or the field name.
    value : str
        The offending cell as text; "" if it is empty.
    reason : str
        What is wrong and what to do, written for a depot clerk.
    """

    column: str
    value: str
    reason: str


@dataclass(frozen=True, slots=True)
class ManifestRow:
    """One parcel line of a manifest, read but not yet checked against any rule.

    Attributes
    ----------
    row_number : int
        1-based row in Excel, or line in a text editor where the record starts.
    waybill : str
        As written, minus spreadsheet artefacts (``="…"``, ', ".0"); "" if empty.
    courier : str or None
        The 快递公司 cell as written; None if the file has no such column.
    recipient_name, recipient_phone, address : str
        Trimmed; spaces and hyphens removed from the phone number.
    weight_kg : float or None
        Kilograms; None if blank or unreadable (then see ``problems``).
    pieces : int
        1 if blank or unreadable (then see ``problems``).
    problems : tuple of FieldProblem
        Cells that could not be read; the row should not be registered as is.
    extra : dict of str to str
        Every other column, by header.
    """

    row_number: int
    waybill: str
    courier: str | None
    recipient_name: str
    recipient_phone: str
    address: str
    weight_kg: float | None
    pieces: int = 1
    problems: tuple[FieldProblem, ...] = ()
    extra: dict[str, str] = field(default_factory=dict)


class ManifestError(ValueError):
    """The file is not a manifest at all; nothing should be imported.

    The message names the file, says why and what to do.
    """


# -- headers -------------------------------------------------------------------------


def _header_key(text: str) -> str:
    return _HEADER_NOISE.sub("", unicodedata.normalize("NFKC", text).lower())


_ALIASES = {_header_key(a): f for f, names in FIELD_ALIASES.items() for a in names}
_GRAM_KEYS = frozenset(_header_key(h) for h in GRAM_WEIGHT_HEADERS)


def _field_of(header: str) -> tuple[str | None, bool]:
    """The field a header names, and whether it counts in grams."""
    key = _header_key(header)
    if key in _GRAM_KEYS:
        return "weight_kg", True
    return _ALIASES.get(key) or _ALIASES.get(_HEADER_SUFFIX.sub("", key)), False


@dataclass(frozen=True, slots=True)
class _Layout:
    """The header row: which column holds which field, computed once per file."""

    headers: tuple[str, ...]
    index: dict[str, int]
    extra: tuple[tuple[int, str], ...]
    unnamed: tuple[int, ...]
    grams: bool

    @property
    def complete(self) -> bool:
        return all(f in self.index for f in REQUIRED_FIELDS)

    def label(self, column: int) -> str:
        named = column < len(self.headers) and self.headers[column]
        return named or f"{get_column_letter(column + 1)}列"


def _layout(texts: list[str]) -> _Layout:
    while texts and not texts[-1]:
        texts = texts[:-1]
    index: dict[str, int] = {}
    extra: list[tuple[int, str]] = []
    grams = False
    for i, text in enumerate(texts):
        name, in_grams = _field_of(text) if text else (None, False)
        if name is not None and name not in index:
            index[name] = i
            grams = grams or in_grams
        elif text:  # a second 备注 is told apart by its column letter
            taken = any(key == text for _, key in extra)
            extra.append(
                (i, f"{text} ({get_column_letter(i + 1)}列)" if taken else text)
            )
    unnamed = tuple(i for i, text in enumerate(texts) if not text)
    return _Layout(tuple(texts), index, tuple(extra), unnamed, grams)


@dataclass(frozen=True, slots=True)
class _Header:
    row: int
    layout: _Layout
    titles: tuple[str, ...]


def _search_header(
    records: Iterable[tuple[int, list[str]]],
) -> tuple[_Header | None, str | None]:
    """The first row naming every required column, else the best partial candidate.

    Also returns the first non-blank row's text (None: every row was blank).
    """
    titles: list[str] = []
    best: _Header | None = None
    for number, cells in records:
        texts = [c.strip() for c in cells]
        if not any(texts):
            continue
        layout = _layout(texts)
        if layout.complete:
            return _Header(number, layout, tuple(titles)), None
        if len(layout.index) > (len(best.layout.index) if best else 0):
            best = _Header(number, layout, ())
        titles.append(" ".join(t for t in texts if t))
        if len(titles) >= HEADER_SEARCH_ROWS:
            break
    return best, titles[0] if titles else None


def _refuse_header(
    name: str, found: _Header | None, first: str | None
) -> ManifestError:
    if first is None:
        return ManifestError(f"{name}: the file has no content, only blank lines.")
    if found is None:
        return ManifestError(
            f"{name}: no header row found in the first {HEADER_SEARCH_ROWS} non-blank "
            "lines. The manifest needs a row of column names including 运单号 "
            f"(waybill number) and 地址 (address); the first line reads {first[:80]!r}."
        )
    missing = [f for f in REQUIRED_FIELDS if f not in found.layout.index]
    accepted = "; ".join(f"{f}: {', '.join(FIELD_ALIASES[f])}" for f in missing)
    return ManifestError(
        f"{name}: the header row (row {found.row}) lacks the required column(s) "
        f"{', '.join(FIELD_ALIASES[f][0] for f in missing)}. Columns found: "
        f"{', '.join(h for h in found.layout.headers if h)}. Add the column or rename "
        f"it to an accepted name ({accepted})."
    )


# -- cells ---------------------------------------------------------------------------

_WHY = {  # the reasons of FieldProblem, for a depot clerk
    "waybill": "the waybill number is empty: every parcel needs one",
    "address": "the address is empty: the parcel cannot be routed to a village",
    "comma": "use a decimal point, not a comma: write 1.5, not 1,5",
    "weight": "not a weight: write the kilograms as a number, e.g. 1.5, 1.5kg, 500g",
    "no weight": "the weight must be more than 0; leave it empty if it is not known",
    "pieces": "the number of pieces must be a whole number of 1 or more, in digits "
    "(e.g. 2); leave it empty for 1",
    "encoding": "this cell holds bytes that are not {encoding} text: the file mixes "
    "encodings; save the whole file again as CSV UTF-8",
    "quote": 'this record runs over lines {first}-{last}: a quote mark (") is '
    "probably not closed, so later lines became part of it",
}


def _clean_number(text: str) -> str:
    """Undo what spreadsheets do to long numbers: ``="…"``, a leading ', ".0"."""
    if text.startswith("="):
        match = _EXCEL_TEXT.fullmatch(text)
        text = match[1].strip() if match else text
    text = text.removeprefix("'")
    match = _INTEGRAL.fullmatch(text)
    return match[1] if match else text


def _weight(
    text: str, unit: str, label: str, problems: list[FieldProblem]
) -> float | None:
    match = _WEIGHT.fullmatch(text)
    if match is None:
        comma = "," in text or "，" in text
        problems.append(FieldProblem(label, text, _WHY["comma" if comma else "weight"]))
        return None
    kg = float(match[1]) / _PER_KG[(match[2] or unit).lower()]
    if kg > 0:
        return kg
    problems.append(FieldProblem(label, text, _WHY["no weight"]))
    return None


def _pieces(text: str, label: str, problems: list[FieldProblem]) -> int:
    digits = _clean_number(text.removesuffix("件").rstrip())
    if digits.isdecimal() and int(digits) > 0:
        return int(digits)
    problems.append(FieldProblem(label, text, _WHY["pieces"]))
    return 1


def _skippable(
    cells: list[str],
    waybill: str,
    address: str,
    person: str,
    amount: str,
    header_waybill: str,
) -> bool:
    """A blank row, a repeated header or the closing totals row: not a parcel."""
    if waybill == header_waybill:
        return True
    if address:
        return False
    first = next((t for t in (c.strip() for c in cells) if t), "")
    if not first:
        return True
    return bool(_TOTALS.match(first)) or (not (waybill or person) and bool(amount))


def _stray(cells: list[str], layout: _Layout) -> dict[str, str]:
    """Values in columns that have no header, under their column letter."""
    width = len(layout.headers)
    columns = itertools.chain(layout.unnamed, range(width, len(cells) - 1))
    return {layout.label(i): v for i in columns if (v := cells[i].strip())}


_Maker = Callable[[int, list[str], tuple[FieldProblem, ...]], "ManifestRow | None"]


def _row_maker(layout: _Layout) -> _Maker:
    """The per-row function, with the column positions bound once per file.

    It is the hot loop of a million-row import: plain locals, no per-cell calls
    unless a cell is unusual. An absent column reads the "" appended to each row.
    """
    at = [layout.index.get(f, -1) for f in _FIELDS]
    wi, ci, ni, pi, ai, gi, qi = at
    labels = [
        layout.label(i) if i >= 0 else f for f, i in zip(_FIELDS, at, strict=True)
    ]
    width, pad, extra = len(layout.headers), [""] * len(layout.headers), layout.extra
    unit, header_waybill = "g" if layout.grams else "kg", layout.headers[wi]
    per_unit = _PER_KG[unit]

    def make(
        number: int, cells: list[str], found: tuple[FieldProblem, ...]
    ) -> ManifestRow | None:
        if len(cells) < width:
            cells.extend(pad[len(cells) :])
        cells.append("")
        waybill, address = cells[wi].strip(), cells[ai].strip()
        name, phone = cells[ni].strip(), cells[pi].strip()
        weight, pieces = cells[gi].strip(), cells[qi].strip()
        odd = not (waybill and address) or waybill == header_waybill
        if odd and _skippable(
            cells, waybill, address, name + phone, weight + pieces, header_waybill
        ):
            return None
        problems = list(found)
        if not (waybill.isascii() and waybill.isalnum()):
            waybill = _clean_number(waybill)
        if not waybill:
            problems.append(FieldProblem(labels[0], "", _WHY["waybill"]))
        if not address:
            problems.append(FieldProblem(labels[4], "", _WHY["address"]))
        if phone and not phone.isdigit():
            phone = _clean_number(phone).translate(_PHONE_NOISE)
        # Plain numbers take the fast paths; anything else is parsed (or reported).
        if not weight:
            kg = None
        elif not (weight.replace(".", "", 1).isdecimal() and float(weight) > 0):
            kg = _weight(weight, unit, labels[5], problems)
        else:
            kg = float(weight) / per_unit
        if not pieces:
            count = 1
        elif not (pieces.isdecimal() and int(pieces) > 0):
            count = _pieces(pieces, labels[6], problems)
        else:
            count = int(pieces)
        others = {key: cells[i].strip() for i, key in extra}
        if layout.unnamed or len(cells) > width + 1:
            others.update(_stray(cells, layout))
        courier = cells[ci].strip() if ci >= 0 else None
        return ManifestRow(
            number,
            waybill,
            courier,
            name,
            phone,
            address,
            kg,
            count,
            tuple(problems),
            others,
        )

    return make


# -- CSV -----------------------------------------------------------------------------


def _decoder(encoding: str, errors: str = "strict") -> codecs.IncrementalDecoder:
    return codecs.getincrementaldecoder(encoding)(errors)


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def _sniff_encoding(head: bytes, name: str, final: bool) -> tuple[str, str]:
    """Decide the encoding from the first block; return it and the decoded text."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise ManifestError(
            f"{name}: the file is UTF-16 text (Excel's \"Unicode "
            'text"); save it as CSV UTF-8 or as .xlsx.'
        )
    if _BINARY.search(head):
        raise ManifestError(
            f"{name}: the file is neither a CSV text file nor an "
            ".xlsx workbook; upload the manifest as .xlsx or CSV."
        )
    bom = head.startswith(codecs.BOM_UTF8)
    body = head[len(codecs.BOM_UTF8) :] if bom else head
    try:
        text = _decoder("utf-8").decode(body, final)
    except UnicodeDecodeError as exc:
        # GBK bytes pass for UTF-8 only briefly and never as Chinese characters.
        if bom or len(_CJK.findall(body[: exc.start].decode())) >= 2:
            raise ManifestError(
                f"{name}: line {_line_of(body, exc.start)} is not UTF-8 although the "
                "lines before it are: the file mixes encodings. Save the whole file "
                "again as CSV UTF-8 and upload it again."
            ) from None
    else:
        if bom or text.isascii() or _CJK.search(text) or not _gb_chinese(head, final):
            return ("utf-8-sig" if bom else "utf-8"), text
    try:
        return "gb18030", _decoder("gb18030").decode(head, final)
    except UnicodeDecodeError:
        raise ManifestError(
            f"{name}: the file is not text in UTF-8 or GB18030 (GBK); "
            "save it as CSV UTF-8 or as .xlsx."
        ) from None


def _gb_chinese(head: bytes, final: bool) -> bool:
    """Whether the block reads as Chinese in GB18030 (it read as UTF-8 without any)."""
    try:
        return bool(_CJK.search(_decoder("gb18030").decode(head, final)))
    except UnicodeDecodeError:
        return False


class _Decoded:
    """The CSV bytes as text lines, read a chunk at a time.

    A file whose first block is pure ASCII starts as UTF-8 and turns GB18030 at the
    first chunk that is not UTF-8 (ASCII is the same in both). Bytes that fit neither
    the chosen encoding are replaced by U+FFFD and ``damaged`` is set, so the rows
    holding them can be reported rather than the whole file lost half-way.
    """

    def __init__(self, file: BinaryIO, head: bytes, encoding: str) -> None:
        self._file, self._head = file, head
        self.encoding = encoding
        self.bytes_read = 0
        self.damaged = False
        self._ascii = encoding == "utf-8"
        self._decoder = _decoder(encoding)

    def lines(self) -> Iterator[str]:
        return itertools.chain.from_iterable(self._batches())

    def _batches(self) -> Iterator[list[str]]:
        pending = ""
        for text in self._texts():
            # Split as universal newlines do (\\r\\n, \\n, \\r), keeping the endings
            # for csv; the last line may be incomplete (or a \\r whose \\n follows).
            lines = io.StringIO(pending + text, newline="").readlines()
            pending = lines.pop() if lines else ""
            yield lines
        if pending:
            yield [pending]

    def _texts(self) -> Iterator[str]:
        data, self._head = self._head, b""
        while data:
            self.bytes_read += len(data)
            yield self._decode(data, final=False)
            data = self._file.read(CHUNK_BYTES)
        yield self._decode(b"", final=True)

    def _decode(self, data: bytes, final: bool) -> str:
        state = self._decoder.getstate()
        try:
            text = self._decoder.decode(data, final)
        except UnicodeDecodeError as exc:
            text = self._recover(state, data, final, exc.start)
        if self._ascii and not text.isascii():
            self._ascii = False
        return text

    def _recover(
        self, state: tuple[bytes, int], data: bytes, final: bool, failed_at: int
    ) -> str:
        if self._ascii and (state[0] + data)[:failed_at].isascii():
            self.encoding, self._ascii = "gb18030", False
            self._decoder, data = _decoder("gb18030"), state[0] + data
            state = self._decoder.getstate()
            try:
                return self._decoder.decode(data, final)
            except UnicodeDecodeError:
                pass
        self.damaged = True
        self._decoder = _decoder(self.encoding, "replace")
        self._decoder.setstate(state)
        return self._decoder.decode(data, final)


def _records(lines: Iterable[str], delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """CSV records with the physical line each starts on."""
    reader = csv.reader(lines, delimiter=delimiter)
    start = 1
    for cells in reader:
        yield start, cells
        start = reader.line_num + 1


def _sniff_header(text: str, final: bool, name: str) -> tuple[str, _Header]:
    """Find the delimiter and the header row in the first block of text."""
    lines = io.StringIO(text, newline="").readlines()
    if not final and lines:
        lines.pop()  # cut off by the block's end
    best: tuple[str, _Header] | None = None
    firsts: list[str | None] = []
    for delimiter in _DELIMITERS:
        try:
            header, seen = _search_header(_records(lines, delimiter))
        except csv.Error:
            continue
        firsts.append(seen)
        if header and header.layout.complete:
            return delimiter, header
        if header and (
            best is None or len(header.layout.index) > len(best[1].layout.index)
        ):
            best = delimiter, header
    raw = (line.strip() for line in lines if line.strip())
    first = None if None in firsts else next(raw, "")  # ",,," is blank, say
    if first is not None and first.lstrip().startswith("<"):
        raise ManifestError(
            f"{name}: this is a web page or XML file (some systems "
            "export these under an .xls name), not CSV or .xlsx. Open "
            "it in Excel or WPS and save it as .xlsx."
        )
    raise _refuse_header(name, best[1] if best else None, first)


class _CsvSource:
    format = "csv"
    sheet: str | None = None
    total_rows: int | None = None

    def __init__(self, file: BinaryIO, name: str) -> None:
        head = file.read(SNIFF_BYTES)
        final = len(head) < SNIFF_BYTES
        encoding, text = _sniff_encoding(head, name, final)
        self.delimiter, self.header = _sniff_header(text, final, name)
        self.name, self.rows_read, self.done = name, 0, False
        self._stream = _Decoded(file, head, encoding)

    @property
    def encoding(self) -> str | None:
        return self._stream.encoding

    def bytes_read(self, size: int) -> int:
        return self._stream.bytes_read

    def rows(self, make: _Maker) -> Generator[ManifestRow, None, None]:
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
                if stream.damaged or start - number > MAX_RECORD_LINES:
                    found = self._stream_problems(number, start - 1, cells)
                row = make(number, cells, found)
                if row is not None:
                    yield row
        except csv.Error as exc:
            raise ManifestError(
                f"{self.name}: line {start} cannot be read ({exc}); "
                'check its quote marks (").'
            ) from None
        self.done = True

    def _stream_problems(
        self, first: int, last: int, cells: list[str]
    ) -> tuple[FieldProblem, ...]:
        """Problems of the text rather than of a value: bad bytes, a runaway quote."""
        label, found = self.header.layout.label, []
        if self._stream.damaged:
            why = _WHY["encoding"].format(encoding=self._stream.encoding)
            bad = (i for i, c in enumerate(cells) if "\ufffd" in c)
            found = [FieldProblem(label(i), cells[i].strip(), why) for i in bad]
        if last - first >= MAX_RECORD_LINES:
            i = max(range(len(cells)), key=lambda i: cells[i].count("\n"))
            why = _WHY["quote"].format(first=first, last=last)
            found.append(FieldProblem(label(i), cells[i].strip()[:200], why))
        return tuple(found)


# -- XLSX ----------------------------------------------------------------------------


def _cell_text(value: object) -> str:
    """A cell as the clerk sees it: integral numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
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


class _XlsxSource:
    format = "xlsx"
    encoding = None
    delimiter = None

    def __init__(self, file: BinaryIO, name: str) -> None:
        self.name, self.rows_read, self.done = name, 0, False
        try:  # openpyxl raises many kinds of error on a damaged file (zip, xml, key)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "no default style" and the like
                self._book = openpyxl.load_workbook(
                    file, read_only=True, data_only=True
                )
        except Exception as exc:
            raise _damaged(name, exc) from None
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
            sheet.reset_dimensions()  # … so read every row there is
            with closing(self._numbered(sheet, 1)) as rows, warnings.catch_warnings():
                warnings.simplefilter("ignore")
                header, seen = _search_header(rows)
            if header and header.layout.complete:
                self._sheet, self.sheet, self.header = sheet, sheet.title, header
                below = (max_row or 0) - header.row
                self.total_rows = below if below > 0 else None
                return
            best = best or header
            first = first or seen
        raise _refuse_header(self.name, best, first)

    def _numbered(
        self, sheet: object, min_row: int
    ) -> Generator[tuple[int, list[str]], None, None]:
        rows = sheet.iter_rows(min_row=min_row, values_only=True)  # type: ignore[attr-defined]
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

    def rows(self, make: _Maker) -> Generator[ManifestRow, None, None]:
        numbered = self._numbered(self._sheet, self.header.row + 1)
        try:
            for number, cells in numbered:
                self.rows_read += 1
                row = make(number, cells, ()) if cells else None
                if row is not None:
                    yield row
        finally:
            numbered.close()
        self.done = True

    def close(self) -> None:
        self._book.close()


# -- the manifest --------------------------------------------------------------------


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
        source: _CsvSource | _XlsxSource,
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
        self._rows = source.rows(_row_maker(layout))

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
        if isinstance(self._source, _XlsxSource):
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


def _source(file: BinaryIO, name: str) -> _CsvSource | _XlsxSource:
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
        return _XlsxSource(file, name)
    return _CsvSource(file, name)
