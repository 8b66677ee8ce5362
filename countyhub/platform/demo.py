"""Demo data for a first look: couriers' depots, users, a fleet and parcels.

Everything here is synthetic and says so: names, phone numbers and waybill numbers
are drawn from a seeded generator following the couriers' public number rules.
Parcels enter through the same registrar as real ones, and are moved along their
life through the same scans, so the demo exercises the real rules.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.couriers import COURIERS, s10_check_digit
from countyhub.platform.addresses import Place
from countyhub.platform.county import default_county_dir, load_county, sync_couriers
from countyhub.platform.demo_addresses import sample_address
from countyhub.platform.intake import ParcelInput, Registrar
from countyhub.platform.model import (
    County,
    Courier,
    Depot,
    Parcel,
    ServicePoint,
    Township,
    User,
    Vehicle,
    Village,
)
from countyhub.platform.scans import record_scan
from countyhub.platform.statuses import Status
from countyhub.platform.users import create_user, system_actor

DEMO_PASSWORD = "countyhub-demo"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅春生福林"
# A demo fleet: the county's real fleet is entered by its admin.
FLEET = [
    ("VAN-1", "厢式货车1号", "van", 300, 1200.0),
    ("VAN-2", "厢式货车2号", "van", 300, 1200.0),
    ("VAN-3", "厢式货车3号", "van", 300, 1200.0),
    ("VAN-4", "厢式货车4号", "van", 300, 1200.0),
    ("TRI-1", "电动三轮车1号", "tricycle", 80, 300.0),
    ("TRI-2", "电动三轮车2号", "tricycle", 80, 300.0),
]
# Shares of parcels left at each stage of their life.
INBOUND = [
    (Status.REGISTERED, 0.08),
    (Status.RECEIVED, 0.07),
    (Status.SORTED, 0.15),
    (Status.LOADED, 0.05),
    (Status.ARRIVED, 0.2),
    (Status.DELIVERED, 0.42),
    (Status.RETURNED, 0.03),
]
PATHS = {
    Status.REGISTERED: [],
    Status.RECEIVED: [Status.RECEIVED],
    Status.SORTED: [Status.RECEIVED, Status.SORTED],
    Status.LOADED: [Status.RECEIVED, Status.SORTED, Status.LOADED],
    Status.ARRIVED: [Status.RECEIVED, Status.SORTED, Status.LOADED, Status.ARRIVED],
    Status.DELIVERED: [
        Status.RECEIVED,
        Status.SORTED,
        Status.LOADED,
        Status.ARRIVED,
        Status.DELIVERED,
    ],
    Status.RETURNED: [Status.RECEIVED, Status.RETURNED],
    Status.COLLECTED: [Status.COLLECTED],
    Status.AT_CENTRE: [Status.COLLECTED, Status.AT_CENTRE],
    Status.HANDED_OVER: [Status.COLLECTED, Status.AT_CENTRE, Status.HANDED_OVER],
}
OUTBOUND = [
    (Status.REGISTERED, 0.2),
    (Status.COLLECTED, 0.2),
    (Status.AT_CENTRE, 0.1),
    (Status.HANDED_OVER, 0.5),
]
DESTINATIONS = [
    "浙江省杭州市西湖区文三路88号",
    "广东省广州市天河区体育西路12号",
    "上海市浦东新区张江路200号",
    "江西省南昌市红谷滩区丰和中大道9号",
    "湖南省长沙市岳麓区麓山南路3号",
    "北京市朝阳区建国路77号",
]


@dataclass
class DemoSummary:
    county: str
    townships: int
    villages: int
    service_points: int
    approximate_points: int
    couriers: int
    depots: int
    users: int
    vehicles: int
    parcels: int
    parcels_created: int
    resolved: int
    unresolved: int

    @property
    def resolution_rate(self) -> float:
        total = self.resolved + self.unresolved
        return self.resolved / total if total else 0.0


def waybill_for(code: str, rng: random.Random) -> str:
    """A synthetic waybill number that fits ``code``'s strict rule."""

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    if code == "EMS":
        serial = digits(8)
        letter = rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        return f"E{letter}{serial}{s10_check_digit(serial)}CN"
    return {
        "ZTO": lambda: "7" + rng.choice("34568") + digits(12),
        "YTO": lambda: "YT" + digits(13),
        "STO": lambda: "773" + digits(12),
        "YD": lambda: "31" + digits(13),
        "HTKY": lambda: "BXA" + digits(10),
        "JTSD": lambda: "JT" + digits(13),
        "SF": lambda: "SF" + digits(13),
        "JD": lambda: "JDX" + digits(12),
        "DBL": lambda: "DPK" + digits(12),
    }[code]()


