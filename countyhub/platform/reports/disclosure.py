"""Public disclosure (信息公开): the county's monthly aggregates, for anyone.

Taken from the newest stored version of a month's province report, not computed
on request: what the public sees is exactly what the county reported (the same
figures, the same version), a month appears only once a report of it has been
built, and an anonymous request costs one row read, never the figures' queries.
Only county-wide aggregates go out — volumes, coverage, the cadence kept, the
48 h service level — nothing per parcel, per person or per service point.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ, utcnow
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import Report
from countyhub.platform.reports.versions import check_month


def published_months(session: Session) -> list[str]:
    """The months with a report, newest first."""
    rows = session.scalars(
        select(Report.month).group_by(Report.month).order_by(Report.month.desc())
    )
    return list(rows)


def public_monthly(
    session: Session, month: str, *, now: dt.datetime | None = None
) -> dict[str, Any]:
    """The aggregates of ``month``'s newest report.  Raises InvalidInput (not a
    month, or one to come), NotFound (no report of it)."""
    check_month(month)
    this_month = (now or utcnow()).astimezone(LOCAL_TZ).strftime("%Y-%m")
    if month >= this_month:
        raise InvalidInput(
            f"month {month} has not closed yet (this month is {this_month})",
            {"month": "not closed yet"},
        )
    newest = session.scalar(
        select(Report).where(
            Report.month == month,
            Report.version
            == select(func.max(Report.version))
            .where(Report.month == month)
            .scalar_subquery(),
        )
    )
    if newest is None:
        raise NotFound("published figures for the month", month)
    return aggregates(newest)


def aggregates(report: Report) -> dict[str, Any]:
    """The public part of a report version's content."""
    c = report.content
    cadence, within = c["cadence"], c["delivered_within_48h"]
    return {
        "county": c["county"],
        "month": report.month,
        "version": report.version,
        "volumes": {
            "inbound_received": c["inbound_received"]["total"],
            "inbound_delivered": c["inbound_delivered"]["total"],
            "outbound_registered": c["outbound_registered"]["total"],
        },
        "coverage": {
            "villages_served_percent": c["villages_served"]["percent"],
            "poverty_villages_served_percent": c["poverty_villages_served"]["percent"],
            "poverty_villages_declared": c["poverty_villages_served"]["declared"],
            "townships_with_point_percent": c["townships_with_point"]["percent"],
            "service_points_active": c["service_points"]["active"],
        },
        "cadence": {
            "points": cadence["points"],
            "points_kept": cadence["points_kept"],
            "visits_per_week_mean": cadence["mean"],
        },
        "service_level": {"delivered_within_48h_percent": within["percent"]},
    }
