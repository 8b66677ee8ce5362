"""Resolve free-text Chinese delivery addresses to a village service point.

A depot's manifest says where a parcel goes in whatever form the sender typed:
``江西省宜春市铜鼓县大塅镇浒村村委会三组12号``, ``大塅浒村``, ``浒村 3组``,
``大塅镇街上``. :class:`AddressResolver` turns such a text into the code of one
village-level service point, or says why it cannot, with the candidates a clerk
can pick from. It never guesses: a name that fits two places, a village that is
not in the township the address names, or an address that names only a
township stays unresolved.

How it reads an address
-----------------------
The text is normalised (NFKC, so full-width digits and punctuation become
ASCII; spaces and punctuation removed; 段 folded into 塅, the usual stand-in
for that rare character). It is then scanned left to right for the longest
known name at each position: province, prefecture and county names (skipped),
township names with or without 镇/乡/林场, village names with any of their
suffixes (浒村 / 浒村村 / 浒村村委会; 城南 / 城南社区 / 城南社区居委会), and the
markers 集镇/街上 (the township's seat community) and 县城 (the county seat).
Unknown characters (labels, names, house numbers) are skipped. The first name
found and the one after it decide: a township then a village of it; a village
alone whose name is unique in the county; a township then a seat marker.

:class:`Resolution.method` says how it was resolved (``"township+village"``,
``"village"``, ``"township seat community"``) or why not (``"no village"``,
``"ambiguous"``, ``"not in township"``, ``"other county"``, ``"unknown"``).

Pure: standard library only; the resolver takes plain data. Building it costs
a few milliseconds; resolving an address a few microseconds, and repeated
texts come from an LRU cache.
"""

from __future__ import annotations

import csv
import functools
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from countyhub.routing.geo import haversine_m

__all__ = [
    "RESOLVABLE_STYLES",
    "STYLES",
    "UNRESOLVABLE_STYLES",
    "AddressResolver",
    "Place",
    "Resolution",
    "load_resolver_from_dir",
    "read_places",
    "sample_address",
    "village_forms",
]


@dataclass(frozen=True)
class Place:
    """A village-level service point and the township it belongs to."""

    code: str
    name: str
    township_code: str
    township_name: str


@dataclass(frozen=True)
class Resolution:
    """The outcome of resolving one address.

    ``village_code`` is None when unresolved; then ``reason`` says why in words
    a clerk can act on and ``candidates`` lists the village codes to pick from.
    """

    village_code: str | None
    method: str
    candidates: tuple[str, ...]
    reason: str | None

    @property
    def resolved(self) -> bool:
        return self.village_code is not None


# Suffix families of village-level names: (suffixes stripped to get the short
# name, suffixes an address may add to the short name).
_VILLAGE = (("村民委员会", "村委会"), ("", "村", "村委会", "村委", "村民委员会"))
_COMMUNITY = (
    ("社区居民委员会", "社区居委会", "居民委员会", "居委会", "社区"),
    ("", "社区", "社区居委会", "社区居民委员会", "居委会", "居民委员会"),
)
_LIVING_AREA = (("生活区",), ("", "生活区"))
_TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "林场")
_SEAT_MARKERS = ("集镇", "集镇上", "街上", "集上", "圩上", "镇区")
_COUNTY_SEAT_MARKERS = ("县城", "城区", "城关")
# 塅 is missing from many input methods; people type 段 (大段镇). Folded on
# both sides, so names that really hold 段 (梁段村) still match.
_FOLD = str.maketrans({"段": "塅"})
_DELETE = str.maketrans(
    "", "", " \t\r\n\u3000,.;:!?()[]{}<>'\"`~-_/\\|#*+=、。【】《》“”‘’·…—～"
)
_TAIL_ONLY = re.compile(
    r"^[0-9一二三四五六七八九十百零〇两组号户栋幢单元楼室层附之-]*$"
)
_OTHER_ADMIN = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:省|自治区|市|县|区|旗)")
_NOT_ADMIN = (  # words ending like 区/市 that are no administrative unit
    *("社区", "小区", "园区", "生活区", "城区", "镇区", "景区", "街区"),
    *("超市", "门市", "菜市", "集市", "城市"),
)
_LABELS = ("收件地址", "收货地址", "详细地址", "地址")
_TAIL_STOP = re.compile(r"[0-9组号户栋幢楼室]")
_PLACE_CHARS = frozenset("村区场镇乡会社站")
_SHOW = 6


