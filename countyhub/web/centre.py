"""The sorting centre's pages: scan parcels in, and give unresolved addresses a point.

Scan-in (``/centre/scan``) is a field that a USB barcode scanner types into, the
number then Enter.  Each scan records the parcel's arrival at the centre
(:func:`~countyhub.platform.plans.today.receive_parcel`, the API's scan ``to:
received``, the number checked with the API's scan schema) and answers in large
type with the parcel's point and today's run to it, or why not.  Without
JavaScript the form posts and the page answers with the field ready for the
next scan; ``centre.js`` sends each scan in the background to ``/centre/scan.json``
instead, queued so that none is dropped, lists the answers newest first and
plays a tone.  Both answers are drawn by the same template.

The unresolved addresses (``/centre/unresolved``) are listed with a field each to
assign a point by its code (:func:`~countyhub.platform.parcels.registry.
assign_point`).  The pages are open to whoever may assign points (dispatchers,
admins); the services check each action again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Flask, jsonify, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.utils import redirect

from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Permission, can, require
from countyhub.platform.county.reference import couriers_query
from countyhub.platform.county.service_points import points_query
from countyhub.platform.errors import IllegalTransition, InvalidInput, NotFound
from countyhub.platform.models import Courier, ServicePoint, User
from countyhub.platform.parcels import registry
from countyhub.platform.parcels.schemas import ScanBatchItemIn
from countyhub.platform.plans.today import Arrival, receive_parcel
from countyhub.web.labels import status_name

bp = Blueprint("centre", __name__, url_prefix="/centre")
PERMISSION = Permission.ASSIGN_POINTS


@dataclass(frozen=True, slots=True)
class Answer:
    """What the page says of one scan: in large type, and beneath it the detail."""

    waybill: str
    ok: bool  # False: a problem (the other tone)
    headline: str
    detail: str = ""
    status: int = 200  # of the page without JavaScript
    unresolved: bool = False  # link to the list to assign a point


def open_to(user: User) -> None:
    """Raise Forbidden unless ``user`` may use the sorting centre's pages."""
    require(user, PERMISSION, "the sorting centre's pages are for dispatchers")


def _user() -> User:
    user = actor()
    open_to(user)
    return user


@bp.get("/scan")
def scan_form() -> ResponseReturnValue:
    """The scan-in field, ready for the first scan."""
    return _scan_page(_user())


@bp.post("/scan")
def scan() -> ResponseReturnValue:
    """Record one scan; the page again, with its answer and the field empty."""
    answer = _scan(_user())
    return _scan_page(actor(), answer), answer.status


@bp.post("/scan.json")
def scan_json() -> ResponseReturnValue:
    """Record one scan; its answer as JSON, with the answer's HTML to list."""
    answer = _scan(_user())
    html = render_template("centre/answer.html", answer=answer).strip()
    body = {"waybill": answer.waybill, "ok": answer.ok, "html": html}
    return jsonify(body), answer.status


def _scan(user: User) -> Answer:
    waybill = request.form.get("waybill", "").strip()
    courier = request.form.get("courier", "").strip() or None
    try:
        item = ScanBatchItemIn().load(
            {"waybill": waybill, "to": "received", "courier": courier}
        )
    except ValidationError:
        detail = _("Scan or type a waybill number of at most 80 characters.")
        return _problem("", _("Not a waybill number"), detail, 422)
    try:
        arrival = receive_parcel(db_session(), user, item.waybill, courier=courier)
    except NotFound:
        detail = _("No parcel has this number: check it, or ask its depot.")
        return _problem(waybill, _("Unknown waybill"), detail, 404)
    except IllegalTransition as refused:
        detail = _(
            "Its status is “%(status)s”: it cannot be received now.",
            status=status_name(refused.current),
        )
        return _problem(waybill, _("Wrong status"), detail, 409)
    except InvalidInput:  # several couriers share the number
        detail = _("Several couriers use this number: choose the courier and scan.")
        return _problem(waybill, _("Name the courier"), detail, 422)
    return _arrived(arrival)


def _problem(waybill: str, headline: str, detail: str, status: int) -> Answer:
    return Answer(waybill, False, headline, detail, status)


def _arrived(arrival: Arrival) -> Answer:
    if not arrival.service_point:
        detail = _("Received, but its address found no service point: assign one.")
        return Answer(
            arrival.waybill, False, _("No service point"), detail, unresolved=True
        )
    run = arrival.run
    if run is None:
        detail = _("No run today: keep it for the next plan.")
    else:
        detail = _(
            "Today: %(vehicle)s (%(code)s), stop %(stop)d, about %(time)s.",
            vehicle=run.vehicle_name,
            code=run.vehicle,
            stop=run.stop,
            time=run.arrival,
        )
        if run.plan_state == "draft":
            detail += " " + _("The plan is still a draft.")
    return Answer(arrival.waybill, True, arrival.service_point, detail)


def _scan_page(user: User, answer: Answer | None = None) -> str:
    couriers = db_session().scalars(couriers_query(user).order_by(Courier.code))
    return render_template("centre/scan.html", answer=answer, couriers=list(couriers))


@bp.get("/unresolved")
def unresolved() -> ResponseReturnValue:
    """The parcels whose address found no point, each with a field to assign one."""
    user = _user()
    assigned = request.args.get("assigned", type=int)
    done = None
    if assigned:
        done = registry.view_parcel(
            user, registry.get_parcel(db_session(), user, assigned)
        )
    return _unresolved_page(user, done=done)


@bp.post("/unresolved/<int:parcel_id>")
def assign(parcel_id: int) -> ResponseReturnValue:
    """Give the parcel the point of the code entered; back to the list."""
    user = _user()
    session = db_session()
    parcel = registry.get_parcel(session, user, parcel_id)
    code = request.form.get("point", "").strip()
    if not code:
        problem = _("Enter the service point's code, or choose it from the list.")
        return _unresolved_page(user, {parcel_id: (code, problem)}), 422
    try:
        registry.assign_point(session, user, parcel, code)
    except NotFound:
        problem = _("No service point has this code; choose one from the list.")
        return _unresolved_page(user, {parcel_id: (code, problem)}), 422
    except InvalidInput:  # it left the centre meanwhile
        problem = _("This parcel has left the centre: its point can no longer change.")
        return _unresolved_page(user, {parcel_id: (code, problem)}), 422
    return redirect(url_for("centre.unresolved", assigned=parcel_id))


def _unresolved_page(
    user: User,
    problems: dict[int, tuple[str, str]] | None = None,
    done: Any = None,
) -> str:
    session = db_session()
    parcels = registry.unresolved_parcels(session, user)
    points = session.scalars(
        points_query(user, active=True).order_by(ServicePoint.code)
    )
    return render_template(
        "centre/unresolved.html",
        parcels=[(p, registry.view_parcel(user, p)) for p in parcels],
        points=list(points),
        problems=problems or {},
        done=done,
    )


def _menu() -> dict[str, Any]:
    return {"centre_pages": lambda who: who is not None and can(who, PERMISSION)}


def init_app(app: Flask) -> None:
    """Register the pages; let the layout's menu show them to those who may."""
    app.register_blueprint(bp)
    app.context_processor(_menu)
