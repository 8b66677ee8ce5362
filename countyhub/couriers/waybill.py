"""Waybill numbers (运单号): normalisation, per-courier checks and suggestions.

No courier publishes a number spec, so the rules are plausibility checks restated in
``shared/data/couriers.md``: the strict current-format rules of source A
(BF-zh/Courier-Validation), the legacy-tolerant rules of source B (Hive UDF
``UDFLogisticNoValid``), the UPU S10 shape and check digit of source C
(jkeen/tracking_number_data), the 快递鸟 codes of source D and YunExpress of source E
(``YT`` + 16 digits, which 圆通's rules therefore reject). The policy is that of
couriers.md point 4: the depot names the courier; a number is accepted when that
courier's permissive rules (B, plus A itself, plus SF's old 12 digits) match, it is
accepted *with a warning* when A has a rule that does not match, and an S10-shaped
number must carry a correct check digit. `detect_couriers` uses only the strict rules
and may only suggest a courier, never assign one: the rules overlap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .registry import COURIERS, Courier, find_courier

__all__ = [
    "MAX_WAYBILL_LENGTH",
    "WaybillCheck",
    "check_waybill",
    "detect_couriers",
    "is_valid_s10",
    "normalize_waybill",
    "s10_check_digit",
]

MAX_WAYBILL_LENGTH = 40
"""Longest normalised number accepted (characters); real ones have 8 to 20."""

_S10_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_S10 = re.compile(r"[A-Z]{2}(\d{8})(\d)[A-Z]{2}", re.ASCII)
_ALNUM = re.compile(r"[A-Z0-9]+", re.ASCII)
_SERIAL = re.compile(r"\d{8}", re.ASCII)
_INTEGRAL_FLOAT = re.compile(r"(\d+)\.0+", re.ASCII)
# Excel/LibreOffice write 7.36106E+13 or 7E+13; a negative exponent lost its "-".
_SCIENTIFIC = re.compile(r"\d(?:\.\d+E\+?|E\+)\d{1,3}", re.ASCII)
# A 德邦 child piece (source B allows DPK…[-\d]+): a whole current master number
# (source A: DPK + 12 digits), a hyphen and a piece number of 1 to 3 digits.
_DEPPON_PIECE = re.compile(r"(DPK\d{12})-\d{1,3}", re.ASCII)

_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe63\uff0d"
_INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"


def _translation() -> dict[int, str | None]:
    """Full-width → ASCII, lower → upper, dashes → ``-``, spaces deleted."""
    table: dict[int, str | None] = {
        code: chr(code - 0xFEE0).upper() for code in range(0xFF01, 0xFF5F)
    }
    table.update({ord(c): c.upper() for c in "abcdefghijklmnopqrstuvwxyz"})
    table.update({ord(c): "-" for c in _DASHES})
    spaces = (chr(code) for code in range(0x3001) if chr(code).isspace())
    table.update({ord(c): None for c in (*spaces, *_INVISIBLE)})
    return table


_TABLE = _translation()


@dataclass(frozen=True, slots=True)
class WaybillCheck:
    """The verdict on one waybill number for one courier.

    Attributes
    ----------
    raw : str
        The text as given; keep it for the record.
    number : str
        The normalised number; meaningful only when ``ok``.
    ok : bool
        Whether the number is accepted for the courier.
    warning : str or None
        Set on an accepted number whose format is unusual for the courier.
    reason : str or None
        Why the number was rejected; set exactly when ``ok`` is false.
    """

    raw: str
    number: str
    ok: bool
    warning: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class _Rules:
    """A courier's rules, each set compiled into one alternation."""

    courier: Courier
    permissive: re.Pattern[str]
    strict: re.Pattern[str] | None
    detect: re.Pattern[str]


def _compile(patterns: tuple[str, ...]) -> re.Pattern[str]:
    """One ASCII pattern matching any of ``patterns``."""
    return re.compile("|".join(f"(?:{p})" for p in patterns), re.ASCII)