class _Entry:
    """What one alias text can mean."""

    __slots__ = ("bare", "marker", "prefix", "townships", "villages")

    def __init__(self) -> None:
        self.townships: tuple[str, ...] = ()
        self.villages: tuple[str, ...] = ()
        self.marker: str | None = None
        self.prefix = False
        self.bare = True


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).translate(_DELETE).translate(_FOLD)


def _strip(name: str, suffixes: Iterable[str]) -> str:
    for s in suffixes:
        if s and name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


def village_forms(name: str) -> tuple[str, tuple[str, ...]]:
    """A village's short name and every form an address may use, short first."""
    for strip, add in (_VILLAGE, _COMMUNITY, _LIVING_AREA):
        short = _strip(name, strip)
        if short != name:
            forms = [short + a for a in add]
            if short.startswith("县城"):  # 铜鼓县城郊… is read 铜鼓县 + 城郊…
                forms += [short[1:] + a for a in add]
            if short.endswith("村") and add is _VILLAGE[1]:  # 浒村委会 = 浒村村委会
                forms += [short[:-1] + a for a in add if len(a) > 2]
            return short, tuple(dict.fromkeys([*forms, name]))
    return name, (name,)


def _names(full: Iterable[str], suffixes: Iterable[str]) -> list[str]:
    full = list(full)
    return list(dict.fromkeys([*full, *(_strip(n, suffixes) for n in full)]))


def _is_community(code: str) -> bool:
    tail = code[-3:]
    return tail.isdigit() and int(tail) < 200


def _is_placeholder(place: Place) -> bool:
    return place.code[-3:] in ("498", "598") or "虚拟" in place.name


def _listing(names: Iterable[str]) -> str:
    names = list(names)
    more = "…" if len(names) > _SHOW else ""
    return "、".join(names[:_SHOW]) + more


def _road_follows(s: str, end: int) -> bool:
    """A bare name followed by 路/街/巷/弄/大道 is a street (东风路), not a place."""
    c = s[end : end + 1]
    if c in ("路", "巷", "弄"):
        return True
    if c == "街":
        return not s.startswith("街上", end)
    return s.startswith("大道", end)


