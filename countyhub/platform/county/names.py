"""The names of a county's places, and how they are found in an address text.

Private to :mod:`countyhub.platform.county.addresses`. This module holds the name tables
(suffix families, seat markers, what a normalised text keeps) and
:class:`NameIndex`: every text that may name a place of one county (its
*aliases*) and a left-to-right scanner for them. Deciding what the names found
mean is the resolver's business.

Pure: standard library only.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable

# Suffix families of village-level names: (suffixes stripped to get the short
# name, suffixes an address may add to the short name).
VILLAGE = (("村民委员会", "村委会"), ("", "村", "村委会", "村委", "村民委员会"))
COMMUNITY = (
    ("社区居民委员会", "社区居委会", "居民委员会", "居委会", "社区"),
    ("", "社区", "社区居委会", "社区居民委员会", "居委会", "居民委员会"),
)
LIVING_AREA = (("生活区",), ("", "生活区"))
TOWNSHIP_SUFFIXES = ("镇", "乡", "街道", "林场")
SEAT_MARKERS = ("集镇", "集镇上", "街上", "集上", "圩上", "镇区")
COUNTY_SEAT_MARKERS = ("县城", "城区", "城关")
# Characters a normalised text drops (spaces, ASCII and CJK punctuation).
DELETED = " \t\r\n\u3000,.;:!?()[]{}<>'\"`~-_/\\|#*+=、。【】《》“”‘’·…—～"
# One regex pass deletes them: the same result as str.translate, three times faster.
_DELETE = re.compile(f"[{re.escape(DELETED)}]+")
TAIL_ONLY = re.compile(r"^[0-9一二三四五六七八九十百零〇两组号户栋幢单元楼室层附之-]*$")
# What a tail (三组12号) is made of. None of these is a road word (路巷弄街大道上),
# a place word (PLACE_CHARS) or ends an administrative name (省区市县旗), so
# removing a run of them from the end never changes which names are found.
TAIL_CHARS = "0123456789零〇一二三四五六七八九十百两组号户"
_OTHER_ADMIN = re.compile(r"[\u4e00-\u9fff]{2,4}?(?:省|自治区|市|县|区|旗)")
_NOT_ADMIN = (  # words ending like 区/市 that are no administrative unit
    *("社区", "小区", "园区", "生活区", "城区", "镇区", "景区", "街区"),
    *("超市", "门市", "菜市", "集市", "城市"),
)
_LABELS = ("收件地址", "收货地址", "详细地址", "地址")
_TAIL_STOP = re.compile(r"[0-9组号户栋幢楼室]")
PLACE_CHARS = frozenset("村区场镇乡会社站")


def normalize(text: str) -> str:
    """NFKC, punctuation and spaces removed, 段 folded into 塅.

    塅 is missing from many input methods; people type 段 (大段镇). Folded on
    both sides, so names that really hold 段 (梁段村) still match.
    """
    s = _DELETE.sub("", unicodedata.normalize("NFKC", text))
    return s.replace("段", "塅") if "段" in s else s


def strip_suffix(name: str, suffixes: Iterable[str]) -> str:
    """``name`` without the first of ``suffixes`` it ends with, if 2 chars remain."""
    for s in suffixes:
        if s and name.endswith(s) and len(name) - len(s) >= 2:
            return name[: -len(s)]
    return name


def village_forms(name: str) -> tuple[str, tuple[str, ...]]:
    """A village's short name and every form an address may use, short first."""
    for strip, add in (VILLAGE, COMMUNITY, LIVING_AREA):
        short = strip_suffix(name, strip)
        if short != name:
            forms = [short + a for a in add]
            if short.startswith("县城"):  # 铜鼓县城郊… is read 铜鼓县 + 城郊…
                forms += [short[1:] + a for a in add]
            if short.endswith("村") and add is VILLAGE[1]:  # 浒村委会 = 浒村村委会
                forms += [short[:-1] + a for a in add if len(a) > 2]
            return short, tuple(dict.fromkeys([*forms, name]))
    return name, (name,)


def full_and_short(full: Iterable[str], suffixes: Iterable[str]) -> list[str]:
    """The names given and each without its suffix, without repeats."""
    full = list(full)
    return list(dict.fromkeys([*full, *(strip_suffix(n, suffixes) for n in full)]))


def road_follows(s: str, end: int) -> bool:
    """A bare name followed by 路/街/巷/弄/大道 is a street (东风路), not a place."""
    c = s[end : end + 1]
    if c in ("路", "巷", "弄"):
        return True
    if c == "街":
        return not s.startswith("街上", end)
    return s.startswith("大道", end)


def name_goes_on(s: str, end: int) -> bool:
    """A place word (村, 区, 场 …) follows before any 组/号 or digit."""
    seg = s[end : end + 10]
    m = _TAIL_STOP.search(seg)
    return not PLACE_CHARS.isdisjoint(seg[: m.start()] if m else seg)