def make_demo(
    session: Session, *, parcels: int = 3000, seed: int = 2017
) -> DemoSummary:
    """Build the demo county once; again it adds nothing, reports what is there."""
    actor = system_actor(session)
    sync_couriers(session)
    if session.scalar(select(func.count()).select_from(County)) == 0:
        load_county(session, actor, default_county_dir())
    depots = _depots(session)
    _users(session, actor, depots)
    _fleet(session)
    created, resolved, unresolved = 0, 0, 0
    if session.scalar(select(func.count()).select_from(Parcel)) == 0:
        created, resolved, unresolved = _parcels(session, actor, depots, parcels, seed)
    return _summary(session, created, resolved, unresolved)


def _depots(session: Session) -> list[Depot]:
    found = list(session.scalars(select(Depot).order_by(Depot.id)))
    if found:
        return found
    ids = dict(session.execute(select(Courier.code, Courier.id)).all())
    for courier in COURIERS:
        session.add(
            Depot(
                courier_id=ids[courier.code],
                code=f"TG-{courier.code}",
                name=f"{courier.short_name}铜鼓网点",
                address="江西省宜春市铜鼓县永宁镇",
            )
        )
    session.flush()
    return list(session.scalars(select(Depot).order_by(Depot.id)))


def _users(session: Session, actor: User, depots: list[Depot]) -> None:
    if session.scalar(select(User).where(User.username == "admin")) is not None:
        return
    for name, role in (
        ("admin", "admin"),
        ("dispatcher", "dispatcher"),
        ("analyst", "analyst"),
    ):
        create_user(session, actor, username=name, role=role, password=DEMO_PASSWORD)
    for depot in depots:
        create_user(
            session,
            actor,
            username=f"clerk-{depot.courier.code.lower()}",
            role="depot_clerk",
            password=DEMO_PASSWORD,
            depot=depot,
            display_name=depot.name,
        )
    points = session.scalars(select(ServicePoint).order_by(ServicePoint.code).limit(5))
    for point in points:
        create_user(
            session,
            actor,
            username=f"point-{point.code}",
            role="point_operator",
            password=DEMO_PASSWORD,
            service_point=point,
            display_name=point.name,
        )


def _fleet(session: Session) -> None:
    if session.scalar(select(func.count()).select_from(Vehicle)):
        return
    for code, name, kind, parcels, kg in FLEET:
        session.add(
            Vehicle(
                code=code,
                name=name,
                kind=kind,
                capacity_parcels=parcels,
                capacity_kg=kg,
                shift_minutes=480,
                active=True,
            )
        )
    session.flush()


def point_places(session: Session) -> list[Place]:
    rows = session.execute(
        select(Village.code, Village.name, Township.code, Township.name)
        .join(Township)
        .join(ServicePoint)
    ).all()
    return [Place(*row) for row in rows]


