"""One database session and one transaction per request, for the API and the pages.

The request commits when its response is a success (status below 400) and rolls
back otherwise; the session is closed when the request ends.  A view with a long
step that needs no database ends the transaction before it (:func:`commit_so_far`).
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g
from sqlalchemy.orm import Session


def db_session() -> Session:
    """The session of the current request (opened on first use)."""
    if "db_session" not in g:
        g.db_session = current_app.extensions["countyhub.db"].sessions()
    return g.db_session  # type: ignore[no-any-return]


def commit_so_far() -> None:
    """Commit what the request wrote so far and end its transaction, before a long
    step that needs no database (the planner's search): nobody waits on it.  The
    request goes on in a new transaction, finished as usual."""
    session = g.get("db_session")
    if session is not None:
        session.commit()


def _finish(response: Response) -> Response:
    session = g.get("db_session")
    if session is not None:
        if response.status_code < 400:
            session.commit()
        else:
            session.rollback()
    return response


def _close(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Finish each request's transaction on ``app``.

    Register it after every after-request hook that must see the committed
    response (the API's idempotency store): Flask runs those hooks in reverse.
    """
    app.after_request(_finish)
    app.teardown_request(_close)
