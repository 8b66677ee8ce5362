"""Tests for countyhub.platform.county.addresses, on the Tonggu data in the package."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countyhub.platform.county.addresses import load_resolver_from_dir, read_places
from countyhub.platform.county.gazetteer import default_county_dir
from countyhub.platform.county.resolver import AddressResolver, Place
from countyhub.routing.geo import haversine_m

DATA = default_county_dir()
RESOLVER = load_resolver_from_dir(DATA)
PLACES = read_places(DATA)
CODE = {p.name: p.code for p in PLACES}


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


# -- the package data the resolver is built from ------------------------------


def test_package_data_counts() -> None:
    """108 service points; the 5 placeholders have no point and are not targets."""
    villages = _rows("villages.csv")
    assert len(villages) == 113
    assert len(PLACES) == 108
    placeholders = [v for v in villages if v["service_point"] == "0"]
    assert {v["code"][-3:] for v in placeholders} == {"498", "598"}
    assert all(not v["lon"] and not v["lat"] for v in placeholders)
    published = [v for v in villages if v["approximate"] == "0"]
    assert len(published) == 5
    assert all(v["coord_source"].startswith("AMap 2018") for v in published)


def _inside(lon: float, lat: float, ring: list[list[float]]) -> bool:
    """Ray casting: is the point inside the polygon ring?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def test_derived_points_lie_in_the_county_and_their_township_cell() -> None:
    """Each derived point is inside the county and nearest its own township's seat."""
    boundary = json.loads((DATA / "boundary_wgs84.geojson").read_text("utf-8"))
    ring = boundary["features"][0]["geometry"]["coordinates"][0]
    seats = {
        t["code"]: (float(t["lon"]), float(t["lat"]))
        for t in _rows("townships.csv")
        if t["coord_source"].startswith("GeoNames")
    }
    assert len(seats) == 9
    derived = [v for v in _rows("villages.csv") if v["approximate"] == "1"]
    assert len(derived) == 103
    for v in derived:
        lon, lat = float(v["lon"]), float(v["lat"])
        assert v["coord_source"].startswith("derived:"), v["name"]
        assert _inside(lon, lat, ring), v["name"]
        nearest = min(seats, key=lambda c: haversine_m(lon, lat, *seats[c]))
        assert nearest == v["township_code"], v["name"]


def test_county_row() -> None:
    """county.csv holds Tonggu and its seat converted to WGS84."""
    (county,) = _rows("county.csv")
    assert county["name"] == "铜鼓县"
    assert (county["province"], county["prefecture"]) == ("江西省", "宜春市")
    assert (county["seat_lon"], county["seat_lat"]) == ("114.365811", "28.523890")


# -- realistic addresses ---------------------------------------------------


@pytest.mark.parametrize(
    ("address", "village"),
    [
        ("江西省宜春市铜鼓县大塅镇浒村村委会三组12号", "浒村村委会"),
        ("铜鼓县大塅镇浒村村委会", "浒村村委会"),
        ("大塅镇浒村村", "浒村村委会"),
        ("大塅镇浒村", "浒村村委会"),
        ("大塅浒村", "浒村村委会"),
        ("大塅浒村委会", "浒村村委会"),
        ("浒村", "浒村村委会"),
        ("大塅镇，浒村 ３组１２号", "浒村村委会"),
        ("  江西 宜春 铜鼓 大塅 浒村 5组 ", "浒村村委会"),
        ("大段镇浒村", "浒村村委会"),
        ("大塅镇浒村上屋组5号", "浒村村委会"),
        ("张三 13800138000 大塅镇浒村", "浒村村委会"),
        ("收件地址：铜鼓县永宁镇定江社区5号", "定江社区居委会"),
        ("大塅镇大塅村", "大塅村委会"),
        ("大塅大塅", "大塅村委会"),
        ("大塅村三组", "大塅村委会"),
        ("铜鼓县大塅镇大塅村大塅组", "大塅村委会"),
        ("大塅镇浒口村", "浒口村委会"),
        ("带溪乡西村村委会", "西村村委会"),
        ("带溪西村", "西村村委会"),
        ("带溪乡西村委会", "西村村委会"),
        ("西村", "西村村委会"),
        ("高桥乡花山村", "花山村委会"),
        ("花山村", "花山村委会"),
        ("港口乡港口村", "港口村委会"),
        ("港口港口", "港口村委会"),
        ("港口村十组", "港口村委会"),
        ("高桥乡高桥村", "高桥村委会"),
        ("温泉镇温泉村", "温泉村委会"),
        ("温泉温泉", "温泉村委会"),
        ("三都镇 东山 十二组", "东山村委会"),
        ("高桥乡梁段村", "梁段村委会"),
        ("永宁镇城南社区", "城南社区居委会"),
        ("铜鼓县城南社区", "城南社区居委会"),
        ("铜鼓县城北社区居委会", "城北社区居委会"),
        ("永宁城东", "城东社区居委会"),
        ("永宁镇花园社区居民委员会8栋", "花园社区居委会"),
        ("铜鼓县城郊林场生活区", "县城郊林场生活区"),
        ("永宁镇县城郊林场", "县城郊林场生活区"),
        ("温泉直属农场", "温泉直属农场生活区"),
        ("带溪集镇居民委员会", "带溪集镇居民委员会"),
        ("大塅集镇居委会", "大塅集镇居委会"),
        ("大塅集镇", "大塅集镇居委会"),
    ],
)
def test_resolves_realistic_variants(address: str, village: str) -> None:
    """Common ways of writing a village resolve to it."""
    r = RESOLVER.resolve(address)
    assert r.village_code == CODE[village], r
    assert r.reason is None


