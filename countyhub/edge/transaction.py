"""One database session and one transaction per request, for the API and the pages.

The request commits when its response is a success (status below 400) and rolls
back otherwise; the session is closed when the request ends.  A view with a long
step that needs no database ends the transaction before it (:func:`commit_so_far`).

A request holds one connection from its first query to its end (checked out and
pinged once): its session runs on it, and so does a short transaction of its own
taken between the request's (:func:`side_bind`, for the API's idempotency
claim), one after the other, never a second connection while the first is held —
a server with more threads than the pool has connections cannot deadlock.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, g
from sqlalchemy import Connection
from sqlalchemy.orm import Session, sessionmaker


def db_session() -> Session:
    """The session of the current request (opened on first use)."""
    if "db_session" not in g:
        g.db_session = _database().sessions(bind=_connection())
    return g.db_session  # type: ignore[no-any-return]


def side_bind() -> sessionmaker[Session]:
    """Sessions for a short transaction of its own beside the request's (after
    :func:`commit_so_far`, or once the request's has ended): on the request's
    connection while it is held, else on one of the pool's."""
    sessions: sessionmaker[Session] = _database().sessions
    connection = g.get("db_connection")
    if connection is None:
        return sessions
    return sessionmaker(**{**sessions.kw, "bind": connection})


def _database():  # type: ignore[no-untyped-def]
    return current_app.extensions["countyhub.db"]


def _connection() -> Connection:
    if "db_connection" not in g:
        bind = _database().sessions.kw["bind"]
        # A connection already (a test runs the app inside its own): use it as is.
        g.db_connection_own = not isinstance(bind, Connection)
        g.db_connection = bind.connect() if g.db_connection_own else bind
    return g.db_connection  # type: ignore[no-any-return]


def commit_so_far() -> None:
    """Commit what the request wrote so far and end its transaction: before a long
    step that needs no database (the planner's search), so nobody waits on it, or
    before a transaction of its own on :func:`side_bind` that must neither wait
    behind the request's (SQLite's one write lock) nor be undone with it (the
    API's idempotency claim).  The request goes on in a new transaction,
    finished as usual."""
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
    connection = g.pop("db_connection", None)
    if connection is not None and g.pop("db_connection_own", False):
        connection.close()  # back to the pool


def init_app(app: Flask) -> None:
    """Finish each request's transaction on ``app``.

    Register it after every after-request hook that must see the committed
    response (the API's idempotency store): Flask runs those hooks in reverse.
    """
    app.after_request(_finish)
    app.teardown_request(_close)