class AddressResolver:
    """Resolve addresses to village service points of one county.

    Parameters
    ----------
    townships : iterable of (code, name)
        The county's township-level units (乡, 镇, 街道, forest farms …).
    villages : iterable of Place
        Its village-level units. Statistical placeholders (codes ending 498 or
        598, names with 虚拟) are dropped: they are never targets.
    county_names, province_names, prefecture_names : iterable of str
        Names (full and short) that may open an address; they are skipped.
    county_seat_township : str, optional
        Code of the township that holds the county seat, which ``县城`` means.
    cache_size : int
        Entries of the LRU cache keyed on the address text (default 65,536).
    """

    def __init__(
        self,
        townships: Iterable[tuple[str, str]],
        villages: Iterable[Place],
        *,
        county_names: Iterable[str] = ("铜鼓县", "铜鼓"),
        province_names: Iterable[str] = ("江西省", "江西"),
        prefecture_names: Iterable[str] = ("宜春市", "宜春"),
        county_seat_township: str | None = None,
        cache_size: int = 1 << 16,
    ) -> None:
        self._townships: dict[str, str] = dict(townships)
        self._places: dict[str, Place] = {}
        self._members: dict[str, list[str]] = defaultdict(list)
        for p in villages:
            if not _is_placeholder(p):
                self._places[p.code] = p
                self._members[p.township_code].append(p.code)
                self._townships.setdefault(p.township_code, p.township_name)
        county_names = list(county_names)
        self._county = county_names[0] if county_names else "this county"
        self._seat_township = county_seat_township
        self._short: dict[str, str] = {}
        prefixes = [*province_names, *prefecture_names, *county_names]
        self._aliases: dict[str, _Entry] = {}
        self._add_aliases(prefixes)
        self._first: dict[str, tuple[int, ...]] = {}
        lengths: dict[str, set[int]] = defaultdict(set)
        for alias in self._aliases:
            lengths[alias[0]].add(len(alias))
        for c, ls in lengths.items():
            self._first[c] = tuple(sorted(ls, reverse=True))
        self._cached = functools.lru_cache(maxsize=cache_size)(self._resolve)

    # -- building -----------------------------------------------------------

    def _entry(self, alias: str, *, bare: bool) -> _Entry:
        alias = _normalize(alias)
        e = self._aliases.get(alias)
        if e is None:
            e = self._aliases[alias] = _Entry()
        e.bare = e.bare and bare
        return e

    def _add_aliases(self, prefixes: list[str]) -> None:
        for name in prefixes:
            self._entry(name, bare=False).prefix = True
        for code, name in self._townships.items():
            for alias in self._township_forms(name, prefixes):
                e = self._entry(alias, bare=alias != name)
                e.townships = (*e.townships, code)
        for code, place in self._places.items():
            short, forms = village_forms(place.name)
            self._short[code] = short
            for alias in forms:
                if len(alias) >= 2:
                    e = self._entry(alias, bare=alias in (short, short[1:]))
                    e.villages = (*e.villages, code)
        for marker in _SEAT_MARKERS:
            self._entry(marker, bare=False).marker = "seat"
        seat = (self._seat_township,) if self._seat_township else ()
        for marker in _COUNTY_SEAT_MARKERS:
            e = self._entry(marker, bare=False)
            e.marker, e.townships = "county", seat

    @staticmethod
    def _township_forms(name: str, prefixes: list[str]) -> list[str]:
        forms = [name]
        stripped = True
        while stripped:  # 江西铜鼓工业园区 → 铜鼓工业园区 → 工业园区
            stripped = False
            for p in prefixes:
                if forms[-1].startswith(p) and len(forms[-1]) - len(p) >= 2:
                    forms.append(forms[-1][len(p) :])
                    stripped = True
        forms += [_strip(f, _TOWNSHIP_SUFFIXES) for f in forms]
        forms += [f[:-1] for f in forms if f.endswith("工业园区")]
        return [f for f in dict.fromkeys(forms) if len(f) >= 2]

    # -- public -------------------------------------------------------------

    def resolve(self, address: str) -> Resolution:
        """Resolve one address text (cached on the exact text)."""
        return self._cached(address)

    def ambiguous_names(self) -> dict[str, tuple[str, ...]]:
        """Names that mean more than one place: name → township and village codes."""
        return {
            a: (*e.townships, *e.villages)
            for a, e in self._aliases.items()
            if len(e.townships) + len(e.villages) > 1
        }

    # -- reading ------------------------------------------------------------

    def _scan(self, s: str) -> tuple[list[tuple[int, int, _Entry]], int]:
        """The first two place tokens (start, end, entry) and where the prefix ends."""
        toks: list[tuple[int, int, _Entry]] = []
        i, n, pre_end = 0, len(s), 0
        first, aliases = self._first, self._aliases
        while i < n and len(toks) < 2:
            hit, size = None, 1
            for size in first.get(s[i], ()):
                if i + size <= n:
                    e = aliases.get(s[i : i + size])
                    if e is not None and not (e.bare and _road_follows(s, i + size)):
                        hit = e
                        break
            if hit is None:
                i += 1
                continue
            if not hit.prefix:
                toks.append((i, i + size, hit))
            elif not toks:
                pre_end = i + size
            i += size
        return toks, pre_end

    def _resolve(self, address: str) -> Resolution:
        s = _normalize(address)
        toks, pre_end = self._scan(s)
        other = _other_county(s[pre_end : toks[0][0] if toks else len(s)])
        if other:
            why = f"the address is in {other}, not in {self._county}"
            return Resolution(None, "other county", (), why)
        if not toks:
            why = f"no township or village of {self._county} found in {address!r}"
            return Resolution(None, "unknown", (), why)
        start, end, t0 = toks[0]
        nxt = toks[1] if len(toks) > 1 else None
        if nxt is not None and not (nxt[2].villages or nxt[2].marker):
            nxt = None
        longer = t0.bare and _name_goes_on(s, end)
        if t0.townships and (nxt or not t0.villages or longer):
            return self._in_township(s, t0, end, nxt)
        if not t0.villages:
            why = f"{s[start:end]!r} alone does not say which township; add it"
            return Resolution(None, "unknown", (), why)
        if longer:  # 东风 in 东风岭村: a longer, unknown name
            return self._unknown_name(s[start:], t0.villages)
        if not t0.townships:
            return self._village_only(t0, s[start:end], toks[1:])
        return self._township_or_village(t0, s[start:end])

    def _in_township(
        self, s: str, t0: _Entry, end: int, nxt: tuple[int, int, _Entry] | None
    ) -> Resolution:
        codes = t0.townships
        name = "/".join(self._townships[c] for c in codes)
        if nxt is None:
            if t0.marker == "county":
                return self._seat(codes, name)
            return self._no_village(codes, name, s[end:])
        start, stop, t1 = nxt
        if t1.marker:
            return self._seat(codes, name)
        if t1.bare and _name_goes_on(s, stop):
            return self._no_village(codes, name, s[start:])
        inside = [v for v in t1.villages if self._places[v].township_code in codes]
        if len(inside) == 1:
            return Resolution(inside[0], "township+village", (), None)
        if inside:
            return self._ambiguous(tuple(inside), "in " + name)
        where = "、".join(self._describe(v) for v in t1.villages)
        why = f"{where} is not in {name}; check the township or the village"
        return Resolution(None, "not in township", t1.villages, why)

    def _unknown_name(self, rest: str, near: tuple[str, ...]) -> Resolution:
        names = "、".join(self._describe(v) for v in near)
        why = f"{rest[:12]!r} is not a known village; did you mean {names}?"
        return Resolution(None, "unknown", near, why)

    def _seat(self, codes: tuple[str, ...], name: str) -> Resolution:
        members = [v for c in codes for v in self._members.get(c, ())]
        seats = tuple(v for v in members if _is_community(v))
        if len(seats) == 1:
            return Resolution(seats[0], "township seat community", (), None)
        if not seats:
            return self._no_village(codes, name, "")
        names = _listing(self._places[v].name for v in seats)
        why = f"{name} has {len(seats)} communities at its seat ({names}); name one"
        return Resolution(None, "ambiguous", seats, why)

    def _no_village(self, codes: tuple[str, ...], name: str, rest: str) -> Resolution:
        members = tuple(v for c in codes for v in self._members.get(c, ()))
        if not members:
            why = f"{name} has no delivery service point; name the village"
            return Resolution(None, "no village", (), why)
        has = f"{name} has {len(members)} villages and communities"
        listing = _listing(self._places[v].name for v in members)
        if not rest or _TAIL_ONLY.match(rest):
            why = f"no village named in the address; {has}: {listing}"
            return Resolution(None, "no village", members, why)
        near = tuple(v for v in members if _one_off(rest, self._short[v]))
        names = _listing(self._places[v].name for v in near)
        hint = f"; did you mean {names}?" if near else ""
        why = f"{rest[:12]!r} is not a village of {name}{hint} ({has}: {listing})"
        return Resolution(None, "no village", near or members, why)

    def _village_only(
        self, t0: _Entry, alias: str, rest: list[tuple[int, int, _Entry]]
    ) -> Resolution:
        if len(t0.villages) == 1:
            return Resolution(t0.villages[0], "village", (), None)
        t1 = rest[0][2] if rest else None
        if t1 is not None and t1.townships:  # township written after the village
            inside = [
                v for v in t0.villages if self._places[v].township_code in t1.townships
            ]
            if len(inside) == 1:
                return Resolution(inside[0], "township+village", (), None)
        return self._ambiguous(t0.villages, repr(alias))

    def _township_or_village(self, t0: _Entry, alias: str) -> Resolution:
        towns = "/".join(self._townships[c] for c in t0.townships)
        seats = [
            v
            for c in t0.townships
            for v in self._members.get(c, ())
            if _is_community(v)
        ]
        villages = "、".join(self._describe(v) for v in t0.villages)
        why = (
            f"{alias!r} may be the township {towns} or the village {villages}; "
            "write the village in full, or the township and its village"
        )
        return Resolution(None, "ambiguous", (*t0.villages, *seats), why)

    def _ambiguous(self, codes: tuple[str, ...], what: str) -> Resolution:
        names = "、".join(self._describe(v) for v in codes)
        why = f"{what} names {len(codes)} villages: {names}; add the township"
        return Resolution(None, "ambiguous", codes, why)

    def _describe(self, code: str) -> str:
        p = self._places[code]
        return f"{p.name} ({p.township_name})"


