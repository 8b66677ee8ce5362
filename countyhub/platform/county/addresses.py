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
a few milliseconds; resolving an address a few microseconds. Repeated texts
come from an LRU cache, and so do texts that differ only in their tail
(``三组12号``): the tail never changes a resolution (see ``AddressResolver``).

This module is the public face: it re-exports the resolver (which lives in
``_address_resolver``, with the name index in ``_address_names``) and builds
one county's resolver from its data. Demo addresses: ``demo_addresses``.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from countyhub.platform.county.names import full_and_short
from countyhub.platform.county.resolver import AddressResolver, Place
from countyhub.routing.geo import haversine_m

# -- building a county's resolver from its data -------------------------------


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
        county_names=full_and_short([county.name], ("自治县", "县", "市", "区", "旗")),
        province_names=full_and_short([county.province], ("自治区", "省", "市")),
        prefecture_names=full_and_short(
            [county.prefecture], ("自治州", "地区", "市", "盟")
        ),
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
