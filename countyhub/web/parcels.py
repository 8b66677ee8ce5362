"""The depot's parcels: register one, list and search them, one with its timeline.

The form registers through the same schema and service as ``POST /api/v1/
parcels`` (:class:`~countyhub.platform.intake.schemas.ParcelIn`,
:func:`~countyhub.platform.intake.registration.register_parcel`); the courier is
the depot's.  Its waybill number is checked as the clerk types, where JavaScript
runs, by asking :func:`check` (the courier's own rule from
:mod:`countyhub.couriers`), and again by the service on posting; each problem is
shown beside its field.  The list is the API's (:func:`~countyhub.platform.
parcels.registry.parcels_query`: what the reader may see, masked by
:func:`~countyhub.platform.parcels.registry.view_parcel`), a page at a time by
keyset on the id, newest or oldest first.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask import Blueprint, Flask, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError, fields, validate
from werkzeug.utils import redirect

from countyhub.couriers import MAX_WAYBILL_LENGTH, check_waybill
from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.county.service_points import points_query
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.errors import IllegalTransition, InvalidInput
from countyhub.platform.intake import registration
from countyhub.platform.intake.rows import MAX_PIECES, MAX_WEIGHT_KG, Result
from countyhub.platform.intake.schemas import ParcelIn
from countyhub.platform.models import Parcel, ServicePoint, User
from countyhub.platform.parcels import registry
from countyhub.platform.parcels.schemas import STATUSES, ParcelFilterArgs
from countyhub.web import depot

bp = Blueprint("parcel_pages", __name__, url_prefix="/depot/parcels")

PAGE = 50
FIELDS = ("waybill", "address", "recipient_name", "recipient_phone", "weight_kg")
FIELDS += ("pieces",)


class ParcelForm(ParcelIn):
    """The API's parcel as a form sends it: the numbers come as text."""

    weight_kg = fields.Float(
        load_default=None,
        validate=validate.Range(0, MAX_WEIGHT_KG, min_inclusive=False),
    )
    pieces = fields.Integer(load_default=1, validate=validate.Range(1, MAX_PIECES))


class SearchArgs(ParcelFilterArgs):
    """The list's filters (the API's, plus the number and the local days) and page."""

    waybill = fields.String(validate=validate.Length(1, MAX_WAYBILL_LENGTH))
    village = fields.String(validate=validate.Length(1, 20))
    day_from = fields.Date()
    day_to = fields.Date()
    order = fields.String(
        load_default="newest", validate=validate.OneOf(["newest", "oldest"])
    )
    after = fields.Integer(validate=validate.Range(1, 2**31 - 1))


@bp.get("")
def index() -> ResponseReturnValue:
    """The parcels the reader may see, filtered, a page at a time."""
    user = actor()
    given = {k: v.strip() for k, v in request.args.items() if v.strip()}
    try:
        args = SearchArgs().load(given, unknown=EXCLUDE)
    except ValidationError as invalid:
        return _list(user, given, [], None, _beside(invalid.messages), 422)
    query = registry.parcels_query(user, _filter(args))
    newest = args["order"] == "newest"
    if "after" in args:
        after = args["after"]
        query = query.where(Parcel.id < after if newest else Parcel.id > after)
    order = Parcel.id.desc() if newest else Parcel.id
    rows = list(db_session().scalars(query.order_by(order).limit(PAGE + 1)))
    more = rows[PAGE - 1].id if len(rows) > PAGE else None
    views = [registry.view_parcel(user, p) for p in rows[:PAGE]]
    return _list(user, given, views, more, {}, 200)


def _filter(args: dict[str, Any]) -> registry.ParcelFilter:
    """The API's filter: the village's point, and whole days in Asia/Shanghai."""
    after_to = args["day_to"] + dt.timedelta(days=1) if "day_to" in args else None
    return registry.ParcelFilter(
        waybill=args.get("waybill"),
        status=args.get("status"),
        service_point=args.get("village"),
        registered_from=_midnight(args.get("day_from")),
        registered_to=_midnight(after_to),
    )


