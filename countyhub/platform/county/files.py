"""A county's files read and checked: ``county.csv``, ``townships.csv``,
``villages.csv`` (the format and its rules: ``countyhub/platform/data/tonggu/
README.md``).

Every file is read whole and every cell checked before anything is written, and
every problem found (the first :data:`MAX_PROBLEMS`) is reported in one
InvalidInput: the file, the row as a spreadsheet shows it (the header is row 1),
the column and why, so that a clerk can fix the files in one go.  The checks
follow the columns of :mod:`countyhub.platform.models.county` (code and name
lengths) and the statistical codes' shape (6, 9 and 12 digits, each starting with
its parent's code): each cell by its column's rule
(:mod:`countyhub.platform.county.columns`), then across rows and files here.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from countyhub.platform.county.columns import (
    RULES,
    Row,
    refused_characters,
    well_formed,
)
from countyhub.platform.errors import InvalidInput

REQUIRED_FILES = ("county.csv", "townships.csv", "villages.csv")
MAX_PROBLEMS = 20


@dataclass
class Problems:
    """The problems found so far, each ``file: row N, column C: why``."""

    lines: list[str] = field(default_factory=list)

    def add(self, path: Path, row: int, column: str | None, why: str) -> None:
        where = f"row {row}" if column is None else f"row {row}, column {column}"
        self.lines.append(f"{path}: {where}: {why}")

    def raise_any(self, folder: Path) -> None:
        if not self.lines:
            return
        shown = self.lines[:MAX_PROBLEMS]
        more = len(self.lines) - len(shown)
        tail = f"; and {more} more" if more else ""
        head = "" if len(self.lines) == 1 else f"{len(self.lines)} problems: "
        raise InvalidInput(
            f"{head}{'; '.join(shown)}{tail} (nothing was loaded from {folder})",
            {f"problem {n}": line for n, line in enumerate(shown, start=1)},
        )


@dataclass(frozen=True)
class CountyFiles:
    """A county folder's rows, checked: ``{column: stripped cell}`` each, with
    every known column present (an absent optional one as an empty cell, but
    ``service_point`` as ``1``)."""

    county: Row
    townships: list[Row]
    villages: list[Row]


def read_county_files(folder: Path) -> CountyFiles:
    """The folder's three files, read and checked.  Raises InvalidInput naming
    every problem (the first :data:`MAX_PROBLEMS`): file, row, column and why."""
    missing = [f for f in REQUIRED_FILES if not (folder / f).is_file()]
    if missing:
        raise InvalidInput(
            f"{folder}: missing {', '.join(missing)} "
            f"(a county folder holds {', '.join(REQUIRED_FILES)})"
        )
    problems = Problems()
    rows = {name: _read(folder / name, problems) for name in REQUIRED_FILES}
    county = rows["county.csv"]
    if county is not None:
        _one_county(folder / "county.csv", county, problems)
    _links(folder, rows, problems)
    problems.raise_any(folder)
    assert county  # else a problem was raised
    return CountyFiles(
        county[0][1],
        [row for _, row in rows["townships.csv"] or []],
        [row for _, row in rows["villages.csv"] or []],
    )


def _read(path: Path, problems: Problems) -> list[tuple[int, Row]] | None:
    """The file's rows with their numbers, each cell checked; None when the file
    cannot be read at all (not UTF-8, not CSV, a required column missing)."""
    text = _decoded(path, problems)
    if text is None:
        return None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        records = list(enumerate(reader, 1))
    except csv.Error as exc:
        problems.add(path, reader.line_num, None, f"not a CSV file ({exc})")
        return None
    records = [(n, cells) for n, cells in records if cells]  # blank lines skipped
    if not records:
        problems.add(path, 1, None, "empty: the header row is missing")
        return None
    (_, header), *body = records
    columns = _header(path, [c.strip() for c in header], problems)
    if columns is None:
        return None
    return [
        (n, row)
        for n, cells in body
        if (row := _row(path, n, columns, cells, problems))
    ]


def _decoded(path: Path, problems: Problems) -> str | None:
    data = path.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        row = data[: exc.start].count(b"\n") + 1
        problems.add(
            path,
            row,
            None,
            f"not UTF-8 (byte {data[exc.start]:#04x} at offset {exc.start}): save "
            "it as UTF-8 (Excel: CSV UTF-8)",
        )
        return None


def _header(path: Path, header: list[str], problems: Problems) -> list[str] | None:
    rules = RULES[path.name]
    twice = sorted({c for c in header if header.count(c) > 1})
    for column in twice:
        problems.add(path, 1, column, "named twice in the header")
    absent = [c for c in rules.required if c not in header]
    for column in absent:
        problems.add(
            path,
            1,
            column,
            f"missing from the header ({path.name} needs {', '.join(rules.required)})",
        )
    return None if twice or absent else header


def _row(
    path: Path, number: int, columns: list[str], cells: list[str], problems: Problems
) -> Row | None:
    """The row's known columns, checked; None when its cells do not match the
    header (a row with other problems is kept, for the checks across rows)."""
    if len(cells) != len(columns):
        problems.add(
            path, number, None, f"{len(cells)} cells, the header has {len(columns)}"
        )
        return None
    given = {c: v.strip() for c, v in zip(columns, cells, strict=True)}
    rules = RULES[path.name]
    row = {c: given.get(c, "") for c in rules.checks} | {
        "service_point": given.get("service_point", "1")
    }
    for column, check in rules.checks.items():
        why = refused_characters(row[column]) or check(row[column])
        if why is not None:
            problems.add(path, number, column, why)
    _pair(path, number, row, rules.pair, problems)
    return row


def _pair(
    path: Path, number: int, row: Row, pair: tuple[str, str], problems: Problems
) -> None:
    lon, lat = pair
    if bool(row[lon]) != bool(row[lat]):
        empty, given = (lat, lon) if row[lon] else (lon, lat)
        problems.add(path, number, empty, f"empty while {given} is not")


def _one_county(path: Path, rows: list[tuple[int, Row]], problems: Problems) -> None:
    if not rows:
        problems.add(path, 2, "code", "no county row (the file holds one)")
    for number, _ in rows[1:]:
        problems.add(path, number, "code", "a second county row (the file holds one)")


def _links(
    folder: Path, rows: dict[str, list[tuple[int, Row]] | None], problems: Problems
) -> None:
    """Codes unique in each file; each code starts with its parent's; a village's
    township is a row of townships.csv."""
    for name, found in rows.items():
        _unique(folder / name, found or [], problems)
    county, townships = rows["county.csv"], rows["townships.csv"]
    if county and well_formed(county[0][1]["code"], 6):
        prefix = county[0][1]["code"]
        for number, row in townships or []:
            if well_formed(row["code"], 9) and not row["code"].startswith(prefix):
                why = f"{row['code']} does not start with the county's code {prefix}"
                problems.add(folder / "townships.csv", number, "code", why)
    if townships is None:
        return  # unread: its problems are reported, a village's would only repeat
    _villages_link(
        folder / "villages.csv", rows["villages.csv"] or [], townships, problems
    )


def _villages_link(
    path: Path,
    villages: list[tuple[int, Row]],
    townships: list[tuple[int, Row]],
    problems: Problems,
) -> None:
    """Each village's township a row of townships.csv (one problem per unknown
    township, naming its villages' rows), its code starting with the township's."""
    known = {row["code"] for _, row in townships}
    unknown: dict[str, list[int]] = {}
    for number, row in villages:
        township = row["township_code"]
        if not well_formed(township, 9):
            continue  # reported by the row's own checks
        if township not in known:
            unknown.setdefault(township, []).append(number)
        elif well_formed(row["code"], 12) and not row["code"].startswith(township):
            why = f"{row['code']} does not start with its township_code {township}"
            problems.add(path, number, "code", why)
    for township, numbers in unknown.items():
        also = ", ".join(map(str, numbers[1:11])) + ("…" if len(numbers) > 11 else "")
        why = f"{township} is not a row of townships.csv" + (
            f" (nor for rows {also})" if also else ""
        )
        problems.add(path, numbers[0], "township_code", why)


def _unique(path: Path, rows: list[tuple[int, Row]], problems: Problems) -> None:
    first: dict[str, int] = {}
    for number, row in rows:
        seen = first.setdefault(row["code"], number)
        if seen != number and row["code"]:
            why = f"{row['code']} again (first in row {seen})"
            problems.add(path, number, "code", why)
