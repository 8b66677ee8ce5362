"""bench.load's fixture: API keys, and the parcels the mix scans and hands over.

Everything goes through the platform's own services (the registrar, the scans),
as ``countyhub demo --no-serve`` does, on the database ``bench.intake.prepared_
engine`` has made (county, depots, users).  The pools are sized for the run, with
a margin: the centre scans parcels that are ``registered``; each point operator
hands over parcels ``arrived`` at its point, whose pickup codes are read here (a
villager has them by SMS; the API never shows them).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.accounts.roles import Role
from countyhub.platform.county.resolver import Place
from countyhub.platform.demo.addresses import sample_address
from countyhub.platform.demo.parcels import point_places, waybill_for
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import ParcelInput, Result
from countyhub.platform.models import Depot, Parcel, ServicePoint, User, Village
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status

# The mix: request kind -> share (percent of all requests).
MIX = {
    "register": 20,
    "register batch": 5,
    "centre scan": 20,
    "point hand-over": 10,
    "track": 30,
    "analyst list": 15,
}
BATCH_SIZE = 20  # parcels in a depot's batch
CENTRE_BATCH = 5  # parcels in a centre scanner's batch
COURIERS = ("ZTO", "YTO", "YD", "JTSD")  # the depots that register in the mix
TO_ARRIVAL = (Status.RECEIVED, Status.SORTED, Status.LOADED, Status.ARRIVED)


@dataclass
class Fixture:
    """What the load's users need: keys, addresses and parcels to move."""

    keys: dict[str, str] = field(default_factory=dict)  # "clerk:ZTO", "centre", …
    addresses: list[str] = field(default_factory=list)  # resolve to a point
    centre: list[tuple[str, str]] = field(default_factory=list)  # (courier, waybill)
    # point code -> [(courier, waybill, pickup code)] of parcels waiting there
    points: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)
    waybills: list[str] = field(default_factory=list)  # to track


def requests_of(kind: str, rate: float, seconds: float) -> int:
    """How many requests of ``kind`` a run sends, with a margin of 30 %."""
    return math.ceil(rate * seconds * MIX[kind] / sum(MIX.values()) * 1.3) + 10


def seed(engine: Engine, rate: float, seconds: float, rng: random.Random) -> Fixture:
    """Issue the keys and register and advance the pools; commits."""
    fixture = Fixture()
    with Session(engine) as session:
        admin = session.scalar(select(User).where(User.username == Role.ADMIN.value))
        assert admin is not None, "the demo database has an admin"
        fixture.keys = _keys(session, admin)
        places = point_places(session)
        fixture.addresses = [
            sample_address(rng, rng.choice(places), style="full") for _ in range(500)
        ]
        depots = {
            d.courier.code: d
            for d in session.scalars(select(Depot))
            if d.courier.code in COURIERS
        }
        count = requests_of("centre scan", rate, seconds) * CENTRE_BATCH
        addresses = fixture.addresses
        items = [_parcel(rng, "ZTO", rng.choice(addresses)) for _ in range(count)]
        fixture.centre = [
            ("ZTO", o.waybill)
            for o in Registrar(session, admin, depot=depots["ZTO"]).register(
                list(enumerate(items, 1))
            )
            if o.result == Result.NEW
        ]
        per_point = requests_of("point hand-over", rate, seconds) // len(
            _operated_points(session)
        )
        for point, place in _operated_points(session):
            fixture.points[point] = _arrived(
                session, admin, depots["YTO"], place, per_point, rng
            )
        session.commit()
    fixture.waybills = [w for _, w in fixture.centre] + [
        w for parcels in fixture.points.values() for _, w, _ in parcels
    ]
    return fixture


def _keys(session: Session, admin: User) -> dict[str, str]:
    keys = {}
    for user in session.scalars(select(User).order_by(User.id)):
        if user.role_code == Role.DEPOT_CLERK and user.depot is not None:
            label = f"clerk:{user.depot.courier.code}"
        elif user.role_code == Role.POINT_OPERATOR and user.service_point:
            label = f"point:{user.service_point.code}"
        elif user.role_code == Role.DISPATCHER:
            label = "centre"
        elif user.role_code == Role.ANALYST:
            label = "analyst"
        else:
            continue
        keys[label] = issue_api_key(session, admin, user, "bench.load")
    return keys


def _operated_points(session: Session) -> list[tuple[str, Place]]:
    """The points that have an operator, with their village as a place."""
    rows = session.execute(
        select(ServicePoint.code, Village.code, Village.name)
        .join(Village, ServicePoint.village_id == Village.id)
        .join(User, User.service_point_id == ServicePoint.id)
        .order_by(ServicePoint.code)
    ).all()
    villages = {p.code: p for p in point_places(session)}
    return [(point, villages[village]) for point, village, _ in rows]


def _parcel(rng: random.Random, courier: str, address: str) -> ParcelInput:
    return ParcelInput(
        waybill=waybill_for(courier, rng),
        address=address,
        recipient_name="测试",
        recipient_phone="13800000000",
        weight_kg=1.0,
    )


def _arrived(
    session: Session,
    admin: User,
    depot: Depot,
    place: Place,
    count: int,
    rng: random.Random,
) -> list[tuple[str, str, str]]:
    """``count`` parcels of ``depot`` waiting at ``place``'s point, with codes."""
    items = [
        _parcel(rng, depot.courier.code, sample_address(rng, place, style="full"))
        for _ in range(count)
    ]
    outcomes = Registrar(session, admin, depot=depot).register(
        list(enumerate(items, 1))
    )
    ids = [o.parcel_id for o in outcomes if o.result == Result.NEW and o.resolved]
    out = []
    for parcel in session.scalars(select(Parcel).where(Parcel.id.in_(ids))):
        for target in TO_ARRIVAL:
            record_scan(session, admin, parcel, target)
        assert parcel.pickup_code is not None
        out.append((depot.courier.code, parcel.waybill_no, parcel.pickup_code))
    return out
