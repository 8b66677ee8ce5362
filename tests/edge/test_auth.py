"""Who is calling, and logging in and out: the same for the API and the pages."""

from __future__ import annotations

import pytest
from flask import Flask
from flask import session as cookie
from flask.testing import FlaskClient

from countyhub.edge.auth import (
    TOKEN,
    NotAuthenticated,
    actor,
    current_actor,
    log_in,
    log_out,
)
from countyhub.platform.demo.make import DEMO_PASSWORD
from countyhub.platform.models import User


def test_log_in_checks_the_password_and_starts_a_session(app: Flask, admin: User):
    """The right password: the user, whose session's token the cookie carries."""
    with app.test_request_context("/"):
        user = log_in("admin", DEMO_PASSWORD)
        assert user.id == admin.id and cookie[TOKEN] and list(cookie) == [TOKEN]
        assert actor().id == admin.id
        log_out()
        assert TOKEN not in cookie and current_actor() is None


@pytest.mark.parametrize("username", ["admin", "nobody"])
def test_a_wrong_name_or_password_is_refused_alike(app: Flask, username: str):
    """A wrong password and an unknown name raise the same 401; no session starts."""
    with app.test_request_context("/"):
        with pytest.raises(NotAuthenticated) as refused:
            log_in(username, "not-the-password")
        assert refused.value.code == 401 and TOKEN not in cookie
        assert refused.value.data == {
            "message": "the user name or the password is wrong",
            "headers": {"WWW-Authenticate": "Bearer"},
        }


@pytest.mark.parametrize(
    ("authorization", "detail"),
    [
        (None, "log in or send 'Authorization: Bearer <api key>'"),
        ("Basic YWRtaW46eA==", "use 'Authorization: Bearer <api key>'"),
        ("Bearer ch_x_y", "this API key is unknown or revoked"),
    ],
)
def test_an_unknown_caller_gets_a_401_problem(
    client: FlaskClient, authorization: str | None, detail: str
):
    """Without a login or a valid key: 401 problem+json asking for a Bearer key."""
    headers = {"Authorization": authorization} if authorization else {}
    response = client.get("/api/v1/session", headers=headers)
    assert response.status_code == 401
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"] == "Bearer"
    assert response.json["title"] == "Unauthorized"
    assert response.json["type"].endswith("/unauthorized")
    assert response.json["detail"] == detail
