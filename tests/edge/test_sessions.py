"""Sessions end on the server: a copy of the cookie is worth nothing after logging
out, a password change or deactivation; a role change applies to the next request."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.orm import Session

from countyhub.edge.auth import TOKEN
from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.accounts.passwords import change_password
from countyhub.platform.accounts.roles import Role
from countyhub.platform.demo.make import DEMO_PASSWORD
from countyhub.platform.models import User
from tests.api.conftest import bearer


def logged_in(app: Flask, username: str) -> FlaskClient:
    client = app.test_client()
    body = {"username": username, "password": DEMO_PASSWORD}
    assert client.post("/api/v1/session", json=body).status_code == 200
    return client


def copy_of(app: Flask, client: FlaskClient) -> FlaskClient:
    """Another browser holding the same cookie (as one who stole it would)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = app.test_client()
    thief.set_cookie("session", cookie.value)
    return thief


def test_logging_out_ends_the_session_on_the_server(app: Flask):
    """A copy of the cookie taken before DELETE /session gets 401 afterwards."""
    person = logged_in(app, "dispatcher")
    thief = copy_of(app, person)
    assert thief.get("/api/v1/session").status_code == 200
    assert person.delete("/api/v1/session").status_code == 204
    assert thief.get("/api/v1/session").status_code == 401
    assert person.get("/api/v1/session").status_code == 401


def test_logging_in_again_ends_the_session_the_cookie_held(app: Flask):
    """A new login in the same browser starts a new session and ends the old one."""
    person = logged_in(app, "dispatcher")
    before = copy_of(app, person)
    body = {"username": "analyst", "password": DEMO_PASSWORD}
    assert person.post("/api/v1/session", json=body).json["username"] == "analyst"
    assert before.get("/api/v1/session").status_code == 401


def test_a_password_change_ends_the_users_other_sessions(
    app: Flask, session: Session, dispatcher: User
):
    """The session the change is made in stays; the user's others get 401."""
    here, there = logged_in(app, "dispatcher"), logged_in(app, "dispatcher")
    with here.session_transaction() as cookie:
        token = cookie[TOKEN]
    change_password(
        session, dispatcher, dispatcher.id, "new-pass-1", keep_session=token
    )
    session.flush()
    assert here.get("/api/v1/session").status_code == 200
    assert there.get("/api/v1/session").status_code == 401


def test_deactivation_ends_sessions_and_refuses_keys(
    app: Flask, session: Session, admin: User, dispatcher: User
):
    """PATCH active=false: the user's sessions and keys get 401 from the next
    request on."""
    admin_key = issue_api_key(session, admin, admin, "test")
    key = issue_api_key(session, admin, dispatcher, "test")
    person = logged_in(app, "dispatcher")
    client = app.test_client()
    response = client.patch(
        f"/api/v1/users/{dispatcher.id}",
        json={"active": False},
        headers=bearer(admin_key),
    )
    assert response.status_code == 200
    assert person.get("/api/v1/session").status_code == 401
    assert client.get("/api/v1/session", headers=bearer(key)).status_code == 401


def test_a_role_change_applies_to_the_next_request(
    app: Flask, session: Session, admin: User, dispatcher: User
):
    """Made admin, a logged-in person and their key may list users at once; made
    dispatcher again, they may not."""
    key = bearer(issue_api_key(session, admin, dispatcher, "test"))
    person, machine = logged_in(app, "dispatcher"), app.test_client()
    assert person.get("/api/v1/users").status_code == 403
    assert machine.get("/api/v1/users", headers=key).status_code == 403
    dispatcher.role_code = Role.ADMIN
    session.flush()
    assert person.get("/api/v1/users").status_code == 200
    assert machine.get("/api/v1/users", headers=key).status_code == 200
    dispatcher.role_code = Role.DISPATCHER
    session.flush()
    assert person.get("/api/v1/users").status_code == 403
    assert machine.get("/api/v1/users", headers=key).status_code == 403


def test_a_cookie_of_the_old_kind_logs_no_one_in(app: Flask, admin: User):
    """A signed cookie holding a user id (as before sessions were kept) is ignored."""
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["user_id"] = admin.id
    assert client.get("/api/v1/session").status_code == 401
