"""The marshmallow schemas of the day's plans and pins, for the REST API and pages.

A plan is dumped with its runs in order, each run's stops with their clock times
(the plan's departure from the centre, ``COUNTYHUB_PLAN_DEPARTURE`` when it was
made, plus the planned travel), the waybill numbers to drop and collect at each stop,
and what is left for another day.  No recipient's name or phone appears here:
the route sheet names points and waybills only.  Times of record (made,
published, done) are written in Asia/Shanghai; clock times are ``HH:MM`` local,
with ``+1`` after midnight.  The day of a pin is in the request's path.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from marshmallow import (
    Schema,
    ValidationError,
    fields,
    pre_dump,
    validate,
    validates_schema,
)

from countyhub.platform.models import Plan, PlanRun, PlanStop
from countyhub.platform.plans.plan import FIRST_DAY, LAST_DAY
from countyhub.platform.plans.states import PlanState
from countyhub.platform.schema_rules import Amount, Count, LocalTime, text

CLOCK = {"description": "local time HH:MM (Asia/Shanghai); +1: the next day"}
CODE = text(20, 1)


def clock(departure: dt.time, seconds: int) -> str:
    """``HH:MM`` at ``seconds`` after ``departure``, ``+1`` (…) on a later day."""
    minutes = departure.hour * 60 + departure.minute + round(seconds / 60)
    days, minutes = divmod(minutes, 24 * 60)
    return f"{minutes // 60:02d}:{minutes % 60:02d}" + (f"+{days}" if days else "")


MAX_SECONDS = 20.0  # planner time a request may ask for: a worker is given 30 s


class PlanMakeIn(Schema):
    """The day to plan (2000–2099), and optionally how long and with which seed.

    A request runs the planner while the client waits, so the time it may ask
    for is bounded by :data:`MAX_SECONDS`.
    """

    day = fields.Date(
        required=True,
        validate=validate.Range(FIRST_DAY, LAST_DAY),
        # the years as a pattern: JSON Schema has no range of dates
        metadata={"pattern": r"^20[0-9]{2}-"},
    )
    seconds = Amount(
        load_default=None,
        validate=validate.Range(0.5, MAX_SECONDS),
        metadata={
            "description": f"time the planner may take, 0.5–{MAX_SECONDS:g} s "
            "(default: the server's setting)"
        },
    )
    seed = Count(load_default=1, validate=validate.Range(0, 2**31 - 1))


class PlanFilterArgs(Schema):
    status = fields.String(load_default=None, validate=validate.OneOf(list(PlanState)))


class PinIn(Schema):
    """A point the planner must visit that day."""

    point = fields.String(required=True, validate=CODE)


class PinRouteIn(Schema):
    """A vehicle's route fixed for the day: its points in order."""

    vehicle = fields.String(required=True, validate=CODE)
    points = fields.List(
        fields.String(validate=CODE), required=True, validate=validate.Length(1, 200)
    )


class UnpinArgs(Schema):
    """A point's pin, a vehicle's pinned route, or that point on that route."""

    point = fields.String(load_default=None, validate=CODE)
    vehicle = fields.String(load_default=None, validate=CODE)

    @validates_schema
    def _one(self, data: dict[str, Any], **_: Any) -> None:
        if data.get("point") is None and data.get("vehicle") is None:
            raise ValidationError("name the point or the vehicle (or both)")


class PinOut(Schema):
    day = fields.Date()
    point = fields.Function(lambda p: p.service_point.code, metadata={"type": "string"})
    point_name = fields.Function(
        lambda p: p.service_point.name, metadata={"type": "string"}
    )
    vehicle = fields.Function(
        lambda p: p.vehicle.code if p.vehicle else None,
        allow_none=True,
        metadata={"type": "string"},
    )
    position = fields.Integer(
        allow_none=True, metadata={"description": "the stop's place in the route"}
    )


class StopOut(Schema):
    position = fields.Integer()
    point = fields.String(metadata={"description": "the service point's code"})
    point_name = fields.String()
    arrival = fields.String(metadata=CLOCK)
    drop = fields.Integer(metadata={"description": "parcels to drop"})
    collect = fields.Integer(metadata={"description": "parcels to collect"})
    drop_waybills = fields.List(fields.String())
    collect_waybills = fields.List(fields.String())
    load_parcels = fields.Integer(metadata={"description": "on board after the stop"})
    load_kg = fields.Float()
    required = fields.Boolean(metadata={"description": "else the planner chose it"})
    reasons = fields.List(fields.String())
    pinned = fields.Boolean()
    visited = fields.Boolean(
        allow_none=True, metadata={"description": "null until the run is recorded"}
    )
    recorded_at = LocalTime(allow_none=True)


