"""The results sheet of a day's plan: the CSV template the dispatcher fills in.

One row per stop: the vehicle's and the point's codes, ``visited``,
``not_delivered``, ``not_collected`` and ``km`` (the run's km driven, on any one
row of the run) left blank, then for reference the point's name and the
waybills to drop and to collect.  Reading it back filled in
is :func:`countyhub.platform.plans.results_file.read_results`.
"""

from __future__ import annotations

import csv
import io

from countyhub.platform.models import Plan, PlanStop

SHEET_COLUMNS = (
    "vehicle",
    "point",
    "visited",
    "not_delivered",
    "not_collected",
    "km",
    "point_name",
    "drops",
    "collects",
)


def results_sheet(plan: Plan) -> str:
    """The CSV template of ``plan``'s results: one row per stop, visited blank.

    The columns after ``km`` (the point's name, the waybills to drop and to
    collect) are for reference; :func:`.read_results` ignores them.
    """
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(SHEET_COLUMNS)
    for run in plan.runs:
        for stop in run.stops:
            drops, collects = _on_stop(stop, "drop"), _on_stop(stop, "collect")
            point = stop.service_point
            blank = [""] * 4  # visited, not_delivered, not_collected, km
            row = [run.vehicle.code, point.code, *blank, point.name, drops, collects]
            writer.writerow(row)
    return out.getvalue()


def _on_stop(stop: PlanStop, action: str) -> str:
    return " ".join(
        sorted(i.parcel.waybill_no for i in stop.parcels if i.action == action)
    )
