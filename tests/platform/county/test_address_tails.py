"""The tail cache of countyhub.platform.county.addresses never changes a resolution.

A resolved address is also cached on its normalised text without the trailing
组/号/户 numbers. These tests resolve generated addresses — awkward ones too:
roads, place words, markers, other counties, numerals right after a name — with
that cache and without any cache, and demand identical results.
"""

from __future__ import annotations

import csv
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from countyhub.platform.county.addresses import read_places
from countyhub.platform.county.gazetteer import default_county_dir
from countyhub.platform.county.names import (
    DELETED,
    TAIL_CHARS,
    normalize,
    village_forms,
)
from countyhub.platform.county.resolver import AddressResolver, Place

DATA = default_county_dir()
TONGGU = read_places(DATA)
# A county whose names end in tail characters: 红星一 and 红星, 五一, 新三组.
NUMERAL_TOWNS = [("1", "甲镇"), ("2", "乙乡")]
NUMERAL_PLACES = [
    Place("000000001200", "红星村委会", "1", "甲镇"),
    Place("000000001201", "红星一村委会", "1", "甲镇"),
    Place("000000002200", "五一村委会", "2", "乙乡"),
    Place("000000002201", "新三组村委会", "2", "乙乡"),
    Place("000000002100", "乙乡集镇居委会", "2", "乙乡"),
]


def _numeral_county(**options: object) -> AddressResolver:
    return AddressResolver(NUMERAL_TOWNS, NUMERAL_PLACES, **options)  # type: ignore[arg-type]


def _tonggu(**options: object) -> AddressResolver:
    with (DATA / "townships.csv").open(encoding="utf-8", newline="") as f:
        towns = [(t["code"], t["name"]) for t in csv.DictReader(f)]
    seat = next(code for code, name in towns if name == "永宁镇")
    return AddressResolver(towns, TONGGU, county_seat_township=seat, **options)  # type: ignore[arg-type]


CACHED = {"tonggu": _tonggu(), "numerals": _numeral_county()}
PLAIN = {  # no tail cache, no cache at all: every text read in full
    "tonggu": _tonggu(cache_size=0, tail_cache=False),
    "numerals": _numeral_county(cache_size=0, tail_cache=False),
}
PLACES = {"tonggu": TONGGU, "numerals": NUMERAL_PLACES}
_OTHER = [
    "江西省",
    "江西",
    "宜春市",
    "宜春",
    "铜鼓县",
    "铜鼓",
    "万载县",
    "宜春市袁州区",
]
_ODD = ["东风路", "大道", "街", "街上", "集镇", "县城", "城区", "地址：", "张三"]
_ODD += ["13800138000", "村", "社区", "林场", "岭", "上屋", "许", "一", "十二", "组"]
_SEPARATORS = ["", "", " ", "，", ",", "\u3000", "、", " - "]
_FULL_WIDTH = "０１２３４５６７８９"
_TAIL_TEXT = TAIL_CHARS + _FULL_WIDTH + "栋幢单元楼室层 　"


def _chars(place: Place) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted({*place.name, *place.township_name, *_TAIL_TEXT}))


@st.composite
def _word(draw: st.DrawFn, places: list[Place]) -> str:
    place = draw(st.sampled_from(places))
    town = place.township_name
    return draw(
        st.one_of(
            st.sampled_from(village_forms(place.name)[1]),
            st.sampled_from((town, town[:-1], town[:2])),
            st.sampled_from(_OTHER + _ODD),
            st.text(
                st.sampled_from(sorted({*place.name, *town, *_TAIL_TEXT})), max_size=3
            ),
        )
    )


@st.composite
def _tail(draw: st.DrawFn) -> str:
    n = draw(st.integers(1, 120))
    numeral = draw(st.sampled_from(("一", "三", "十", "十二", "二十", "百", "两")))
    return draw(
        st.one_of(
            st.sampled_from(("", f"{n}号", f"{numeral}组", f"{numeral}组{n}号")),
            st.sampled_from((f"{n}组{n}户", f"{n}栋", f"{n}", "组", "号")),
            st.text(st.sampled_from(_TAIL_TEXT), max_size=6),
        )
    )


@st.composite
def _address_with_tails(draw: st.DrawFn, county: str) -> list[str]:
    words = draw(st.lists(_word(PLACES[county]), max_size=4))
    base = "".join(w + draw(st.sampled_from(_SEPARATORS)) for w in words)
    tails = draw(st.lists(_tail(), min_size=1, max_size=4))
    return [base + t for t in tails]


@settings(max_examples=800)
@given(st.sampled_from(sorted(CACHED)), st.data())
def test_tail_cache_gives_the_results_of_a_full_reading(
    county: str, data: st.DataObject
) -> None:
    """One text with several tails: cached results equal uncached full readings."""
    for address in data.draw(_address_with_tails(county)):
        cached = CACHED[county].resolve(address)
        assert cached == PLAIN[county].resolve(address), address


def test_the_tail_cache_serves_texts_that_differ_in_their_tail() -> None:
    """浒村三组 and 浒村 5组12号 share one cached resolution."""
    resolver = CACHED["tonggu"]
    first = resolver.resolve("大塅镇浒村三组")
    assert resolver.resolve("大塅镇，浒村 5组12号") is first


def test_unresolved_reasons_keep_their_own_tail() -> None:
    """Unresolved texts are read in full: the reason quotes the text's own tail."""
    resolver = CACHED["tonggu"]
    assert "'东风路12号'" in (resolver.resolve("大塅镇东风路12号").reason or "")
    assert "'东风路3组'" in (resolver.resolve("大塅镇东风路3组").reason or "")


def test_numerals_that_end_a_name_are_not_taken_for_tail() -> None:
    """Villages 红星 and 红星一: 红星一组 is 红星一, even once 红星3组 is cached."""
    resolver = _numeral_county()
    assert resolver.resolve("甲镇红星3组").village_code == "000000001200"
    assert resolver.resolve("甲镇红星一组").village_code == "000000001201"
    assert resolver.resolve("乙乡五一5号").village_code == "000000002200"
    assert resolver.resolve("乙乡新三组8号").village_code == "000000002201"


@settings(max_examples=500)
@given(st.text(st.sampled_from(DELETED + "段塅ＡＢ１２ａ\u0301e浒村 ")) | st.text())
def test_normalize_is_nfkc_less_punctuation_with_duan_folded(text: str) -> None:
    """The regex normalisation equals NFKC + str.translate deleting DELETED, 段→塅."""
    table = str.maketrans("段", "塅", DELETED)
    assert normalize(text) == unicodedata.normalize("NFKC", text).translate(table)