@pytest.mark.parametrize(
    ("address", "village"),
    [
        ("大塅镇集镇", "大塅集镇居委会"),
        ("大塅镇街上", "大塅集镇居委会"),
        ("大塅街上3号", "大塅集镇居委会"),
        ("铜鼓县带溪乡集镇", "带溪集镇居民委员会"),
        ("温泉镇城区", "温泉集镇居委会"),
    ],
)
def test_township_seat_marker_gives_the_seat_community(
    address: str, village: str
) -> None:
    """集镇/街上 after a township means its only 居委会."""
    r = RESOLVER.resolve(address)
    assert (r.village_code, r.method) == (CODE[village], "township seat community")


@pytest.mark.parametrize(
    ("address", "method", "says"),
    [
        (
            "铜鼓县大塅镇",
            "no village",
            "no village named in the address; 大塅镇 has 14",
        ),
        ("大塅镇3组12号", "no village", "no village named"),
        ("大塅镇东风路12号", "no village", "'东风路12号' is not a village of 大塅镇"),
        ("大塅镇东风岭村", "no village", "is not a village of 大塅镇"),
        ("大塅镇许村村委会", "no village", "did you mean 浒村村委会?"),
        ("温泉镇温泉直属农厂生活区", "no village", "温泉直属农场生活区?"),
        ("大塅镇花山村", "not in township", "花山村委会 (高桥乡) is not in 大塅镇"),
        ("永宁镇浒村", "not in township", "is not in 永宁镇"),
        ("大塅", "ambiguous", "may be the township 大塅镇 or the village 大塅村委会"),
        ("港口", "ambiguous", "港口乡 or the village 港口村委会"),
        ("花山", "ambiguous", "花山林场 or the village 花山村委会"),
        ("温泉5号", "ambiguous", "温泉镇"),
        ("县城", "ambiguous", "永宁镇 has 8 communities"),
        ("永宁镇街上", "ambiguous", "永宁镇 has 8 communities"),
        ("集镇", "unknown", "does not say which township"),
        ("花山林场", "no village", "花山林场 has no delivery service point"),
        ("江西铜鼓工业园区", "no village", "no delivery service point"),
        ("花山林场虚拟生活区", "no village", "no delivery service point"),
        ("万载县株潭镇浒村村", "other county", "in 万载县, not in 铜鼓县"),
        ("江西省宜春市宜丰县天宝乡大塅村23号", "other county", "宜丰县"),
        ("湖南省浏阳市大围山镇东门村", "other county", "湖南省浏阳市"),
        ("地址:宜春市袁州区", "other county", "袁州区"),
        ("张三13800000000", "unknown", "no township or village of 铜鼓县"),
        ("", "unknown", "no township or village"),
        ("王东风 大塅镇浒村", "unknown", "did you mean 东风村委会"),
    ],
)
def test_unresolvable_addresses_say_why(address: str, method: str, says: str) -> None:
    """Township-only, ambiguous, misplaced and foreign addresses stay unresolved."""
    r = RESOLVER.resolve(address)
    assert r.village_code is None
    assert not r.resolved
    assert r.method == method
    assert r.reason is not None
    assert says in r.reason


def test_township_only_lists_its_villages_as_candidates() -> None:
    """The candidates of a township-only address are all its service points."""
    r = RESOLVER.resolve("大塅镇")
    assert len(r.candidates) == 14
    assert {p.township_name for p in PLACES if p.code in r.candidates} == {"大塅镇"}


def test_ambiguous_name_lists_both_readings() -> None:
    """'大塅' alone offers the village 大塅村 and the town's 集镇居委会."""
    r = RESOLVER.resolve("铜鼓县大塅")
    assert set(r.candidates) == {CODE["大塅村委会"], CODE["大塅集镇居委会"]}


def test_ambiguous_names_in_tonggu() -> None:
    """Only township/village pairs share a short name; no two villages do."""
    found = RESOLVER.ambiguous_names()
    assert set(found) == {
        "温泉",
        "棋坪",
        "排埠",
        "三都",
        "大塅",
        "高桥",
        "港口",
        "花山",
    }
    for codes in found.values():
        assert sum(len(c) == 12 for c in codes) == 1


