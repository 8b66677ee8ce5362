"""The demo's parcels: synthetic names, phones and waybills, moved along their life.

Inbound parcels are handed over by every depot over the last four days and
registered through the same registrar as real ones; a few outbound parcels (farm
products) are registered at the points.  Each parcel is then scanned along its
life to a random stage.  Used by :func:`countyhub.platform.demo.make.make_demo`; the
public names here are also importable from :mod:`countyhub.platform.demo.make`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.couriers import s10_check_digit
from countyhub.platform.county.resolver import Place
from countyhub.platform.demo.addresses import sample_address
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import ParcelInput, Result
from countyhub.platform.models import (
    Depot,
    Parcel,
    ServicePoint,
    Township,
    User,
    Village,
)
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅春生福林"
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


def point_places(session: Session) -> list[Place]:
    rows = session.execute(
        select(Village.code, Village.name, Township.code, Township.name)
        .join(Township)
        .join(ServicePoint)
    ).all()
    return [Place(*row) for row in rows]


def add_parcels(
    session: Session, actor: User, depots: list[Depot], count: int, seed: int
) -> tuple[int, int, int]:
    """Inbound parcels from every depot over the last four days, some outbound.

    Returns the inbound parcels created, and how many of them were resolved and not.
    """
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
    new = [o for o in outcomes if o.result == Result.NEW]
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
