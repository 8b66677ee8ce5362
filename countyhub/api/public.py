"""Public disclosure (信息公开) over HTTP: no login, county-wide aggregates only.

The months published and, for one of them, the county's volumes, coverage,
cadence kept and 48 h service level, from the newest version of that month's
province report (:mod:`countyhub.platform.reports.disclosure`).  A month not
closed yet is 422; a closed month without a report is 404.
"""

from __future__ import annotations

from typing import Any

from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from countyhub.edge.transaction import db_session
from countyhub.platform.reports import schemas
from countyhub.platform.reports.disclosure import public_monthly, published_months

blp = Blueprint(
    "public",
    __name__,
    url_prefix="/api/v1/public",
    description="Public disclosure: the county's monthly figures (no login)",
)


@blp.route("/months")
class PublicMonths(MethodView):
    @blp.doc(security=[])
    @blp.response(200, schemas.MonthsOut)
    def get(self) -> Any:
        """The months whose figures are published, newest first."""
        return {"months": published_months(db_session())}


@blp.route("/monthly")
class PublicMonthly(MethodView):
    @blp.doc(security=[])
    @blp.arguments(schemas.PublicArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.PublicMonthlyOut)
    def get(self, args: dict[str, Any]) -> Any:
        """The county's aggregates of one closed month: no person, parcel or point."""
        return public_monthly(db_session(), args["month"])
