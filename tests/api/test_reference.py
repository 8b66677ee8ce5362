"""Reference data over HTTP: lists in pages, filters, items, admin-only writes."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.models import (
    Courier,
    Depot,
    ServicePoint,
    Township,
    Vehicle,
    Village,
)
from countyhub.routing.geo import gcj02_to_wgs84
from tests.api.conftest import bearer

LISTS = {
    "couriers": Courier,
    "depots": Depot,
    "townships": Township,
    "villages": Village,
    "service-points": ServicePoint,
    "vehicles": Vehicle,
}
OTHERS = ("dispatcher", "analyst", "clerk-zto", "clerk-yto", "point")
VEHICLE = {
    "code": "VAN-9",
    "name": "厢式货车9号",
    "kind": "van",
    "capacity_parcels": 250,
    "capacity_kg": 1000.0,
}
DEPOT = {"courier": "zto", "code": "TG-ZTO-2", "name": "中通温泉网点"}
# 温泉镇 as AMap shows it (GCJ-02), 10 km from the county seat.
GCJ = (114.3547, 28.5346)


def walk(client: FlaskClient, url: str, key: str) -> list[dict]:
    """Every item of a list, following ``next`` links; checks each Link header."""
    items: list[dict] = []
    while url:
        page = client.get(url, headers=bearer(key))
        assert page.status_code == 200, page.json
        items += page.json["items"]
        url = page.json["next"]
        if url:
            assert page.headers["Link"] == f'<{url}>; rel="next"'
    return items


def first_point(client: FlaskClient, key: str) -> dict:
    return client.get("/api/v1/service-points?limit=1", headers=bearer(key)).json[
        "items"
    ][0]


@pytest.mark.parametrize("name", LISTS)
def test_lists_walk_every_row_once_in_pages(
    client: FlaskClient, keys: dict[str, str], session: Session, name: str
):
    """Pages of 4 give every row once, in id order, with next links."""
    items = walk(client, f"/api/v1/{name}?limit=4", keys["clerk-zto"])
    ids = [item["id"] for item in items]
    count = session.scalar(select(func.count()).select_from(LISTS[name]))
    assert ids == sorted(set(ids)) and len(ids) == count > 4


@pytest.mark.parametrize("name", LISTS)
def test_reading_needs_a_login(client: FlaskClient, name: str):
    """Without a key or a session a list is a 401 problem."""
    response = client.get(f"/api/v1/{name}")
    assert response.status_code == 401
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize("name", LISTS)
def test_one_by_id_or_404(client: FlaskClient, keys: dict[str, str], name: str):
    """An item is found by its id, as the list shows it; an unknown id is a 404."""
    auth = bearer(keys["analyst"])
    listed = client.get(f"/api/v1/{name}?limit=1", headers=auth).json["items"][0]
    assert client.get(f"/api/v1/{name}/{listed['id']}", headers=auth).json == listed
    missing = client.get(f"/api/v1/{name}/999999", headers=auth)
    assert missing.status_code == 404
    assert missing.content_type == "application/problem+json"


def test_courier_by_code(client: FlaskClient, keys: dict[str, str]):
    """A courier is found by its code in any case; an unknown code is a 404."""
    auth = bearer(keys["point"])
    found = client.get("/api/v1/couriers/by-code/zto", headers=auth)
    assert found.status_code == 200 and found.json["code"] == "ZTO"
    assert found.json["name"] == "中通快递"
    assert client.get("/api/v1/couriers/by-code/XX", headers=auth).status_code == 404


def test_filters(client: FlaskClient, keys: dict[str, str], session: Session):
    """Villages and points by township, depots by courier, vehicles by kind."""
    key, town = keys["dispatcher"], "360926101"
    villages = walk(client, f"/api/v1/villages?township={town}", key)
    points = walk(client, f"/api/v1/service-points?township={town}", key)
    assert villages and {v["township"] for v in villages} == {town}
    assert points and {p["township"] for p in points} == {town}
    assert len(points) < session.scalar(select(func.count(ServicePoint.id)))
    depots = walk(client, "/api/v1/depots?courier=zto", key)
    assert [(d["code"], d["courier"]) for d in depots] == [("TG-ZTO", "ZTO")]
    kinds = {v["kind"] for v in walk(client, "/api/v1/vehicles?kind=tricycle", key)}
    assert kinds == {"tricycle"}
    assert walk(client, "/api/v1/villages?township=000000000", key) == []


def test_flag_filters(client: FlaskClient, keys: dict[str, str]):
    """Points by active and poverty_village, vehicles by active, after changes."""
    admin, point = bearer(keys["admin"]), first_point(client, keys["admin"])
    body = {"active": False, "poverty_village": True}
    client.patch(f"/api/v1/service-points/{point['id']}", json=body, headers=admin)
    client.patch("/api/v1/vehicles/1", json={"active": False}, headers=admin)
    key = keys["analyst"]
    for query in ("active=false", "poverty_village=true"):
        found = walk(client, f"/api/v1/service-points?{query}", key)
        assert [p["code"] for p in found] == [point["code"]]
    assert [v["id"] for v in walk(client, "/api/v1/vehicles?active=0", key)] == [1]
    assert 1 not in [v["id"] for v in walk(client, "/api/v1/vehicles?active=1", key)]


def test_bad_filters_are_named(client: FlaskClient, keys: dict[str, str]):
    """A filter of the wrong type or kind is a 422 naming it."""
    auth = bearer(keys["admin"])
    for url, field in (
        ("/api/v1/vehicles?kind=rocket", "kind"),
        ("/api/v1/service-points?active=maybe", "active"),
        ("/api/v1/depots?limit=0", "limit"),
    ):
        response = client.get(url, headers=auth)
        assert response.status_code == 422
        assert field in response.json["errors"]["query"]


WRITES = [
    ("post", "/api/v1/depots", DEPOT),
    ("patch", "/api/v1/depots/1", {"name": "x"}),
    ("post", "/api/v1/vehicles", VEHICLE),
    ("patch", "/api/v1/vehicles/1", {"active": False}),
    ("patch", "/api/v1/service-points/1", {"cadence_days": 1}),
    ("patch", "/api/v1/villages/1", {"poverty": True}),
]


@pytest.mark.parametrize("role", OTHERS)
@pytest.mark.parametrize(("method", "url", "body"), WRITES)
def test_writes_are_for_admins_only(
    client: FlaskClient,
    keys: dict[str, str],
    role: str,
    method: str,
    url: str,
    body: dict,
):
    """Every other role gets a 403 problem for every write."""
    response = client.open(url, method=method, json=body, headers=bearer(keys[role]))
    assert response.status_code == 403
    assert response.content_type == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "url"),
    [
        ("post", "/api/v1/couriers"),
        ("patch", "/api/v1/couriers/1"),
        ("post", "/api/v1/townships"),
        ("patch", "/api/v1/townships/1"),
        ("post", "/api/v1/villages"),
    ],
)
def test_registry_and_gazetteer_are_read_only(
    client: FlaskClient, keys: dict[str, str], method: str, url: str
):
    """Couriers, townships and villages are not made nor changed here, even by an
    admin; a village's poverty flag is the one exception (below)."""
    auth = bearer(keys["admin"])
    assert client.open(url, method=method, json={}, headers=auth).status_code == 405


