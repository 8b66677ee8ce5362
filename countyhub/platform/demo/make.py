"""Demo data for a first look: couriers' depots, users, a fleet and parcels.

Everything here is synthetic and says so: names, phone numbers and waybill numbers
are drawn from a seeded generator following the couriers' public number rules.
Parcels enter through the same registrar as real ones, and a history of days
(:mod:`countyhub.platform.demo.history`) moves them along their life through the
same scans, plans and recorded runs, so the demo exercises the real rules and
every figure has something to show.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.couriers import COURIERS
from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.users import create_user, system_actor
from countyhub.platform.county.gazetteer import (
    default_county_dir,
    load_county,
    sync_couriers,
)
from countyhub.platform.db import utcnow
from countyhub.platform.demo.history import first_day, make_history
from countyhub.platform.models import (
    County,
    Courier,
    Depot,
    Parcel,
    Plan,
    ServicePoint,
    Township,
    User,
    Vehicle,
    Village,
)
from countyhub.platform.plans.states import PlanState

DEMO_PASSWORD = "countyhub-demo"
PLAN_SECONDS = 0.3  # the planner's search for each day of the history
# A demo fleet: the county's real fleet is entered by its admin.
FLEET = [
    ("VAN-1", "厢式货车1号", "van", 300, 1200.0),
    ("VAN-2", "厢式货车2号", "van", 300, 1200.0),
    ("VAN-3", "厢式货车3号", "van", 300, 1200.0),
    ("VAN-4", "厢式货车4号", "van", 300, 1200.0),
    ("TRI-1", "电动三轮车1号", "tricycle", 80, 300.0),
    ("TRI-2", "电动三轮车2号", "tricycle", 80, 300.0),
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
    days_run: int = 0  # days of the history planned and run
    first_day: dt.date | None = None  # the history's first day

    @property
    def resolution_rate(self) -> float:
        total = self.resolved + self.unresolved
        return self.resolved / total if total else 0.0


def make_demo(
    session: Session,
    *,
    parcels: int = 3000,
    seed: int = 2017,
    now: dt.datetime | None = None,
    first: dt.date | None = None,
    seconds: float = PLAN_SECONDS,
) -> DemoSummary:
    """Build the demo county once; again it adds nothing, reports what is there.

    Its history (:mod:`countyhub.platform.demo.history`) spreads about
    ``parcels`` inbound parcels over the days from ``first`` (default: the first
    of last month) to ``now``'s day, and plans each past day with ``seconds`` of
    search; no parcels, no history.  Raises what the services raise.
    """
    actor = system_actor(session)
    sync_couriers(session)
    if session.scalar(select(func.count()).select_from(County)) == 0:
        load_county(session, actor, default_county_dir())
    depots = _depots(session)
    _users(session, actor, depots)
    _fleet(session)
    created, resolved, unresolved = 0, 0, 0
    if parcels > 0 and session.scalar(select(func.count()).select_from(Parcel)) == 0:
        now = now or utcnow()
        made = make_history(
            session,
            actor,
            parcels=parcels,
            seed=seed,
            now=now,
            first=first or first_day(now),
            seconds=seconds,
        )
        resolved, unresolved = made.resolved, made.unresolved
        # every parcel there was made now: the inbound ones and the outbound too
        created = session.scalar(select(func.count()).select_from(Parcel)) or 0
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
    if session.scalar(select(User).where(User.username == Role.ADMIN.value)):
        return
    for role in (Role.ADMIN, Role.DISPATCHER, Role.ANALYST):  # named after the role
        create_user(
            session, actor, username=role.value, role=role, password=DEMO_PASSWORD
        )
    for depot in depots:
        create_user(
            session,
            actor,
            username=f"clerk-{depot.courier.code.lower()}",
            role=Role.DEPOT_CLERK,
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
            role=Role.POINT_OPERATOR,
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
        *_days_run(session),
    )


def _days_run(session: Session) -> tuple[int, dt.date | None]:
    """The days whose plan was run, and the first of them."""
    done = select(Plan.day).where(Plan.status == PlanState.DONE).subquery()
    days, first = session.execute(
        select(func.count(), func.min(done.c.day)).select_from(done)
    ).one()
    return int(days), first
