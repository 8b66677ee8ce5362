"""Who is calling: an API key (``Authorization: Bearer``) or a web session login."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import g, request, session
from flask_smorest import abort

from countyhub.api.db import db_session
from countyhub.platform.accounts.api_keys import user_for_api_key
from countyhub.platform.models import User

F = TypeVar("F", bound=Callable[..., Any])


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
        abort(
            401,
            message="use 'Authorization: Bearer <api key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    user = user_for_api_key(db_session(), key.strip())
    if user is None:
        abort(
            401,
            message="this API key is unknown or revoked",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user


def _from_session() -> User | None:
    user_id = session.get("user_id")
    if user_id is None:
        return None
    user = db_session().get(User, user_id)
    return user if user is not None and user.active else None


def actor() -> User:
    """The authenticated user; 401 if there is none."""
    user = current_actor()
    if user is None:
        abort(
            401,
            message="log in or send 'Authorization: Bearer <api key>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return user  # type: ignore[return-value]


def roles(*allowed: str) -> Callable[[F], F]:
    """Let only users of these roles through (403 otherwise)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if actor().role_code not in allowed:
                abort(403, message=f"this needs one of the roles: {', '.join(allowed)}")
            return view(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorate
