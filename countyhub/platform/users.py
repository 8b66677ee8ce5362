"""People and machines: users, their roles and scopes, passwords and API keys.

Passwords are hashed with scrypt (standard library); API keys are random tokens of
which only the SHA-256 is stored, found again by their public prefix.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.model import ApiKey, Depot, Role, ServicePoint, User

ROLES = ("depot_clerk", "dispatcher", "point_operator", "analyst", "admin")
SYSTEM_USERNAME = "system"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def hash_password(password: str) -> str:
    """A salted scrypt hash of ``password`` as ``scrypt$salt$hash`` (hex)."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_password(stored: str | None, password: str) -> bool:
    """Whether ``password`` matches the ``stored`` hash."""
    if not stored or not stored.startswith("scrypt$"):
        return False
    _, salt, digest = stored.split("$")
    candidate = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), **_SCRYPT)
    return hmac.compare_digest(candidate.hex(), digest)


def create_user(
    session: Session,
    actor: User | None,
    *,
    username: str,
    role: str,
    password: str | None = None,
    display_name: str = "",
    depot: Depot | None = None,
    service_point: ServicePoint | None = None,
) -> User:
    """Create a user.  Raises InvalidInput, Forbidden."""
    if actor is not None and actor.role_code != "admin":
        raise Forbidden("only an admin creates users")
    _check_binding(role, depot, service_point)
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise InvalidInput(
            f"the user name {username!r} is taken", {"username": "already taken"}
        )
    user = User(
        username=username,
        role_code=role,
        display_name=display_name,
        password_hash=hash_password(password) if password else None,
        depot=depot,
        service_point=service_point,
    )
    session.add(user)
    session.flush()
    return user


def _check_binding(role: str, depot: Depot | None, point: ServicePoint | None) -> None:
    if role not in ROLES:
        raise InvalidInput(
            f"unknown role {role!r}; roles: {', '.join(ROLES)}", {"role": "unknown"}
        )
    if role == "depot_clerk" and depot is None:
        raise InvalidInput("a depot clerk is bound to one depot", {"depot": "required"})
    if role == "point_operator" and point is None:
        raise InvalidInput(
            "a point operator is bound to one service point",
            {"service_point": "required"},
        )


def system_actor(session: Session) -> User:
    """The admin account that CLI commands act as unless told otherwise."""
    user = session.scalar(select(User).where(User.username == SYSTEM_USERNAME))
    if user is None:
        user = User(
            username=SYSTEM_USERNAME,
            role_code="admin",
            display_name="countyhub (command line)",
        )
        session.add(user)
        session.flush()
    return user


def get_user(session: Session, username: str) -> User:
    """The active user of that name.  Raises NotFound."""
    user = session.scalar(
        select(User).where(User.username == username, User.active.is_(True))
    )
    if user is None:
        raise NotFound("user", username)
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The user if the password is right, else None."""
    user = session.scalar(
        select(User).where(User.username == username, User.active.is_(True))
    )
    return user if user and verify_password(user.password_hash, password) else None


def issue_api_key(session: Session, actor: User, user: User, name: str) -> str:
    """Create an API key for ``user`` and return it; it is shown this once only."""
    if actor.role_code != "admin":
        raise Forbidden("only an admin issues API keys")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    session.add(
        ApiKey(
            user=user,
            name=name,
            prefix=prefix,
            key_hash=hashlib.sha256(secret.encode()).hexdigest(),
        )
    )
    session.flush()
    return f"ch_{prefix}_{secret}"


def user_for_api_key(session: Session, key: str) -> User | None:
    """The active user holding ``key`` (not revoked), or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "ch":
        return None
    row = session.scalar(
        select(ApiKey).where(ApiKey.prefix == parts[1], ApiKey.revoked_at.is_(None))
    )
    if row is None:
        return None
    digest = hashlib.sha256(parts[2].encode()).hexdigest()
    if not hmac.compare_digest(digest, row.key_hash) or not row.user.active:
        return None
    return row.user


def role_names(session: Session) -> dict[str, Role]:
    """Every role by code."""
    return {r.code: r for r in session.scalars(select(Role))}
