"""Waybill-number normalisation, checks, S10 and courier suggestions.

The numbers are the test and SYNTHETIC numbers of ``shared/data/couriers.md``.
"""

from __future__ import annotations

import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from countyhub.couriers import (
    COURIERS,
    MAX_WAYBILL_LENGTH,
    UnknownCourier,
    WaybillCheck,
    check_waybill,
    detect_couriers,
    find_courier,
    is_valid_s10,
    normalize_waybill,
    s10_check_digit,
)

# Current formats (source A, or 百世's B forms): accepted without a warning.
CURRENT = {
    "ZTO": ["73610555582883", "73253987114028", "75352218881013", "78673256637951"],
    "YTO": ["YT8962646785389", "YT1676021696729", "YT8972341592885", "YT6451592188227"],
    "STO": ["773277027280336", "773310896694319", "773754702883196", "776723432322099"],
    "YD": ["463431409940372", "467957694239119", "313748034258396", "437362532429036"],
    "HTKY": ["A079612651105", "BXA4376239711", "55981034326851"],
    "JTSD": [
        "JT5261988016578",
        "JT0411240182258",
        "JT8036336229167",
        "JT2167906897241",
        "JT0006968326954",
        "JT3002232682242",
    ],
    "SF": ["SF1385628716739", "SF8903130848459", "SF0648279733357", "SF4277069287920"],
    "EMS": [
        "1207119765021",
        "1192856387120",
        "9856348169786",
        "EA630595242CN",
        "CA231846635CN",
        "1240921381750",
        "RB123456785GB",
    ],
    "JD": [
        "JDX024407261700",
        "JDVA18643715332",
        "JDVC88530354690",
        "JDX086903564006",
        "JDVA11408814483",
    ],
    "DBL": [
        "DPK202252612836",
        "DPK339507718727",
        "DPK404085202385",
        "DPK364112047425",
        "DPK300585915441",
    ],
}
CURRENT_CASES = [(code, n) for code, numbers in CURRENT.items() for n in numbers]

# Legacy or rare forms that only source B (or SF's old 12 digits) allows.
LEGACY_CASES = [
    ("ZTO", "881123456789"),
    ("ZTO", "201312345678"),
    ("YTO", "Y123456789012"),
    ("STO", "STO1234567890"),
    ("STO", "268123456789"),
    ("YD", "1234567890123"),
    ("JTSD", "JT123456789012"),
    ("SF", "123456789012"),
    ("EMS", "4309597495550"),
    ("DBL", "2548884755"),
    ("DBL", "DPK2022526128361"),
]

STRICT_RULES = [(c.code, p) for c in COURIERS for p in c.strict]
CODES = [courier.code for courier in COURIERS]


def _regex(pattern: str) -> st.SearchStrategy[str]:
    """Strings that fully match ``pattern`` with ASCII digits."""
    return st.from_regex(re.compile(pattern, re.ASCII), fullmatch=True)


# --- normalize_waybill ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "number"),
    [
        (" 73610555582883 ", "73610555582883"),
        ("7361 0555 5828 83", "73610555582883"),
        ("7361-0555-5828-83", "73610555582883"),
        ("7361–0555—582883", "73610555582883"),
        ("\t73610555582883\u3000", "73610555582883"),
        ("\ufeff73610555582883\u200b", "73610555582883"),
        ("７３６１０５５５５８２８８３", "73610555582883"),
        ("yt8962646785389", "YT8962646785389"),
        ("ｊｔ５２６１９８８０１６５７８", "JT5261988016578"),
        ("73610555582883.0", "73610555582883"),
        ("'73610555582883", "73610555582883"),
        ("73610555582883.00", "73610555582883"),
        ("DPK202252612836-1", "DPK202252612836"),
        ("DPK202252612836－12", "DPK202252612836"),
        ("dpk 2022-5261-2836", "DPK202252612836"),
        ("7.3610555582883E+13", "7.3610555582883E+13"),
        ("", ""),
    ],
)
def test_normalize_examples(raw: str, number: str) -> None:
    """Spaces, dashes, width, case, '.0' and 德邦 piece suffixes are normalised away."""
    assert normalize_waybill(raw) == number


@given(st.text())
def test_normalize_is_idempotent(raw: str) -> None:
    """Normalising a normalised number changes nothing."""
    once = normalize_waybill(raw)
    assert normalize_waybill(once) == once


@given(st.text())
def test_normalize_leaves_no_space_dash_or_lower_ascii(raw: str) -> None:
    """A normalised number has no whitespace, hyphen or lower-case ASCII letter."""
    number = normalize_waybill(raw)
    assert not any(c.isspace() or c == "-" or "a" <= c <= "z" for c in number)


# --- check_waybill: acceptance -------------------------------------------------------


