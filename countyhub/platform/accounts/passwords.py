"""Changing a password, which ends the user's other sessions.

A person changes their own password; an admin may set anyone's.  Whoever held a
session of that user elsewhere (a stolen cookie, a forgotten browser) is logged
out; the session the change was made in stays.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from countyhub.platform.accounts.admin import admin_get
from countyhub.platform.accounts.audit import Action, record
from countyhub.platform.accounts.sessions import end_other_sessions
from countyhub.platform.accounts.users import hash_password
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import User

MIN_LENGTH = 8


def change_password(
    session: Session,
    actor: User,
    user_id: int,
    password: str,
    *,
    keep_session: str | None = None,
) -> User:
    """Set the password of user ``user_id`` and end their sessions but the one of
    ``keep_session``.  Raises Forbidden, NotFound, InvalidInput."""
    user = (
        actor
        if user_id == actor.id
        else admin_get(session, actor, User, user_id, "user")
    )
    if len(password) < MIN_LENGTH:
        raise InvalidInput(
            f"a password has at least {MIN_LENGTH} characters",
            {"password": "too short"},
        )
    user.password_hash = hash_password(password)
    end_other_sessions(session, user, keep_session)
    # that it changed, by whom and when: no value, not even the hash's
    record(session, actor, Action.USER_PASSWORD, "user", user.id, {})
    return user
