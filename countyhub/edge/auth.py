"""Who is calling: an API key (``Authorization: Bearer``) or a person logged in with
the session cookie; logging in and out.

A caller that cannot be identified gets :class:`NotAuthenticated`, a 401 that the
API answers as problem+json.
"""

from __future__ import annotations

from flask import g, request, session
from werkzeug.exceptions import Unauthorized

from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.api_keys import user_for_api_key
from countyhub.platform.accounts.users import authenticate
from countyhub.platform.models import User


class NotAuthenticated(Unauthorized):
    """401: who calls is unknown.  ``data`` is shaped as flask-smorest's ``abort``
    gives it (``message``, ``headers``), which the API's error table reads."""

    def __init__(self, message: str) -> None:
        super().__init__()
        self.data = {"message": message, "headers": {"WWW-Authenticate": "Bearer"}}


def current_actor() -> User | None:
    """The authenticated user of this request, or None."""
    if "actor" not in g:
        g.actor = _from_header() or _from_session()
    return g.actor


def _from_header() -> User | None:
    header = request.headers.get("Authorization", "")
    if not header:
        return None
    scheme, _, key = header.partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise NotAuthenticated("use 'Authorization: Bearer <api key>'")
    user = user_for_api_key(db_session(), key.strip())
    if user is None:
        raise NotAuthenticated("this API key is unknown or revoked")
    return user


def _from_session() -> User | None:
    user_id = session.get("user_id")
    if user_id is None:
        return None
    user = db_session().get(User, user_id)
    return user if user is not None and user.active else None


def actor() -> User:
    """The authenticated user; :class:`NotAuthenticated` if there is none."""
    user = current_actor()
    if user is None:
        raise NotAuthenticated("log in or send 'Authorization: Bearer <api key>'")
    return user


def log_in(username: str, password: str) -> User:
    """Check the password and start a session for its user (the cookie carries it).

    Raises :class:`NotAuthenticated` if the name or the password is wrong.
    """
    user = authenticate(db_session(), username, password)
    if user is None:
        raise NotAuthenticated("the user name or the password is wrong")
    session.clear()
    session["user_id"] = user.id
    return user


def log_out() -> None:
    """End the session (harmless when no one is logged in)."""
    session.clear()
