"""Who is calling: an API key (``Authorization: Bearer``) or a person logged in with
the session cookie; logging in and out.

The cookie (Flask's signed session) carries only the random token of a session kept
on the server (:mod:`countyhub.platform.accounts.sessions`), so that logging out, a
password change or deactivation end it even in a copy of the cookie taken before.
The user's row is read on every request: a role change applies to the next one.
A caller that cannot be identified gets :class:`NotAuthenticated`, a 401 that the
API answers as problem+json.
"""

from __future__ import annotations

from flask import g, request, session
from werkzeug.exceptions import Unauthorized

from countyhub.edge.transaction import db_session
from countyhub.platform.accounts.api_keys import api_key_for
from countyhub.platform.accounts.sessions import (
    end_session,
    find_session,
    start_session,
)
from countyhub.platform.accounts.users import authenticate
from countyhub.platform.models import User

TOKEN = "session_token"  # the cookie's one entry


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
    record = api_key_for(db_session(), key.strip())
    if record is None:
        raise NotAuthenticated("this API key is unknown or revoked")
    g.api_key_id = record.id
    return record.user


def _from_session() -> User | None:
    token = session.get(TOKEN)
    if not isinstance(token, str):
        return None
    found = find_session(db_session(), token)
    return found.user if found is not None else None


def verified_key_id() -> int | None:
    """The id of the API key this request was sent with, once it verified; None
    without a key and for one that does not verify (whatever prefix it names)."""
    if not request.headers.get("Authorization"):
        return None  # and the cookie is not read: public answers stay cacheable
    try:
        current_actor()
    except NotAuthenticated:
        return None
    return g.get("api_key_id")


def actor() -> User:
    """The authenticated user; :class:`NotAuthenticated` if there is none."""
    user = current_actor()
    if user is None:
        raise NotAuthenticated("log in or send 'Authorization: Bearer <api key>'")
    return user


def log_in(username: str, password: str) -> User:
    """Check the password and start a session for its user (the cookie carries its
    token); a session the cookie held before is ended.

    Raises :class:`NotAuthenticated` if the name or the password is wrong.
    """
    user = authenticate(db_session(), username, password)
    if user is None:
        raise NotAuthenticated("the user name or the password is wrong")
    log_out()
    session[TOKEN] = start_session(db_session(), user)
    return user


def log_out() -> None:
    """End the session on the server and clear the cookie (harmless when no one is
    logged in)."""
    token = session.get(TOKEN)
    if isinstance(token, str):
        end_session(db_session(), token)
    session.clear()
    g.pop("actor", None)  # this request acts as no one from now on
