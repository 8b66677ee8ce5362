"""What the API takes and gives when results of runs are recorded, and for routes.

A stop result is loaded straight into a
:class:`countyhub.platform.plans.results.StopResult`, a run's km into a
:class:`countyhub.platform.plans.km.RunKm`; the km's bounds are the schema's, so
that the OpenAPI document states them.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from countyhub.platform.intake.schemas import UploadedFile
from countyhub.platform.plans import pins
from countyhub.platform.plans.km import MAX_KM, RunKm
from countyhub.platform.plans.results_file import StopResult
from countyhub.platform.plans.schemas import CODE
from countyhub.platform.schema_rules import Amount, Flag, LocalTime, text

MAX_RESULTS = 1_000  # stop results in one request
MAX_WAYBILLS = 1_000  # waybills in one list of a stop result
MAX_RUNS = 200  # runs' km in one request: more than a county's fleet in a day


class RouteIn(Schema):
    """The points of the vehicle's route, in order."""

    points = fields.List(
        fields.String(validate=CODE),
        required=True,
        validate=validate.Length(1, pins.MAX_ROUTE),
    )


def _waybills() -> fields.List:
    return fields.List(
        fields.String(validate=text(80, 1)),
        load_default=list,
        validate=validate.Length(0, MAX_WAYBILLS),
    )


class StopResultIn(Schema):
    """What one run did at one stop."""

    vehicle = fields.String(required=True, validate=CODE)
    point = fields.String(required=True, validate=CODE)
    visited = Flag(required=True, metadata={"description": "got there"})
    not_delivered = _waybills()
    not_collected = _waybills()

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> StopResult:
        return StopResult(
            data["vehicle"],
            data["point"],
            data["visited"],
            tuple(data["not_delivered"]),
            tuple(data["not_collected"]),
        )


def _km(**kwargs: Any) -> fields.Float:
    return Amount(
        validate=validate.Range(0, MAX_KM, min_inclusive=False),
        metadata={"description": "km driven, as read off the odometer or trip meter"},
        **kwargs,
    )


class KmIn(Schema):
    """The km a run drove."""

    km = _km(required=True)


class RunKmIn(KmIn):
    """The km one vehicle's run drove."""

    vehicle = fields.String(required=True, validate=CODE)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> RunKm:
        return RunKm(data["vehicle"], data["km"])


class ResultsIn(Schema):
    """Stop results, the runs' km, or both (at least one of them)."""

    items = fields.List(
        fields.Nested(StopResultIn),
        load_default=list,
        validate=validate.Length(0, MAX_RESULTS),
    )
    runs = fields.List(
        fields.Nested(RunKmIn),
        load_default=list,
        validate=validate.Length(0, MAX_RUNS),
        metadata={"description": "the km each run drove (a correction replaces)"},
    )


class RunKmOut(Schema):
    """A run's km: planned, and driven as recorded."""

    vehicle = fields.Function(lambda run: run.vehicle.code, metadata={"type": "string"})
    km_planned = fields.Function(
        lambda run: run.distance_m / 1000,
        metadata={"type": "number", "description": "the planned distance"},
    )
    km_recorded = fields.Float(allow_none=True, metadata={"description": "driven"})
    km_recorded_at = LocalTime(allow_none=True)


class ResultsUploadIn(Schema):
    """The filled-in results sheet (CSV or XLSX)."""

    file = UploadedFile(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "CSV or XLSX"},
    )


class RecordSummaryOut(Schema):
    """What was recorded."""

    stops = fields.Integer(metadata={"description": "stops recorded"})
    visits = fields.Integer(metadata={"description": "rows added to the visit log"})
    delivered = fields.Integer()
    returned_to_centre = fields.Integer(metadata={"description": "not delivered"})
    collected = fields.Integer()
    not_collected = fields.Integer()
    done = fields.Boolean(metadata={"description": "every stop is now recorded"})
    km_recorded = fields.Integer(
        metadata={"description": "runs whose km driven were recorded"}
    )
