"""The day's plans over HTTP: pin, make, read, publish, record the runs' results.

A day in a path is ``YYYY-MM-DD``; a vehicle or point code is what the reference
lists give.  Making a plan runs the planner inside the request, so the time a
client may give it is bounded (``plan_schemas.MAX_SECONDS``, below the 30 s a
gunicorn worker is given).  ``POST /plans`` answers 201 whether the day had no plan or a
draft that is planned again (its runs replaced, its pins kept); a published or
done plan is 409.  Results come as JSON or as the filled-in results sheet (CSV
or XLSX, uploaded as ``multipart/form-data`` like manifests); either is recorded
all or nothing, with the km the runs drove when given.  A run's km may also be
put on its own (``PUT …/runs/{vehicle}/km``), again to correct it.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path
from typing import Any

from flask import Response, current_app, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from werkzeug.datastructures import FileStorage
from werkzeug.routing import BaseConverter, ValidationError

from countyhub.api.auth import roles
from countyhub.api.idempotency import HEADER_DOC, idempotent
from countyhub.api.pagination import PageArgs, page_of, page_schema, take_page
from countyhub.edge.auth import actor
from countyhub.edge.transaction import commit_so_far, db_session
from countyhub.platform.accounts.roles import Permission, roles_with
from countyhub.platform.config import Settings
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import NotFound
from countyhub.platform.models import Plan
from countyhub.platform.plans import cycle as cycles
from countyhub.platform.plans import pins, results_file, sheet
from countyhub.platform.plans import plan as plans
from countyhub.platform.plans import results as plan_results
from countyhub.platform.plans.cycle_schemas import CycleMakeIn, CycleOut
from countyhub.platform.plans.result_schemas import (
    KmIn,
    RecordSummaryOut,
    ResultsIn,
    ResultsUploadIn,
    RouteIn,
    RunKmOut,
)
from countyhub.platform.plans.results_file import StopResult
from countyhub.platform.plans.schemas import (
    PinIn,
    PinOut,
    PlanFilterArgs,
    PlanMakeIn,
    PlanOut,
    PlanSummaryOut,
)

blp = Blueprint(
    "plans",
    __name__,
    url_prefix="/api/v1/plans",
    description="The day's plans: pins, runs and stops, publishing, results",
)
PLANNERS = roles_with(Permission.MAKE_PLANS)
READERS = roles_with(Permission.READ_PLANS)


class DayConverter(BaseConverter):
    """``YYYY-MM-DD`` or ``today`` (the county's) in a path, as a date; anything
    else matches no route (404)."""

    regex = r"(?:\d{4}-\d{2}-\d{2}|today)"

    def to_python(self, value: str) -> dt.date:
        if value == "today":
            return dt.datetime.now(LOCAL_TZ).date()
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            raise ValidationError() from None

    def to_url(self, value: Any) -> str:
        return value.isoformat() if isinstance(value, dt.date) else str(value)


class CodeConverter(BaseConverter):
    """A vehicle's or point's code in a path: 1–20 printable characters."""

    regex = r"[^/\x00-\x1f\x7f]{1,20}"


def day_param(_converter: BaseConverter) -> dict[str, Any]:
    """The OpenAPI schema of a ``day`` path parameter."""
    return {
        "anyOf": [{"type": "string", "format": "date"}, {"const": "today"}],
        "description": "YYYY-MM-DD, or today (in the county's time zone)",
    }


def code_param(_converter: BaseConverter) -> dict[str, Any]:
    """The OpenAPI schema of a ``code`` path parameter."""
    return {"type": "string", "minLength": 1, "maxLength": 20}


class PlanListArgs(PlanFilterArgs, PageArgs):
    """Filter and page."""


def _settings() -> Settings:
    return current_app.config["COUNTYHUB_SETTINGS"]  # type: ignore[no-any-return]


@blp.route("")
class PlanCollection(MethodView):
    @roles(*READERS)
    @blp.arguments(PlanListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(PlanSummaryOut, "PlanPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the plans in the order they were made, a page at a time."""
        user, page = actor(), take_page(args)
        query = plans.plans_query(user, **args).order_by(None)  # pages go by id
        return page_of(query, Plan.id, page)

    @roles(*PLANNERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(PlanMakeIn)
    @blp.response(201, PlanOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Plan a day; a draft is planned again (pins kept), a published plan is 409."""
        job = plans.prepare_plan(db_session(), actor(), settings=_settings(), **data)
        commit_so_far()  # the search holds no transaction: others go on meanwhile
        result = plans.solve_plan(job)
        plan = plans.save_plan(db_session(), actor(), job, result)
        return plan, {"Location": url_for("plans.PlanItem", day=plan.day)}


@blp.route("/cycle")
class PlanCycle(MethodView):
    @roles(*READERS)
    @blp.response(200, CycleOut)
    def get(self) -> Any:
        """The cycle the plans follow: each point's days in it."""
        session = db_session()
        return cycles.describe_cycle(session, cycles.current_cycle(session, actor()))

    @roles(*PLANNERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(CycleMakeIn)
    @blp.response(201, CycleOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Make the cycle anew (a longer search drives less); later plans follow it."""
        job = cycles.prepare_route_cycle(
            db_session(), actor(), settings=_settings(), **data
        )
        commit_so_far()  # the search holds no transaction: others go on meanwhile
        found = cycles.solve_cycle(job)
        made = cycles.save_route_cycle(db_session(), actor(), job, found)
        return cycles.describe_cycle(db_session(), made)


@blp.route("/<day:day>")
class PlanItem(MethodView):
    @roles(*READERS)
    @blp.response(200, PlanOut)
    def get(self, day: dt.date) -> Any:
        """The plan of a day: its runs, their stops, and what is left."""
        return _plan_of(day)


def _plan_of(day: dt.date) -> Plan:
    """The day's plan; a day without one is a 404 that says so."""
    try:
        return plans.get_plan(db_session(), actor(), day)
    except NotFound:
        raise NotFound(
            "plan", f"exists for {day}; POST /api/v1/plans makes one"
        ) from None


@blp.route("/<day:day>/publish")
class PlanPublish(MethodView):
    @roles(*PLANNERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.response(200, PlanOut)
    def post(self, day: dt.date) -> Any:
        """Publish the draft: its parcels to drop are loaded on their vehicles."""
        return plan_results.publish_plan(db_session(), actor(), day)


@blp.route("/<day:day>/results")
class PlanResults(MethodView):
    @roles(*PLANNERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(ResultsIn)
    @blp.response(200, RecordSummaryOut)
    def post(self, data: dict[str, Any], day: dt.date) -> Any:
        """Record what the runs did at up to 1,000 stops, and their km; all or
        nothing."""
        return plan_results.record_results(
            db_session(), actor(), day, data["items"], runs=data["runs"]
        )


@blp.route("/<day:day>/results/file")
class PlanResultsFile(MethodView):
    @roles(*PLANNERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(ResultsUploadIn, location="files")
    @blp.response(200, RecordSummaryOut)
    def post(self, data: dict[str, Any], day: dt.date) -> Any:
        """Record the filled-in results sheet (CSV or XLSX); all or nothing."""
        results = _read_upload(data["file"])
        return plan_results.record_results(db_session(), actor(), day, results)


def _read_upload(upload: FileStorage) -> list[StopResult]:
    """The upload read as a file of its own name, so that messages name it."""
    name = re.sub(r"[\\/\x00-\x1f]", "_", Path(upload.filename or "").name)[-60:]
    with tempfile.TemporaryDirectory(prefix="countyhub-") as folder:
        path = Path(folder) / (name if name.strip(". ") else "results")
        upload.save(path)
        return results_file.read_results(path)


@blp.route("/<day:day>/runs/<code:vehicle>/km")
class RunKm(MethodView):
    @roles(*PLANNERS)
    @blp.arguments(KmIn)
    @blp.response(200, RunKmOut)
    def put(self, data: dict[str, Any], day: dt.date, vehicle: str) -> Any:
        """Record the km the vehicle's run drove that day; again to correct it."""
        return plan_results.record_run_km(
            db_session(), actor(), day, vehicle, data["km"]
        )


@blp.route("/<day:day>/sheet")
class PlanSheet(MethodView):
    @roles(*READERS)
    @blp.response(
        200,
        {"type": "string"},
        content_type="text/csv",
        description="one row per stop; fill in visited, not_delivered, "
        "not_collected, and the run's km on one of its rows",
    )
    def get(self, day: dt.date) -> Any:
        """The results sheet of the plan, to fill in after the runs (CSV)."""
        text = sheet.results_sheet(_plan_of(day))
        return Response(
            text.encode("utf-8-sig"),  # the BOM: Excel then reads the names
            mimetype="text/csv",
            headers={
                "Content-Disposition": f'attachment; filename="results-{day}.csv"'
            },
        )


@blp.route("/<day:day>/pins")
class DayPins(MethodView):
    @roles(*READERS)
    @blp.response(200, PinOut(many=True))
    def get(self, day: dt.date) -> Any:
        """The day's pins: required visits, then the pinned routes in order."""
        return pins.list_pins(db_session(), actor(), day)

    @roles(*PLANNERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(PinIn)
    @blp.response(201, PinOut)
    def post(self, data: dict[str, Any], day: dt.date) -> Any:
        """Require a visit to a point that day (a pin already there is kept)."""
        return pins.pin_visit(db_session(), actor(), day, data["point"])


@blp.route("/<day:day>/pins/<code:point>")
class DayPin(MethodView):
    @roles(*PLANNERS)
    @blp.response(204)
    def delete(self, day: dt.date, point: str) -> None:
        """Unpin a point: a required visit, or a stop of a pinned route."""
        pins.unpin(db_session(), actor(), day, point_code=point)


@blp.route("/<day:day>/routes/<code:vehicle>")
class DayRoute(MethodView):
    @roles(*PLANNERS)
    @blp.arguments(RouteIn)
    @blp.response(200, PinOut(many=True))
    def put(self, data: dict[str, Any], day: dt.date, vehicle: str) -> Any:
        """Fix the vehicle's route that day to these points, in this order."""
        return pins.pin_route(db_session(), actor(), day, vehicle, data["points"])

    @roles(*PLANNERS)
    @blp.response(204)
    def delete(self, day: dt.date, vehicle: str) -> None:
        """Unpin the vehicle's route of that day."""
        pins.unpin(db_session(), actor(), day, vehicle_code=vehicle)
