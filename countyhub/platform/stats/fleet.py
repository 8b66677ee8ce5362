"""Fleet: the runs of the period's plans, the vehicles they used and their km.

Only plans that went out count: published or done (a draft moved nothing).
Km planned are the runs' planned distances (``PlanRun.distance_m``); km recorded
are the km the dispatcher recorded as driven (``PlanRun.km_recorded``), summed
over the runs that have them (``runs_recorded``) — never an estimate for the
others.  When no run has them, km recorded is None with the reason
:data:`NOT_RECORDED`; when some have, the reason says how many of how many.
Parcels per km are the runs' planned parcels (to drop and to collect) per
planned km; parcels per km recorded, those of the runs with km recorded per
their km recorded.

With a township, the runs that stop in it count (their whole km: a run's
distance is not split between places), and only the parcels of those stops.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from countyhub.platform.models import (
    Plan,
    PlanRun,
    PlanStop,
    PlanStopParcel,
    ServicePoint,
    User,
    Village,
)
from countyhub.platform.plans.states import PlanState
from countyhub.platform.stats._scope import require_stats
from countyhub.platform.stats.period import Period, StatsQuery

NOT_RECORDED = "not recorded"  # no run of the period has its km driven recorded
_WENT_OUT = (PlanState.PUBLISHED.value, PlanState.DONE.value)


@dataclass(frozen=True)
class Fleet:
    period: Period
    township: str | None
    runs: int
    vehicles: int  # distinct vehicles used
    km_planned: float
    km_recorded: float | None  # over runs_recorded; None: see km_recorded_reason
    km_recorded_reason: str | None  # None: every run has its km recorded
    runs_recorded: int  # runs with their km driven recorded
    parcels_planned: int  # to drop or collect on the runs
    parcels_per_km: float | None  # parcels_planned / km_planned
    parcels_per_km_recorded: float | None  # the recorded runs' parcels / their km


def fleet(session: Session, actor: User, query: StatsQuery) -> Fleet:
    """The period's runs.  Raises Forbidden without READ_STATS."""
    require_stats(actor)
    runs = [
        Plan.day >= query.period.start,
        Plan.day <= query.period.end,
        Plan.status.in_(_WENT_OUT),
    ]
    stops: list[ColumnElement[bool]] = []
    if query.township is not None:
        stops = [PlanStop.service_point_id.in_(_points_of(query.township.id))]
        runs.append(PlanRun.id.in_(select(PlanStop.run_id).where(*stops)))
    count, vehicles, metres, recorded, driven = session.execute(
        select(
            func.count(PlanRun.id),
            func.count(func.distinct(PlanRun.vehicle_id)),
            func.coalesce(func.sum(PlanRun.distance_m), 0),
            func.count(PlanRun.km_recorded),
            func.sum(PlanRun.km_recorded),
        )
        .join(Plan, Plan.id == PlanRun.plan_id)
        .where(*runs)
    ).one()
    parcels, on_recorded = session.execute(
        select(func.count(), func.count(PlanRun.km_recorded))
        .select_from(PlanStopParcel)
        .join(PlanStop, PlanStop.id == PlanStopParcel.stop_id)
        .join(PlanRun, PlanRun.id == PlanStop.run_id)
        .join(Plan, Plan.id == PlanRun.plan_id)
        .where(*runs, *stops)
    ).one()
    km = int(metres) / 1000
    km_recorded = round(float(driven), 3) if driven is not None else None
    return Fleet(
        period=query.period,
        township=query.township.code if query.township else None,
        runs=int(count),
        vehicles=int(vehicles),
        km_planned=km,
        km_recorded=km_recorded,
        km_recorded_reason=_reason(int(recorded), int(count)),
        runs_recorded=int(recorded),
        parcels_planned=int(parcels),
        parcels_per_km=int(parcels) / km if km else None,
        parcels_per_km_recorded=int(on_recorded) / km_recorded if km_recorded else None,
    )


def _reason(recorded: int, runs: int) -> str | None:
    """Why km recorded is missing or partial; None when every run has them."""
    if not recorded:
        return NOT_RECORDED
    return f"recorded for {recorded} of {runs} runs" if recorded < runs else None


def _points_of(township_id: int) -> Select[Any]:
    return (
        select(ServicePoint.id)
        .join(Village, Village.id == ServicePoint.village_id)
        .where(Village.township_id == township_id)
    )