def test_create_depot(client: FlaskClient, keys: dict[str, str]):
    """201 with a Location that reads the new depot back."""
    auth = bearer(keys["admin"])
    created = client.post("/api/v1/depots", json=DEPOT, headers=auth)
    assert created.status_code == 201, created.json
    assert created.json["courier"] == "ZTO" and created.json["address"] == ""
    again = client.get(created.headers["Location"], headers=auth)
    assert again.json == created.json


def test_depot_problems_name_fields(client: FlaskClient, keys: dict[str, str]):
    """Missing fields, a taken code and an unknown courier are 422s naming them."""
    auth = bearer(keys["admin"])
    empty = client.post("/api/v1/depots", json={"code": "a b"}, headers=auth)
    assert empty.status_code == 422
    assert {"courier", "code", "name"} <= set(empty.json["errors"]["json"])
    taken = client.post(
        "/api/v1/depots", json={**DEPOT, "code": "TG-YTO"}, headers=auth
    )
    assert taken.status_code == 422 and taken.json["errors"] == {
        "code": "already taken"
    }
    unknown = client.post(
        "/api/v1/depots", json={**DEPOT, "courier": "XX"}, headers=auth
    )
    assert unknown.status_code == 422 and "courier" in unknown.json["errors"]


def test_patch_depot_changes_only_given_fields(
    client: FlaskClient, keys: dict[str, str]
):
    """PATCH keeps what it does not name; its own code is not 'taken'."""
    auth = bearer(keys["admin"])
    before = client.get("/api/v1/depots/1", headers=auth).json
    body = {"name": "新名字", "code": before["code"]}
    after = client.patch("/api/v1/depots/1", json=body, headers=auth)
    assert after.status_code == 200
    assert after.json == {**before, "name": "新名字"}
    moved = client.patch("/api/v1/depots/1", json={"courier": "YTO"}, headers=auth)
    assert moved.json["courier"] == "YTO"
    clash = client.patch("/api/v1/depots/1", json={"code": "TG-STO"}, headers=auth)
    assert clash.status_code == 422 and "code" in clash.json["errors"]
    unknown = client.patch("/api/v1/depots/1", json={"id": 5}, headers=auth)
    assert unknown.status_code == 422 and "id" in unknown.json["errors"]["json"]
    missing = client.patch("/api/v1/depots/999999", json={"name": "x"}, headers=auth)
    assert missing.status_code == 404
    empty = client.patch("/api/v1/depots/1", json={}, headers=auth)
    assert empty.status_code == 422  # a PATCH that changes nothing is refused


