"""The marshmallow schemas of the figures, for the REST API.

In: the period (``month`` or ``from``/``to``) and a township's code, as a query.
Out: each figure's dataclass as it is; days are local dates (Asia/Shanghai),
durations seconds, shares fractions from 0 to 1 (null: nothing to divide by),
money strings of yuan to the fen ("6.80").
"""

from __future__ import annotations

from typing import Any

from marshmallow import Schema, fields

from countyhub.platform.schema_rules import Pattern, text

MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])$"


class StatsArgs(Schema):
    """A month, or from/to dates (both days included); optionally a township."""

    month = fields.String(
        load_default=None,
        validate=[Pattern(MONTH, "a month YYYY-MM")],
        metadata={"description": "YYYY-MM, up to the current month"},
    )
    start = fields.Date(
        data_key="from",
        load_default=None,
        metadata={"description": "first day (with to; not with month)"},
    )
    end = fields.Date(
        data_key="to",
        load_default=None,
        metadata={"description": "last day, at most 366 days after from"},
    )
    township = fields.String(
        load_default=None,
        validate=text(12, 1),
        metadata={"description": "a township's code, e.g. 360926105"},
    )


def _nested(schema: type[Schema], **kwargs: Any) -> fields.Nested:
    return fields.Nested(schema, **kwargs)


def _yuan() -> fields.Decimal:
    """An amount of yuan to the fen, written as a string ("6.80")."""
    return fields.Decimal(
        as_string=True,
        places=2,
        metadata={
            "type": "string",
            "pattern": r"^[0-9]+\.[0-9]{2}$",
            "description": "yuan, to the fen",
        },
    )


def _many(schema: type[Schema]) -> fields.List:
    return fields.List(fields.Nested(schema))


class PeriodOut(Schema):
    start = fields.Date()
    end = fields.Date()


class _Figure(Schema):
    period = _nested(PeriodOut)
    township = fields.String(allow_none=True, metadata={"description": "its code"})


class CountOut(Schema):
    code = fields.String(allow_none=True, metadata={"description": "null: not known"})
    name = fields.String()
    parcels = fields.Integer()


class DayCountOut(Schema):
    day = fields.Date()
    parcels = fields.Integer()


class SpanCountOut(Schema):
    label = fields.String(metadata={"description": "2026-W40 or 2026-10"})
    first = fields.Date()
    last = fields.Date()
    parcels = fields.Integer()


class FlowOut(Schema):
    total = fields.Integer()
    by_day = _many(DayCountOut)
    by_week = _many(SpanCountOut)
    by_month = _many(SpanCountOut)
    by_courier = _many(CountOut)
    by_township = _many(CountOut)
    by_village = _many(CountOut)
    by_point = _many(CountOut)
    by_category = _many(CountOut)


class VolumesOut(_Figure):
    """Inbound received at the centre, handed over, and outbound registered."""

    inbound = _nested(FlowOut)
    delivered = _nested(FlowOut)
    outbound = _nested(FlowOut)


class ReturnsOut(Schema):
    total = fields.Integer()
    from_point = fields.Integer()
    from_centre = fields.Integer()


class WaitingOut(Schema):
    status = fields.String()
    parcels = fields.Integer()


class ServiceLevelOut(_Figure):
    """The 48-hour promise, dwell at the point, returns and overdue parcels."""

    received = fields.Integer()
    due = fields.Integer()
    within_48h = fields.Integer()
    share_within_48h = fields.Float(allow_none=True)
    handed_over = fields.Integer()
    dwell_median_s = fields.Float(allow_none=True)
    dwell_p90_s = fields.Float(allow_none=True)
    returns = _nested(ReturnsOut)
    brought_back = fields.Integer()
    unresolved = fields.Integer()
    overdue = fields.Integer()
    overdue_by_status = _many(WaitingOut)


class GapOut(Schema):
    after = fields.Date()
    until = fields.Date()
    days = fields.Integer()


class BreachOut(Schema):
    point = fields.String()
    name = fields.String()
    cadence_days = fields.Integer()
    last_visit = fields.Date(allow_none=True)
    next_visit = fields.Date(allow_none=True)
    due = fields.Date()
    days_without = fields.Integer()


class PointCadenceOut(Schema):
    point = fields.String()
    name = fields.String()
    township = fields.String(metadata={"description": "its code"})
    township_name = fields.String()
    cadence_days = fields.Integer()
    visits = fields.Integer()
    visits_per_week = fields.Float()
    gaps = _many(GapOut)
    longest_gap_days = fields.Integer(allow_none=True)
    breaches = _many(BreachOut)


class CadenceOut(_Figure):
    """Visits, gaps and breaches of the rule, per active point."""

    observed_until = fields.Date()
    points = _many(PointCadenceOut)
    visits_per_week_mean = fields.Float(allow_none=True)
    visits_per_week_min = fields.Float(allow_none=True)
    breaches = _many(BreachOut)


class ShareOut(Schema):
    count = fields.Integer()
    total = fields.Integer()
    share = fields.Float(allow_none=True)


class CoverageOut(_Figure):
    """Villages, poverty villages and townships reached; points active."""

    villages = _nested(ShareOut)
    poverty_declared = fields.Boolean()
    poverty_villages = _nested(
        ShareOut, allow_none=True, metadata={"description": "null: not declared"}
    )
    townships = _nested(ShareOut)
    points_active = fields.Integer()
    points_total = fields.Integer()


class FleetOut(_Figure):
    """Runs, vehicles and km of the plans that went out."""

    runs = fields.Integer()
    vehicles = fields.Integer()
    km_planned = fields.Float()
    km_recorded = fields.Float(
        allow_none=True,
        metadata={"description": "km driven, over the runs that have them recorded"},
    )
    km_recorded_reason = fields.String(
        allow_none=True,
        metadata={"description": "null: every run has its km driven recorded"},
    )
    runs_recorded = fields.Integer(metadata={"description": "runs with km recorded"})
    parcels_planned = fields.Integer()
    parcels_per_km = fields.Float(
        allow_none=True, metadata={"description": "per planned km"}
    )
    parcels_per_km_recorded = fields.Float(
        allow_none=True,
        metadata={"description": "the recorded runs' parcels per their km recorded"},
    )


class ConsentKindOut(Schema):
    consent = fields.String()
    handovers = fields.Integer()


class ConsentOut(_Figure):
    """Hand-overs with the villager's consent on file, and without."""

    handovers = fields.Integer()
    with_consent = fields.Integer()
    without_consent = fields.Integer()
    by_kind = _many(ConsentKindOut)


class CourierStatementOut(Schema):
    courier = fields.String()
    name = fields.String()
    delivered = fields.Integer()
    returned = fields.Integer()
    collected = fields.Integer()
    parcels = fields.Integer()
    fee_per_parcel = _yuan()
    amount = _yuan()


class StatementsOut(_Figure):
    """Each courier's statement (对账单) of the period."""

    fee_per_parcel = _yuan()
    couriers = _many(CourierStatementOut)
    parcels = fields.Integer()
    amount = _yuan()
