"""Public tracking: a number longer than any courier's is refused, not echoed."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from countyhub.couriers import MAX_WAYBILL_LENGTH


@pytest.mark.parametrize(
    "waybill",
    [
        "7" * (MAX_WAYBILL_LENGTH + 1),
        "ZT" + "9" * 5000,
        "<img src=x onerror=alert(1)>" * 2,
    ],
)
def test_a_number_longer_than_any_couriers_is_422(client: FlaskClient, waybill: str):
    """422 problem+json naming the field and the limit; the input is not repeated."""
    response = client.get(f"/api/v1/track/{waybill}")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert response.json["errors"] == {
        "path": {"waybill": [f"at most {MAX_WAYBILL_LENGTH} characters"]}
    }
    body = response.get_data(as_text=True)
    assert waybill[:MAX_WAYBILL_LENGTH] not in body and "onerror" not in body


def test_the_longest_number_is_still_looked_for(client: FlaskClient):
    """A number of the longest allowed length is looked for (404 when unknown)."""
    response = client.get(f"/api/v1/track/{'7' * MAX_WAYBILL_LENGTH}")
    assert response.status_code == 404


def test_the_openapi_document_gives_the_longest_number(client: FlaskClient):
    """The path parameter's schema says how long a number may be."""
    spec = client.get("/api/v1/openapi.json").json
    (parameter,) = spec["paths"]["/api/v1/track/{waybill}"]["get"]["parameters"]
    assert parameter["in"] == "path" and parameter["name"] == "waybill"
    assert parameter["schema"]["maxLength"] == MAX_WAYBILL_LENGTH
