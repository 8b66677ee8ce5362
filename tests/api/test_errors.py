"""The error table: a subclass of a mapped domain error answers as its parent."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy.exc import OperationalError
from werkzeug.exceptions import InternalServerError

from countyhub.api.errors import http_problem
from countyhub.api.idempotency import _lock_timeout
from countyhub.platform import errors


class OutsideTheDepot(errors.Forbidden):
    """A refinement of Forbidden that the table does not name."""


class NoSuchShelf(errors.NotFound):
    """A refinement of NotFound …"""


class NoSuchTopShelf(NoSuchShelf):
    """… and of that one: two steps from the table."""


@pytest.mark.parametrize(
    ("error", "status", "slug"),
    [
        (OutsideTheDepot("another depot's parcel"), 403, "forbidden"),
        (NoSuchShelf("shelf", "A1"), 404, "not-found"),
        (NoSuchTopShelf("shelf", "A9"), 404, "not-found"),
    ],
    ids=["child", "child-of-NotFound", "grandchild"],
)
def test_a_subclass_of_a_mapped_error_gets_its_parents_problem(
    app: Flask, client: FlaskClient, error: Exception, status: int, slug: str
):
    """Not a 500: the status, type and title of the nearest mapped ancestor."""

    def view() -> None:
        raise error

    app.add_url_rule("/api/v1/refined", "refined", view)
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as in tests
    response = client.get("/api/v1/refined")
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    assert response.json["type"].endswith(f"/{slug}")
    assert response.json["detail"] == str(error)


def test_a_database_that_does_not_answer_is_a_503_to_retry(
    app: Flask, client: FlaskClient
):
    """The connection lost mid-request: 503 problem+json with Retry-After, no trace."""

    def view() -> None:
        raise OperationalError("SELECT 1", {}, ConnectionError("server closed"))

    app.add_url_rule("/api/v1/gone", "gone", view)
    app.config["PROPAGATE_EXCEPTIONS"] = False
    response = client.get("/api/v1/gone")
    assert response.status_code == 503
    assert response.mimetype == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    assert "server closed" not in response.get_data(as_text=True)


@pytest.mark.parametrize(("size", "minutes"), [(0, 1), (2_000, 1), (2**20, 15)])
def test_an_abandoned_claim_is_freed_as_soon_as_its_request_could_have_ended(
    app: Flask, size: int, minutes: int
):
    """A small request's claim is abandoned after a minute, a big batch's later."""
    with app.test_request_context("/api/v1/parcels", method="POST", data=b"x" * size):
        assert _lock_timeout() == dt.timedelta(minutes=minutes)


def test_a_database_gone_at_the_commit_is_a_503(app: Flask):
    """A commit that fails in an after-request hook reaches Flask as a 500 around
    the database's error: still answered 503 with Retry-After, not as a bug."""
    from_hook = InternalServerError(
        original_exception=OperationalError("COMMIT", {}, Exception("gone"))
    )
    with app.test_request_context("/api/v1/parcels", method="POST"):
        response = http_problem(from_hook)
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