def _parcels(
    session: Session, actor: User, depots: list[Depot], count: int, seed: int
) -> tuple[int, int, int]:
    """Inbound parcels from every depot over the last four days, some outbound."""
    rng, places = random.Random(seed), point_places(session)
    now = dt.datetime.now(dt.UTC)
    outcomes = []
    for depot in depots:
        for hours_ago in range(96, 0, -12):  # a hand-over every twelve hours
            items = [
                (i, _demo_parcel(rng, depot.courier.code, places))
                for i in range(count // len(depots) // 8)
            ]
            registrar = Registrar(
                session,
                actor,
                depot=depot,
                clock=_fixed(now - dt.timedelta(hours=hours_ago)),
            )
            outcomes += registrar.register(items)
    new = [o for o in outcomes if o.result == "new"]
    _advance(
        session,
        actor,
        rng,
        [o.parcel_id for o in new if o.resolved and o.parcel_id is not None],
        INBOUND,
    )
    _advance(session, actor, rng, _outbound(session, actor, rng, count // 20), OUTBOUND)
    resolved = sum(1 for o in new if o.resolved)
    return len(new), resolved, len(new) - resolved


def _demo_parcel(rng: random.Random, code: str, places: list[Place]) -> ParcelInput:
    return ParcelInput(
        waybill=waybill_for(code, rng),
        address=sample_address(rng, rng.choice(places), style="mixed"),
        recipient_name=_name(rng),
        recipient_phone=_phone(rng),
        weight_kg=round(rng.lognormvariate(0.2, 0.8), 2) or 0.1,
        pieces=1,
    )


def _outbound(
    session: Session, actor: User, rng: random.Random, count: int
) -> list[int]:
    """Farm products (农产品上行) registered at points, sent out of the county."""
    points = list(session.scalars(select(ServicePoint.code)))
    items = [
        (
            i,
            ParcelInput(
                waybill=waybill_for(code, rng),
                courier=code,
                direction="outbound",
                service_point=rng.choice(points),
                address=rng.choice(DESTINATIONS),
                recipient_name=_name(rng),
                recipient_phone=_phone(rng),
                weight_kg=round(rng.uniform(1, 15), 1),
            ),
        )
        for i, code in enumerate(
            rng.choices(["YTO", "ZTO", "JTSD", "EMS", "SF"], k=count)
        )
    ]
    start = dt.datetime.now(dt.UTC) - dt.timedelta(hours=48)
    outcomes = Registrar(session, actor, clock=_fixed(start)).register(items)
    return [o.parcel_id for o in outcomes if o.parcel_id is not None]


def _fixed(moment: dt.datetime) -> Callable[[], dt.datetime]:
    """A clock that always says ``moment``."""
    return lambda: moment


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.randint(1, 2)))


def _phone(rng: random.Random) -> str:
    return "1" + rng.choice("3456789") + "".join(rng.choices("0123456789", k=9))


def _advance(
    session: Session,
    actor: User,
    rng: random.Random,
    ids: list[int],
    stages: list[tuple[Status, float]],
) -> None:
    """Move each parcel along its life to a random stage, after its registration."""
    now = dt.datetime.now(dt.UTC)
    targets, weights = zip(*stages, strict=True)
    for parcel in session.scalars(select(Parcel).where(Parcel.id.in_(ids))):
        at = parcel.registered_at
        for target in PATHS[rng.choices(targets, weights)[0]]:
            at = min(at + dt.timedelta(hours=rng.uniform(2, 8)), now)
            record_scan(
                session,
                actor,
                parcel,
                target,
                at=at,
                pickup_code=parcel.pickup_code,
                consent="picked_up" if target is Status.DELIVERED else None,
            )


def _summary(
    session: Session, created: int, resolved: int, unresolved: int
) -> DemoSummary:
    def count(model: type) -> int:
        return session.scalar(select(func.count()).select_from(model)) or 0

    county = session.scalar(select(County))
    approx = (
        session.scalar(
            select(func.count())
            .select_from(ServicePoint)
            .where(ServicePoint.coord_approximate.is_(True))
        )
        or 0
    )
    if not created:  # report what the database holds: inbound addresses only

        def inbound(state: str) -> int:
            query = (
                select(func.count())
                .select_from(Parcel)
                .where(Parcel.direction == "inbound", Parcel.address_state == state)
            )
            return session.scalar(query) or 0

        unresolved = inbound("unresolved")
        resolved = inbound("resolved") + inbound("assigned")
    return DemoSummary(
        county.name if county else "",
        count(Township),
        count(Village),
        count(ServicePoint),
        approx,
        count(Courier),
        count(Depot),
        count(User),
        count(Vehicle),
        count(Parcel),
        created,
        resolved,
        unresolved,
    )
