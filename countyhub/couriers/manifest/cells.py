"""From a row of cell texts to a ManifestRow: cleaning, units, problems, skipped rows.

Shared by the CSV and the XLSX reader, which hand over each row as a list of str,
and which keep out of those texts the characters no database stores
(:func:`unstorable_problems`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable

from .header import FIELD_ALIASES, Layout
from .model import FieldProblem, ManifestRow

WHY = {  # the reasons of FieldProblem, for a depot clerk
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
    "unstorable": "this cell holds {what}, which no database can store (shown here "
    "as \ufffd; a broken export leaves such characters): type the cell again and "
    "upload the file again",
}

_FIELDS = tuple(FIELD_ALIASES)
_TOTALS = re.compile(r"合\s*计|总\s*计|小\s*计|汇\s*总|共\s*\d|total|sum\b", re.I)
_EXCEL_TEXT = re.compile(r'="(.*)"', re.S)  # ="0736…": Excel's way to keep text
_INTEGRAL = re.compile(r"(\d+)\.0+")
_WEIGHT = re.compile(r"([-+]?(?:\d+(?:\.\d*)?|\.\d+))\s*(kg|千克|公斤|g|克|斤)?", re.I)
_PER_KG = {"kg": 1.0, "千克": 1.0, "公斤": 1.0, "g": 1000.0, "克": 1000.0, "斤": 2.0}
_PHONE_NOISE = str.maketrans("", "", " \u3000\t-\uff0d")
# No database column stores these: PostgreSQL refuses NUL in text, and a lone
# UTF-16 surrogate is no character at all (no UTF-8 encodes it; psycopg refuses it).
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")

Maker = Callable[[int, list[str], tuple[FieldProblem, ...]], ManifestRow | None]
"""Makes the row numbered so from its cells and the problems the reader found;
None for a row that is no parcel (blank, a repeated header, totals)."""


def storable(text: str) -> str:
    """``text`` with each character no database stores replaced by U+FFFD."""
    return _UNSTORABLE.sub("\ufffd", text)


def unstorable_problems(
    cells: list[str], label: Callable[[int], str]
) -> list[FieldProblem]:
    """A problem for each cell holding a character no database stores (NUL or a
    lone surrogate), named by ``label(column)``; the characters are replaced by
    U+FFFD in ``cells`` itself, so that nothing after the reader meets them."""
    found = []
    for i, cell in enumerate(cells):
        if bad := _UNSTORABLE.findall(cell):
            cells[i] = storable(cell)
            why = WHY["unstorable"].format(what=_unstorable(set(bad)))
            found.append(FieldProblem(label(i), cells[i].strip(), why))
    return found


def _unstorable(characters: set[str]) -> str:
    """What the characters are, for a clerk: "a NUL character (U+0000)" …"""
    kinds = ["a NUL character (U+0000)"] if "\x00" in characters else []
    halves = sorted(f"U+{ord(c):04X}" for c in characters - {"\x00"})
    if halves:
        kinds.append(f"half of a UTF-16 surrogate pair ({', '.join(halves)})")
    return " and ".join(kinds)


def _clean_number(text: str) -> str:
    """Undo what spreadsheets do to long numbers: ``="…"``, a leading ', ".0"."""
    if text.startswith("="):
        match = _EXCEL_TEXT.fullmatch(text)
        text = match[1].strip() if match else text
    text = text.removeprefix("'")
    match = _INTEGRAL.fullmatch(text)
    return match[1] if match else text


def _required(
    waybill: str, address: str, labels: list[str], problems: list[FieldProblem]
) -> str:
    """The waybill cleaned; an empty waybill or address is a problem."""
    if not (waybill.isascii() and waybill.isalnum()):
        waybill = _clean_number(waybill)
    if not waybill:
        problems.append(FieldProblem(labels[0], "", WHY["waybill"]))
    if not address:
        problems.append(FieldProblem(labels[4], "", WHY["address"]))
    return waybill


def _weight(
    text: str, unit: str, label: str, problems: list[FieldProblem]
) -> float | None:
    match = _WEIGHT.fullmatch(text)
    if match is None:
        comma = "," in text or "，" in text
        problems.append(FieldProblem(label, text, WHY["comma" if comma else "weight"]))
        return None
    kg = float(match[1]) / _PER_KG[(match[2] or unit).lower()]
    if kg > 0:
        return kg
    problems.append(FieldProblem(label, text, WHY["no weight"]))
    return None


def _pieces(text: str, label: str, problems: list[FieldProblem]) -> int:
    digits = _clean_number(text.removesuffix("件").rstrip())
    if digits.isdecimal() and int(digits) > 0:
        return int(digits)
    problems.append(FieldProblem(label, text, WHY["pieces"]))
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


def _stray(cells: list[str], layout: Layout) -> dict[str, str]:
    """Values in columns that have no header, under their column letter."""
    width = len(layout.headers)
    columns = itertools.chain(layout.unnamed, range(width, len(cells) - 1))
    return {layout.label(i): v for i in columns if (v := cells[i].strip())}


def row_maker(layout: Layout) -> Maker:
    """The per-row function, with the column positions bound once per file.

    It is the hot loop of a million-row import: plain locals, no per-cell calls
    unless a cell is unusual (so it stays one function, longer than the rest).
    An absent column reads the "" appended to each row.
    """
    at = [layout.index.get(f, -1) for f in _FIELDS]
    wi, ci, ni, pi, ai, gi, qi = at
    labels = [
        layout.label(i) if i >= 0 else f for f, i in zip(_FIELDS, at, strict=True)
    ]
    width, pad, extra = len(layout.headers), [""] * len(layout.headers), layout.extra
    unit, header_waybill = "g" if layout.grams else "kg", layout.headers[wi]
    per_unit, stray = _PER_KG[unit], bool(layout.unnamed)

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
        if odd or not (waybill.isascii() and waybill.isalnum()):
            waybill = _required(waybill, address, labels, problems)
        if phone and not phone.isdigit():
            phone = _clean_number(phone).translate(_PHONE_NOISE)
        # Plain numbers take the fast paths; anything else is parsed (or reported).
        kg: float | None = None
        if weight and weight.replace(".", "", 1).isdecimal() and float(weight) > 0:
            kg = float(weight) / per_unit
        elif weight:
            kg = _weight(weight, unit, labels[5], problems)
        count = 1
        if pieces and pieces.isdecimal() and int(pieces) > 0:
            count = int(pieces)
        elif pieces:
            count = _pieces(pieces, labels[6], problems)
        others = {key: cells[i].strip() for i, key in extra}
        if stray or len(cells) > width + 1:
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