def test_create_and_patch_vehicle(client: FlaskClient, keys: dict[str, str]):
    """A vehicle is created with defaults, then changed in part."""
    auth = bearer(keys["admin"])
    created = client.post("/api/v1/vehicles", json=VEHICLE, headers=auth)
    assert created.status_code == 201
    assert created.json["shift_minutes"] == 480 and created.json["active"] is True
    assert client.get(created.headers["Location"], headers=auth).json == created.json
    changed = client.patch(
        created.headers["Location"], json={"capacity_kg": 900}, headers=auth
    )
    assert changed.json == {**created.json, "capacity_kg": 900.0}


def test_vehicle_problems_name_fields(client: FlaskClient, keys: dict[str, str]):
    """A bad kind, capacity or shift, or a taken code, is a 422 naming it."""
    auth = bearer(keys["admin"])
    bad = {**VEHICLE, "kind": "rocket", "capacity_parcels": 0, "shift_minutes": 0}
    response = client.post("/api/v1/vehicles", json=bad, headers=auth)
    assert response.status_code == 422
    assert {"kind", "capacity_parcels", "shift_minutes"} == set(
        response.json["errors"]["json"]
    )
    taken = client.patch("/api/v1/vehicles/2", json={"code": "VAN-1"}, headers=auth)
    assert taken.status_code == 422 and taken.json["errors"] == {
        "code": "already taken"
    }
    null = client.patch("/api/v1/vehicles/2", json={"name": None}, headers=auth)
    assert null.status_code == 422 and "name" in null.json["errors"]["json"]


def test_points_say_whether_they_are_approximate(
    client: FlaskClient, keys: dict[str, str]
):
    """Points and townships show WGS84 lon/lat, approximate and their source."""
    auth = bearer(keys["analyst"])
    point = first_point(client, keys["analyst"])
    assert point["approximate"] is True and point["coord_source"].startswith("derived")
    assert 113 < point["lon"] < 115 and 28 < point["lat"] < 29
    town = client.get("/api/v1/townships?limit=1", headers=auth).json["items"][0]
    assert {"lon", "lat", "approximate", "coord_source"} <= set(town)


