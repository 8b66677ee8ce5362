"""One session and one transaction per request, for the API and the pages alike."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.edge.transaction import db_session
from countyhub.platform.models import Courier


def courier(session: Session, code: str) -> Courier | None:
    return session.scalar(select(Courier).where(Courier.code == code))


def writing(code: str, answer: Callable[[], Any]) -> Callable[[], Any]:
    """A view that adds a courier through the request's session, then answers."""

    def view() -> Any:
        db_session().add(Courier(code=code, name="written in a request"))
        db_session().flush()
        return answer()

    return view


def test_one_session_for_the_whole_request(app: Flask):
    """Every call in a request gets the same session; it is closed when it ends."""
    with app.test_request_context("/"):
        first = db_session()
        assert db_session() is first
        first.connection()
        assert first.in_transaction()
    assert not first.in_transaction()


def test_a_page_request_that_succeeds_commits(
    app: Flask, client: FlaskClient, session: Session
):
    """A request outside the API answering 200 commits what it wrote."""
    app.add_url_rule("/edge-write", "edge_write", writing("EDGE-OK", lambda: "done"))
    assert client.get("/edge-write").status_code == 200
    assert courier(session, "EDGE-OK") is not None


def fail() -> Any:
    raise RuntimeError("the view broke")


@pytest.mark.parametrize(
    ("answer", "status"),
    [
        (lambda: ("refused", 422), 422),
        (lambda: ("broken", 500), 500),
        (fail, 500),
    ],
    ids=["422", "500", "exception"],
)
def test_a_request_that_fails_rolls_back(
    app: Flask,
    client: FlaskClient,
    session: Session,
    answer: Callable[[], Any],
    status: int,
):
    """A request answering 4xx or 5xx, or raising, leaves nothing it wrote."""
    app.add_url_rule("/edge-write", "edge_write", writing("EDGE-NO", answer))
    app.config["PROPAGATE_EXCEPTIONS"] = False  # as in production, not as in tests
    assert client.get("/edge-write").status_code == status
    assert courier(session, "EDGE-NO") is None


def test_an_exception_that_escapes_the_app_rolls_back(
    app: Flask, client: FlaskClient, session: Session
):
    """Even when the error propagates (tests, debugging), the write is undone."""
    app.add_url_rule("/edge-write", "edge_write", writing("EDGE-NO", fail))
    with pytest.raises(RuntimeError, match="the view broke"):
        client.get("/edge-write")
    assert courier(session, "EDGE-NO") is None