@pytest.mark.parametrize(("code", "number"), CURRENT_CASES)
def test_current_numbers_accepted_without_warning(code: str, number: str) -> None:
    """Every test and synthetic number of couriers.md is accepted for its courier."""
    assert check_waybill(code, number) == WaybillCheck(number, number, ok=True)


@pytest.mark.parametrize(("code", "number"), LEGACY_CASES)
def test_legacy_forms_accepted_with_warning(code: str, number: str) -> None:
    """A form only source B allows is accepted with an 'unusual format' warning."""
    result = check_waybill(code, number)
    name = find_courier(code).name
    assert result.ok
    assert result.reason is None
    assert result.warning is not None
    assert result.warning.startswith(f"unusual format for {name}: expected ")


def test_check_keeps_raw_and_returns_normalised_number() -> None:
    """The result carries the raw text and the normalised number."""
    result = check_waybill("ZTO", " 7361-0555-5828-83.0")
    assert (result.raw, result.number, result.ok) == (
        " 7361-0555-5828-83.0",
        "73610555582883",
        True,
    )


def test_check_accepts_courier_name_for_code() -> None:
    """A courier name instead of the code selects the same rules."""
    assert check_waybill("中通", "73610555582883") == check_waybill(
        "ZTO", "73610555582883"
    )


def test_check_unknown_courier_raises() -> None:
    """An unknown courier code raises UnknownCourier."""
    with pytest.raises(UnknownCourier):
        check_waybill("XYZ", "73610555582883")


def test_deppon_child_piece_checked_as_master() -> None:
    """A 德邦 child piece is accepted under its master number."""
    result = check_waybill("DBL", "DPK202252612836-3")
    assert (result.number, result.ok, result.warning) == ("DPK202252612836", True, None)


def test_check_result_is_frozen() -> None:
    """A WaybillCheck cannot be changed after creation."""
    result = check_waybill("ZTO", "73610555582883")
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.ok = False  # type: ignore[misc]


# --- check_waybill: rejection --------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "raw", "fragment"),
    [
        ("ZTO", "", "empty"),
        ("ZTO", " \u3000 ", "empty"),
        ("ZTO", "7" * (MAX_WAYBILL_LENGTH + 1), "too long"),
        ("ZTO", "7.3610555582883E+13", "scientific notation"),
        ("ZTO", "7.36106e+13", "format the column as text"),
        ("ZTO", "7E+13", "scientific notation"),
        ("ZTO", "7361055558288#", "'#'"),
        ("ZTO", "运单73610555582883", "letters A-Z and digits 0-9"),
        ("ZTO", "YT8962646785389", "not a 中通快递 number: expected 14 digits"),
        ("ZTO", "7361055558288", "e.g. 73610555582883"),
        ("YTO", "YT1234567890123456", "not a 圆通速递 number: expected YT + 13"),
        ("STO", "JT5261988016578", "not a 申通快递 number"),
        ("YD", "12345678901234", "not a 韵达快递 number"),
        ("HTKY", "YT8962646785389", "not a 百世快递 number"),
        ("JTSD", "JT52619880165", "not a 极兔速递 number: expected JT + 13 digits"),
        ("SF", "SF1", "not a 顺丰速运 number"),
        ("EMS", "RB123456786US", "check digit of RB123456786US should be 5"),
        ("EMS", "EA630595243CN", "check digit"),
        ("JD", "JDX02440726170", "not a 京东快递 number"),
        ("DBL", "DPK20225261283", "not a 德邦快递 number: expected DPK + 12 digits"),
    ],
)
def test_rejections_carry_reason(code: str, raw: str, fragment: str) -> None:
    """A number that cannot be the courier's is rejected with an actionable reason."""
    result = check_waybill(code, raw)
    assert not result.ok
    assert result.warning is None
    assert result.reason is not None
    assert fragment in result.reason


# --- UPU S10 -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("serial", "digit"), [("12345678", 5), ("10000002", 5), ("10000014", 0)]
)
def test_s10_check_digit_examples(serial: str, digit: int) -> None:
    """The check digit follows the published rule, including r=0 → 5 and r=1 → 0."""
    assert s10_check_digit(serial) == digit


@pytest.mark.parametrize("serial", ["1234567", "123456789", "1234567A", "١٢٣٤٥٦٧٨"])
def test_s10_check_digit_rejects_bad_serial(serial: str) -> None:
    """A serial that is not 8 ASCII digits raises ValueError."""
    with pytest.raises(ValueError, match="8 digits"):
        s10_check_digit(serial)


@pytest.mark.parametrize(
    ("number", "valid"),
    [
        ("RB123456785GB", True),
        ("RB123456786US", False),
        ("rb 123456785 gb", True),
        ("EA630595242CN", True),
        ("CA231846635CN", True),
        ("73610555582883", False),
        ("RB12345678GB", False),
    ],
)
def test_is_valid_s10_examples(number: str, valid: bool) -> None:
    """Published and synthetic S10 numbers validate; wrong digits or shapes do not."""
    assert is_valid_s10(number) is valid


