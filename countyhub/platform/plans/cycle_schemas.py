"""The marshmallow schemas of the county's cycle of visits, for the REST API."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from countyhub.platform.plans.schemas import MAX_SECONDS
from countyhub.platform.schema_rules import Amount, Count, LocalTime


class CycleMakeIn(Schema):
    """How long the periodic planner may search (bounded, as a plan's time is)."""

    seconds = Amount(
        load_default=MAX_SECONDS,
        validate=validate.Range(0.5, MAX_SECONDS),
        metadata={"description": f"0.5–{MAX_SECONDS:g} s; longer from the CLI"},
    )
    seed = Count(load_default=1, validate=validate.Range(0, 2**31 - 1))


class CycleDayOut(Schema):
    day = fields.Integer(metadata={"description": "index in the cycle, from 0"})
    points = fields.Integer(metadata={"description": "points visited that day"})


class CyclePointOut(Schema):
    point = fields.String()
    point_name = fields.String()
    cadence_days = fields.Integer()
    days = fields.List(
        fields.Integer(),
        metadata={"description": "its days in the cycle; empty: not placed"},
    )


class CycleOut(Schema):
    """On which days of a repeating cycle each point is visited.

    Day ``k`` is every date ``starts_on + k + n × length``.
    """

    starts_on = fields.Date()
    length = fields.Integer(metadata={"description": "days in the cycle"})
    made_at = LocalTime()
    distance_km = fields.Float(metadata={"description": "km over one cycle, planned"})
    days = fields.List(fields.Nested(CycleDayOut))
    points = fields.List(fields.Nested(CyclePointOut))
