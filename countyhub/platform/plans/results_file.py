"""The results file of a day's plan: reading it back filled in.

:func:`results_sheet` writes the template, one row per stop (it lives in
:mod:`countyhub.platform.plans.sheet` and is importable from here too);
the dispatcher fills it in and :func:`read_results` reads it: a CSV (UTF-8 with
or without BOM, or GB18030/GBK; comma, tab or semicolon) or an XLSX workbook
(its first visible sheet). The header row is searched among the first 10
non-blank rows; header names fold case, width and spacing; other columns (the
template's ``point_name``, ``drops`` and ``collects``) are ignored. Blank rows
are skipped.

=============  ===========================  ========================================
column         also accepted                value
=============  ===========================  ========================================
vehicle        车辆 车辆编号 车号           the vehicle's code
point          服务点 服务点编号 服务点编码  the service point's code
visited        到达 是否到达                 yes/no, 1/0, true/false, 是/否
not_delivered  未投递                        drop parcels that did not reach the point
not_collected  未揽收                        outbound parcels not taken
km             里程 行驶里程 公里            km the run drove (:mod:`.km`), optional
=============  ===========================  ========================================

The not_ columns hold waybill numbers separated by spaces, commas, semicolons
(also full-width ones) or 、, and may be left blank. A run's km may go on any row
of its vehicle; rows of one vehicle that give it must agree. Every problem names
the file, the row and the column.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import openpyxl

from countyhub.couriers import ManifestError, normalize_waybill, sniff_encoding
from countyhub.platform.errors import InvalidInput
from countyhub.platform.plans.km import read_km

COLUMNS: dict[str, tuple[str, ...]] = {
    "vehicle": ("vehicle", "车辆", "vehicle code", "车辆编号", "车号"),
    "point": ("point", "服务点", "point code", "service point", "服务点编号",
              "服务点编码"),
    "visited": ("visited", "到达", "是否到达"),
    "not_delivered": ("not_delivered", "未投递", "not delivered"),
    "not_collected": ("not_collected", "未揽收", "not collected"),
    "km": ("km", "里程", "行驶里程", "公里", "km driven", "里程(km)",
           "行驶里程(km)"),
}  # fmt: skip
"""Header names per column: the English name, the Chinese one, other spellings."""
REQUIRED = ("vehicle", "point", "visited")
HEADER_SEARCH_ROWS = 10  # non-blank rows searched for the header
MAX_PROBLEMS = 50  # problems listed in InvalidInput.problems
SHOWN_PROBLEMS = 5  # problems spelt out in the message itself
YES = frozenset({"yes", "y", "1", "true", "是"})
NO = frozenset({"no", "n", "0", "false", "否"})
_YES_NO = "yes/no, 1/0, true/false, 是/否"

_NOISE = re.compile(r"[\s_\-.()（）:：*]+")
_KEYS = {_NOISE.sub("", a.lower()): f for f, names in COLUMNS.items() for a in names}
_SEPARATORS = re.compile(r"[\s,，;；、]+")
_SHORTENED = re.compile(r"\d(?:\.\d+)?E\+?\d+")  # 7.3610555582883E+13
_ZIP_MAGIC = b"PK\x03\x04"
_XLS_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Rows = list[tuple[int, list[str]]]
_Report = Callable[[str, str], None]  # (field, why)


@dataclass(frozen=True, slots=True)
class StopResult:
    """What one run did at one stop of the plan."""

    vehicle: str  # the vehicle's code
    point: str  # the service point's code
    visited: bool
    not_delivered: tuple[str, ...] = ()  # drop parcels that did not reach the point
    not_collected: tuple[str, ...] = ()  # outbound parcels not taken
    row: int | None = None  # row of the file, for messages
    km: float | None = None  # km its run drove, given on this row


def read_results(path: Path) -> list[StopResult]:
    """Read a filled-in results file (see the module docstring for its format).

    Raises InvalidInput naming the file, and for each bad cell its row and column.
    """
    data, name = path.read_bytes(), path.name
    rows = (
        _xlsx_rows(data, name) if data.startswith(_ZIP_MAGIC) else _csv_rows(data, name)
    )
    return _parse(rows, name)


def _key(header: str) -> str:
    return _NOISE.sub("", unicodedata.normalize("NFKC", header).lower())


def _csv_rows(data: bytes, name: str) -> Rows:
    if data.startswith(_XLS_MAGIC):
        raise InvalidInput(
            f"{name}: an old Excel workbook (.xls) cannot be read; save it as .xlsx "
            "or as CSV UTF-8",
            {"file": "old .xls"},
        )
    try:
        _, text = sniff_encoding(data, name, True)
    except ManifestError as exc:  # its advice speaks of a manifest
        message = str(exc).replace("the manifest", "the results")
        raise InvalidInput(message, {"file": "not readable"}) from None
    lines = io.StringIO(text, newline="").readlines()
    first = next((line for line in lines if line.strip()), "")
    delimiter = max(",\t;", key=lambda d: sum(_key(c) in _KEYS for c in first.split(d)))
    rows, start, reader = [], 1, csv.reader(lines, delimiter=delimiter)
    try:
        for cells in reader:
            rows.append((start, cells))
            start = reader.line_num + 1
    except csv.Error as exc:
        raise InvalidInput(
            f"{name}: row {start} cannot be read ({exc}); check its quote marks",
            {f"row {start}": "cannot be read"},
        ) from None
    return rows


def _xlsx_rows(data: bytes, name: str) -> Rows:
    try:  # openpyxl raises many kinds of error on a damaged file (zip, xml, key)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "no default style" and the like
            book = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True
            )
            try:
                sheet = next(s for s in book.worksheets if s.sheet_state == "visible")
                sheet.reset_dimensions()  # its stated size may be wrong: read all
                values = sheet.iter_rows(values_only=True)
                return [(n, [_cell(v) for v in row]) for n, row in enumerate(values, 1)]
            finally:
                book.close()
    except Exception as exc:
        raise InvalidInput(
            f"{name}: the .xlsx workbook is damaged or has no visible sheet "
            f"({type(exc).__name__}); open it in Excel or WPS, save it again and "
            "upload the new file",
            {"file": "damaged workbook"},
        ) from None


def _cell(value: object) -> str:
    """A cell as the dispatcher sees it: integral numbers without ".0"."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _parse(rows: Rows, name: str) -> list[StopResult]:
    at, index = _header(rows, name)
    headers = rows[at][1]
    problems: list[tuple[int, str, str]] = []
    results = []
    for number, cells in rows[at + 1 :]:
        if any(c.strip() for c in cells):
            result = _result(number, cells, index, headers, problems)
            if result is not None:
                results.append(result)
    _same_km(results, headers[index["km"]].strip() if "km" in index else "", problems)
    if problems:
        raise _problems(name, problems)
    if not results:
        raise InvalidInput(
            f"{name}: there are no stops below the header row; fill in one row "
            "per stop (download the results sheet of the plan)",
            {"rows": "none"},
        )
    return results