S10_PARTS = st.tuples(_regex(r"[A-Z]{2}"), _regex(r"\d{8}"), _regex(r"[A-Z]{2}"))


@given(S10_PARTS)
def test_s10_with_computed_digit_validates(parts: tuple[str, str, str]) -> None:
    """An S10 number with its computed check digit is valid and accepted for EMS."""
    service, serial, country = parts
    number = f"{service}{serial}{s10_check_digit(serial)}{country}"
    assert is_valid_s10(number)
    assert check_waybill("EMS", number) == WaybillCheck(number, number, ok=True)
    assert detect_couriers(number) == [find_courier("EMS")]


@given(S10_PARTS, st.integers(min_value=1, max_value=9))
def test_s10_with_other_digit_fails(parts: tuple[str, str, str], offset: int) -> None:
    """An S10 number with any other check digit is invalid and rejected for EMS."""
    service, serial, country = parts
    wrong = (s10_check_digit(serial) + offset) % 10
    number = f"{service}{serial}{wrong}{country}"
    assert not is_valid_s10(number)
    result = check_waybill("EMS", number)
    assert not result.ok
    assert result.reason is not None
    assert "check digit" in result.reason
    assert detect_couriers(number) == []


# --- strict rules as generators ------------------------------------------------------


def _strict_number(rule: tuple[str, str]) -> st.SearchStrategy[tuple[str, str]]:
    """A courier code with a number generated from one of its strict rules."""
    code, pattern = rule
    return st.tuples(st.just(code), _regex(pattern))


@given(st.sampled_from(STRICT_RULES).flatmap(_strict_number))
def test_strict_numbers_accepted_and_detected(rule_number: tuple[str, str]) -> None:
    """A number fitting a courier's strict rule is accepted unwarned and suggested."""
    code, number = rule_number
    assert check_waybill(code, number) == WaybillCheck(number, number, ok=True)
    assert find_courier(code) in detect_couriers(number)


@given(st.sampled_from(find_courier("HTKY").detect_hints).flatmap(_regex))
def test_htky_distinctive_forms_detected(number: str) -> None:
    """百世's distinctive legacy forms are accepted for 百世 and suggest 百世 alone."""
    assert check_waybill("HTKY", number).ok
    assert detect_couriers(number) == [find_courier("HTKY")]


@given(
    st.sampled_from(STRICT_RULES).flatmap(lambda r: _regex(r[1])),
    st.lists(st.sampled_from([" ", "\u3000", "\t"]), max_size=3),
    st.booleans(),
)
def test_formatting_noise_is_normalised(
    number: str, spaces: list[str], full_width: bool
) -> None:
    """Spaces, lower case and full-width forms do not change the normalised number."""
    noisy = number.lower()
    if full_width:
        noisy = "".join(chr(ord(c) + 0xFEE0) for c in noisy)
    noisy = "".join(spaces) + noisy + "".join(spaces)
    assert normalize_waybill(noisy) == number


# --- detect_couriers -----------------------------------------------------------------


def test_ambiguous_sto_yd_number_suggests_both() -> None:
    """A 15-digit number starting 43 fits both 申通 and 韵达 (couriers.md)."""
    assert [c.code for c in detect_couriers("437362532429036")] == ["STO", "YD"]


@pytest.mark.parametrize(
    ("code", "number"),
    [
        case
        for case in CURRENT_CASES
        if case[1] not in ("437362532429036", "55981034326851")
    ],
)
def test_current_numbers_suggest_only_their_courier(code: str, number: str) -> None:
    """Under the strict rules each example suggests only its own courier."""
    assert [c.code for c in detect_couriers(number)] == [code]


@pytest.mark.parametrize(
    "raw", ["55981034326851", "2548884755", "RB123456786US", "", "hello", "7E+13"]
)
def test_no_suggestion_for_ambiguous_or_bad(raw: str) -> None:
    """Plain legacy digits, bad S10 numbers and garbage suggest no courier."""
    assert detect_couriers(raw) == []


# --- robustness ----------------------------------------------------------------------


@given(st.sampled_from(CODES), st.text())
def test_check_never_raises_and_is_ok_or_has_reason(code: str, raw: str) -> None:
    """On any text check_waybill returns ok xor a reason, and a warning only if ok."""
    result = check_waybill(code, raw)
    assert result.ok is (result.reason is None)
    assert result.ok or result.warning is None
    assert not result.ok or re.fullmatch(r"[A-Z0-9]{1,40}", result.number)


@given(st.text())
def test_detect_never_raises(raw: str) -> None:
    """On any text detect_couriers returns a list of known couriers."""
    assert all(courier in COURIERS for courier in detect_couriers(raw))
