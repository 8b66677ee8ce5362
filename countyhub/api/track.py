"""Public tracking by waybill number: no login, no personal data.

A number longer than any courier's is refused with 422 before it is looked for,
and the answer does not repeat it (nor the path that holds it).
"""

from __future__ import annotations

from typing import Any

from flask import Response
from flask.views import MethodView
from flask_smorest import Blueprint
from werkzeug.exceptions import UnprocessableEntity

from countyhub.api.errors import problem
from countyhub.couriers import MAX_WAYBILL_LENGTH
from countyhub.edge.transaction import db_session
from countyhub.platform.parcels.schemas import TrackArgs, TrackedOut
from countyhub.platform.parcels.tracking import track

blp = Blueprint(
    "track",
    __name__,
    url_prefix="/api/v1/track",
    description="Public parcel tracking (no login)",
)


@blp.route("/<waybill>")
class Track(MethodView):
    @blp.doc(security=[])
    @blp.arguments(TrackArgs, location="path", as_kwargs=True)
    @blp.response(200, TrackedOut(many=True))
    def get(self, waybill: str) -> Any:
        """The status timeline of the parcels with this waybill number."""
        return track(db_session(), waybill)


@blp.errorhandler(UnprocessableEntity)
def _not_a_number(_exc: UnprocessableEntity) -> Response:
    return problem(
        422,
        "Unprocessable Entity",
        f"a waybill number has 1 to {MAX_WAYBILL_LENGTH} characters",
        slug="unprocessable-entity",
        instance=blp.url_prefix,
        errors={"path": {"waybill": [f"at most {MAX_WAYBILL_LENGTH} characters"]}},
    )