def test_point_coordinates_in_gcj02_are_stored_in_wgs84(
    client: FlaskClient, keys: dict[str, str]
):
    """GCJ-02 coordinates are converted; the point is then surveyed, not derived."""
    auth, point = bearer(keys["admin"]), first_point(client, keys["admin"])
    body = {"lon": GCJ[0], "lat": GCJ[1], "crs": "gcj02"}
    response = client.patch(
        f"/api/v1/service-points/{point['id']}", json=body, headers=auth
    )
    assert response.status_code == 200, response.json
    lon, lat = gcj02_to_wgs84(*GCJ)
    assert response.json["lon"] == pytest.approx(lon, abs=1e-6)
    assert response.json["lat"] == pytest.approx(lat, abs=1e-6)
    assert abs(response.json["lon"] - GCJ[0]) > 1e-3
    assert response.json["approximate"] is False
    assert response.json["coord_source"] == "surveyed (GCJ02)"
    wgs = {"lon": 114.35, "lat": 28.53, "crs": "wgs84", "coord_source": "GPS 2024"}
    again = client.patch(
        f"/api/v1/service-points/{point['id']}", json=wgs, headers=auth
    )
    assert (again.json["lon"], again.json["coord_source"]) == (114.35, "GPS 2024")


@pytest.mark.parametrize(
    ("body", "fields"),
    [
        ({"lon": 114.35, "lat": 28.53}, {"crs"}),
        ({"lon": 114.35, "crs": "wgs84"}, {"lat"}),
        ({"lon": 28.53, "lat": 114.35, "crs": "wgs84"}, {"lon", "lat"}),
        ({"lon": 116.4, "lat": 39.9, "crs": "wgs84"}, {"lon", "lat"}),
    ],
)
def test_point_coordinate_problems_name_fields(
    client: FlaskClient, keys: dict[str, str], body: dict, fields: set[str]
):
    """No crs, half a point, swapped or far-away coordinates: 422 naming fields."""
    auth, point = bearer(keys["admin"]), first_point(client, keys["admin"])
    response = client.patch(
        f"/api/v1/service-points/{point['id']}", json=body, headers=auth
    )
    assert response.status_code == 422
    assert set(response.json["errors"]) == fields
    assert first_point(client, keys["admin"]) == point


def test_point_field_problems_are_named(client: FlaskClient, keys: dict[str, str]):
    """cadence_days outside 1–7, a bad crs or phone is a 422 naming each."""
    auth = bearer(keys["admin"])
    body = {"cadence_days": 8, "crs": "bd09", "operator_phone": "call me"}
    response = client.patch("/api/v1/service-points/1", json=body, headers=auth)
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {
        "cadence_days",
        "crs",
        "operator_phone",
    }


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/vehicles/1", {"name": "VAN\x00"}, "name"),
        ("/api/v1/vehicles/1", {"code": "VAN-1\n"}, "code"),
        ("/api/v1/depots/1", {"address": "永宁镇\r\n"}, "address"),
        ("/api/v1/service-points/1", {"operator_phone": "138\n"}, "operator_phone"),
        ("/api/v1/service-points/1", {"operator_name": " \x00"}, "operator_name"),
    ],
)
def test_control_characters_are_refused(
    client: FlaskClient, keys: dict[str, str], url: str, body: dict, field: str
):
    """A NUL, a line break or another control character is a 422 naming the field."""
    response = client.patch(url, json=body, headers=bearer(keys["admin"]))
    assert response.status_code == 422
    assert set(response.json["errors"]["json"]) == {field}


@pytest.mark.parametrize(
    "url", ["/api/v1/depots?courier=%00", "/api/v1/service-points?township=a%20b"]
)
def test_filter_codes_are_checked(client: FlaskClient, keys: dict[str, str], url: str):
    """A filter that cannot be a code is a 422, not a database error."""
    response = client.get(url, headers=bearer(keys["admin"]))
    assert response.status_code == 422


def test_an_unprintable_courier_code_is_not_found(
    client: FlaskClient, keys: dict[str, str]
):
    """A courier code with a NUL is simply not found (on PostgreSQL too)."""
    response = client.get(
        "/api/v1/couriers/by-code/a%00", headers=bearer(keys["admin"])
    )
    assert response.status_code == 404


def test_operator_phone_is_masked_but_for_admins(
    client: FlaskClient, keys: dict[str, str]
):
    """Admins see the operator's phone whole; every other role sees it masked."""
    admin, point = bearer(keys["admin"]), first_point(client, keys["admin"])
    url = f"/api/v1/service-points/{point['id']}"
    body = {"operator_name": "王芳", "operator_phone": "13812345678", "cadence_days": 1}
    changed = client.patch(url, json=body, headers=admin)
    assert changed.json["operator_phone"] == "13812345678"
    assert changed.json["cadence_days"] == 1
    assert client.get(url, headers=admin).json["operator_phone"] == "13812345678"
    for role in OTHERS:
        seen = client.get(url, headers=bearer(keys[role])).json
        listed = first_point(client, keys[role])
        assert seen["operator_phone"] == listed["operator_phone"] == "138****5678"
        assert seen["operator_name"] == "王芳"


