"""The real app, its requests in savepoints of the test's rolled-back transaction:
what a request commits is seen by the test's ``session``, then undone."""

from __future__ import annotations

from tests.api.conftest import app, client, keys, make_app  # noqa: F401  (the fixtures)
