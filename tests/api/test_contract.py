"""The served OpenAPI document holds: schemathesis against the real app.

Bounded: a few examples per operation, so the suite stays fast.  Checks: no server
error, and every documented response matches its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import bearer

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(make_app, monkeypatch):  # type: ignore[no-untyped-def]
    """The app with rate limits out of the way (every operation is reached, not
    answered 429 once the budget is spent) and a short default planning time."""
    monkeypatch.setenv("COUNTYHUB_PLAN_SECONDS", "0.3")
    app = make_app(
        COUNTYHUB_RATE_PER_KEY="1000000/minute",
        COUNTYHUB_RATE_PER_ADDRESS="1000000/minute",
        COUNTYHUB_RATE_TRACK="1000000/minute",
        COUNTYHUB_RATE_LOGIN="1000000/minute",
    )
    return schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)


@schema.parametrize()
@settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_matches_its_openapi_document(case, keys: dict[str, str]):  # type: ignore[no-untyped-def]
    """No 5xx; documented responses match their schemas (as an admin)."""
    _short_planning(case)
    case.call_and_validate(
        headers=bearer(keys["admin"]),
        checks=[schemathesis.checks.not_a_server_error, response_schema_conformance],
    )


def _short_planning(case) -> None:  # type: ignore[no-untyped-def]
    """A valid planner time becomes the shortest valid one: the planner runs
    for as long as it is asked (up to 20 s a request), and the check here is of
    the answers, not of the plans.  Out-of-range times are left to be refused."""
    body = case.body
    seconds = body.get("seconds") if isinstance(body, dict) else None
    if isinstance(seconds, int | float) and 0.5 <= seconds <= 20:
        body["seconds"] = 0.5