def test_same_village_name_in_two_townships_needs_the_township() -> None:
    """With two 东山村, the bare name is ambiguous and the township settles it."""
    resolver = AddressResolver(
        [("1", "甲镇"), ("2", "乙乡")],
        [
            Place("000000001200", "东山村委会", "1", "甲镇"),
            Place("000000002200", "东山村委会", "2", "乙乡"),
        ],
        county_names=["某县"],
        province_names=[],
        prefecture_names=[],
    )
    r = resolver.resolve("东山村3组")
    assert (r.village_code, r.method) == (None, "ambiguous")
    assert set(r.candidates) == {"000000001200", "000000002200"}
    assert "add the township" in (r.reason or "")
    assert resolver.resolve("乙乡东山村").village_code == "000000002200"
    assert resolver.resolve("某县甲镇东山").village_code == "000000001200"


def test_placeholders_are_never_targets() -> None:
    """Villages coded …498/…598 are dropped even when passed in."""
    resolver = AddressResolver(
        [("360926500", "花山林场")],
        [Place("360926500598", "花山林场虚拟生活区", "360926500", "花山林场")],
    )
    assert resolver.resolve("花山林场虚拟生活区").village_code is None


def test_results_are_cached_on_the_text() -> None:
    """The same text gives the same Resolution object (LRU cache)."""
    a = RESOLVER.resolve("大塅镇浒村三组")
    assert RESOLVER.resolve("大塅镇浒村三组") is a


# -- every village, every way of writing it ---------------------------------

_SUFFIXES = (
    ("集镇居民委员会", ("集镇", "集镇居委会", "集镇居民委员会")),
    ("集镇居委会", ("集镇", "集镇居委会", "集镇居民委员会")),
    ("社区居委会", ("", "社区", "社区居委会", "居委会", "社区居民委员会")),
    ("村委会", ("", "村", "村委会", "村民委员会")),
    ("生活区", ("", "生活区")),
)


def _village_forms(name: str) -> list[str]:
    """The ways an address may write a village (written apart from the module)."""
    for suffix, forms in _SUFFIXES:
        if name.endswith(suffix):
            return [name[: -len(suffix)] + f for f in forms]
    raise AssertionError(name)


_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_NUMERALS = ("一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二")


@st.composite
def _tail(draw: st.DrawFn) -> str:
    group = draw(st.integers(1, 12))
    g = draw(st.sampled_from((str(group), str(group).translate(_FULL_WIDTH))))
    g = draw(st.sampled_from((g, _NUMERALS[group - 1])))
    n = str(draw(st.integers(1, 120)))
    return draw(st.sampled_from(("", f"{g}组", f"{g}组{n}号", f"{n}号", f"{g}组{n}户")))


@st.composite
def _address(draw: st.DrawFn, place: Place, *, township: bool = True) -> str:
    parts = [
        draw(st.sampled_from(("", "江西省", "江西"))),
        draw(st.sampled_from(("", "宜春市", "宜春"))),
        draw(st.sampled_from(("", "铜鼓县", "铜鼓"))),
    ]
    if township:
        parts.append(
            draw(st.sampled_from((place.township_name, place.township_name[:-1])))
        )
    forms = _village_forms(place.name)
    parts.append(draw(st.sampled_from(forms if township else forms[1:])))
    parts.append(draw(_tail()))
    seps = st.sampled_from(("", "", " ", "  ", "，", ",", "\u3000", "、"))
    return "".join(p + draw(seps) for p in parts if p)


@settings(max_examples=600)
@given(st.data())
def test_every_village_resolves_from_any_written_form(data: st.DataObject) -> None:
    """Prefix parts, township with/without suffix, any village form, tails, spaces."""
    place = data.draw(st.sampled_from(PLACES))
    address = data.draw(_address(place))
    r = RESOLVER.resolve(address)
    assert r.village_code == place.code, (address, r)


@pytest.mark.parametrize("place", PLACES, ids=lambda p: p.name)
def test_each_village_resolves_with_its_township(place: Place) -> None:
    """Every service point resolves in each township × village form, no tail."""
    for town in (place.township_name, place.township_name[:-1]):
        for form in _village_forms(place.name):
            r = RESOLVER.resolve(f"铜鼓县{town}{form}")
            assert r.village_code == place.code, (town, form, r)


@settings(max_examples=300)
@given(st.data())
def test_suffixed_village_names_resolve_without_township(data: st.DataObject) -> None:
    """No two Tonggu villages share a name, so 浒村村委会 alone is enough."""
    place = data.draw(st.sampled_from(PLACES))
    address = data.draw(_address(place, township=False))
    r = RESOLVER.resolve(address)
    assert r.village_code == place.code, (address, r)
