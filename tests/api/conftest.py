"""The API under test: the real app, its requests in the test's rolled-back transaction.

Every request of the app runs in a savepoint of the test's connection, so what a
request commits is still undone when the test ends.  Callers authenticate with real
API keys issued to the demo users.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from flask import Flask, Response, g, request
from flask.testing import FlaskClient
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from countyhub.app import create_app
from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.models import Parcel, User

ROLES = ("admin", "dispatcher", "analyst", "clerk-zto", "clerk-yto")


@pytest.fixture
def make_app(engine: Engine, session: Session) -> Iterator[Callable[..., Flask]]:
    """Build apps (config overrides allowed) running in the test's savepoints."""
    made: list[Flask] = []

    def make(**config: Any) -> Flask:
        url = engine.url.render_as_string(hide_password=False)
        app = create_app({"DATABASE_URL": url, "TESTING": True, **config})
        database = app.extensions["countyhub.db"]
        database.sessions = sessionmaker(
            bind=session.connection(),
            expire_on_commit=False,
            join_transaction_mode="create_savepoint",
        )
        app.after_request(_record)
        made.append(app)
        return app

    yield make
    for app in made:
        app.extensions["countyhub.db"].dispose()


@pytest.fixture
def app(make_app: Callable[..., Flask]) -> Flask:
    return make_app()


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def keys(session: Session, admin: User) -> dict[str, str]:
    """An API key for each demo role, and for the first point operator (``point``)."""
    users = {u.username: u for u in session.scalars(select(User))}
    issued = {
        name: issue_api_key(session, admin, users[name], "test") for name in ROLES
    }
    operator = session.scalar(
        select(User).where(User.role_code == "point_operator").order_by(User.username)
    )
    issued["point"] = issue_api_key(session, admin, operator, "test")
    session.flush()
    return issued


def bearer(key: str) -> dict[str, Any]:
    return {"Authorization": f"Bearer {key}"}


SEEN: list[tuple[str, str, str]] = []  # (role, path, body) of every API response


def _record(response: Response) -> Response:
    actor = g.get("actor")
    if not response.direct_passthrough:
        SEEN.append(
            (
                actor.role_code if actor else "",
                request.path,
                response.get_data(as_text=True),
            )
        )
    return response


@pytest.fixture(autouse=True)
def personal_data_sweep(
    request: pytest.FixtureRequest, caplog: pytest.LogCaptureFixture
) -> Iterator[None]:
    """After each API test: no recipient phone number went out whole, in a response
    body to anyone but a point operator, or in any log record."""
    if "make_app" not in request.fixturenames:  # not a test of the in-test app
        yield
        return
    session: Session = request.getfixturevalue("session")
    caplog.set_level(logging.DEBUG)
    SEEN.clear()
    yield
    phones = {p for p in session.scalars(select(Parcel.recipient_phone)) if p}
    for role, path, body in SEEN:
        leaked = [p for p in phones if p in body]
        assert not leaked or role == "point_operator", (role, path, leaked)
    logged = "\n".join(r.getMessage() for r in caplog.records) + caplog.text
    assert not [p for p in phones if p in logged]
