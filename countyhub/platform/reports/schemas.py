"""The marshmallow schemas of the province report's API and of public disclosure.

In: a month to build (``YYYY-MM``), a list's filter, an export's format, a
public month.  Out: a version with its delivery and attempts (the content as it
was stored, laid out by ``schema/report-v1.json``), the public aggregates.
Times are written in Asia/Shanghai; shares are percentages (null: nothing to
divide by).
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from countyhub.platform.reports.exports import FORMATS
from countyhub.platform.reports.states import DeliveryState
from countyhub.platform.schema_rules import LocalTime, Pattern

MONTH = r"^20[0-9]{2}-(0[1-9]|1[0-2])$"  # as versions.check_month


def _month(**kwargs: object) -> fields.String:
    return fields.String(
        validate=[Pattern(MONTH, "a month YYYY-MM from 2000-01 to 2099-12")],
        metadata={"description": "YYYY-MM, a closed month"},
        **kwargs,  # type: ignore[arg-type]
    )


class BuildIn(Schema):
    """The month to build."""

    month = _month(required=True)


class ReportFilterArgs(Schema):
    month = _month(load_default=None)


class ExportArgs(Schema):
    format = fields.String(
        load_default="json",
        validate=validate.OneOf(list(FORMATS)),
        metadata={"description": "json (canonical, as hashed and sent), xlsx, pdf"},
    )


class PublicArgs(Schema):
    month = _month(required=True)


class AttemptOut(Schema):
    started_at = LocalTime()
    finished_at = LocalTime(allow_none=True)
    status_code = fields.Integer(
        allow_none=True, metadata={"description": "null: no answer"}
    )
    answer = fields.String(metadata={"description": "the start of the answer or error"})
    duration_s = fields.Float(allow_none=True)


class DeliveryOut(Schema):
    webhook_id = fields.String()
    state = fields.String(validate=validate.OneOf([s.value for s in DeliveryState]))
    attempts = fields.Integer()
    next_attempt_at = LocalTime(allow_none=True)
    delivered_at = LocalTime(allow_none=True)
    last_error = fields.String(allow_none=True)


class DeliveryDetailOut(DeliveryOut):
    attempt_log = fields.List(fields.Nested(AttemptOut))


class ReportSummaryOut(Schema):
    id = fields.Integer()
    month = fields.String()
    version = fields.Integer()
    content_hash = fields.String(
        metadata={"description": "SHA-256 of the canonical JSON"}
    )
    schema_version = fields.String()
    built_at = LocalTime()
    built_by = fields.Function(
        lambda r: r.built_by.username if r.built_by else None,
        metadata={"type": ["string", "null"]},
    )
    delivery = fields.Nested(
        DeliveryOut,
        attribute="outbox",
        allow_none=True,
        metadata={"description": "null: not queued (no province configured)"},
    )


class ReportOut(ReportSummaryOut):
    """A version with its content, its delivery and every attempt."""

    content = fields.Dict(metadata={"description": "as GET /reports/schema says"})
    delivery = fields.Nested(
        DeliveryDetailOut,
        attribute="outbox",
        allow_none=True,
        metadata={"description": "null: not queued (no province configured)"},
    )


class MonthsOut(Schema):
    months = fields.List(fields.String(), metadata={"description": "newest first"})


class _PublicVolumes(Schema):
    inbound_received = fields.Integer()
    inbound_delivered = fields.Integer()
    outbound_registered = fields.Integer()


class _PublicCoverage(Schema):
    villages_served_percent = fields.Float(allow_none=True)
    poverty_villages_served_percent = fields.Float(
        allow_none=True, metadata={"description": "null: not declared"}
    )
    poverty_villages_declared = fields.Boolean()
    townships_with_point_percent = fields.Float(allow_none=True)
    service_points_active = fields.Integer()


class _PublicCadence(Schema):
    points = fields.Integer()
    points_kept = fields.Integer()
    visits_per_week_mean = fields.Float(allow_none=True)


class _PublicService(Schema):
    delivered_within_48h_percent = fields.Float(allow_none=True)


class _County(Schema):
    code = fields.String()
    name = fields.String()


class PublicMonthlyOut(Schema):
    """The county's aggregates of one month: no person, parcel or point."""

    county = fields.Nested(_County)
    month = fields.String()
    version = fields.Integer(metadata={"description": "of the report they come from"})
    volumes = fields.Nested(_PublicVolumes)
    coverage = fields.Nested(_PublicCoverage)
    cadence = fields.Nested(_PublicCadence)
    service_level = fields.Nested(_PublicService)