def _header(rows: Rows, name: str) -> tuple[int, dict[str, int]]:
    """The header's position in ``rows`` and the column of each field found."""
    best: dict[str, int] = {}
    nonblank = [i for i, (_, cells) in enumerate(rows) if any(c.strip() for c in cells)]
    for at in nonblank[:HEADER_SEARCH_ROWS]:
        index: dict[str, int] = {}
        for column, text in enumerate(rows[at][1]):
            field = _KEYS.get(_key(text))
            if field is not None and field not in index:
                index[field] = column
        if all(f in index for f in REQUIRED):
            return at, index
        best = index if len(index) > len(best) else best
    if not nonblank:
        raise InvalidInput(f"{name}: the file is empty", {"file": "empty"})
    missing = [f"{f} ({COLUMNS[f][1]})" for f in REQUIRED if f not in best]
    raise InvalidInput(
        f"{name}: no header row with the columns {', '.join(missing)} in its first "
        f"{HEADER_SEARCH_ROWS} rows; download the results sheet of the plan and "
        "fill it in",
        {"header": "missing " + ", ".join(missing)},
    )


def _result(
    number: int,
    cells: list[str],
    index: dict[str, int],
    headers: list[str],
    problems: list[tuple[int, str, str]],
) -> StopResult | None:
    """The row as a StopResult, or None with its problems added to ``problems``."""
    found: list[tuple[int, str, str]] = []

    def cell(field: str) -> str:
        i = index.get(field)
        text = cells[i] if i is not None and i < len(cells) else ""
        return unicodedata.normalize("NFKC", text).strip()

    def problem(field: str, why: str) -> None:
        found.append((number, headers[index[field]].strip(), why))

    vehicle, point, visited = cell("vehicle"), cell("point"), _yes_no(cell("visited"))
    if not vehicle:
        problem("vehicle", "is empty: write the vehicle's code")
    if not point:
        problem("point", "is empty: write the service point's code")
    if visited is None:
        said = cell("visited")
        why = (
            f"{said!r} is not yes or no" if said else "is empty: did the run get there?"
        )
        problem("visited", f"{why} (write {_YES_NO})")
    lists = {
        f: _waybills(cell(f), f, problem) for f in ("not_delivered", "not_collected")
    }
    km = _km(cell("km"), problem)
    problems.extend(found)
    if found or visited is None:
        return None
    missed = lists["not_delivered"], lists["not_collected"]
    return StopResult(vehicle, point, visited, *missed, number, km)


def _km(text: str, problem: _Report) -> float | None:
    try:
        return read_km(text) if text else None
    except ValueError as exc:
        problem("km", str(exc))
        return None


def _same_km(
    results: list[StopResult], column: str, problems: list[tuple[int, str, str]]
) -> None:
    """Rows of one vehicle that give different km: a problem on the later row."""
    first: dict[str, StopResult] = {}
    for result in (r for r in results if r.km is not None):
        seen = first.setdefault(result.vehicle.upper(), result)
        if seen.km != result.km:
            problems.append((
                result.row or 0, column,
                f"{result.km:g} km for {result.vehicle}, but row {seen.row} gives "
                f"{seen.km:g} km: give the run's km once, or the same on each row",
            ))  # fmt: skip


def _yes_no(text: str) -> bool | None:
    word = text.lower()
    return True if word in YES else False if word in NO else None


def _waybills(text: str, field: str, problem: _Report) -> tuple[str, ...]:
    numbers = [normalize_waybill(t) for t in _SEPARATORS.split(text) if t]
    shortened = [n for n in numbers if _SHORTENED.fullmatch(n)]
    if shortened:
        problem(
            field,
            f"{shortened[0]} is a number the spreadsheet shortened; format the "
            "column as text and type the waybill numbers again",
        )
    return tuple(dict.fromkeys(n for n in numbers if n))


def _problems(name: str, problems: Sequence[tuple[int, str, str]]) -> InvalidInput:
    lines = [f"row {row}, column {column}: {why}" for row, column, why in problems]
    more = len(lines) - SHOWN_PROBLEMS
    message = f"{name}: " + "; ".join(lines[:SHOWN_PROBLEMS])
    if more > 0:
        message += f"; and {more} more problem{'s' if more > 1 else ''}"
    found = {f"row {r}, {c}": why for r, c, why in problems[:MAX_PROBLEMS]}
    return InvalidInput(message, found)
