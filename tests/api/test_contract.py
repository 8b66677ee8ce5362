"""The served OpenAPI document holds: schemathesis against the real app.

Every check schemathesis has: no server error; status codes, content types, headers
and bodies as documented; a request the document allows is taken and one it
forbids is refused (422, or 404 for a path no route matches); ``Allow`` on a
405.  One check is narrowed: a request the document allows may still break a
rule of the data, which no schema can say (an unknown courier, a code already
taken, a point outside China, an Idempotency-Key reused for another body); that
is a 422 problem of the domain's own types, and is not counted as the document
lying.  A 422 for the request's shape still is.  The document defines no links,
so there is no stateful run.  A day without a plan (or ``today``) is a 404 problem
that says so.

Bounded so that the suite stays fast: 10 examples per operation.  At full
strength: ``SCHEMATHESIS_EXAMPLES=100 pytest tests/api/test_contract.py``.
"""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

import pytest
import schemathesis
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from schemathesis.openapi.checks import RejectedPositiveData
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy.orm import Session

from countyhub.api import errors
from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.models import User
from tests.api.conftest import bearer

EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "10"))
# the problems a rule of the data gives (not one of the request's shape)
DOMAIN_PROBLEMS = {errors.TYPE_BASE + slug for _, slug, _ in errors.PROBLEMS.values()}

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


def valid_data_is_taken(ctx: Any, response: Any, case: Any) -> bool | None:
    """schemathesis' positive_data_acceptance, a domain rule's 422 allowed."""
    try:
        return positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 422 and _problem_type(response) in DOMAIN_PROBLEMS:
            return None
        raise


def _problem_type(response: Any) -> str:
    try:
        body = response.json()
    except ValueError:
        return ""
    return body.get("type", "") if isinstance(body, dict) else ""


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_api_matches_its_openapi_document(case, session: Session, admin: User):  # type: ignore[no-untyped-def]
    """Every schemathesis check passes on every operation (as an admin)."""
    _short_planning(case)
    # a key of its own for each request: an earlier one may have revoked the last
    _as_admin(case, issue_api_key(session, admin, admin, "contract"))
    session.flush()
    case.body = _integers_spelled_as_such(case.body)
    case.call_and_validate(
        excluded_checks=[positive_data_acceptance],
        additional_checks=[valid_data_is_taken],
    )


def _as_admin(case, key: str) -> None:  # type: ignore[no-untyped-def]
    """A bearer token schemathesis made up becomes the admin's key; a missing or
    malformed Authorization (a request the document forbids) is sent as it is."""
    auth = (case.headers or {}).get("Authorization")
    if isinstance(auth, str) and auth.startswith("Bearer "):
        case.headers.update(bearer(key))


def _short_planning(case) -> None:  # type: ignore[no-untyped-def]
    """A valid planner time becomes the shortest valid one: the planner runs
    for as long as it is asked (up to 20 s a request), and the check here is of
    the answers, not of the plans.  Out-of-range times are left to be refused;
    the cycle's default time (20 s) is made the shortest too."""
    body = case.body
    if not isinstance(body, dict):
        return
    seconds = body.get("seconds")
    default = "seconds" not in body and case.operation.path == "/api/v1/plans/cycle"
    if default or (isinstance(seconds, int | float) and 0.5 <= seconds <= 20):
        body["seconds"] = 0.5


def _integers_spelled_as_such(value: Any) -> Any:
    """A whole float in a body spelled as an integer (2.0 as 2): JSON Schema calls
    2.0 an integer and schemathesis sends some, but the API takes an integer only
    written as one (``test_input``); the value, and what the document says of
    it, are the same."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {key: _integers_spelled_as_such(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_integers_spelled_as_such(item) for item in value]
    return value


@pytest.mark.parametrize("day", ["today", "2099-12-31"])
def test_a_day_without_a_plan_is_a_404_that_says_so(
    client: FlaskClient, keys: dict[str, str], day: str
):
    """``today`` (which the document allows for a day) or a date: no plan, a 404
    problem saying that no plan exists for that day."""
    response = client.get(f"/api/v1/plans/{day}", headers=bearer(keys["analyst"]))
    assert response.status_code == 404
    assert response.content_type == "application/problem+json"
    named = dt.datetime.now(LOCAL_TZ).date() if day == "today" else day
    assert f"no plan exists for {named}" in response.json["detail"]