class RunOut(Schema):
    position = fields.Integer()
    vehicle = fields.String(metadata={"description": "the vehicle's code"})
    vehicle_name = fields.String()
    vehicle_kind = fields.String()
    distance_km = fields.Float()
    duration_min = fields.Integer()
    departs_at = fields.String(metadata=CLOCK)
    returns_at = fields.String(metadata=CLOCK)
    load_parcels = fields.Integer(metadata={"description": "on board leaving"})
    load_kg = fields.Float()
    pinned = fields.Boolean()
    violations = fields.List(
        fields.String(),
        metadata={"description": "limits a pinned route breaks: parcels, kg, shift"},
    )
    stops = fields.List(fields.Nested(StopOut))


class UnservedOut(Schema):
    point = fields.String()
    point_name = fields.String()
    reason = fields.String(metadata={"description": "waits, no_room or not_reached"})
    parcels = fields.Integer()
    waybills = fields.List(fields.String())
    deadline = fields.Date(allow_none=True)
    late = fields.Boolean(metadata={"description": "a rule breaks if it waits"})


class PlanSummaryOut(Schema):
    """A plan in a list."""

    day = fields.Date()
    status = fields.String()
    method = fields.String(metadata={"description": "how distances were measured"})
    seconds = fields.Float()
    seed = fields.Integer()
    objective = fields.Integer()
    distance_km = fields.Float()
    runtime = fields.Float(metadata={"description": "seconds spent planning"})
    feasible = fields.Boolean()
    run_count = fields.Integer()
    required_count = fields.Integer()
    unserved_count = fields.Integer()
    late_count = fields.Integer()
    made_at = LocalTime()
    published_at = LocalTime(allow_none=True)
    done_at = LocalTime(allow_none=True)

    @pre_dump
    def _view(self, plan: Plan, **_: Any) -> dict[str, Any]:
        return _summary(plan)


class PlanOut(PlanSummaryOut):
    """A plan with its runs and stops, and what is left for another day.

    Times of day count from the plan's departure (kept with the plan, so a
    later change of the setting does not move them); ``departure`` overrides it.
    """

    runs = fields.List(fields.Nested(RunOut))
    unserved = fields.List(fields.Nested(UnservedOut))

    def __init__(self, *, departure: dt.time | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.departure = departure

    @pre_dump
    def _view(self, plan: Plan, **_: Any) -> dict[str, Any]:
        departure = self.departure or plan.departure
        return {
            **_summary(plan),
            "runs": [_run(run, departure) for run in plan.runs],
            "unserved": [_unserved(item) for item in plan.unserved],
        }


def _summary(plan: Plan) -> dict[str, Any]:
    columns = ("day", "status", "method", "seconds", "seed", "objective", "runtime")
    times = ("made_at", "published_at", "done_at")
    return {
        **{name: getattr(plan, name) for name in (*columns, *times)},
        "feasible": plan.feasible,
        "distance_km": round(plan.distance_m / 1000, 1),
        "run_count": len(plan.runs),
        "required_count": len(plan.required),
        "unserved_count": len(plan.unserved),
        "late_count": sum(1 for item in plan.unserved if item.get("late")),
    }


def _run(run: PlanRun, departure: dt.time) -> dict[str, Any]:
    return {
        "position": run.position,
        "vehicle": run.vehicle.code,
        "vehicle_name": run.vehicle.name,
        "vehicle_kind": run.vehicle.kind,
        "distance_km": round(run.distance_m / 1000, 1),
        "duration_min": round(run.duration_s / 60),
        "departs_at": clock(departure, 0),
        "returns_at": clock(departure, run.duration_s),
        "load_parcels": run.load_parcels,
        "load_kg": run.load_kg,
        "pinned": run.pinned,
        "violations": run.violations,
        "stops": [_stop(stop, departure) for stop in run.stops],
    }


def _stop(stop: PlanStop, departure: dt.time) -> dict[str, Any]:
    waybills: dict[str, list[str]] = {"drop": [], "collect": []}
    for item in stop.parcels:
        waybills.setdefault(item.action, []).append(item.parcel.waybill_no)
    return {
        "position": stop.position,
        "point": stop.service_point.code,
        "point_name": stop.service_point.name,
        "arrival": clock(departure, stop.arrival_seconds),
        "drop": len(waybills["drop"]),
        "collect": len(waybills["collect"]),
        "drop_waybills": sorted(waybills["drop"]),
        "collect_waybills": sorted(waybills["collect"]),
        "load_parcels": stop.load_parcels,
        "load_kg": stop.load_kg,
        "required": stop.required,
        "reasons": stop.reasons,
        "pinned": stop.pinned,
        "visited": stop.visited,
        "recorded_at": stop.recorded_at,
    }


def _unserved(item: dict[str, Any]) -> dict[str, Any]:
    deadline = item.get("deadline")
    return {
        "point": item.get("point", ""),
        "point_name": item.get("name", ""),
        "reason": item.get("reason", ""),
        "parcels": len(item.get("parcel_ids", ())),
        "waybills": item.get("waybills", []),
        "deadline": dt.date.fromisoformat(deadline) if deadline else None,
        "late": bool(item.get("late")),
    }
