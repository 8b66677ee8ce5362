"""The marshmallow schemas of parcels, shared by the REST API and the web forms.

Input schemas load into the platform's own dataclasses (``ParcelInput``,
``ScanRequest``), so a view passes what it loaded straight to a service.  Output
schemas dump the platform's views, which are already masked for their reader.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields, post_load, validate

from countyhub.couriers import MAX_WAYBILL_LENGTH
from countyhub.platform.parcels.categories import CODES, Category
from countyhub.platform.parcels.scans import CONSENT, ScanRequest
from countyhub.platform.parcels.statuses import Direction, Status
from countyhub.platform.schema_rules import SPACE, LocalTime, Moment, text

STATUSES = [s.value for s in Status]
DIRECTIONS = [d.value for d in Direction]
MAX_SCAN_BATCH = 1_000
CATEGORY_DOC = (
    "product category of an outbound parcel (农产品上行); an inbound one has none: "
    + ", ".join(f"{c.value} ({c.zh}, {c.en})" for c in Category)
)


def category_field(**kwargs: Any) -> fields.String:
    """The product category field: one of the codes, or null (none)."""
    return fields.String(
        allow_none=True,
        validate=validate.OneOf(CODES),
        metadata={"description": CATEGORY_DOC},
        **kwargs,
    )


class ParcelOut(Schema):
    """A parcel; recipient name and phone are masked unless the reader needs them."""

    id = fields.Integer()
    waybill = fields.String()
    courier = fields.String()
    direction = fields.String()
    status = fields.String()
    status_zh = fields.String()
    recipient_name = fields.String()
    recipient_phone = fields.String()
    address = fields.String()
    address_state = fields.String()
    service_point = fields.String()
    approximate_point = fields.Boolean(
        allow_none=True,
        metadata={"description": "whether the point's coordinates are approximate"},
    )
    weight_kg = fields.Float(allow_none=True)
    pieces = fields.Integer()
    category = category_field()
    registered_at = LocalTime()


class EventOut(Schema):
    id = fields.Integer()
    at = LocalTime()
    kind = fields.String()
    from_status = fields.String(allow_none=True)
    to_status = fields.String(allow_none=True)
    place = fields.String()
    service_point = fields.Function(
        lambda e: e.service_point.code if e.service_point else None, allow_none=True
    )
    actor = fields.Function(
        lambda e: e.actor.username if e.actor else None, allow_none=True
    )


class ScanIn(Schema):
    """One step: the status to move to, and for a hand-over the pickup code and
    how the villager consented."""

    to = fields.String(required=True, validate=validate.OneOf(STATUSES))
    pickup_code = fields.String(load_default=None, validate=text(8, 1))
    consent = fields.String(load_default=None, validate=validate.OneOf(CONSENT))
    note = fields.String(load_default="", validate=text(500, 0))
    at = Moment(
        load_default=None,
        metadata={
            "description": "when it happened (default: now), with its UTC offset; "
            "not before the parcel's previous step, nor in the future"
        },
    )


class ScanBatchItemIn(ScanIn):
    waybill = fields.String(required=True, validate=text(80, 1))
    courier = fields.String(load_default=None, validate=text(40))

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> ScanRequest:
        return ScanRequest(**data)


class ScanBatchIn(Schema):
    items = fields.List(
        fields.Nested(ScanBatchItemIn),
        required=True,
        validate=validate.Length(1, MAX_SCAN_BATCH),
    )


class ScanResultOut(Schema):
    index = fields.Integer()
    waybill = fields.String()
    ok = fields.Boolean()
    status = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    problem = fields.String(allow_none=True)


class ParcelFilterArgs(Schema):
    courier = fields.String(
        load_default=None,
        validate=[
            *text(40),
            validate.Regexp(rf"^[{SPACE}]*[^{SPACE}]", error="empty courier code"),
        ],
    )
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    service_point = fields.String(load_default=None, validate=text(20))
    direction = fields.String(load_default=None, validate=validate.OneOf(DIRECTIONS))
    address_state = fields.String(
        load_default=None,
        validate=validate.OneOf(["resolved", "unresolved", "assigned", "outbound"]),
    )
    registered_from = Moment(load_default=None)
    registered_to = Moment(load_default=None)


class TrackArgs(Schema):
    """The number to look up: longer than any courier's is refused (422), not
    looked for."""

    waybill = fields.String(
        required=True, validate=validate.Length(1, MAX_WAYBILL_LENGTH)
    )


class TrackedStepOut(Schema):
    at = LocalTime()
    status = fields.String()
    status_zh = fields.String()
    place = fields.String()


class TrackedOut(Schema):
    courier = fields.String()
    waybill = fields.String()
    direction = fields.String()
    status = fields.String()
    status_zh = fields.String()
    service_point = fields.String()
    steps = fields.List(fields.Nested(TrackedStepOut))
