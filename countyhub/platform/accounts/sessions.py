"""Login sessions kept on the server, so that the server can end them.

Logging in starts a session and hands back a random token for the cookie; only the
token's SHA-256 is stored.  A session counts while it has not ended and its user
is active: logging out ends it, a password change ends the user's other sessions,
deactivating a user ends them all.  The user's row is read again with each
request, so a role change applies at once.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from countyhub.platform.db import utcnow
from countyhub.platform.models import User, UserSession

# A session's last use is noted at most once a minute, not on every request.
SEEN_RESOLUTION = dt.timedelta(minutes=1)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start_session(session: Session, actor: User) -> str:
    """Start a session for ``actor`` (who has just proved who they are); return its
    token, which only the cookie keeps."""
    token = secrets.token_urlsafe(32)
    session.add(UserSession(user=actor, token_hash=_digest(token)))
    session.flush()
    return token


def find_session(session: Session, token: str) -> UserSession | None:
    """The session of ``token`` if it has not ended and its user is active, or None."""
    found = session.scalar(
        select(UserSession).where(
            UserSession.token_hash == _digest(token), UserSession.ended_at.is_(None)
        )
    )
    if found is None or not found.user.active:
        return None
    now = utcnow()
    if now - found.last_seen_at >= SEEN_RESOLUTION:
        found.last_seen_at = now
    return found


def end_session(session: Session, token: str) -> None:
    """End the session of ``token`` (nothing happens if it has ended already)."""
    _end(session, UserSession.token_hash == _digest(token))


def end_other_sessions(session: Session, actor: User, token: str | None) -> None:
    """End every session of ``actor`` but the one of ``token`` (all if None)."""
    others = [UserSession.user_id == actor.id]
    if token is not None:
        others.append(UserSession.token_hash != _digest(token))
    _end(session, *others)


def end_user_sessions(session: Session, user: User) -> None:
    """End every session of ``user`` (deactivated, or told to log out everywhere)."""
    _end(session, UserSession.user_id == user.id)


def _end(session: Session, *where: ColumnElement[bool]) -> None:
    session.execute(
        update(UserSession)
        .where(UserSession.ended_at.is_(None), *where)
        .values(ended_at=utcnow())
        .execution_options(synchronize_session="fetch")
    )
    session.flush()
