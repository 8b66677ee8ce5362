"""Logging in and out on the pages: one login for every role, the shared failed-login
budget, a session that logging out ends on the server, a cookie Secure over https."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.demo.make import DEMO_PASSWORD
from countyhub.platform.models import User
from countyhub.web.auth import START_PAGES, start_page
from tests.web.conftest import form_token, log_in

ROLE_NAMES_ZH = {
    "admin": "管理员",
    "dispatcher": "调度员",
    "analyst": "县商务局",
    "depot_clerk": "快递网点",
    "point_operator": "村级服务点",
}


def test_every_role_has_a_start_page():
    """The table gives each role of the platform a page to land on."""
    assert {str(role) for role in START_PAGES} == set(ROLE_NAMES_ZH)


@pytest.mark.parametrize(
    "username", ["admin", "dispatcher", "analyst", "clerk-zto", "point"]
)
def test_each_role_lands_on_its_start_page(
    client: FlaskClient, session: Session, point_operator: User, username: str
):
    """After the login, the role's start page, whose header names the user and
    the role (in Chinese by default)."""
    username = point_operator.username if username == "point" else username
    user = session.scalar(select(User).where(User.username == username))
    landed = log_in(client, username)
    assert landed.status_code == 302
    with client.application.test_request_context():
        start = start_page(user.role_code)
    assert landed.headers["Location"] == start
    page = client.get(landed.headers["Location"]).get_data(as_text=True)
    assert f'<span class="user">{user.display_name or username}</span>' in page
    assert f'<span class="role">{ROLE_NAMES_ZH[user.role_code]}</span>' in page
    assert 'action="/logout"' in page


@pytest.mark.parametrize(
    ("given", "landing"),
    [
        ("/track?waybill=1", "/track?waybill=1"),
        ("//evil.example/", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
    ],
)
def test_next_is_followed_to_this_site_only(
    client: FlaskClient, given: str, landing: str
):
    """A ``next`` path of this site is where the login leads; another site's is
    ignored for the start page."""
    landed = log_in(client, "admin", next=given)
    assert landed.status_code == 302 and landed.headers["Location"] == landing


def test_a_wrong_password_shows_the_message_beside_the_field(client: FlaskClient):
    """401, the form again with the message under the password field; the name
    is kept, the password is not echoed, and no one is logged in."""
    client.set_cookie("lang", "en")
    refused = log_in(client, "admin", "not-the-password-123")
    page = refused.get_data(as_text=True)
    assert refused.status_code == 401 and refused.mimetype == "text/html"
    assert (
        '<p class="problem" id="password-problem">'
        "The user name or the password is wrong.</p>" in page
    )
    assert 'value="admin"' in page and "not-the-password-123" not in page
    assert client.get("/api/v1/session").status_code == 401


def test_an_empty_field_is_named(client: FlaskClient):
    """A login without a name says so beside the name field (422); nothing is
    checked."""
    client.set_cookie("lang", "en")
    refused = log_in(client, "", "whatever")
    assert refused.status_code == 422
    assert "Enter your user name." in refused.get_data(as_text=True)


def test_the_failed_login_budget_counts_api_and_page_together(
    make_app: Callable[..., Flask],
):
    """Two failures on the API and one on the page spend a budget of three: the
    next login, even a right one, is refused on both (429 with Retry-After)."""
    client = make_app(COUNTYHUB_RATE_LOGIN="3/day").test_client()
    wrong = {"username": "admin", "password": "wrong guess"}
    codes = [client.post("/api/v1/session", json=wrong).status_code for _ in range(2)]
    codes.append(log_in(client, "admin", "wrong guess").status_code)
    assert codes == [401, 401, 401]
    page = log_in(client, "admin")
    assert page.status_code == 429 and page.mimetype == "text/html"
    assert int(page.headers["Retry-After"]) > 0
    api = client.post("/api/v1/session", json={**wrong, "password": "x"})
    assert api.status_code == 429 and api.mimetype == "application/problem+json"


def test_a_right_login_spends_no_budget(make_app: Callable[..., Flask]):
    """Successful logins are not guesses: more of them than the budget all pass."""
    client = make_app(COUNTYHUB_RATE_LOGIN="2/day").test_client()
    assert [log_in(client, "admin").status_code for _ in range(3)] == [302] * 3


def test_logout_ends_the_session_on_the_server(client: FlaskClient):
    """After logging out, a copy of the cookie taken before is logged out too."""
    log_in(client, "admin")
    copy = client.get_cookie("session").value
    assert client.get("/api/v1/session").status_code == 200
    left = client.post("/logout", data={"csrf_token": form_token(client, "/")})
    assert left.status_code == 302 and left.headers["Location"] == "/login"
    client.set_cookie("session", copy)
    assert client.get("/api/v1/session").status_code == 401
    assert 'action="/logout"' not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("base_url", "secure"), [("https://localhost", True), ("http://localhost", False)]
)
def test_the_session_cookie_is_secure_over_https_only(
    app: Flask, base_url: str, secure: bool
):
    """HttpOnly and SameSite=Lax always; Secure exactly when served over https."""
    client = app.test_client()
    token = form_token(client, base_url=base_url)
    landed = client.post(
        "/login",
        base_url=base_url,
        data={"username": "admin", "password": DEMO_PASSWORD, "csrf_token": token},
        headers={"Referer": f"{base_url}/login"},  # over https, CSRF checks it too
    )
    assert landed.status_code == 302
    cookie = landed.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert ("Secure" in cookie) is secure
