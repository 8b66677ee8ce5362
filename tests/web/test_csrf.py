"""CSRF: every page form that changes something needs its token; the API does not."""

from __future__ import annotations

from flask.testing import FlaskClient

from countyhub.platform.demo.make import DEMO_PASSWORD
from tests.web.conftest import form_token, log_in


def test_a_login_without_its_token_is_the_400_page(client: FlaskClient):
    """No token: 400, an HTML page saying the form expired, and no login."""
    client.set_cookie("lang", "en")
    client.get("/login")
    refused = client.post(
        "/login", data={"username": "admin", "password": DEMO_PASSWORD}
    )
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and refused.mimetype == "text/html"
    assert "The form has expired: reload the page and send it again." in page
    assert refused.headers["X-Request-Id"] in page
    assert client.get("/api/v1/session").status_code == 401


def test_a_token_of_another_session_is_refused(client: FlaskClient, app):
    """A token read from someone else's page does not fit this session's."""
    stranger = app.test_client()
    foreign = form_token(stranger)
    client.get("/login")
    refused = client.post(
        "/login",
        data={"username": "admin", "password": DEMO_PASSWORD, "csrf_token": foreign},
    )
    assert refused.status_code == 400


def test_logout_without_its_token_is_refused(client: FlaskClient):
    """A logout posted without the token (another site's form) leaves the session."""
    log_in(client, "admin")
    assert client.post("/logout").status_code == 400
    assert client.get("/api/v1/session").status_code == 200


def test_with_its_token_the_form_goes_through(client: FlaskClient):
    """The token from the page itself: the login and the logout both work."""
    assert log_in(client, "admin").status_code == 302
    token = form_token(client, "/")
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302


def test_the_api_takes_json_without_a_token(client: FlaskClient):
    """The API's login (and every API route) is exempt: JSON, no token, 200."""
    body = {"username": "admin", "password": DEMO_PASSWORD}
    assert client.post("/api/v1/session", json=body).status_code == 200
    assert client.delete("/api/v1/session").status_code == 204
