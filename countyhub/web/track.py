"""The villager's tracking page (no login): ``GET /track?waybill=...``.

The same answer as the API's public tracking (:func:`~countyhub.platform.parcels.
tracking.track`, validated with the same schema): the courier, the status, the
steps with their times in Asia/Shanghai and places, and the service point to
collect the parcel at; no personal data.  A number longer than any courier's is
refused beside the field and not echoed; lookups spend the address's tracking
budget, shared with the API's.  The form is a plain GET form; htmx, where it
runs, swaps in the answer without reloading the page.
"""

from __future__ import annotations

from flask import Blueprint, Flask, g, render_template, request
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _

from countyhub.couriers import MAX_WAYBILL_LENGTH
from countyhub.edge.limits import TRACKING, guard_public
from countyhub.edge.transaction import db_session
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.parcels.schemas import TrackArgs
from countyhub.platform.parcels.tracking import TrackedParcel, track

bp = Blueprint("tracking", __name__)


@bp.get("/track")
def lookup() -> ResponseReturnValue:
    """The form, and the answer once a number is given."""
    waybill = request.args.get("waybill", "").strip()
    if not waybill:
        return _page()
    if TrackArgs().validate({"waybill": waybill}):
        return _too_long()
    try:
        parcels = track(db_session(), waybill)
    except InvalidInput:  # too long once normalized
        return _too_long()
    except NotFound:
        message = _(
            "No parcel has this waybill number. Check the number and try again."
        )
        return _page(waybill, problem=message, status=404)
    return _page(waybill, parcels=parcels)


def _too_long() -> ResponseReturnValue:
    message = _(
        "A waybill number has at most %(most)d characters.", most=MAX_WAYBILL_LENGTH
    )
    g.hide_query = True  # the input is not echoed, not even in the layout's links
    return _page("", problem=message, status=422)


def _page(
    waybill: str = "",
    *,
    parcels: list[TrackedParcel] | None = None,
    problem: str = "",
    status: int = 200,
) -> ResponseReturnValue:
    page = render_template(
        "track/track.html",
        waybill=waybill,
        parcels=parcels,
        problem=problem,
        most=MAX_WAYBILL_LENGTH,
    )
    return page, status


def init_app(app: Flask) -> None:
    """Register the page; its lookups spend the address's tracking budget."""
    app.register_blueprint(bp)
    guard_public(app, bp, TRACKING, exempt_when=lambda: not request.args.get("waybill"))
