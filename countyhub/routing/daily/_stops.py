"""The points as the solver sees them: each one's terms for today.

A :class:`Stop` is a point with its row in the matrices, whether it must be
visited today and why (:func:`countyhub.routing.cadence.required_today`, or a
pin), the parcels to drop (oldest first) and collect, and the prize of an
optional visit (:func:`countyhub.routing.cadence.visit_value` plus the cycle
bonus on the point's cycle days). Kilograms go to the solver in tenths
(:data:`KG_SCALE`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from countyhub.routing.cadence import (
    PointState,
    Requirement,
    required_today,
    visit_value,
)
from countyhub.routing.daily.problem import DayPoint, DayProblem, PointId, Shipment
from countyhub.routing.daily.result import PlannedStop

__all__ = ["KG_SCALE", "Stop", "is_due", "make_stops", "tenths"]

# Kilograms go to the solver in tenths.
KG_SCALE = 10


@dataclass
class Stop:
    """A point as the solver sees it: what to drop and collect, and its terms."""

    point: DayPoint
    index: int  # row in the matrices
    requirement: Requirement
    pinned: bool
    drop: list[Shipment]
    collect: list[Shipment]
    prize: int
    # Parcels held back at the centre when the day is over-full.
    waiting: list[Shipment] = field(default_factory=list)

    @property
    def required(self) -> bool:
        return self.requirement.required or self.pinned

    def reasons(self) -> tuple[str, ...]:
        reasons = tuple(str(r) for r in self.requirement.reasons)
        if self.pinned and not self.requirement.required:
            return ("pinned",)
        return (*reasons, "pinned") if self.pinned else reasons

    def planned(
        self, arrival: int, load_parcels: int, load_kg: float, *, pinned: bool = False
    ) -> PlannedStop:
        """The stop as a run makes it: arriving at ``arrival``, leaving loaded so."""
        return PlannedStop(
            point_id=self.point.point_id,
            arrival_seconds=arrival,
            drop=tuple(p.parcel_id for p in self.drop),
            collect=tuple(p.parcel_id for p in self.collect),
            load_parcels=load_parcels,
            load_kg=load_kg,
            required=self.required,
            reasons=self.reasons(),
            pinned=pinned,
        )


def make_stops(problem: DayProblem) -> dict[PointId, Stop]:
    """Each point's requirement and prize; prize -1 marks a point not worth a stop."""
    pinned = problem.pinned_visits | {
        p for route in problem.pinned_routes.values() for p in route
    }
    return {
        point.point_id: _stop(problem, point, i, point.point_id in pinned)
        for i, point in enumerate(problem.points, start=1)
    }


def _stop(problem: DayProblem, point: DayPoint, index: int, pinned: bool) -> Stop:
    state = PointState(
        point.point_id,
        cadence_days=point.cadence_days,
        last_visit=point.last_visit,
        arrivals=tuple(s.arrival for s in point.inbound if s.arrival is not None),
        outbound_waiting=bool(point.outbound),
        active=point.active,
    )
    requirement = required_today(
        state, problem.day, max_wait_days=problem.max_wait_days
    )
    prize = _prize(problem, point, state)
    waiting = point.inbound or point.outbound  # listed if left, never dropped
    if not (requirement.required or pinned or prize > 0 or waiting):
        prize = -1
    return Stop(
        point=point,
        index=index,
        requirement=requirement,
        pinned=pinned,
        drop=sorted(point.inbound, key=_oldest_first),
        collect=list(point.outbound),
        prize=prize,
    )


def _prize(problem: DayProblem, point: DayPoint, state: PointState) -> int:
    """The visit's value, plus the cycle bonus on an active point's cycle day."""
    weights = problem.weights
    prize = visit_value(
        state,
        problem.day,
        per_parcel=weights.per_parcel,
        outbound=weights.outbound,
        urgency=weights.urgency,
        max_wait_days=problem.max_wait_days,
    )
    if problem.cycle_day is not None and problem.cycle_day in point.cycle_days:
        prize += weights.cycle if point.active else 0
    return prize


def _oldest_first(shipment: Shipment) -> tuple[date, str]:
    return (shipment.arrival or date.min, str(shipment.parcel_id))


def tenths(kg: float) -> int:
    """Kilograms in the solver's unit (tenths), never negative."""
    return max(0, round(kg * KG_SCALE))


def is_due(problem: DayProblem, shipment: Shipment) -> bool:
    """Whether an inbound parcel's last day is today (or has passed)."""
    if shipment.arrival is None:
        return False
    return shipment.arrival + timedelta(days=problem.max_wait_days) <= problem.day