def _rules(courier: Courier) -> _Rules:
    """Compile ``courier``'s rules; the strict rules are always permitted too."""
    return _Rules(
        courier=courier,
        permissive=_compile(courier.permissive + courier.strict),
        strict=_compile(courier.strict) if courier.strict else None,
        detect=_compile(courier.strict + courier.detect_hints),
    )


_RULES: dict[str, _Rules] = {courier.code: _rules(courier) for courier in COURIERS}


def normalize_waybill(raw: str) -> str:
    """Bring a waybill number as typed or exported into its canonical form.

    Full-width characters become ASCII, letters upper case; spaces (also inner and
    ideographic ones), zero-width characters, hyphens (any dash) and a leading
    apostrophe (Excel's mark for text) are dropped. Two special cases: a 德邦
    child-piece suffix is cut off (``DPK202252612836-2`` becomes the master number
    ``DPK202252612836``, so all pieces of one 德邦 shipment share one number; any
    other hyphen is just dropped), and an integral float written by a spreadsheet
    (``73610555582883.0``) loses its ``.0``. Scientific notation
    (``7.3610555582883E+13``) is left as it is for `check_waybill` to reject. The
    result is not validated, and normalising twice changes nothing.

    Parameters
    ----------
    raw : str
        The number as found in a manifest or typed by a clerk.

    Returns
    -------
    str
        The normalised number, possibly empty.
    """
    text = raw.translate(_TABLE).lstrip("'")
    if "-" in text:
        piece = _DEPPON_PIECE.fullmatch(text)
        text = piece.group(1) if piece else text.replace("-", "")
    if "." in text:
        whole = _INTEGRAL_FLOAT.fullmatch(text)
        text = whole.group(1) if whole else text
    return text


def s10_check_digit(serial8: str) -> int:
    """Compute the UPU S10 check digit of an 8-digit serial number (source C).

    The digits are weighted 8 6 4 2 3 5 9 7 and summed; with r = sum mod 11 the
    check digit is 11 − r, except that r = 1 gives 0 and r = 0 gives 5.

    Parameters
    ----------
    serial8 : str
        Exactly 8 ASCII digits, e.g. ``"12345678"``.

    Returns
    -------
    int
        The check digit, 0 to 9 (``5`` for ``"12345678"``).

    Raises
    ------
    ValueError
        If ``serial8`` is not 8 ASCII digits.
    """
    if not _SERIAL.fullmatch(serial8):
        raise ValueError(f"an S10 serial is 8 digits, got {serial8!r}")
    r = sum(w * int(d) for w, d in zip(_S10_WEIGHTS, serial8, strict=True)) % 11
    return {0: 5, 1: 0}.get(r, 11 - r)


def _s10_expected(number: str) -> int | None:
    """The check digit an S10-shaped ``number`` should carry, if it is wrong."""
    match = _S10.fullmatch(number) if len(number) == 13 else None
    if match is None:
        return None
    expected = s10_check_digit(match.group(1))
    return None if expected == int(match.group(2)) else expected


def is_valid_s10(number: str) -> bool:
    """Tell whether a number has the UPU S10 shape and a correct check digit.

    Parameters
    ----------
    number : str
        A waybill number; it is normalised first, so ``"rb 123456785 gb"`` counts.

    Returns
    -------
    bool
        True for e.g. ``RB123456785GB``; False for ``RB123456786US`` or any number
        not shaped as 2 letters, 9 digits and 2 letters.
    """
    normal = normalize_waybill(number)
    return _S10.fullmatch(normal) is not None and _s10_expected(normal) is None


