"""The address resolver itself: what the names found in an address mean.

Private; import :class:`AddressResolver`, :class:`Place` and :class:`Resolution`
from :mod:`countyhub.platform.county.addresses`, whose docstring says how an address is
read. Finding the names is :class:`~countyhub.platform.county.names.NameIndex`'s
part; this module decides what the first two mean, and says why when it cannot.

Pure: standard library only.
"""

from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from countyhub.platform.county.names import (
    TAIL_ONLY,
    NameIndex,
    Token,
    name_goes_on,
    normalize,
    one_off,
    other_county,
)

__all__ = ["AddressResolver", "Place", "Resolution"]

_SHOW = 6


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
        Entries of each LRU cache, on the address text and on its stem
        (default 65,536).
    tail_cache : bool
        Also cache a resolved address on its stem: the normalised text without
        its trailing 组/号/户 numbers (default True). Names are found, and a
        resolution decided, only from the text before such a tail; the tail
        only shows in the reasons of unresolved addresses, which are therefore
        never taken from this cache. Characters that end a name of the county
        (五一村) are not taken for tail.
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
        tail_cache: bool = True,
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
        self._index = NameIndex(
            self._townships,
            ((c, p.name) for c, p in self._places.items()),
            [*province_names, *prefecture_names, *county_names],
            county_seat_township,
        )
        cache = functools.lru_cache(maxsize=cache_size)
        self._by_stem = cache(self._read_stem) if tail_cache else None
        self._cached = cache(self._resolve)

    # -- public -------------------------------------------------------------

    def resolve(self, address: str) -> Resolution:
        """Resolve one address text (cached on the exact text and on its stem)."""
        return self._cached(address)

    def ambiguous_names(self) -> dict[str, tuple[str, ...]]:
        """Names that mean more than one place: name → township and village codes."""
        return self._index.ambiguous()

    # -- reading ------------------------------------------------------------

    def _resolve(self, address: str) -> Resolution:
        s = normalize(address)
        if self._by_stem is not None:
            known = self._by_stem(self._index.stem(s))
            if known is not None:
                return known
        return self._read(address, s)

    def _read_stem(self, stem: str) -> Resolution | None:
        """The resolution of a stem if it resolves: that of every text with it.

        Why: see ``TAIL_CHARS`` in ``_address_names``; tested against full readings
        in ``tests/platform/test_address_tails.py``.
        """
        found = self._read(stem, stem)
        return found if found.resolved else None

    def _read(self, address: str, s: str) -> Resolution:
        """Resolve ``address``, normalised to ``s``."""
        toks, pre_end = self._index.scan(s)
        other = other_county(s[pre_end : toks[0][0] if toks else len(s)])
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
        longer = t0.bare and name_goes_on(s, end)
        if t0.townships and (nxt or not t0.villages or longer):
            return self._in_township(s, t0.townships, t0.marker, end, nxt)
        if not t0.villages:
            why = f"{s[start:end]!r} alone does not say which township; add it"
            return Resolution(None, "unknown", (), why)
        if longer:  # 东风 in 东风岭村: a longer, unknown name
            return self._unknown_name(s[start:], t0.villages)
        if not t0.townships:
            return self._village_only(t0.villages, s[start:end], toks[1:])
        return self._township_or_village(t0.townships, t0.villages, s[start:end])

    # -- explaining ---------------------------------------------------------

    def _in_township(
        self,
        s: str,
        codes: tuple[str, ...],
        marker: str | None,
        end: int,
        nxt: Token | None,
    ) -> Resolution:
        name = "/".join(self._townships[c] for c in codes)
        if nxt is None:
            if marker == "county":
                return self._seat(codes, name)
            return self._no_village(codes, name, s[end:])
        start, stop, t1 = nxt
        if t1.marker:
            return self._seat(codes, name)
        if t1.bare and name_goes_on(s, stop):
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
        seats = tuple(v for v in self._members_of(codes) if _is_community(v))
        if len(seats) == 1:
            return Resolution(seats[0], "township seat community", (), None)
        if not seats:
            return self._no_village(codes, name, "")
        names = _listing(self._places[v].name for v in seats)
        why = f"{name} has {len(seats)} communities at its seat ({names}); name one"
        return Resolution(None, "ambiguous", seats, why)

    def _no_village(self, codes: tuple[str, ...], name: str, rest: str) -> Resolution:
        members = self._members_of(codes)
        if not members:
            why = f"{name} has no delivery service point; name the village"
            return Resolution(None, "no village", (), why)
        has = f"{name} has {len(members)} villages and communities"
        listing = _listing(self._places[v].name for v in members)
        if not rest or TAIL_ONLY.match(rest):
            why = f"no village named in the address; {has}: {listing}"
            return Resolution(None, "no village", members, why)
        near = tuple(v for v in members if one_off(rest, self._index.short[v]))
        names = _listing(self._places[v].name for v in near)
        hint = f"; did you mean {names}?" if near else ""
        why = f"{rest[:12]!r} is not a village of {name}{hint} ({has}: {listing})"
        return Resolution(None, "no village", near or members, why)

    def _village_only(
        self, villages: tuple[str, ...], alias: str, rest: list[Token]
    ) -> Resolution:
        if len(villages) == 1:
            return Resolution(villages[0], "village", (), None)
        towns = rest[0][2].townships if rest else ()
        if towns:  # township written after the village
            inside = [v for v in villages if self._places[v].township_code in towns]
            if len(inside) == 1:
                return Resolution(inside[0], "township+village", (), None)
        return self._ambiguous(villages, repr(alias))

    def _township_or_village(
        self, codes: tuple[str, ...], villages: tuple[str, ...], alias: str
    ) -> Resolution:
        towns = "/".join(self._townships[c] for c in codes)
        seats = [v for v in self._members_of(codes) if _is_community(v)]
        names = "、".join(self._describe(v) for v in villages)
        why = (
            f"{alias!r} may be the township {towns} or the village {names}; "
            "write the village in full, or the township and its village"
        )
        return Resolution(None, "ambiguous", (*villages, *seats), why)

    def _ambiguous(self, codes: tuple[str, ...], what: str) -> Resolution:
        names = "、".join(self._describe(v) for v in codes)
        why = f"{what} names {len(codes)} villages: {names}; add the township"
        return Resolution(None, "ambiguous", codes, why)

    def _members_of(self, codes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(v for c in codes for v in self._members.get(c, ()))

    def _describe(self, code: str) -> str:
        p = self._places[code]
        return f"{p.name} ({p.township_name})"


def _is_community(code: str) -> bool:
    tail = code[-3:]
    return tail.isdigit() and int(tail) < 200


def _is_placeholder(place: Place) -> bool:
    return place.code[-3:] in ("498", "598") or "虚拟" in place.name


def _listing(names: Iterable[str]) -> str:
    names = list(names)
    more = "…" if len(names) > _SHOW else ""
    return "、".join(names[:_SHOW]) + more
