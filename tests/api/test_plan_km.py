"""The km a run drove over HTTP: ``PUT /plans/{day}/runs/{vehicle}/km``, and runs'
km with the results (JSON and the results file).

The plan is the one of the plans service's tests (VAN-1: two stops, TRI-1: one),
made with the model classes and published.
"""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from countyhub.platform.models import Plan, User
from countyhub.platform.plans.results import publish_plan
from tests.api.conftest import bearer
from tests.platform.plans.test_results import CHENGBEI, DAY, HUCUN, make_plan

URL = f"/api/v1/plans/{DAY}"


@pytest.fixture
def plan(session: Session, admin: User) -> Plan:
    """The day's plan, published; VAN-1 planned 12.345 km."""
    made = make_plan(session, admin)
    made.runs[0].distance_m = 12345
    publish_plan(session, admin, DAY)
    session.flush()
    return made


def put_km(client: FlaskClient, key: str, vehicle: str, body: Any, day=DAY):
    return client.put(
        f"/api/v1/plans/{day}/runs/{vehicle}/km", json=body, headers=bearer(key)
    )


def test_a_run_km_is_put(client: FlaskClient, keys: dict[str, str], plan: Plan):
    """200 with the run's km planned and recorded, and when (local time)."""
    response = put_km(client, keys["dispatcher"], "VAN-1", {"km": 42.5})
    assert response.status_code == 200, response.json
    body = response.json
    assert (body["vehicle"], body["km_planned"], body["km_recorded"]) == (
        "VAN-1",
        12.345,
        42.5,
    )
    assert body["km_recorded_at"].endswith("+08:00")
    again = put_km(client, keys["admin"], "VAN-1", {"km": 40})
    assert again.status_code == 200 and again.json["km_recorded"] == 40.0


@pytest.mark.parametrize("role", ["analyst", "clerk-zto"])
def test_other_roles_get_403(
    client: FlaskClient, keys: dict[str, str], session: Session, plan: Plan, role: str
):
    """Only dispatchers and admins record km: 403 problem+json, nothing written."""
    response = put_km(client, keys[role], "VAN-1", {"km": 42.5})
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"
    session.expire_all()
    assert plan.runs[0].km_recorded is None


@pytest.mark.parametrize("body", [{"km": 0}, {"km": 1000.5}, {"km": "42"}, {}])
def test_km_out_of_bounds_are_422(
    client: FlaskClient, keys: dict[str, str], plan: Plan, body: dict
):
    """Km missing, not a number, not more than 0 or over 1000: 422 naming km."""
    response = put_km(client, keys["dispatcher"], "VAN-1", body)
    assert response.status_code == 422
    assert "km" in response.json["errors"]["json"]


def test_unknown_vehicle_or_day_is_404(
    client: FlaskClient, keys: dict[str, str], plan: Plan
):
    """A vehicle without a run that day, or a day without a plan: 404 saying so."""
    response = put_km(client, keys["dispatcher"], "VAN-9", {"km": 4})
    assert response.status_code == 404
    assert "no run of vehicle VAN-9" in response.json["detail"]
    later = DAY + dt.timedelta(days=400)
    no_plan = put_km(client, keys["dispatcher"], "VAN-1", {"km": 4}, later)
    assert no_plan.status_code == 404


def test_a_draft_is_422(
    client: FlaskClient, keys: dict[str, str], session: Session, plan: Plan
):
    """A draft plan has not run: 422 saying to publish it first."""
    plan.status = "draft"
    session.flush()
    response = put_km(client, keys["dispatcher"], "VAN-1", {"km": 4})
    assert response.status_code == 422 and "publish it first" in response.json["detail"]


def test_the_document_states_the_bounds(client: FlaskClient):
    """The OpenAPI document gives km's bounds, for the PUT and in the results."""
    schemas = client.get("/api/v1/openapi.json").json["components"]["schemas"]
    km = schemas["KmIn"]["properties"]["km"]
    assert (km["exclusiveMinimum"], km["maximum"]) == (0, 1000)
    assert schemas["RunKmIn"]["properties"]["km"] == km
    assert schemas["ResultsIn"]["properties"]["runs"]["maxItems"] == 200


def test_km_alone_through_the_results(
    client: FlaskClient, keys: dict[str, str], session: Session, plan: Plan
):
    """Results with runs' km only: 200, the km recorded, no stop recorded."""
    body = {"runs": [{"vehicle": "TRI-1", "km": 9.5}]}
    response = client.post(
        f"{URL}/results", json=body, headers=bearer(keys["dispatcher"])
    )
    assert response.status_code == 200, response.json
    assert (response.json["stops"], response.json["km_recorded"]) == (0, 1)
    session.expire_all()
    assert plan.runs[1].km_recorded == 9.5
    empty = client.post(f"{URL}/results", json={}, headers=bearer(keys["dispatcher"]))
    assert empty.status_code == 422 and "no results given" in empty.json["detail"]
    bad = {"runs": [{"vehicle": "TRI-1", "km": -1}]}
    refused = client.post(f"{URL}/results", json=bad, headers=bearer(keys["admin"]))
    assert refused.status_code == 422
    assert "km" in refused.json["errors"]["json"]["runs"]["0"]


def test_the_results_file_km_column(
    client: FlaskClient, keys: dict[str, str], session: Session, plan: Plan
):
    """An uploaded sheet's 里程 is recorded; rows that disagree are a 422 naming
    the file, the row and the column."""
    text = (
        f"车辆,服务点,到达,里程\nVAN-1,{HUCUN},是,31\nVAN-1,{CHENGBEI},是,33\n"
    ).encode()
    bad = _upload(client, keys["dispatcher"], text, "km.csv")
    assert bad.status_code == 422
    assert list(bad.json["errors"]) == ["row 3, 里程"]
    assert bad.json["detail"].startswith("km.csv: row 3, column 里程")
    good = _upload(client, keys["dispatcher"], text.replace(b",33", b",31"), "km.csv")
    assert good.status_code == 200, good.json
    assert (good.json["stops"], good.json["km_recorded"]) == (2, 1)
    session.expire_all()
    assert plan.runs[0].km_recorded == 31.0


def _upload(client: FlaskClient, key: str, content: bytes, name: str):
    return client.post(
        f"{URL}/results/file",
        data={"file": (io.BytesIO(content), name)},
        headers=bearer(key),
        content_type="multipart/form-data",
    )