def _shape_problem(number: str) -> str | None:
    """Why ``number`` cannot be any waybill number at all, or None."""
    if not number:
        return "empty waybill number"
    if len(number) > MAX_WAYBILL_LENGTH:
        return (
            f"waybill number too long: {len(number)} characters, "
            f"at most {MAX_WAYBILL_LENGTH}"
        )
    if _ALNUM.fullmatch(number):
        return None
    if _SCIENTIFIC.fullmatch(number):
        return (
            "the spreadsheet stored the number in scientific notation, which loses "
            "digits; format the column as text and export again"
        )
    bad = "".join(sorted({c for c in number if not _ALNUM.fullmatch(c)}))[:5]
    return f"waybill number contains {bad!r}: use only letters A-Z and digits 0-9"


def _courier_problem(rules: _Rules, number: str) -> str | None:
    """Why ``number`` is not a number of ``rules.courier``, or None."""
    courier = rules.courier
    if not rules.permissive.fullmatch(number):
        return f"not a {courier.name} number: expected {courier.shape}"
    expected = _s10_expected(number)
    if expected is not None:
        return (
            f"not a valid {courier.name} number: the UPU S10 check digit of {number} "
            f"should be {expected}; a character was probably mistyped"
        )
    return None


def _is_strict(rules: _Rules, number: str) -> bool:
    """Whether ``number`` fits the courier's strict rule (or is its valid S10)."""
    if rules.courier.s10 and _S10.fullmatch(number):
        return _s10_expected(number) is None
    return rules.strict is None or rules.strict.fullmatch(number) is not None


def _lookup(courier_code: str) -> _Rules:
    """The rules of a courier named by code (fast path) or by any name."""
    rules = _RULES.get(courier_code)
    return rules if rules is not None else _RULES[find_courier(courier_code).code]


def check_waybill(courier_code: str, raw: str) -> WaybillCheck:
    """Check a waybill number against the rules of the courier the depot names.

    Parameters
    ----------
    courier_code : str
        The courier's 快递鸟 code (``"ZTO"``); any name `find_courier` accepts
        works too, at the cost of a second lookup.
    raw : str
        The number as found in the manifest; normalised with `normalize_waybill`.

    Returns
    -------
    WaybillCheck
        ``ok`` with ``warning`` set when the format is accepted but not current
        (source A does not match), or not ``ok`` with a ``reason`` a depot clerk can
        act on (empty, too long, scientific notation, stray characters, wrong shape
        for the courier, bad S10 check digit). Never raises on any ``raw`` text.

    Raises
    ------
    UnknownCourier
        If ``courier_code`` names none of the couriers.
    """
    rules = _lookup(courier_code)
    number = normalize_waybill(raw)
    reason = _shape_problem(number) or _courier_problem(rules, number)
    if reason is not None:
        return WaybillCheck(raw, number, ok=False, reason=reason)
    if _is_strict(rules, number):
        return WaybillCheck(raw, number, ok=True)
    courier = rules.courier
    warning = f"unusual format for {courier.name}: expected {courier.shape}"
    return WaybillCheck(raw, number, ok=True, warning=warning)


def detect_couriers(raw: str) -> list[Courier]:
    """Suggest the couriers whose current number format ``raw`` fits.

    For suggestion only: the formats overlap (a 15-digit number starting 43 fits both
    申通 and 韵达), so the depot still names the courier. Uses source A's rules, a valid
    UPU S10 number for 邮政/EMS and, as 百世 has no A rule, its distinctive legacy forms
    (``BXA…``, ``A…`` + 12 digits, ``K8…``, ``C0000…``).

    Parameters
    ----------
    raw : str
        A waybill number; it is normalised first.

    Returns
    -------
    list of Courier
        The matching couriers in `COURIERS` order; empty when none fits.
    """
    number = normalize_waybill(raw)
    if _shape_problem(number) is not None or _s10_expected(number) is not None:
        return []
    return [rules.courier for rules in _RULES.values() if _suggests(rules, number)]


def _suggests(rules: _Rules, number: str) -> bool:
    """Whether ``number`` fits the strict or hint rules of ``rules.courier``."""
    if rules.courier.s10 and _S10.fullmatch(number):
        return True
    return rules.detect.fullmatch(number) is not None