def _midnight(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(), LOCAL_TZ) if day else None


def _list(
    user: User,
    given: dict[str, str],
    parcels: list[registry.ParcelView],
    more: int | None,
    problems: dict[str, str],
    status: int,
) -> ResponseReturnValue:
    points = db_session().scalars(points_query(user).order_by(ServicePoint.code))
    following = {**given, "after": more} if more else None
    page = render_template(
        "parcels/list.html",
        given=given,
        parcels=parcels,
        problems=problems,
        statuses=STATUSES,
        points=points,
        next_url=url_for("parcel_pages.index", **following) if following else None,
        most=MAX_WAYBILL_LENGTH,
    )
    return page, status


@bp.get("/new")
def new() -> ResponseReturnValue:
    """The form to register one parcel."""
    user = actor()
    depot.open_to(user)
    return _form(user, {}, {})


@bp.post("/new")
def register() -> ResponseReturnValue:
    """Register the parcel; on to its page, else the form with the problems."""
    user = actor()
    depot.open_to(user)
    given = {k: request.form.get(k, "").strip() for k in (*FIELDS, "depot")}
    chosen, wrong_depot = depot.acting_depot(db_session(), user, given["depot"])
    if chosen is None:
        return _form(user, given, {"depot": wrong_depot or ""}, 422)
    data = {k: v for k, v in given.items() if v and k in FIELDS}
    try:
        item = ParcelForm().load({**data, "courier": chosen.courier.code})
        outcome = registration.register_parcel(db_session(), user, item, depot=chosen)
    except ValidationError as invalid:
        return _form(user, given, _beside(invalid.messages), 422)
    except InvalidInput as rejected:
        return _form(user, given, rejected.problems or {"": str(rejected)}, 422)
    except IllegalTransition:
        changed = _(
            "This parcel was registered before and has moved on since:"
            " it can no longer be changed here."
        )
        return _form(user, given, {"waybill": changed}, 409)
    shown = {"parcel_id": outcome.parcel_id, "result": outcome.result}
    return redirect(url_for("parcel_pages.show", **shown), 303)


def _beside(messages: Any) -> dict[str, str]:
    """marshmallow's messages, one line per field."""
    return {
        field: " ".join(m if isinstance(m, str) else str(m) for m in found)
        if isinstance(found, list)
        else str(found)
        for field, found in messages.items()
    }


def _form(
    user: User, given: dict[str, str], problems: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    own = user.depot
    page = render_template(
        "parcels/new.html",
        given=given,
        problems=problems,
        own_depot=own,
        depots=depot.depots(db_session(), user),
        most=MAX_WAYBILL_LENGTH,
    )
    return page, status


@bp.get("/check")
def check() -> ResponseReturnValue:
    """The courier's waybill rule on a number being typed (JSON): ``ok`` and the
    reason or the warning."""
    user = actor()
    depot.open_to(user)
    waybill = request.args.get("waybill", "")[: MAX_WAYBILL_LENGTH + 1]
    chosen, problem = depot.acting_depot(
        db_session(), user, request.args.get("depot", "")
    )
    if chosen is None:
        return jsonify(ok=None, message=problem)
    verdict = check_waybill(chosen.courier.code, waybill)
    return jsonify(ok=verdict.ok, message=verdict.reason or verdict.warning or "")


@bp.get("/<int(max=2147483647):parcel_id>")
def show(parcel_id: int) -> ResponseReturnValue:
    """One parcel (masked as the API masks it) and its timeline."""
    user = actor()
    session = db_session()
    parcel = registry.get_parcel(session, user, parcel_id)
    result = request.args.get("result")
    return render_template(
        "parcels/show.html",
        parcel=registry.view_parcel(user, parcel),
        events=registry.timeline(session, user, parcel),
        result=result if result in tuple(Result) else None,
    )


def init_app(app: Flask) -> None:
    """Register the depot's parcel pages."""
    app.register_blueprint(bp)
