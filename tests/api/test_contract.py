"""The served OpenAPI document holds: schemathesis against the real app.

Bounded: a few examples per operation, so the suite stays fast.  Checks: no server
error, and every documented response matches its schema.
"""

from __future__ import annotations

import pytest
import schemathesis
from flask import Flask
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.api.conftest import bearer

schema = schemathesis.pytest.from_fixture("api_schema")


@pytest.fixture
def api_schema(app: Flask):  # type: ignore[no-untyped-def]
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
    case.call_and_validate(
        headers=bearer(keys["admin"]),
        checks=[schemathesis.checks.not_a_server_error, response_schema_conformance],
    )
