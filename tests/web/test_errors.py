"""Errors: pages in the site's style with the request id for the pages, problem+json
for the API, chosen by the request's path."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from tests.web.conftest import form_token


def test_an_unknown_page_is_the_404_page_with_the_request_id(client: FlaskClient):
    """404 HTML in the site's layout, with the id the log line carries."""
    missing = client.get("/no-such-page")
    page = missing.get_data(as_text=True)
    assert missing.status_code == 404 and missing.mimetype == "text/html"
    assert f"<code>{missing.headers['X-Request-Id']}</code>" in page
    assert 'href="/static/site.css?v=' in page and "<header" in page


def test_an_unknown_api_path_is_still_problem_json(client: FlaskClient):
    """Under /api/ the answer stays application/problem+json."""
    missing = client.get("/api/v1/no-such")
    assert missing.status_code == 404
    assert missing.mimetype == "application/problem+json"
    assert missing.json["request_id"] == missing.headers["X-Request-Id"]


def test_a_view_that_raises_is_the_500_page_without_a_trace(
    app: Flask, client: FlaskClient, caplog: pytest.LogCaptureFixture
):
    """500 HTML naming the request id; nothing of the exception reaches the page,
    all of it the log."""

    def view() -> None:
        raise RuntimeError("secret internals")

    app.add_url_rule("/boom", "boom", view)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as in tests
    failed = client.get("/boom")
    page = failed.get_data(as_text=True)
    assert failed.status_code == 500 and failed.mimetype == "text/html"
    assert "secret internals" not in page and "Traceback" not in page
    assert failed.headers["X-Request-Id"] in page
    assert "secret internals" in caplog.text


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (NotFound("parcel", 7), 404),
        (Forbidden("only a dispatcher may publish a plan"), 403),
        (InvalidInput("the day is in the past", {"day": "past"}), 422),
    ],
)
def test_a_domain_error_in_a_page_is_its_page(
    app: Flask, client: FlaskClient, error: Exception, status: int
):
    """The page of the status the domain error maps to, with its message."""

    def view() -> None:
        raise error

    app.add_url_rule("/refused", "refused", view)
    answer = client.get("/refused")
    assert answer.status_code == status and answer.mimetype == "text/html"
    assert str(error) in answer.get_data(as_text=True)


def test_a_database_gone_is_the_503_page(app: Flask, client: FlaskClient):
    """The database not answering: 503 page with Retry-After, no driver message."""

    def view() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed"))

    app.add_url_rule("/gone", "gone", view)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    gone = client.get("/gone")
    assert gone.status_code == 503 and gone.mimetype == "text/html"
    assert int(gone.headers["Retry-After"]) > 0
    assert "server closed" not in gone.get_data(as_text=True)


def test_a_wrong_method_is_the_405_page(client: FlaskClient):
    """405 HTML that says which methods the address takes."""
    refused = client.delete("/track")
    assert refused.status_code == 405 and refused.mimetype == "text/html"
    assert "GET" in refused.headers["Allow"]


def test_an_oversized_form_post_is_the_413_page(make_app: Callable[..., Flask]):
    """A form body over the server's limit: 413 HTML, in the reader's language."""
    client = make_app(MAX_CONTENT_LENGTH=1000).test_client()
    client.set_cookie("lang", "en")
    token = form_token(client)
    big = client.post(
        "/login", data={"username": "x" * 5000, "password": "y", "csrf_token": token}
    )
    assert big.status_code == 413 and big.mimetype == "text/html"
    assert "larger than this server takes" in big.get_data(as_text=True)


def test_a_page_that_needs_a_login_leads_to_the_login(app: Flask, client: FlaskClient):
    """A view asking for the actor sends a reader without a login to the login
    page, and back afterwards."""
    from countyhub.edge.auth import actor

    app.add_url_rule("/mine", "mine", lambda: actor().username)
    sent = client.get("/mine?day=today")
    assert sent.status_code == 302
    assert sent.headers["Location"] == "/login?next=/mine?day%3Dtoday"
