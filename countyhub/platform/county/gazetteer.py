"""The county: its gazetteer (townships, villages, service points) and its couriers.

A county is loaded from a directory of CSV files (``county.csv``, ``townships.csv``,
``villages.csv``; the format is documented in ``countyhub/platform/data/tonggu/
README.md``).  The default county, 铜鼓县, ships inside the package.  Loading is an
upsert by statistical code, so it can be run again after the files change; a
service point's surveyed coordinates are never overwritten by approximate ones,
and an empty ``poverty`` cell leaves a village's flag as an admin set it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.couriers import COURIERS
from countyhub.platform.accounts.audit import Action, record
from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.county.addresses import CountyNames, make_resolver
from countyhub.platform.county.files import read_county_files
from countyhub.platform.county.resolver import Place
from countyhub.platform.errors import NoCounty
from countyhub.platform.models import (
    County,
    Courier,
    ServicePoint,
    Township,
    User,
    Village,
)

DEFAULT_COUNTY_DIR = "tonggu"


def default_county_dir() -> Path:
    """The folder of the default county's data files inside the package."""
    return Path(
        str(resources.files("countyhub.platform") / "data" / DEFAULT_COUNTY_DIR)
    )


@dataclass(frozen=True, slots=True)
class LoadSummary:
    county: str
    townships: int
    villages: int
    service_points: int
    approximate_points: int


def load_county(
    session: Session, actor: User | None, folder: Path | None = None
) -> LoadSummary:
    """Load (or update) a county from ``folder`` (default: the default county's,
    :func:`default_county_dir`).  Raises InvalidInput (every problem of the
    files, before anything is written: see :mod:`.files`), Forbidden."""
    if actor is not None:
        require(actor, Permission.ADMINISTER, "only an admin loads a county")
    folder = default_county_dir() if folder is None else folder
    files = read_county_files(folder)  # everything checked before any write
    before = _counts(session)
    county = _upsert_county(session, files.county)
    townships = {
        row["code"]: _upsert_township(session, county, row) for row in files.townships
    }
    points = approx = 0
    for row in files.villages:
        village = _upsert_village(session, townships[row["township_code"]], row)
        if row["poverty"]:
            village.poverty = row["poverty"] == "1"
        if row["service_point"] == "1":
            point = _upsert_point(session, village, row)
            points += 1
            approx += point.coord_approximate
    session.flush()
    after = _counts(session)
    counts = {name: [before[name], after[name]] for name in after}
    record(session, actor, Action.COUNTY_LOAD, "county", county.code, counts)
    return LoadSummary(county.name, len(townships), len(files.villages), points, approx)


def _counts(session: Session) -> dict[str, int]:
    """How many townships, villages and service points there are (the audit
    trail records a load by these, before and after)."""
    tables = {
        "townships": Township,
        "villages": Village,
        "service_points": ServicePoint,
    }
    count = select(func.count())
    return {k: session.scalar(count.select_from(t)) or 0 for k, t in tables.items()}


def _float(value: str | None) -> float | None:
    return float(value) if value else None


def _upsert_county(session: Session, row: dict[str, str]) -> County:
    county = session.scalar(select(County).where(County.code == row["code"]))
    if county is None:
        county = County(code=row["code"])
        session.add(county)
    county.name, county.province = row["name"], row["province"]
    county.prefecture = row["prefecture"]
    county.seat_lon, county.seat_lat = (
        _float(row["seat_lon"]),
        _float(row["seat_lat"]),
    )
    return county


def _upsert_township(session: Session, county: County, row: dict[str, str]) -> Township:
    township = session.scalar(select(Township).where(Township.code == row["code"]))
    if township is None:
        township = Township(code=row["code"], county=county)
        session.add(township)
    township.name, township.kind = row["name"], row["kind"] or "town"
    township.lon, township.lat = _float(row["lon"]), _float(row["lat"])
    return township


def _upsert_village(
    session: Session, township: Township, row: dict[str, str]
) -> Village:
    village = session.scalar(select(Village).where(Village.code == row["code"]))
    if village is None:
        village = Village(code=row["code"], township=township)
        session.add(village)
    village.township, village.name = township, row["name"]
    village.kind = row["kind"] or "village"
    return village


def _upsert_point(
    session: Session, village: Village, row: dict[str, str]
) -> ServicePoint:
    point = session.scalar(select(ServicePoint).where(ServicePoint.code == row["code"]))
    if point is None:
        point = ServicePoint(
            code=row["code"],
            village=village,
            active=True,
            cadence_days=2,
            operator_name="",
            operator_phone="",
        )
        session.add(point)
    point.name = point_name(village.name)
    surveyed = point.lon is not None and not point.coord_approximate
    if not surveyed:
        point.lon, point.lat = _float(row["lon"]), _float(row["lat"])
        point.coord_approximate = row["approximate"] != "0"  # only 0 says surveyed
        point.coord_source = row["coord_source"]
    return point


