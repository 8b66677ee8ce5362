"""Public tracking by waybill number: no login, no personal data."""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint

from countyhub.edge.transaction import db_session
from countyhub.platform.parcels.schemas import TrackedOut
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
    @blp.response(200, TrackedOut(many=True))
    def get(self, waybill: str) -> Any:
        """The status timeline of the parcels with this waybill number."""
        return track(db_session(), waybill)
