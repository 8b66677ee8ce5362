"""The courier registry and `find_courier`."""

from __future__ import annotations

import contextlib
import dataclasses
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from countyhub.couriers import COURIERS, Courier, UnknownCourier, find_courier

CODES = ("ZTO", "YTO", "STO", "YD", "HTKY", "JTSD", "SF", "EMS", "JD", "DBL")

SPELLINGS = [
    (spelling, courier.code)
    for courier in COURIERS
    for spelling in (
        courier.code,
        courier.name,
        courier.short_name,
        courier.kuaidi100,
        *courier.aliases,
    )
]


def test_ten_couriers_by_kdniao_code() -> None:
    """The registry holds the county's ten couriers under their 快递鸟 codes, once."""
    assert tuple(courier.code for courier in COURIERS) == CODES


@pytest.mark.parametrize(
    ("code", "name", "kuaidi100"),
    [
        ("ZTO", "中通快递", "zhongtong"),
        ("YTO", "圆通速递", "yuantong"),
        ("STO", "申通快递", "shentong"),
        ("YD", "韵达快递", "yunda"),
        ("HTKY", "百世快递", "huitongkuaidi"),
        ("JTSD", "极兔速递", "jtexpress"),
        ("SF", "顺丰速运", "shunfeng"),
        ("EMS", "中国邮政EMS", "ems"),
        ("JD", "京东快递", "jd"),
        ("DBL", "德邦快递", "debangwuliu"),
    ],
)
def test_code_name_and_kuaidi100(code: str, name: str, kuaidi100: str) -> None:
    """Each code resolves to its courier with the expected name and kuaidi100 code."""
    courier = find_courier(code)
    assert (courier.code, courier.name, courier.kuaidi100) == (code, name, kuaidi100)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("中通", "ZTO"),
        ("中通快递", "ZTO"),
        ("zhongtong", "ZTO"),
        ("圆通", "YTO"),
        ("申通快递", "STO"),
        ("韵达", "YD"),
        ("百世", "HTKY"),
        ("百世汇通", "HTKY"),
        ("汇通", "HTKY"),
        ("J&T", "JTSD"),
        ("J&T Express", "JTSD"),
        ("极兔", "JTSD"),
        ("顺丰", "SF"),
        ("顺丰速运", "SF"),
        ("SF Express", "SF"),
        ("YZPY", "EMS"),
        ("邮政", "EMS"),
        ("中国邮政", "EMS"),
        ("邮政EMS", "EMS"),
        ("邮政快递包裹", "EMS"),
        ("京东", "JD"),
        ("京东物流", "JD"),
        ("德邦", "DBL"),
        ("德邦物流", "DBL"),
    ],
)
def test_common_manifest_spellings(text: str, code: str) -> None:
    """The ways a clerk writes a courier's name resolve to that courier."""
    assert find_courier(text).code == code


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("  zto ", "ZTO"),
        ("ＺＴＯ", "ZTO"),
        ("\u3000中通快递\u3000", "ZTO"),
        ("ｊ＆ｔ", "JTSD"),
        ("sf express", "SF"),
        ("ems", "EMS"),
        ("Jd", "JD"),
    ],
)
def test_case_width_and_whitespace_ignored(text: str, code: str) -> None:
    """Case, full-width characters and surrounding whitespace do not matter."""
    assert find_courier(text).code == code


@pytest.mark.parametrize(("spelling", "code"), SPELLINGS)
def test_every_spelling_names_its_own_courier(spelling: str, code: str) -> None:
    """No spelling of one courier resolves to another one."""
    assert find_courier(spelling).code == code


@pytest.mark.parametrize("text", ["", "   ", "菜鸟", "XYZ", "中通快运"])
def test_unknown_courier_names_text_and_codes(text: str) -> None:
    """An unknown name raises UnknownCourier, a ValueError naming the text and codes."""
    with pytest.raises(UnknownCourier) as info:
        find_courier(text)
    assert isinstance(info.value, ValueError)
    assert info.value.text == text
    assert repr(text) in str(info.value)
    assert all(code in str(info.value) for code in CODES)


def test_courier_is_frozen() -> None:
    """A Courier cannot be changed after creation."""
    with pytest.raises(dataclasses.FrozenInstanceError):
        COURIERS[0].code = "XX"  # type: ignore[misc]


@pytest.mark.parametrize("courier", COURIERS, ids=CODES)
def test_rules_are_valid_regexes(courier: Courier) -> None:
    """Every courier has permissive rules, and all its rules compile."""
    assert courier.permissive
    for pattern in courier.strict + courier.permissive + courier.detect_hints:
        re.compile(pattern, re.ASCII)


def test_only_ems_carries_s10_and_only_htky_lacks_a_strict_rule() -> None:
    """EMS is the S10 courier; 百世 is the one courier without a source-A rule."""
    assert [c.code for c in COURIERS if c.s10] == ["EMS"]
    assert [c.code for c in COURIERS if not c.strict] == ["HTKY"]


@given(
    st.sampled_from(SPELLINGS),
    st.text(alphabet=" \t\u3000", max_size=3),
    st.text(alphabet=" \t\u3000", max_size=3),
    st.booleans(),
)
def test_any_spelling_with_padding_and_case(
    spelling_code: tuple[str, str], left: str, right: str, upper: bool
) -> None:
    """A known spelling, padded and in either case, resolves to its courier."""
    spelling, code = spelling_code
    text = spelling.upper() if upper else spelling.lower()
    assert find_courier(left + text + right).code == code


@given(st.text())
def test_find_courier_raises_only_unknown_courier(text: str) -> None:
    """On arbitrary text find_courier returns a courier or raises UnknownCourier."""
    with contextlib.suppress(UnknownCourier):
        assert find_courier(text) in COURIERS