# Village-unit suffixes that a service point's name drops: 永庆村委会 -> 永庆村服务点.
_UNIT_SUFFIXES = (
    ("村委会", "村"),
    ("社区居委会", "社区"),
    ("居民委员会", ""),
    ("居委会", ""),
)


def point_name(village_name: str) -> str:
    """The name of a village's service point (村级服务点)."""
    for suffix, keep in _UNIT_SUFFIXES:
        if village_name.endswith(suffix):
            return village_name[: -len(suffix)] + keep + "服务点"
    return village_name + "服务点"


def sync_couriers(session: Session) -> int:
    """Make the courier table hold every courier of the registry; returns how many."""
    known = {c.code: c for c in session.scalars(select(Courier))}
    for courier in COURIERS:
        row = known.get(courier.code) or Courier(code=courier.code)
        row.name = courier.name
        session.add(row)
    session.flush()
    return len(COURIERS)


def require_county(session: Session) -> County:
    """The county loaded (the first, should there be several).  Raises NoCounty."""
    county = session.scalar(select(County).order_by(County.id).limit(1))
    if county is None:
        raise NoCounty()
    return county


@dataclass(frozen=True, slots=True)
class Located:
    """Where an address leads: its village and service point, or why not."""

    village_id: int | None
    point_id: int | None
    reason: str
    note: str


# A village's row as the gazetteer reads it: (village id, code, name, township
# code, township name, point id, point code).
VillageRow = tuple[int, str, str, str, str, int | None, str | None]
TownRow = tuple[str, str, float | None, float | None]  # code, name, lon, lat


class Gazetteer:
    """The county's places in memory, for resolving many addresses fast.

    Built from rows only (:func:`load_gazetteer` reads them), so one built
    gazetteer serves every request that reads the same rows.
    """

    def __init__(
        self, names: CountyNames, towns: Sequence[TownRow], rows: Sequence[VillageRow]
    ) -> None:
        self.resolver = make_resolver(
            names, towns, [Place(r[1], r[2], r[3], r[4]) for r in rows]
        )
        self.villages = {r[1]: (r[0], r[5]) for r in rows}
        self.points_by_code = {r[6]: r[5] for r in rows if r[6] is not None}
        self.village_names = {r[1]: r[2] for r in rows}

    def resolve(self, address: str) -> Located:
        """The village and service point of a free-text address."""
        found = self.resolver.resolve(address)
        if found.village_code is None:
            return Located(
                None,
                None,
                found.reason or "the address names no village",
                found.reason or "",
            )
        village_id, point_id = self.villages[found.village_code]
        if point_id is None:
            name = self.village_names[found.village_code]
            return Located(
                village_id, None, f"{name} has no service point", found.method
            )
        return Located(village_id, point_id, "", found.method)


def load_gazetteer(session: Session) -> Gazetteer:
    """The county's places, read once for a run of address resolutions.  Raises
    NoCounty.

    Building the resolver costs milliseconds (as much as a registration's own
    work), so a gazetteer is kept under the county's revision, which every change
    to the county, its townships, villages or points replaces
    (:attr:`County.revision`): one small query finds it, and no change can be
    answered from an older county.
    """
    county = require_county(session)
    key = (county.code, county.revision)
    built = _BUILT.get(key)
    if built is None:
        built = _build(session, county)
        _BUILT[key] = built
        while len(_BUILT) > _KEPT:
            _BUILT.pop(next(iter(_BUILT)))
    return built


_BUILT: dict[tuple[str, str], Gazetteer] = {}  # by county code and revision
_KEPT = 4


def _build(session: Session, county: County) -> Gazetteer:
    names = CountyNames(
        county.name,
        county.province,
        county.prefecture,
        county.seat_lon,
        county.seat_lat,
    )
    towns = [
        (t[0], t[1], t[2], t[3])
        for t in session.execute(
            select(Township.code, Township.name, Township.lon, Township.lat)
        )
    ]
    rows = [
        (r[0], r[1], r[2], r[3], r[4], r[5], r[6])
        for r in session.execute(
            select(
                Village.id,
                Village.code,
                Village.name,
                Township.code,
                Township.name,
                ServicePoint.id,
                ServicePoint.code,
            )
            .join(Township, Village.township_id == Township.id)
            .outerjoin(ServicePoint, ServicePoint.village_id == Village.id)
        )
    ]
    return Gazetteer(names, towns, rows)
