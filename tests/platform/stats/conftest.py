"""A small county history of October 2026 whose figures are known by hand.

Three active service points (the others are switched off for the test):
浒村 (HUCUN, 大塅镇, cadence 2), 西湖 (XIHU, 永宁镇, cadence 3) and 上庄
(SHANGZHUANG, 温泉镇, cadence 2, never in the visit log).  Couriers ZTO and YTO.
Times are local (Asia/Shanghai); the figures are taken on 10 November.

Inbound parcels (received → … → outcome):

=====  =====  ===========  ==========================================================
name   who    point        steps
=====  =====  ===========  ==========================================================
P1     ZTO    HUCUN        rcv 10-01 10:00, arr 10-02 09:00, dlv 10-02 18:00 picked_up
P2     YTO    HUCUN        rcv 10-01 11:00, arr 10-02 09:30, dlv 10-04 09:30 station
P3     ZTO    XIHU         rcv 10-03 09:00, arr 10-04 09:00, returned 10-08 09:00
P4     ZTO    XIHU         rcv 10-05 09:00, returned 10-05 10:00 (from the centre)
P5     YTO    HUCUN        rcv 10-31 20:00, sorted, still waiting
P6     ZTO    HUCUN        rcv 10-06 09:00, loaded 10-07, brought back 10-07 17:00,
                           arr 10-08 09:00, dlv 10-08 10:00 agreed_method
P7     ZTO    XIHU         rcv 10-10 09:00, arr 10-11 09:00, dlv 10-12 09:00 picked_up
P8     ZTO    (unresolved) rcv 10-09 09:00, still at the centre
P9     ZTO    HUCUN        rcv 09-30 23:30, arr 10-01 08:00, dlv 10-01 10:00 picked_up
P10    YTO    XIHU         rcv 11-01 00:00, still at the centre
P11    ZTO    SHANGZHUANG  rcv 10-14 09:00, arr 10-15 09:00, dlv 10-15 12:00 with no
                           consent on file (old history, written as a bare event)
=====  =====  ===========  ==========================================================

Outbound: O1 ZTO at HUCUN, fruit, registered 10-02 10:00, collected 10-04 09:00;
O2 YTO at HUCUN, no category, registered 10-03 10:00, collected 10-04 09:10;
O3 ZTO at XIHU, fruit, registered 10-20 10:00.

Visits: HUCUN 09-30, 10-01, 10-02, 10-04, 10-08; XIHU 10-04, 10-07, 10-11, 10-29,
10-31.  Plans: 10-02 published (VAN-1 30 km: HUCUN P1 P2; TRI-1 10 km: XIHU P3),
10-04 done (VAN-1 25 km: HUCUN O1 O2), 10-05 draft (VAN-1 99.999 km, ignored),
11-01 published (TRI-1 7 km, outside the period).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.intake.registrar import Registrar
from countyhub.platform.intake.rows import ParcelInput
from countyhub.platform.models import (
    Parcel,
    ParcelEvent,
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    PointVisit,
    ServicePoint,
    User,
    Vehicle,
)
from countyhub.platform.parcels.scans import record_scan
from countyhub.platform.parcels.statuses import Status
from countyhub.platform.stats.period import StatsQuery, stats_query

HUCUN, XIHU, SHANGZHUANG = "360926105204", "360926100203", "360926101200"
DADUAN, YONGNING, WENQUAN = "360926105", "360926100", "360926101"
ADDRESS = {
    HUCUN: "江西省宜春市铜鼓县大塅镇浒村村委会三组12号",
    XIHU: "江西省宜春市铜鼓县永宁镇西湖村委会一组3号",
    SHANGZHUANG: "江西省宜春市铜鼓县温泉镇上庄村委会二组5号",
    None: "铜鼓县某某地方",
}
WAYBILL = {"ZTO": "736105555900{:02d}", "YTO": "YT20000000000{:02d}"}
NOW = dt.datetime(2026, 11, 10, 9, 0, tzinfo=LOCAL_TZ)
S = Status


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=LOCAL_TZ)


def oct_(day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return at(10, day, hour, minute)


@dataclass
class History:
    parcels: dict[str, Parcel]
    points: dict[str, ServicePoint]


class Builder:
    def __init__(self, session: Session, admin: User) -> None:
        self.session, self.admin = session, admin
        self.number = 0

    def register(
        self,
        courier: str,
        point: str | None,
        when: dt.datetime,
        *,
        outbound: bool = False,
    ) -> Parcel:
        self.number += 1
        item = ParcelInput(
            waybill=WAYBILL[courier].format(self.number),
            courier=courier,
            address="上海市浦东新区" if outbound else ADDRESS[point],
            direction="outbound" if outbound else "inbound",
            service_point=point if outbound else None,
        )
        registrar = Registrar(self.session, self.admin, clock=lambda: when)
        (outcome,) = registrar.register([(1, item)])
        assert outcome.parcel_id, outcome.problems
        return self.session.get(Parcel, outcome.parcel_id)

    def steps(self, parcel: Parcel, *steps: tuple[Status, dt.datetime, str]) -> Parcel:
        for target, when, consent in steps:
            record_scan(
                self.session,
                self.admin,
                parcel,
                target,
                at=when,
                pickup_code=parcel.pickup_code,
                consent=consent or None,
            )
        return parcel

    def to_point(
        self, parcel: Parcel, received: dt.datetime, arrived: dt.datetime
    ) -> Parcel:
        loaded = arrived - dt.timedelta(hours=2)
        return self.steps(
            parcel,
            (S.RECEIVED, received, ""),
            (S.SORTED, received + dt.timedelta(hours=1), ""),
            (S.LOADED, loaded, ""),
            (S.ARRIVED, arrived, ""),
        )


def build(session: Session, admin: User) -> History:
    b = Builder(session, admin)
    points = {
        code: session.scalar(select(ServicePoint).where(ServicePoint.code == code))
        for code in (HUCUN, XIHU, SHANGZHUANG)
    }
    session.execute(
        update(ServicePoint)
        .where(ServicePoint.code.not_in(points))
        .values(active=False)
    )
    points[XIHU].cadence_days = 3
    p: dict[str, Parcel] = {}
    p["P1"] = b.to_point(b.register("ZTO", HUCUN, oct_(1, 8)), oct_(1, 10), oct_(2, 9))
    b.steps(p["P1"], (S.DELIVERED, oct_(2, 18), "picked_up"))
    p["P2"] = b.to_point(
        b.register("YTO", HUCUN, oct_(1, 8)), oct_(1, 11), oct_(2, 9, 30)
    )
    b.steps(p["P2"], (S.DELIVERED, oct_(4, 9, 30), "consented_station"))
    p["P3"] = b.to_point(b.register("ZTO", XIHU, oct_(3, 8)), oct_(3, 9), oct_(4, 9))
    b.steps(p["P3"], (S.RETURNED, oct_(8, 9), ""))
    p["P4"] = b.steps(
        b.register("ZTO", XIHU, oct_(5, 8)),
        (S.RECEIVED, oct_(5, 9), ""),
        (S.RETURNED, oct_(5, 10), ""),
    )
    p["P5"] = b.steps(
        b.register("YTO", HUCUN, oct_(30, 8)),
        (S.RECEIVED, oct_(31, 20), ""),
        (S.SORTED, oct_(31, 21), ""),
    )
    p["P6"] = b.steps(
        b.register("ZTO", HUCUN, oct_(6, 8)),
        (S.RECEIVED, oct_(6, 9), ""),
        (S.SORTED, oct_(6, 10), ""),
        (S.LOADED, oct_(7, 7), ""),
        (S.SORTED, oct_(7, 17), ""),
        (S.LOADED, oct_(8, 7), ""),
        (S.ARRIVED, oct_(8, 9), ""),
        (S.DELIVERED, oct_(8, 10), "agreed_method"),
    )
    p["P7"] = b.to_point(b.register("ZTO", XIHU, oct_(10, 8)), oct_(10, 9), oct_(11, 9))
    b.steps(p["P7"], (S.DELIVERED, oct_(12, 9), "picked_up"))
    p["P8"] = b.steps(b.register("ZTO", None, oct_(9, 8)), (S.RECEIVED, oct_(9, 9), ""))
    p["P9"] = b.to_point(
        b.register("ZTO", HUCUN, at(9, 30, 20)), at(9, 30, 23, 30), oct_(1, 8)
    )
    b.steps(p["P9"], (S.DELIVERED, oct_(1, 10), "picked_up"))
    p["P10"] = b.steps(
        b.register("YTO", XIHU, oct_(31, 22)), (S.RECEIVED, at(11, 1, 0, 0), "")
    )
    p["P11"] = b.to_point(
        b.register("ZTO", SHANGZHUANG, oct_(14, 8)), oct_(14, 9), oct_(15, 9)
    )
    _bare_handover(session, p["P11"], oct_(15, 12))
    p["O1"] = b.register("ZTO", HUCUN, oct_(2, 10), outbound=True)
    p["O1"].category = "fruit"
    b.steps(p["O1"], (S.COLLECTED, oct_(4, 9), ""), (S.AT_CENTRE, oct_(4, 15), ""))
    p["O2"] = b.register("YTO", HUCUN, oct_(3, 10), outbound=True)
    b.steps(p["O2"], (S.COLLECTED, oct_(4, 9, 10), ""))
    p["O3"] = b.register("ZTO", XIHU, oct_(20, 10), outbound=True)
    p["O3"].category = "fruit"
    _visits(session, points)
    _plans(session, points, p)
    session.flush()
    return History(p, points)


def _bare_handover(session: Session, parcel: Parcel, when: dt.datetime) -> None:
    """A hand-over from before consent was recorded: an event without it."""
    session.add(
        ParcelEvent(
            parcel_id=parcel.id,
            at=when,
            kind="status",
            from_status="arrived",
            to_status="delivered",
            place="point",
            service_point_id=parcel.service_point_id,
            details={"handover": "pickup_code"},
        )
    )
    parcel.status = "delivered"


def _visits(session: Session, points: dict[str, ServicePoint]) -> None:
    days = {
        HUCUN: [at(9, 30), oct_(1), oct_(2), oct_(4), oct_(8)],
        XIHU: [oct_(4), oct_(7), oct_(11), oct_(29), oct_(31)],
    }
    session.add_all(
        PointVisit(service_point_id=points[code].id, visited_on=day.date())
        for code, list_ in days.items()
        for day in list_
    )


def _plans(
    session: Session, points: dict[str, ServicePoint], p: dict[str, Parcel]
) -> None:
    vehicles = {v.code: v for v in session.scalars(select(Vehicle))}
    layout = [
        (oct_(2), "published", [("VAN-1", 30000, HUCUN, ["P1", "P2"]),
                                ("TRI-1", 10000, XIHU, ["P3"])]),
        (oct_(4), "done", [("VAN-1", 25000, HUCUN, ["O1", "O2"])]),
        (oct_(5), "draft", [("VAN-1", 99999, HUCUN, ["P6"])]),
        (at(11, 1), "published", [("TRI-1", 7000, XIHU, ["P10"])]),
    ]  # fmt: skip
    for day, status, runs in layout:
        plan = Plan(day=day.date(), status=status, method="test", seconds=0.1,
                    objective=0, distance_m=sum(r[1] for r in runs), runtime=0.1,
                    feasible=True)  # fmt: skip
        for position, (vehicle, metres, point, names) in enumerate(runs):
            run = PlanRun(position=position, vehicle=vehicles[vehicle],
                          distance_m=metres, duration_s=0, load_parcels=len(names),
                          load_kg=0.0)  # fmt: skip
            stop = PlanStop(position=0, service_point=points[point],
                            arrival_seconds=0, load_parcels=0, load_kg=0.0,
                            required=True)  # fmt: skip
            for name in names:
                action = "collect" if name.startswith("O") else "drop"
                stop.parcels.append(PlanStopParcel(parcel=p[name], action=action))
            run.stops.append(stop)
            plan.runs.append(run)
        session.add(plan)


@pytest.fixture
def history(session: Session, admin: User) -> History:
    return build(session, admin)


@pytest.fixture
def october(session: Session, history: History) -> StatsQuery:
    return stats_query(session, month="2026-10", now=NOW.astimezone(dt.UTC))