def one_off(text: str, short: str) -> bool:
    """text starts with short, or with short but for one character (a typo)."""
    head = text[: len(short)]
    if len(head) != len(short):
        return False
    return sum(a != b for a, b in zip(head, short, strict=True)) <= 1


def other_county(pre: str) -> str | None:
    """Another province/prefecture/county named before any known place, if any."""
    if not pre:
        return None
    for label in _LABELS:
        pre = pre.replace(label, "")
    found = [m for m in _OTHER_ADMIN.findall(pre) if not m.endswith(_NOT_ADMIN)]
    return "".join(found) or None


class Entry:
    """What one alias text can mean."""

    __slots__ = ("bare", "marker", "prefix", "townships", "villages")

    def __init__(self) -> None:
        self.townships: tuple[str, ...] = ()
        self.villages: tuple[str, ...] = ()
        self.marker: str | None = None
        self.prefix = False
        self.bare = True


Token = tuple[int, int, Entry]  # start, end, what the text there means


class NameIndex:
    """Every alias of one county's places, and a scanner that finds them.

    ``townships`` maps code → name, ``villages`` are (code, name) pairs,
    ``prefixes`` the province/prefecture/county names that may open an address
    and ``seat`` the code of the township that ``县城`` means.
    """

    def __init__(
        self,
        townships: dict[str, str],
        villages: Iterable[tuple[str, str]],
        prefixes: list[str],
        seat: str | None,
    ) -> None:
        self.aliases: dict[str, Entry] = {}
        self.short: dict[str, str] = {}  # village code → short name
        for name in prefixes:
            self._entry(name, bare=False).prefix = True
        self._add_townships(townships, prefixes)
        self._add_villages(villages)
        self._add_markers(seat)
        lengths: dict[str, set[int]] = defaultdict(set)
        for alias in self.aliases:
            lengths[alias[0]].add(len(alias))
        self._first = {c: tuple(sorted(ls, reverse=True)) for c, ls in lengths.items()}
        # A tail character that ends an alias (五一村 → 五一) could be part of a
        # name; this county's tails are made of the others only.
        ends = {alias[-1] for alias in self.aliases}
        self.tail_chars = "".join(c for c in TAIL_CHARS if c not in ends)

    def _entry(self, alias: str, *, bare: bool) -> Entry:
        alias = normalize(alias)
        e = self.aliases.get(alias)
        if e is None:
            e = self.aliases[alias] = Entry()
        e.bare = e.bare and bare
        return e

    def _add_townships(self, townships: dict[str, str], prefixes: list[str]) -> None:
        for code, name in townships.items():
            for alias in _township_forms(name, prefixes):
                e = self._entry(alias, bare=alias != name)
                e.townships = (*e.townships, code)

    def _add_villages(self, villages: Iterable[tuple[str, str]]) -> None:
        for code, name in villages:
            short, forms = village_forms(name)
            self.short[code] = short
            for alias in forms:
                if len(alias) >= 2:
                    e = self._entry(alias, bare=alias in (short, short[1:]))
                    e.villages = (*e.villages, code)

    def _add_markers(self, seat: str | None) -> None:
        for marker in SEAT_MARKERS:
            self._entry(marker, bare=False).marker = "seat"
        seats = (seat,) if seat else ()
        for marker in COUNTY_SEAT_MARKERS:
            e = self._entry(marker, bare=False)
            e.marker, e.townships = "county", seats

    def ambiguous(self) -> dict[str, tuple[str, ...]]:
        """Aliases that mean more than one place: alias → township and village codes."""
        return {
            a: (*e.townships, *e.villages)
            for a, e in self.aliases.items()
            if len(e.townships) + len(e.villages) > 1
        }

    def stem(self, s: str) -> str:
        """A normalised text without its tail (三组12号), which names no place."""
        return s.rstrip(self.tail_chars)

    def scan(self, s: str) -> tuple[list[Token], int]:
        """The first two place tokens of ``s`` and where its prefix ends."""
        toks: list[Token] = []
        i, n, pre_end = 0, len(s), 0
        first, aliases = self._first, self.aliases
        while i < n and len(toks) < 2:
            hit, size = None, 1
            for size in first.get(s[i], ()):
                if i + size <= n:
                    e = aliases.get(s[i : i + size])
                    if e is not None and not (e.bare and road_follows(s, i + size)):
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


def _township_forms(name: str, prefixes: list[str]) -> list[str]:
    forms = [name]
    stripped = True
    while stripped:  # 江西铜鼓工业园区 → 铜鼓工业园区 → 工业园区
        stripped = False
        for p in prefixes:
            if forms[-1].startswith(p) and len(forms[-1]) - len(p) >= 2:
                forms.append(forms[-1][len(p) :])
                stripped = True
    forms += [strip_suffix(f, TOWNSHIP_SUFFIXES) for f in forms]
    forms += [f[:-1] for f in forms if f.endswith("工业园区")]
    return [f for f in dict.fromkeys(forms) if len(f) >= 2]
