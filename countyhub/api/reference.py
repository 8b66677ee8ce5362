"""Reference data: couriers, depots, townships, villages, service points, vehicles.

Every logged-in caller reads them, a page at a time; only admins create and change
depots and vehicles and change service points.  Couriers, townships and villages
come from the registry and the gazetteer loader: read-only here, but for a village's
poverty flag (贫困村), which an admin sets.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from flask import url_for
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import Select

from countyhub.api.auth import roles
from countyhub.api.pagination import PageArgs, page_of, page_schema, take_page
from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.roles import Permission, roles_with
from countyhub.platform.county import reference, service_points, villages
from countyhub.platform.county.schemas import (
    CourierOut,
    DepotFilterArgs,
    DepotIn,
    DepotOut,
    DepotPatch,
    PointFilterArgs,
    PointOut,
    PointPatch,
    TownshipOut,
    VehicleFilterArgs,
    VehicleIn,
    VehicleOut,
    VehiclePatch,
    VillageFilterArgs,
    VillageOut,
    VillagePatch,
)
from countyhub.platform.models import (
    Courier,
    Depot,
    ServicePoint,
    Township,
    Vehicle,
    Village,
)

ADMINS = roles_with(Permission.ADMINISTER)

blp = Blueprint(
    "reference",
    __name__,
    url_prefix="/api/v1",
    description="Couriers, depots, townships, villages, service points, vehicles",
)


class DepotListArgs(DepotFilterArgs, PageArgs):
    """Filters and page."""


class VillageListArgs(VillageFilterArgs, PageArgs):
    """Filters and page."""


class PointListArgs(PointFilterArgs, PageArgs):
    """Filters and page."""


class VehicleListArgs(VehicleFilterArgs, PageArgs):
    """Filters and page."""


def _page(
    query: Callable[..., Select[Any]],
    id_column: Any,
    args: dict[str, Any],
    view: Callable[[Any], Any] = lambda row: row,
) -> Any:
    """One page of ``query(actor, **filters)``, in id order, with its next link."""
    page = take_page(args)
    return page_of(query(actor(), **args), id_column, page, view)


def _created(row: Any, endpoint: str, **key: int) -> Any:
    return row, 201, {"Location": url_for(f"reference.{endpoint}", **key)}


@blp.route("/couriers")
class CourierCollection(MethodView):
    @blp.arguments(PageArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(CourierOut, "CourierPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the couriers, a page at a time."""
        return _page(reference.couriers_query, Courier.id, args)


@blp.route("/couriers/<int:courier_id>")
class CourierItem(MethodView):
    @blp.response(200, CourierOut)
    def get(self, courier_id: int) -> Any:
        """One courier by its id."""
        return reference.get_courier(db_session(), actor(), courier_id)


@blp.route("/couriers/by-code/<code>")
class CourierByCode(MethodView):
    @blp.response(200, CourierOut)
    def get(self, code: str) -> Any:
        """One courier by its code (e.g. ZTO)."""
        return reference.find_courier(db_session(), actor(), code)


@blp.route("/depots")
class DepotCollection(MethodView):
    @blp.arguments(DepotListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(DepotOut, "DepotPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the couriers' depots, of one courier if given, a page at a time."""
        return _page(reference.depots_query, Depot.id, args)

    @roles(*ADMINS)
    @blp.arguments(DepotIn)
    @blp.response(201, DepotOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a courier's depot (admins only)."""
        depot = reference.create_depot(db_session(), actor(), data)
        return _created(depot, "DepotItem", depot_id=depot.id)


@blp.route("/depots/<int:depot_id>")
class DepotItem(MethodView):
    @blp.response(200, DepotOut)
    def get(self, depot_id: int) -> Any:
        """One depot by its id."""
        return reference.get_depot(db_session(), actor(), depot_id)

    @roles(*ADMINS)
    @blp.arguments(DepotPatch)
    @blp.response(200, DepotOut)
    def patch(self, changes: dict[str, Any], depot_id: int) -> Any:
        """Change the given fields of a depot (admins only)."""
        return reference.update_depot(db_session(), actor(), depot_id, changes)


@blp.route("/townships")
class TownshipCollection(MethodView):
    @blp.arguments(PageArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(TownshipOut, "TownshipPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the county's townships, a page at a time."""
        return _page(reference.townships_query, Township.id, args)


@blp.route("/townships/<int:township_id>")
class TownshipItem(MethodView):
    @blp.response(200, TownshipOut)
    def get(self, township_id: int) -> Any:
        """One township by its id."""
        return reference.get_township(db_session(), actor(), township_id)


@blp.route("/villages")
class VillageCollection(MethodView):
    @blp.arguments(VillageListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(VillageOut, "VillagePage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the villages, of one township or poverty flag if given, a page at a
        time."""
        return _page(villages.villages_query, Village.id, args)


@blp.route("/villages/<int:village_id>")
class VillageItem(MethodView):
    @blp.response(200, VillageOut)
    def get(self, village_id: int) -> Any:
        """One village by its id."""
        return reference.get_village(db_session(), actor(), village_id)

    @roles(*ADMINS)
    @blp.arguments(VillagePatch)
    @blp.response(200, VillageOut)
    def patch(self, changes: dict[str, Any], village_id: int) -> Any:
        """Change whether a village is a poverty village (admins only)."""
        return villages.update_village(db_session(), actor(), village_id, changes)


@blp.route("/service-points")
class PointCollection(MethodView):
    @blp.arguments(PointListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(PointOut, "ServicePointPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the village service points, filtered, a page at a time."""
        view = partial(service_points.view_point, actor())
        return _page(service_points.points_query, ServicePoint.id, args, view)


@blp.route("/service-points/<int:point_id>")
class PointItem(MethodView):
    @blp.response(200, PointOut)
    def get(self, point_id: int) -> Any:
        """One service point by its id."""
        user = actor()
        point = service_points.get_point(db_session(), user, point_id)
        return service_points.view_point(user, point)

    @roles(*ADMINS)
    @blp.arguments(PointPatch)
    @blp.response(200, PointOut)
    def patch(self, changes: dict[str, Any], point_id: int) -> Any:
        """Change the given fields of a service point (admins only)."""
        user = actor()
        point = service_points.update_point(db_session(), user, point_id, changes)
        return service_points.view_point(user, point)


@blp.route("/vehicles")
class VehicleCollection(MethodView):
    @blp.arguments(VehicleListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(VehicleOut, "VehiclePage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the fleet's vehicles, filtered, a page at a time."""
        return _page(reference.vehicles_query, Vehicle.id, args)

    @roles(*ADMINS)
    @blp.arguments(VehicleIn)
    @blp.response(201, VehicleOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Add a vehicle to the fleet (admins only)."""
        vehicle = reference.create_vehicle(db_session(), actor(), data)
        return _created(vehicle, "VehicleItem", vehicle_id=vehicle.id)


@blp.route("/vehicles/<int:vehicle_id>")
class VehicleItem(MethodView):
    @blp.response(200, VehicleOut)
    def get(self, vehicle_id: int) -> Any:
        """One vehicle by its id."""
        return reference.get_vehicle(db_session(), actor(), vehicle_id)

    @roles(*ADMINS)
    @blp.arguments(VehiclePatch)
    @blp.response(200, VehicleOut)
    def patch(self, changes: dict[str, Any], vehicle_id: int) -> Any:
        """Change the given fields of a vehicle (admins only)."""
        return reference.update_vehicle(db_session(), actor(), vehicle_id, changes)
