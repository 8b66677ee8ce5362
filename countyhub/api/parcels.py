"""Parcels over HTTP: register one or a batch, read, list, follow, scan."""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from countyhub.api.auth import roles
from countyhub.api.errors import PROBLEM_TYPE, ProblemSchema
from countyhub.api.idempotency import HEADER_DOC, idempotent
from countyhub.api.pagination import PageArgs, page_of, page_schema, take_page
from countyhub.edge import handover
from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Permission, roles_with
from countyhub.platform.config import Settings
from countyhub.platform.intake import registration
from countyhub.platform.intake.rows import Result
from countyhub.platform.intake.schemas import BatchIn, BatchOut, ParcelIn, RegisteredOut
from countyhub.platform.models import Parcel
from countyhub.platform.parcels import registry as parcels
from countyhub.platform.parcels import scans
from countyhub.platform.parcels.schemas import (
    EventOut,
    ParcelFilterArgs,
    ParcelOut,
    ScanBatchIn,
    ScanIn,
    ScanResultOut,
)
from countyhub.platform.parcels.statuses import Status

blp = Blueprint(
    "parcels",
    __name__,
    url_prefix="/api/v1/parcels",
    description="Register parcels, follow them, record their steps",
)
scans_blp = Blueprint(
    "scans",
    __name__,
    url_prefix="/api/v1/scans",
    description="Status steps in batches, as scanners send them",
)
# Who writes parcels at all.  A depot clerk is let through to the scan routes too,
# so that the service answers it as it answers everyone: 404 for a parcel outside
# its scope, 403 (no RECORD_STEPS) for one inside.
WRITERS = roles_with(Permission.REGISTER_PARCELS)
# A batch of scans answers per item, so a role that records no steps at all is
# refused at the door (403) rather than answered 200 with every item refused.
SCANNERS = roles_with(Permission.RECORD_STEPS)


# A locked hand-over (countyhub.platform.parcels.pickup), documented as served.
LOCKED_DOC: dict[str, Any] = {
    "schema": ProblemSchema,
    "content_type": PROBLEM_TYPE,
    "description": "the parcel's pickup code was tried too often: hand-over locked",
    "headers": {
        "Retry-After": {
            "description": "seconds until the hand-over opens again",
            "schema": {"type": "integer", "minimum": 1},
        }
    },
}


class ParcelListArgs(ParcelFilterArgs, PageArgs):
    """Filters and page."""


@blp.route("")
class ParcelCollection(MethodView):
    @blp.arguments(ParcelListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(ParcelOut, "ParcelPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the parcels you may see, oldest first, a page at a time."""
        user, page = actor(), take_page(args)
        query = parcels.parcels_query(user, parcels.ParcelFilter(**args))
        return page_of(query, Parcel.id, page, lambda p: parcels.view_parcel(user, p))

    @roles(*WRITERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(ParcelIn)
    @blp.response(201, RegisteredOut)
    @blp.alt_response(200, schema=RegisteredOut, description="already known or updated")
    def post(self, item: Any) -> Any:
        """Register one parcel; a re-send of a known parcel is recognised."""
        user = actor()
        outcome = registration.register_parcel(db_session(), user, item)
        parcel = parcels.get_parcel(db_session(), user, outcome.parcel_id or 0)
        body = {
            "result": outcome.result,
            "parcel": parcels.view_parcel(user, parcel),
            "problems": outcome.problems,
        }
        location = {"Location": url_for("parcels.ParcelItem", parcel_id=parcel.id)}
        return body, 201 if outcome.result == Result.NEW else 200, location


@blp.route("/batch")
class ParcelBatch(MethodView):
    @roles(*WRITERS)
    @idempotent
    @blp.doc(parameters=[HEADER_DOC])
    @blp.arguments(BatchIn)
    @blp.response(200, BatchOut)
    def post(self, batch: dict[str, Any]) -> Any:
        """Register up to 10,000 parcels; one result per item, in order."""
        outcomes = registration.register_parcels(db_session(), actor(), batch["items"])
        counts: dict[str, int] = {}
        for outcome in outcomes:
            counts[outcome.result] = counts.get(outcome.result, 0) + 1
        return {"counts": counts, "results": outcomes}


@blp.route("/<int:parcel_id>")
class ParcelItem(MethodView):
    @blp.response(200, ParcelOut)
    def get(self, parcel_id: int) -> Any:
        """One parcel by its id."""
        user = actor()
        return parcels.view_parcel(
            user, parcels.get_parcel(db_session(), user, parcel_id)
        )


@blp.route("/by-waybill/<courier>/<waybill>")
class ParcelByWaybill(MethodView):
    @blp.response(200, ParcelOut)
    def get(self, courier: str, waybill: str) -> Any:
        """One parcel by its courier's code and its waybill number."""
        user = actor()
        parcel = parcels.find_parcel(db_session(), user, waybill, courier)
        return parcels.view_parcel(user, parcel)


@blp.route("/<int:parcel_id>/events")
class ParcelEvents(MethodView):
    @blp.response(200, EventOut(many=True))
    def get(self, parcel_id: int) -> Any:
        """The parcel's timeline, oldest first."""
        user = actor()
        parcel = parcels.get_parcel(db_session(), user, parcel_id)
        return parcels.timeline(db_session(), user, parcel)


@blp.route("/<int:parcel_id>/scans")
class ParcelScans(MethodView):
    @roles(*WRITERS)
    @blp.arguments(ScanIn)
    @blp.response(201, EventOut)
    @blp.alt_response(423, **LOCKED_DOC)
    def post(self, scan: dict[str, Any], parcel_id: int) -> Any:
        """Record one step of the parcel's life.

        A hand-over (``delivered``) needs the parcel's pickup code (422
        ``wrong-pickup-code`` if it is not).  After 5 wrong codes for a parcel
        within an hour, its hand-over is locked (423, even for the right code)
        until the oldest of them is an hour old; Retry-After says in how many
        seconds.
        """
        user = actor()
        parcel = parcels.get_parcel(db_session(), user, parcel_id)
        target = Status(scan.pop("to"))
        skew = _settings().scan_skew
        return handover.record_scan(user, parcel, target, skew=skew, **scan)


@scans_blp.route("")
class ScanBatch(MethodView):
    @roles(*SCANNERS)
    @idempotent
    @scans_blp.doc(parameters=[HEADER_DOC])
    @scans_blp.arguments(ScanBatchIn)
    @scans_blp.response(200, ScanResultOut(many=True))
    def post(self, batch: dict[str, Any]) -> Any:
        """Record up to 1,000 steps; each succeeds or fails on its own.

        A wrong pickup code is the item's problem ``WrongPickupCode`` and counts
        towards the parcel's lock: after 5 wrong codes within an hour, its
        hand-over is refused (problem ``PickupLocked``, with the time it opens
        again; even for the right code) until the oldest of them is an hour old.
        """
        skew = _settings().scan_skew
        return scans.record_scans(db_session(), actor(), batch["items"], skew=skew)


def _settings() -> Settings:
    return current_app.config["COUNTYHUB_SETTINGS"]  # type: ignore[no-any-return]
