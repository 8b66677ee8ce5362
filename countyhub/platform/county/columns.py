"""What each column of a county's files must hold: one check per column, a cell in,
why it is wrong out (or None), per file (``county.csv``, ``townships.csv``,
``villages.csv``); :mod:`countyhub.platform.county.files` applies them to every
cell, then checks across rows and files.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

Row = dict[str, str]
Check = Callable[[str], str | None]  # a cell -> why it is wrong, or None

NAME_LENGTH = 60  # County/Township/Village.name, String(60)
KIND_LENGTH = 20  # Township/Village.kind, String(20)
_NUMBER = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)", re.ASCII)
# Cc: control characters (NUL, line breaks, tabs …), Cs: lone surrogates,
# Zl/Zp: line and paragraph separators.
_BAD_CATEGORIES = {"Cc", "Cs", "Zl", "Zp"}


def _code(digits: int) -> Check:
    def check(cell: str) -> str | None:
        if len(cell) == digits and cell.isascii() and cell.isdigit():
            return None
        return f"{shown(cell)} is not a code of {digits} digits"

    return check


def _text(limit: int | None, *, required: bool = False) -> Check:
    def check(cell: str) -> str | None:
        if required and not cell:
            return "empty (it is required)"
        if limit is not None and len(cell) > limit:
            return f"{len(cell)} characters, at most {limit}"
        return None

    return check


def _degrees(limit: int) -> Check:
    def check(cell: str) -> str | None:
        if not cell:
            return None
        if not _NUMBER.fullmatch(cell):
            return f"{shown(cell)} is not a decimal number (WGS84 degrees)"
        if not (math.isfinite(float(cell)) and -limit <= float(cell) <= limit):
            return f"{shown(cell)} is outside -{limit}..{limit} (WGS84 degrees)"
        return None

    return check


def _one_of(*allowed: str) -> Check:
    def check(cell: str) -> str | None:
        if cell in allowed:
            return None
        choices = ", ".join(repr(a) if a else "empty" for a in allowed)
        return f"{shown(cell)} is not one of {choices}"

    return check


def _poverty(cell: str) -> str | None:
    if cell in ("", "1", "0"):
        return None
    return (
        f"{shown(cell)} is not 1 (a poverty village, 贫困村), 0 (not one) or "
        "empty (left as it is)"
    )


@dataclass(frozen=True)
class FileRules:
    """A file's columns: the required ones, a check for each, and its coordinate
    pair (both cells given or neither)."""

    required: tuple[str, ...]
    checks: dict[str, Check]
    pair: tuple[str, str] = ("lon", "lat")


LON, LAT = _degrees(180), _degrees(90)
RULES = {
    "county.csv": FileRules(
        ("code", "name"),
        {
            "code": _code(6),
            "name": _text(NAME_LENGTH, required=True),
            "province": _text(NAME_LENGTH),
            "prefecture": _text(NAME_LENGTH),
            "seat_lon": LON,
            "seat_lat": LAT,
        },
        ("seat_lon", "seat_lat"),
    ),
    "townships.csv": FileRules(
        ("code", "name"),
        {
            "code": _code(9),
            "name": _text(NAME_LENGTH, required=True),
            "kind": _text(KIND_LENGTH),
            "lon": LON,
            "lat": LAT,
            "coord_source": _text(None),
        },
    ),
    "villages.csv": FileRules(
        ("code", "name", "township_code"),
        {
            "code": _code(12),
            "name": _text(NAME_LENGTH, required=True),
            "township_code": _code(9),
            "kind": _text(KIND_LENGTH),
            "ur_code_2016": _text(None),
            "service_point": _one_of("1", "0"),
            "lon": LON,
            "lat": LAT,
            "approximate": _one_of("1", "0", ""),
            "coord_source": _text(None),
            "poverty": _poverty,
        },
    ),
}


def refused_characters(cell: str) -> str | None:
    """Why a cell's characters are refused (control characters), or None."""
    for char in cell:
        if unicodedata.category(char) in _BAD_CATEGORIES:
            return f"holds the character {char!r} (control characters are refused)"
    return None


def well_formed(code: str, digits: int) -> bool:
    """Whether ``code`` is a code of ``digits`` digits."""
    return _code(digits)(code) is None


def shown(cell: str) -> str:
    """A cell as a message shows it: quoted, cut at 20 characters."""
    return repr(cell[:20]) + ("…" if len(cell) > 20 else "")
