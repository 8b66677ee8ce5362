"""The marshmallow schemas of registration: parcels one by one or in batches, manifest
uploads and import reports.

:class:`ManifestUploadIn` reads a multipart form: the file (any binary file object
with a ``filename``, as the web server hands it over) and how to take it in; it
loads into :class:`~countyhub.platform.intake.imports.ManifestUpload`.
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, ValidationError, fields, post_load, validate

from countyhub.platform.intake.imports import ManifestUpload
from countyhub.platform.intake.rows import (
    MAX_ADDRESS,
    MAX_NAME,
    MAX_PIECES,
    MAX_WEIGHT_KG,
    PHONE_LENGTH,
    ParcelInput,
)
from countyhub.platform.parcels.schemas import ParcelOut, category_field
from countyhub.platform.parcels.statuses import Direction
from countyhub.platform.schema_rules import Amount, Count, LocalTime, text

SEVERITIES = ("error", "warning")
DIRECTIONS = [d.value for d in Direction]


class UploadedFile(fields.Field):
    """A file part of a multipart form, passed on as the file object itself."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not callable(getattr(value, "read", None)):
            raise ValidationError("send the manifest as a file part named 'file'")
        return value


class ManifestUploadIn(Schema):
    """A manifest file (CSV or XLSX; UTF-8 or GB18030) and how to take it in."""

    file = UploadedFile(
        required=True,
        metadata={"type": "string", "format": "binary", "description": "CSV or XLSX"},
    )
    courier = fields.String(
        load_default=None,
        validate=validate.Length(1, 40),
        metadata={"description": "courier of the whole file, if it has no column"},
    )
    depot = fields.String(
        load_default=None,
        validate=validate.Length(1, 30),
        metadata={"description": "code of the depot that hands the parcels over"},
    )
    atomic = fields.Boolean(
        load_default=False,
        metadata={"description": "all or nothing: any bad row stops the file"},
    )

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> ManifestUpload:
        upload = data.pop("file")
        name = getattr(upload, "filename", None) or "upload"
        return ManifestUpload(file=upload, filename=str(name), **data)


class ImportProblemOut(Schema):
    """One row-level finding: file row, column, value and reason."""

    id = fields.Integer()
    row = fields.Integer(metadata={"description": "row (line) of the file"})
    column = fields.String()
    value = fields.String(metadata={"description": "names and phones masked"})
    reason = fields.String()
    severity = fields.String(metadata={"description": "error or warning"})


class ImportCountsOut(Schema):
    new = fields.Integer()
    known = fields.Integer()
    updated = fields.Integer()
    conflict = fields.Integer()
    rejected = fields.Integer()


class ImportOut(Schema):
    """An import's summary: file, state and counts."""

    id = fields.Integer()
    filename = fields.String()
    format = fields.String(metadata={"description": "csv or xlsx"})
    encoding = fields.String(metadata={"description": "CSV: utf-8 or gb18030"})
    state = fields.String(metadata={"description": "running, done or failed"})
    message = fields.String()
    atomic = fields.Boolean()
    depot = fields.String(allow_none=True)
    courier = fields.String(allow_none=True)
    actor = fields.String(allow_none=True)
    started_at = LocalTime()
    finished_at = LocalTime(allow_none=True)
    rows = fields.Integer()
    counts = fields.Nested(ImportCountsOut)
    unresolved = fields.Integer(
        metadata={"description": "addresses to assign to a service point by hand"}
    )


class ImportReportOut(ImportOut):
    """An import's report: its summary, and the first of its problems."""

    problem_count = fields.Integer()
    problems = fields.List(
        fields.Nested(ImportProblemOut),
        metadata={"description": "the first 20; all in pages at .../problems"},
    )


class ProblemFilterArgs(Schema):
    severity = fields.String(load_default=None, validate=validate.OneOf(SEVERITIES))


MAX_BATCH = 10_000


class ParcelIn(Schema):
    """A parcel to register.  ``courier`` may be left out by a depot's own key."""

    waybill = fields.String(required=True, validate=text(80, 1))
    address = fields.String(required=True, validate=text(MAX_ADDRESS, 1))
    courier = fields.String(load_default=None, validate=text(40, 1))
    recipient_name = fields.String(load_default="", validate=text(MAX_NAME, 0))
    recipient_phone = fields.String(load_default="", validate=text(PHONE_LENGTH[1], 0))
    weight_kg = Amount(
        load_default=None,
        allow_none=True,
        validate=validate.Range(0, MAX_WEIGHT_KG, min_inclusive=False),
    )
    pieces = Count(load_default=1, validate=validate.Range(1, MAX_PIECES))
    direction = fields.String(
        load_default="inbound", validate=validate.OneOf(DIRECTIONS)
    )
    service_point = fields.String(
        load_default=None,
        validate=text(20),
        metadata={"description": "code of the point an outbound parcel leaves from"},
    )
    category = category_field(load_default=None)

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> ParcelInput:
        return ParcelInput(**data)


class BatchIn(Schema):
    items = fields.List(
        fields.Nested(ParcelIn), required=True, validate=validate.Length(1, MAX_BATCH)
    )


class ProblemOut(Schema):
    row = fields.Integer(metadata={"description": "1-based position in the batch"})
    column = fields.String()
    value = fields.String()
    reason = fields.String()
    severity = fields.String()


class OutcomeOut(Schema):
    row = fields.Integer()
    result = fields.String(
        metadata={"description": "new, known, updated, conflict or rejected"}
    )
    waybill = fields.String()
    parcel_id = fields.Integer(allow_none=True)
    resolved = fields.Boolean(allow_none=True)
    problems = fields.List(fields.Nested(ProblemOut))


class BatchOut(Schema):
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    results = fields.List(fields.Nested(OutcomeOut))


class RegisteredOut(Schema):
    result = fields.String()
    parcel = fields.Nested(ParcelOut)
    problems = fields.List(fields.Nested(ProblemOut))
