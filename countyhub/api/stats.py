"""The county's figures over HTTP (analysts and admins): volumes, service level,
cadence, coverage, fleet, consent and the couriers' statements.

Each route takes the period (``month=YYYY-MM``, or ``from`` and ``to``; neither:
this month so far) and optionally ``township`` (its code) as a query, and answers
the figure of :mod:`countyhub.platform.stats` as it is.  A month to come, a start
after the end or an unknown township is a 422 naming the field.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from countyhub.api.auth import roles
from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Permission, roles_with
from countyhub.platform.config import Settings
from countyhub.platform.stats import schemas
from countyhub.platform.stats.cadence import cadence
from countyhub.platform.stats.consent import consent
from countyhub.platform.stats.coverage import coverage
from countyhub.platform.stats.fleet import fleet
from countyhub.platform.stats.period import StatsQuery, stats_query
from countyhub.platform.stats.service import service_level
from countyhub.platform.stats.statements import statements
from countyhub.platform.stats.volumes import volumes

blp = Blueprint(
    "stats",
    __name__,
    url_prefix="/api/v1/stats",
    description="The county's figures, from the parcel events, visits and plans",
)
READERS = roles_with(Permission.READ_STATS)


def _query(args: dict[str, Any]) -> StatsQuery:
    return stats_query(db_session(), **args)


@blp.route("/volumes")
class Volumes(MethodView):
    @roles(*READERS)
    @blp.arguments(schemas.StatsArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.VolumesOut)
    def get(self, args: dict[str, Any]) -> Any:
        """Parcels received, handed over and sent out, by day, place and courier."""
        return volumes(db_session(), actor(), _query(args))


@blp.route("/service")
class ServiceLevel(MethodView):
    @roles(*READERS)
    @blp.arguments(schemas.StatsArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.ServiceLevelOut)
    def get(self, args: dict[str, Any]) -> Any:
        """Handed over within 48 h, dwell at the point, returns and overdue parcels."""
        return service_level(db_session(), actor(), _query(args))


@blp.route("/cadence")
class Cadence(MethodView):
    @roles(*READERS)
    @blp.arguments(schemas.StatsArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.CadenceOut)
    def get(self, args: dict[str, Any]) -> Any:
        """Visits, gaps between them and breaches of the rule, per active point."""
        return cadence(db_session(), actor(), _query(args))


@blp.route("/coverage")
class Coverage(MethodView):
    @roles(*READERS)
    @blp.arguments(schemas.StatsArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.CoverageOut)
    def get(self, args: dict[str, Any]) -> Any:
        """Villages, poverty villages and townships reached; points active."""
        return coverage(db_session(), actor(), _query(args))


@blp.route("/fleet")
class Fleet(MethodView):
    @roles(*READERS)
    @blp.arguments(schemas.StatsArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.FleetOut)
    def get(self, args: dict[str, Any]) -> Any:
        """Runs, vehicles and km of the plans that went out."""
        return fleet(db_session(), actor(), _query(args))


@blp.route("/consent")
class Consent(MethodView):
    @roles(*READERS)
    @blp.arguments(schemas.StatsArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.ConsentOut)
    def get(self, args: dict[str, Any]) -> Any:
        """Hand-overs with the villager's consent on file, and without."""
        return consent(db_session(), actor(), _query(args))


@blp.route("/statements")
class Statements(MethodView):
    @roles(*READERS)
    @blp.arguments(schemas.StatsArgs, location="query", unknown=RAISE)
    @blp.response(200, schemas.StatementsOut)
    def get(self, args: dict[str, Any]) -> Any:
        """Each courier's statement (对账单), at COUNTYHUB_FEE_PER_PARCEL a parcel."""
        settings: Settings = current_app.config["COUNTYHUB_SETTINGS"]
        fee = settings.fee_per_parcel
        return statements(db_session(), actor(), _query(args), fee=fee)