def _other_county(pre: str) -> str | None:
    """Another province/prefecture/county named before any known place, if any."""
    if not pre:
        return None
    for label in _LABELS:
        pre = pre.replace(label, "")
    found = [m for m in _OTHER_ADMIN.findall(pre) if not m.endswith(_NOT_ADMIN)]
    return "".join(found) or None


def _name_goes_on(s: str, end: int) -> bool:
    """A place word (村, 区, 场 …) follows before any 组/号 or digit."""
    seg = s[end : end + 10]
    m = _TAIL_STOP.search(seg)
    return not _PLACE_CHARS.isdisjoint(seg[: m.start()] if m else seg)


def _one_off(text: str, short: str) -> bool:
    """text starts with short, or with short but for one character (a typo)."""
    head = text[: len(short)]
    if len(head) != len(short):
        return False
    return sum(a != b for a, b in zip(head, short, strict=True)) <= 1


# -- loading ----------------------------------------------------------------


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def read_places(path: str | Path) -> list[Place]:
    """The service-point villages of a county directory (package CSV format).

    Reads ``townships.csv`` and ``villages.csv`` (see the README of
    ``countyhub/platform/data/tonggu``) and keeps the rows with
    ``service_point=1``, in file order.
    """
    path = Path(path)
    towns = {t["code"]: t["name"] for t in _read_csv(path / "townships.csv")}
    return [
        Place(v["code"], v["name"], v["township_code"], towns[v["township_code"]])
        for v in _read_csv(path / "villages.csv")
        if v["service_point"] == "1"
    ]


