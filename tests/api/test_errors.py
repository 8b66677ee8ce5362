"""The error table: a subclass of a mapped domain error answers as its parent."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient

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
