"""The marshmallow schemas of reference data, shared by the REST API and web forms.

Couriers, depots, townships, villages, service points and vehicles. Inputs load into
plain dicts of the fields given, which the services of
:mod:`countyhub.platform.county.reference` apply: a ``*Patch`` schema takes any subset
of its ``*In`` schema's fields (PATCH), and an unknown field is refused. Every point is
WGS84 ``lon``/``lat`` with whether it is ``approximate`` and its ``coord_source``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing, validate

from countyhub.platform.county.points import CRS
from countyhub.platform.county.reference import TOWNSHIP_COORD_SOURCE, VEHICLE_KINDS
from countyhub.platform.schema_rules import (
    SPACE,
    Amount,
    ChangesSomething,
    Count,
    Flag,
    plain,
)

PHONE = validate.Regexp(r"^[0-9+\-() ]*$", error="digits, spaces, +, - and ( ) only")
WGS84 = {"description": "WGS84 decimal degrees"}
POVERTY = "a poverty village (贫困村) by the county's list; null: not declared"
Rule = Callable[[Any], Any]


def _code(longest: int) -> list[Rule]:
    """A code: 1 to ``longest`` characters, no spaces."""
    no_space = validate.Regexp(rf"^[^{SPACE}]+$", error="a code has no spaces")
    return [validate.Length(1, longest), no_space, plain]


def _text(longest: int, shortest: int = 1) -> list[Rule]:
    """A name-like field of ``shortest`` to ``longest`` characters; unless it may be
    empty, not only spaces."""
    rules: list[Rule] = [validate.Length(shortest, longest), plain]
    if shortest:
        rules.append(
            validate.Regexp(rf"^[{SPACE}]*[^{SPACE}]", error="may not be blank")
        )
    return rules


class _Patch(ChangesSomething):
    """Loads any subset of the fields: those left out are not changed."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("partial", True)
        super().__init__(**kwargs)
        for field in self.fields.values():  # no defaults: a PATCH fills nothing in
            field.load_default = missing


class CourierOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()


class DepotIn(Schema):
    """A courier's depot; ``courier`` is the courier's code (e.g. ``ZTO``)."""

    courier = fields.String(required=True, validate=_code(10))
    code = fields.String(required=True, validate=_code(30))
    name = fields.String(required=True, validate=_text(80))
    address = fields.String(load_default="", validate=_text(200, 0))


class DepotPatch(_Patch, DepotIn):
    """Any of a depot's fields."""


class DepotOut(Schema):
    id = fields.Integer()
    courier = fields.Function(lambda d: d.courier.code)
    courier_name = fields.Function(lambda d: d.courier.name)
    code = fields.String()
    name = fields.String()
    address = fields.String()


class DepotFilterArgs(Schema):
    courier = fields.String(
        load_default=None, validate=_code(10), metadata={"description": "its code"}
    )


class TownshipOut(Schema):
    """A township; its point is its seat, which the gazetteer loads without a
    source, so it is always reported approximate."""

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    lon = fields.Float(allow_none=True, metadata=WGS84)
    lat = fields.Float(allow_none=True, metadata=WGS84)
    approximate = fields.Constant(True)
    coord_source = fields.Function(
        lambda t: TOWNSHIP_COORD_SOURCE if t.lon is not None else ""
    )


class VillageOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    township = fields.Function(lambda v: v.township.code)
    township_name = fields.Function(lambda v: v.township.name)
    poverty = fields.Boolean(allow_none=True, metadata={"description": POVERTY})


class VillageFilterArgs(Schema):
    township = fields.String(
        load_default=None, validate=_code(12), metadata={"description": "its code"}
    )
    poverty = fields.Boolean(
        load_default=None,
        metadata={
            "description": "true: poverty villages; false: those declared not poor "
            "(the undeclared are in neither)"
        },
    )


class VillagePatch(ChangesSomething):
    """What an admin changes of a village: whether it is a poverty village."""

    poverty = Flag(allow_none=True, metadata={"description": POVERTY})


class PointOut(Schema):
    """A service point; the operator's phone is masked for everyone but admins."""

    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    village = fields.String(metadata={"description": "the village's code"})
    village_name = fields.String()
    township = fields.String(metadata={"description": "the township's code"})
    township_name = fields.String()
    lon = fields.Float(allow_none=True, metadata=WGS84)
    lat = fields.Float(allow_none=True, metadata=WGS84)
    approximate = fields.Boolean()
    coord_source = fields.String()
    active = fields.Boolean()
    poverty_village = fields.Boolean(
        allow_none=True,
        metadata={"description": "its village's flag; null: not declared"},
    )
    operator_name = fields.String()
    operator_phone = fields.String()
    cadence_days = fields.Integer()


class PointPatch(ChangesSomething):
    """What an admin changes of a point.  Coordinates come as ``lon`` and ``lat``
    with their ``crs``; they are stored in WGS84 and are then no longer approximate.
    """

    active = Flag()
    poverty_village = Flag()
    operator_name = fields.String(validate=_text(60, 0))
    operator_phone = fields.String(validate=[validate.Length(0, 30), PHONE, plain])
    cadence_days = Count(
        validate=validate.Range(1, 7),
        metadata={"description": "visit at least every so many days"},
    )
    lon = Amount(metadata={"description": "decimal degrees, in crs"})
    lat = Amount(metadata={"description": "decimal degrees, in crs"})
    crs = fields.String(
        validate=validate.OneOf(CRS),
        metadata={"description": "wgs84 (GPS) or gcj02 (AMap, Tencent maps)"},
    )
    coord_source = fields.String(
        validate=_text(200),
        metadata={"description": "where the point comes from (default: surveyed)"},
    )


class PointFilterArgs(Schema):
    township = fields.String(
        load_default=None, validate=_code(12), metadata={"description": "its code"}
    )
    active = fields.Boolean(load_default=None)
    poverty_village = fields.Boolean(load_default=None)


class VehicleIn(Schema):
    code = fields.String(required=True, validate=_code(20))
    name = fields.String(required=True, validate=_text(60))
    kind = fields.String(required=True, validate=validate.OneOf(VEHICLE_KINDS))
    capacity_parcels = Count(required=True, validate=validate.Range(1, 100_000))
    capacity_kg = Amount(
        required=True, validate=validate.Range(0, 100_000, min_inclusive=False)
    )
    shift_minutes = Count(
        load_default=480,
        validate=validate.Range(1, 24 * 60),
        metadata={"description": "the longest a run may take"},
    )
    active = Flag(load_default=True)


class VehiclePatch(_Patch, VehicleIn):
    """Any of a vehicle's fields."""


class VehicleOut(Schema):
    id = fields.Integer()
    code = fields.String()
    name = fields.String()
    kind = fields.String()
    capacity_parcels = fields.Integer()
    capacity_kg = fields.Float()
    shift_minutes = fields.Integer()
    active = fields.Boolean()


class VehicleFilterArgs(Schema):
    active = fields.Boolean(load_default=None)
    kind = fields.String(load_default=None, validate=validate.OneOf(VEHICLE_KINDS))