@dataclass(frozen=True, slots=True)
class CountyNames:
    """A county's own names and where its seat is (WGS84), for a resolver."""

    name: str
    province: str
    prefecture: str
    seat_lon: float | None = None
    seat_lat: float | None = None


def make_resolver(
    county: CountyNames,
    townships: Iterable[tuple[str, str, float | None, float | None]],
    places: Iterable[Place],
) -> AddressResolver:
    """Build the resolver of one county.

    ``townships`` are ``(code, name, lon, lat)``.  County, province and prefecture
    names are accepted full and without 县/市/省 …; the county-seat township (what
    ``县城`` means) is the one whose seat is nearest the county seat.
    """
    towns = list(townships)
    located = [t for t in towns if t[2] is not None and t[3] is not None]
    seat = None
    if located and county.seat_lon is not None and county.seat_lat is not None:
        here = county.seat_lon, county.seat_lat
        seat = min(located, key=lambda t: haversine_m(*here, t[2], t[3]))[0]  # type: ignore[arg-type]
    return AddressResolver(
        ((t[0], t[1]) for t in towns),
        places,
        county_names=_names([county.name], ("自治县", "县", "市", "区", "旗")),
        province_names=_names([county.province], ("自治区", "省", "市")),
        prefecture_names=_names([county.prefecture], ("自治州", "地区", "市", "盟")),
        county_seat_township=seat,
    )


def load_resolver_from_dir(path: str | Path) -> AddressResolver:
    """Build the resolver of the county in ``path`` (package CSV format)."""
    path = Path(path)
    row = _read_csv(path / "county.csv")[0]
    county = CountyNames(
        row["name"],
        row["province"],
        row["prefecture"],
        _float(row["seat_lon"]),
        _float(row["seat_lat"]),
    )
    towns = [
        (t["code"], t["name"], _float(t["lon"]), _float(t["lat"]))
        for t in _read_csv(path / "townships.csv")
    ]
    return make_resolver(county, towns, read_places(path))


def _float(text: str | None) -> float | None:
    return float(text) if text else None


# -- demo addresses -----------------------------------------------------------

RESOLVABLE_STYLES = ("full", "county", "township", "short", "village", "messy", "seat")
UNRESOLVABLE_STYLES = ("township_only", "typo", "other_county")
STYLES = (*RESOLVABLE_STYLES, *UNRESOLVABLE_STYLES, "mixed", "bare", "unresolvable")
_STYLE_WEIGHTS = (15, 20, 25, 15, 10, 10, 5)
_NUMERALS = "一二三四五六七八九十"
_FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")
_HOMOPHONES = dict(
    zip(
        "浒塅溪坪山源田桥湖坑洲港峰庄星丰水南北东西林场农",
        "许断汐平杉原甜乔胡炕州岗锋桩兴封税难被冬希临厂浓",
        strict=True,
    )
)
_OTHER_COUNTIES = (  # Tonggu's neighbours, with one real town each
    ("江西省宜春市", "万载县", "株潭镇"),
    ("江西省宜春市", "宜丰县", "天宝乡"),
    ("江西省九江市", "修水县", "黄沙镇"),
    ("湖南省长沙市", "浏阳市", "大围山镇"),
    ("湖南省岳阳市", "平江县", "长寿镇"),
)