def test_openapi_documents_the_reference_paths(client: FlaskClient):
    """The OpenAPI document lists the reference resources and their writes."""
    paths = client.get("/api/v1/openapi.json").json["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/depots"])
    assert "patch" in paths["/api/v1/service-points/{point_id}"]
    assert "/api/v1/couriers/by-code/{code}" in paths


# -- poverty villages (贫困村) ------------------------------------------------------


def village_ids(client: FlaskClient, key: str, query: str) -> list[int]:
    return [v["id"] for v in walk(client, f"/api/v1/villages?{query}", key)]


def test_an_admin_declares_a_poverty_village(client: FlaskClient, keys: dict[str, str]):
    """true, false or null (not declared): the village shows it, the trail keeps
    each change before → after, by the admin."""
    auth, url = bearer(keys["admin"]), "/api/v1/villages/3"
    assert client.get(url, headers=auth).json["poverty"] is None
    for before, after in ((None, True), (True, False), (False, None)):
        response = client.patch(url, json={"poverty": after}, headers=auth)
        assert response.status_code == 200, response.json
        assert response.json["poverty"] is after
        assert client.get(url, headers=auth).json["poverty"] is after
        trail = client.get("/api/v1/audit?action=village.update", headers=auth).json
        entry = trail["items"][-1]
        assert (entry["actor"], entry["target_kind"], entry["target_id"]) == (
            "admin",
            "village",
            "3",
        )
        assert entry["changes"] == {"poverty": [before, after]}


def test_the_same_flag_again_records_nothing(client: FlaskClient, keys: dict[str, str]):
    """A PATCH that changes nothing leaves no entry in the trail."""
    auth = bearer(keys["admin"])
    client.patch("/api/v1/villages/3", json={"poverty": True}, headers=auth)
    client.patch("/api/v1/villages/3", json={"poverty": True}, headers=auth)
    trail = client.get("/api/v1/audit?action=village.update", headers=auth).json
    assert len(trail["items"]) == 1


@pytest.mark.parametrize(
    "body", [{}, {"poverty": "yes"}, {"poverty": 1}, {"name": "新村委会"}]
)
def test_a_bad_village_patch_is_422(
    client: FlaskClient, keys: dict[str, str], body: dict
):
    """Nothing named, a flag that is not true, false or null, another field: 422."""
    response = client.patch(
        "/api/v1/villages/3", json=body, headers=bearer(keys["admin"])
    )
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"


def test_an_unknown_village_is_404(client: FlaskClient, keys: dict[str, str]):
    """A village id that does not exist: 404, for the admin too."""
    auth = bearer(keys["admin"])
    response = client.patch(
        "/api/v1/villages/99999", json={"poverty": True}, headers=auth
    )
    assert response.status_code == 404


def test_villages_by_poverty_flag(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """true: the poverty villages; false: those declared not poor; the undeclared
    are in neither list; with a township, both filters hold."""
    admin, key = bearer(keys["admin"]), keys["analyst"]
    assert village_ids(client, key, "poverty=true") == []
    first, *_, last = session.scalars(select(Village).order_by(Village.id))
    between = session.get(Village, first.id + 1)
    for village, flag in ((first, True), (last, True), (between, False)):
        body = {"poverty": flag}
        client.patch(f"/api/v1/villages/{village.id}", json=body, headers=admin)
    assert village_ids(client, key, "poverty=true") == [first.id, last.id]
    assert village_ids(client, key, "poverty=false") == [between.id]
    town = first.township.code
    assert town != last.township.code
    query = f"poverty=true&township={town}"
    assert village_ids(client, key, query) == [first.id]
    bad = client.get("/api/v1/villages?poverty=maybe", headers=bearer(key))
    assert bad.status_code == 422 and "poverty" in bad.json["errors"]["query"]
