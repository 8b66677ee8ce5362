"""The village service point operator's pages, made for a phone.

The parcels waiting at the operator's own point (:func:`~countyhub.platform.
parcels.waiting.waiting_parcels`: oldest first, days waiting, masked); one
parcel's hand-over page, the only page that shows its recipient's name and phone
whole (:func:`~countyhub.platform.parcels.registry.view_parcel`), where the
operator hands it over against its pickup code with the villager's consent, or
sends it back (a return or a refusal) with the reason; and the form that
registers an outbound farm-product parcel at the point.  Each step goes through
the API's schema and service (:class:`~countyhub.platform.parcels.schemas.ScanIn`
and :func:`~countyhub.platform.parcels.scans.record_scan`;
:class:`~countyhub.platform.intake.schemas.ParcelIn` and
:func:`~countyhub.platform.intake.registration.register_parcel`), and each
problem is shown beside its field; a pickup code tried too often locks the
hand-over for a while (:mod:`~countyhub.edge.handover`), said beside the code.
Another point's parcel is a 404, as in the API; any other role gets the 403
page.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, current_app, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from werkzeug.utils import redirect

from countyhub.couriers import MAX_WAYBILL_LENGTH
from countyhub.edge import handover
from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Role
from countyhub.platform.county.reference import couriers_query
from countyhub.platform.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    PickupLocked,
    WrongPickupCode,
)
from countyhub.platform.intake import registration
from countyhub.platform.intake.schemas import ParcelIn
from countyhub.platform.models import Courier, User
from countyhub.platform.parcels import registry
from countyhub.platform.parcels.categories import Category
from countyhub.platform.parcels.schemas import ScanIn
from countyhub.platform.parcels.statuses import Direction, Status
from countyhub.platform.parcels.waiting import waiting_parcels
from countyhub.web import i18n

bp = Blueprint("points", __name__, url_prefix="/point")

OUTBOUND_FIELDS = ("courier", "waybill", "recipient_name", "recipient_phone")
OUTBOUND_FIELDS += ("address", "weight_kg", "pieces", "category")
# how the villager agreed to the hand-over: the API's codes (scans.CONSENT)
CONSENTS = {
    "picked_up": _l("Picked up in person at the service point"),
    "consented_station": _l("Agreed that the point keeps it until collected"),
    "agreed_method": _l("Collected in another way the villager agreed to"),
}
REASONS = (
    _l("Refused by the recipient"),
    _l("Not collected in time"),
    _l("Damaged"),
    _l("Wrong address"),
)
# what a clerk can act on, in place of marshmallow's English, per field
MESSAGES = {
    "pickup_code": _l("Enter the pickup code the villager gives (up to 8 characters)."),
    "consent": _l("Choose how the villager agreed to the hand-over."),
    "note": _l("Give the reason in at most 500 characters."),
    "courier": _l("Choose the courier that carries the parcel."),
    "category": _l("Choose a product category from the list."),
}


def _operator() -> User:
    """The logged-in operator of a service point; Forbidden for anyone else."""
    user = actor()
    if user.role_code != Role.POINT_OPERATOR or user.service_point is None:
        raise Forbidden("these pages are for a village service point's operator")
    return user


@bp.get("/parcels")
def waiting() -> ResponseReturnValue:
    """The parcels waiting at the own point, oldest first (after a step: its
    outcome on top)."""
    user = _operator()
    return render_template(
        "points/waiting.html",
        point=user.service_point,
        parcels=waiting_parcels(db_session(), user),
        done=_done(user),
    )


def _done(user: User) -> registry.ParcelView | None:
    """The parcel the previous step changed (``?done=<id>``), if one may see it."""
    done = request.args.get("done", "")
    if not done.isdigit() or len(done) > 10:
        return None
    try:
        return registry.view_parcel(
            user, registry.get_parcel(db_session(), user, int(done))
        )
    except NotFound:  # not one's own: nothing to report
        return None


@bp.get("/parcels/<int(max=2147483647):parcel_id>")
def parcel(parcel_id: int) -> ResponseReturnValue:
    """One parcel of the own point, whole, with the hand-over and return forms."""
    user = _operator()
    return _parcel_page(user, parcel_id, {}, {})


@bp.post("/parcels/<int(max=2147483647):parcel_id>/handover")
def hand_over(parcel_id: int) -> ResponseReturnValue:
    """Hand the parcel over against its pickup code, with the villager's consent."""
    user = _operator()
    given = {k: request.form.get(k, "").strip() for k in ("pickup_code", "consent")}
    step = {"to": Status.DELIVERED.value, **{k: v for k, v in given.items() if v}}
    return _step(user, parcel_id, given, step)


@bp.post("/parcels/<int(max=2147483647):parcel_id>/return")
def send_back(parcel_id: int) -> ResponseReturnValue:
    """Send the parcel back (a return or a refusal), with its reason."""
    user = _operator()
    given = {"note": request.form.get("note", "").strip()}
    if not given["note"]:
        why = _("Say why the parcel goes back (for example: refused by the recipient).")
        return _parcel_page(user, parcel_id, given, {"note": why}, 422)
    return _step(user, parcel_id, given, {"to": Status.RETURNED.value, **given})