def sample_address(
    rng: random.Random,
    place: Place,
    *,
    style: str = "mixed",
    prefix: tuple[str, str, str] = ("江西省", "宜春市", "铜鼓县"),
    unresolvable_rate: float = 0.03,
) -> str:
    """A realistic delivery address of ``place`` for demo data.

    Styles that resolve to the place: ``full`` (江西省宜春市铜鼓县大塅镇浒村村委会3组),
    ``county`` (铜鼓县大塅镇浒村村), ``township`` (大塅镇浒村), ``short`` (大塅浒村),
    ``village`` (浒村村委会; ambiguous for names shared with a township),
    ``messy`` (random prefix parts, separators, full-width digits) and ``seat``
    (大塅镇集镇, for a township's only community; otherwise as ``township``).
    Styles that must not resolve: ``township_only``, ``typo`` (a homophone in
    the village name), ``other_county`` (a neighbouring county). ``mixed``
    draws an unresolvable style with probability ``unresolvable_rate``, a
    resolvable one otherwise. ``bare`` is another name for ``village``, and
    ``unresolvable`` draws one of the unresolvable styles.
    """
    if style == "bare":
        style = "village"
    elif style == "unresolvable":
        style = rng.choice(UNRESOLVABLE_STYLES)
    elif style == "mixed":
        if rng.random() < unresolvable_rate:
            style = rng.choice(UNRESOLVABLE_STYLES)
        else:
            style = rng.choices(RESOLVABLE_STYLES, weights=_STYLE_WEIGHTS)[0]
    short, forms = village_forms(place.name)
    town = place.township_name
    town_short = _strip(town, _TOWNSHIP_SUFFIXES)
    tail = _tail(rng)
    province, prefecture, county = prefix
    if style == "full":
        return f"{province}{prefecture}{county}{town}{place.name}{tail}"
    if style == "county":
        return f"{county}{town}{rng.choice(forms)}{tail}"
    if style == "township":
        return f"{town}{rng.choice(forms)}{tail}"
    if style == "short":
        return f"{town_short}{rng.choice(forms)}{tail}"
    if style == "village":
        return f"{rng.choice(forms)}{tail}"
    if style == "messy":
        return _messy(
            rng, prefix, rng.choice((town, town_short)), rng.choice(forms), tail
        )
    if style == "seat":
        if "集镇" not in place.name:
            return f"{town}{rng.choice(forms)}{tail}"
        return f"{county}{town}{rng.choice(('集镇', '街上'))}{tail}"
    if style == "township_only":
        return f"{county}{town}{tail}"
    suffix = forms[1][len(short) :] if len(forms) > 1 else ""
    if "集镇" in short:  # keep 集镇 out: after a township it names the seat
        short, suffix = short.replace("集镇", ""), "居委会"
    if style == "typo":
        return f"{town}{_typo(rng, short)}{suffix}{tail}"
    if style == "other_county":
        where, other, other_town = rng.choice(_OTHER_COUNTIES)
        return f"{where}{other}{other_town}{short}村{tail}"
    raise ValueError(f"unknown address style {style!r}; one of {', '.join(STYLES)}")


def _tail(rng: random.Random) -> str:
    group, number = rng.randint(1, 12), rng.randint(1, 60)
    numeral = _NUMERALS[group - 1] if group <= 10 else f"十{_NUMERALS[group - 11]}"
    return rng.choice(
        (
            "",
            f"{numeral}组",
            f"{group}组{number}号",
            f"{numeral}组{number}号",
            f"{number}号",
        )
    )


def _messy(
    rng: random.Random, prefix: tuple[str, ...], town: str, village: str, tail: str
) -> str:
    parts = [p if rng.random() < 0.5 else p[:2] for p in prefix if rng.random() < 0.5]
    parts += [town, village]
    if tail:
        parts.append(tail.translate(_FULL_WIDTH) if rng.random() < 0.5 else tail)
    seps = ("", " ", "，", ",", "　", "、", " - ")
    text = "".join(p + rng.choice(seps) for p in parts).strip()
    return ("地址：" + text) if rng.random() < 0.2 else text


def _typo(rng: random.Random, short: str) -> str:
    spots = [i for i, c in enumerate(short) if c in _HOMOPHONES]
    if not spots:
        return short[1:]
    i = rng.choice(spots)
    return short[:i] + _HOMOPHONES[short[i]] + short[i + 1 :]
