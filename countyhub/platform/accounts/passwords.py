"""Passwords: how they are hashed, what one must be, and changing one.

Passwords are hashed with scrypt (standard library); only the hash is stored.  A
password has 8 to 200 characters, none of them a control character
(:func:`check_password`).  A person changes their own password; an admin may set
anyone's.  Over the web a person proves it is them with the current password
(:func:`change_password_checked`); the command line, which reaches the database
itself, does not ask.  Whoever held a session of that user elsewhere (a stolen
cookie, a forgotten browser) is logged out; the session the change was made in
stays.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from functools import cache

from sqlalchemy.orm import Session

from countyhub.platform.accounts.admin import admin_get
from countyhub.platform.accounts.audit import Action, record
from countyhub.platform.accounts.sessions import end_other_sessions
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import User

MIN_LENGTH, MAX_LENGTH = 8, 200
CONTROL = re.compile(r"[\x00-\x1f\x7f]")  # as schema_rules.plain refuses them
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` as ``scrypt$salt$hash`` (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash.  Without a hash it is
    checked against a decoy all the same (and fails), so that the time taken
    does not tell whether there was one."""
    real = stored is not None and stored.startswith("scrypt$")
    _, salt, digest = (stored if stored and real else _decoy_hash()).split("$")
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest) and real


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def check_password(password: str) -> None:
    """Raise InvalidInput unless ``password`` may be one (the message says why)."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        raise InvalidInput(
            f"a password has {MIN_LENGTH} to {MAX_LENGTH} characters, this one "
            f"{len(password)}; a few words strung together are long and easy to "
            "remember",
            {"password": f"{MIN_LENGTH} to {MAX_LENGTH} characters"},
        )
    if CONTROL.search(password) or not _is_text(password):
        raise InvalidInput(
            "a password is letters, digits, spaces and signs: no tabs, line breaks "
            "or other control characters",
            {"password": "control characters"},
        )


def _is_text(value: str) -> bool:
    """Whether ``value`` is Unicode text (a lone surrogate, as undecodable input
    becomes, is not)."""
    try:
        value.encode()
    except UnicodeEncodeError:
        return False
    return True


def password_holder(session: Session, actor: User, user_id: int) -> User:
    """The user whose password ``actor`` asks to set: themself, or anyone for an
    admin.  Raises Forbidden, NotFound."""
    if user_id == actor.id:
        return actor
    return admin_get(session, actor, User, user_id, "user")


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
    user = password_holder(session, actor, user_id)
    check_password(password)
    user.password_hash = hash_password(password)
    end_other_sessions(session, user, keep_session)
    # that it changed, by whom and when: no value, not even the hash's
    record(session, actor, Action.USER_PASSWORD, "user", user.id, {})
    return user


def change_password_checked(
    session: Session,
    actor: User,
    user_id: int,
    password: str,
    *,
    current_password: str | None,
    keep_session: str | None = None,
) -> User:
    """:func:`change_password` for a caller who must prove who they are: one's own
    password changes only with the current one (an admin setting another's needs
    none).  Raises Forbidden, NotFound, InvalidInput."""
    user = password_holder(session, actor, user_id)
    if user.id == actor.id:
        _check_current(actor, current_password)
    return change_password(session, actor, user_id, password, keep_session=keep_session)


def _check_current(actor: User, current: str | None) -> None:
    if not actor.password_hash:
        raise InvalidInput(
            "you have no password yet, so there is none to change: an admin sets "
            "the first one",
            {"current_password": "no password to change"},
        )
    if current is None:
        raise InvalidInput(
            "to change your own password, give the current one too",
            {"current_password": "required for your own password"},
        )
    if not verify_password(actor.password_hash, current):
        raise InvalidInput(
            "the current password is wrong; if it is forgotten, an admin sets a "
            "new one",
            {"current_password": "wrong"},
        )