def _step(
    user: User, parcel_id: int, given: dict[str, str], step: dict[str, str]
) -> ResponseReturnValue:
    """Record ``step`` through the API's schema and service; the problems beside
    their fields, else on to the list with the outcome."""
    session = db_session()
    found = registry.get_parcel(session, user, parcel_id)
    try:
        scan = ScanIn().load(step)
        target = Status(scan.pop("to"))
        skew = current_app.config["COUNTYHUB_SETTINGS"].scan_skew
        handover.record_scan(user, found, target, skew=skew, **scan)
    except ValidationError as invalid:
        return _parcel_page(user, parcel_id, given, _beside(invalid.messages), 422)
    except WrongPickupCode:
        wrong = _(
            "This is not the parcel's pickup code. Ask the villager for the code"
            " in the courier's message and try again."
        )
        return _parcel_page(user, parcel_id, given, {"pickup_code": wrong}, 422)
    except PickupLocked as locked:
        wait = _(
            "The pickup code was wrong too often: the hand-over of this parcel is"
            " locked until %(time)s. Check the code in the villager's message from"
            " the courier, then try again after that time.",
            time=i18n.local_time(locked.until),
        )
        return _parcel_page(user, parcel_id, given, {"pickup_code": wait}, 423)
    except InvalidInput as rejected:
        return _parcel_page(user, parcel_id, given, _problems(rejected), 422)
    return redirect(url_for("points.waiting", done=found.id), 303)


def _parcel_page(
    user: User,
    parcel_id: int,
    given: dict[str, str],
    problems: dict[str, str],
    status: int = 200,
) -> ResponseReturnValue:
    session = db_session()
    found = registry.get_parcel(session, user, parcel_id)
    page = render_template(
        "points/parcel.html",
        parcel=registry.view_parcel(user, found),
        waiting=(found.status, found.direction) == (Status.ARRIVED, Direction.INBOUND),
        given=given,
        problems=problems,
        consents=CONSENTS,
        reasons=REASONS,
    )
    return page, status


@bp.get("/outbound")
def outbound_form() -> ResponseReturnValue:
    """The form to register an outbound farm-product parcel at the own point."""
    user = _operator()
    return _outbound_page(user, {}, {})


@bp.post("/outbound")
def register_outbound() -> ResponseReturnValue:
    """Register the outbound parcel at the own point; the problems beside their
    fields."""
    user = _operator()
    given = {k: request.form.get(k, "").strip() for k in OUTBOUND_FIELDS}
    data = {k: v for k, v in given.items() if v}
    data |= {"direction": Direction.OUTBOUND.value}
    data["service_point"] = user.service_point.code
    unread = _read_numbers(data)
    if unread:
        return _outbound_page(user, given, unread, 422)
    try:
        item = ParcelIn().load(data)
        outcome = registration.register_parcel(db_session(), user, item)
    except ValidationError as invalid:
        return _outbound_page(user, given, _beside(invalid.messages), 422)
    except InvalidInput as rejected:  # IllegalTransition: the 409 page
        return _outbound_page(user, given, _problems(rejected), 422)
    return redirect(url_for("points.outbound_form", done=outcome.parcel_id), 303)


def _read_numbers(data: dict[str, Any]) -> dict[str, str]:
    """Turn the form's weight and pieces into the numbers the schema takes (a
    JSON body's); the problems of those that are not numbers."""
    problems = {}
    for field, kind, message in (
        ("weight_kg", float, _l("Give the weight in kg as a number, e.g. 2.5.")),
        ("pieces", int, _l("Give the number of pieces as a whole number, e.g. 1.")),
    ):
        if field in data:
            try:
                data[field] = kind(data[field])
            except ValueError:
                problems[field] = str(message)
    return problems


def _outbound_page(
    user: User, given: dict[str, str], problems: dict[str, str], status: int = 200
) -> ResponseReturnValue:
    couriers = db_session().scalars(couriers_query(user).order_by(Courier.code))
    chinese = i18n.language() == "zh-CN"
    page = render_template(
        "points/outbound.html",
        point=user.service_point,
        couriers=[(c.code, c.name) for c in couriers],
        categories=[(c.value, c.zh if chinese else c.en) for c in Category],
        given=given,
        problems=problems,
        done=_done(user),
        most=MAX_WAYBILL_LENGTH,
    )
    return page, status


def _beside(messages: Any) -> dict[str, str]:
    """marshmallow's messages, one line per field (ours where we have one)."""
    return {
        field: str(MESSAGES[field]) if field in MESSAGES else _joined(found)
        for field, found in messages.items()
    }


def _joined(found: Any) -> str:
    if isinstance(found, list):
        return " ".join(str(m) for m in found)
    return str(found)


def _problems(rejected: InvalidInput) -> dict[str, str]:
    """The service's problems by field (ours where we have one), or its message
    on the form's top."""
    problems = {
        field: str(MESSAGES[field]) if field in MESSAGES else reason
        for field, reason in rejected.problems.items()
    }
    return problems or {"": str(rejected)}


def _menu() -> dict[str, Any]:
    return {
        "point_pages": lambda who: (
            who is not None
            and who.role_code == Role.POINT_OPERATOR
            and who.service_point_id is not None
        )
    }


def init_app(app: Flask) -> None:
    """Register the service point's pages; let the layout's menu show them to its
    operator."""
    app.register_blueprint(bp)
    app.context_processor(_menu)
