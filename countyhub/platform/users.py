"""People and machines: users, their roles and scopes, passwords and API keys.

Passwords are hashed with scrypt (standard library); API keys are random tokens of
which only the SHA-256 is stored, found again by their public prefix.  Only an
admin manages users and keys; a key's last use is noted to the minute.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from countyhub.platform.db import utcnow
from countyhub.platform.errors import Forbidden, InvalidInput, NotFound
from countyhub.platform.model import ApiKey, Depot, Role, ServicePoint, User

ROLES = ("depot_clerk", "dispatcher", "point_operator", "analyst", "admin")
SYSTEM_USERNAME = "system"
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}
# A key's last use is noted at most once a minute: a busy scanner would otherwise
# write to its key's row on every request.
KEY_USE_RESOLUTION = dt.timedelta(minutes=1)


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
    for field, bound, place in (
        ("depot", "depot_clerk", depot),
        ("service_point", "point_operator", point),
    ):
        if place is not None and role != bound:
            raise InvalidInput(
                f"only a {bound} is bound to a {field}; leave it out",
                {field: "not for this role"},
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
    # An unknown name costs one scrypt too, so the time taken does not tell
    # whether the name or the password was wrong.
    stored = user.password_hash if user else None
    right = verify_password(stored or _decoy_hash(), password)
    return user if user and stored and right else None


@cache
def _decoy_hash() -> str:
    return hash_password(secrets.token_urlsafe(16))


def issue_api_key(session: Session, actor: User, user: User, name: str) -> str:
    """Create an API key for ``user`` and return it; it is shown this once only."""
    return _issue(session, actor, user, name).key


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A new API key: its stored record, and the key itself, shown this once."""

    record: ApiKey
    key: str


def _issue(session: Session, actor: User, user: User, name: str) -> IssuedKey:
    _require_admin(actor, "issues API keys")
    prefix = secrets.token_hex(4)
    secret = secrets.token_urlsafe(32)
    record = ApiKey(
        user=user,
        name=name,
        prefix=prefix,
        key_hash=hashlib.sha256(secret.encode()).hexdigest(),
    )
    session.add(record)
    session.flush()
    return IssuedKey(record, f"ch_{prefix}_{secret}")


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
    _note_use(row, utcnow())
    return row.user


def _note_use(row: ApiKey, now: dt.datetime) -> None:
    if row.last_used_at is None or now - row.last_used_at >= KEY_USE_RESOLUTION:
        row.last_used_at = now


def role_names(session: Session) -> dict[str, Role]:
    """Every role by code."""
    return {r.code: r for r in session.scalars(select(Role))}


# -- administration, by admins only ----------------------------------------------


@dataclass(frozen=True, slots=True)
class UserInput:
    """A user to create, its depot or service point named by code."""

    username: str
    role: str
    display_name: str = ""
    password: str | None = None
    depot: str | None = None
    service_point: str | None = None


_Place = TypeVar("_Place", Depot, ServicePoint)
_Row = TypeVar("_Row", User, ApiKey)


def register_user(session: Session, actor: User, data: UserInput) -> User:
    """Create a user whose place is named by code.  Raises Forbidden, InvalidInput."""
    _require_admin(actor, "creates users")
    return create_user(
        session,
        actor,
        username=data.username,
        role=data.role,
        password=data.password,
        display_name=data.display_name,
        depot=_place(session, Depot, "depot", data.depot),
        service_point=_place(
            session, ServicePoint, "service_point", data.service_point
        ),
    )


def _place(
    session: Session, model: type[_Place], field: str, code: str | None
) -> _Place | None:
    if code is None:
        return None
    found = session.scalar(select(model).where(model.code == code))
    if found is None:
        raise InvalidInput(f"no {field} has the code {code!r}", {field: "unknown"})
    return found


def users_query(
    actor: User, *, role: str | None = None, active: bool | None = None
) -> Select[Any]:
    """The users of that role and state (unordered).  Raises Forbidden."""
    _require_admin(actor, "lists users")
    query = select(User)
    if role is not None:
        query = query.where(User.role_code == role)
    if active is not None:
        query = query.where(User.active == active)
    return query


def get_user_by_id(session: Session, actor: User, user_id: int) -> User:
    """The user with that id.  Raises Forbidden, NotFound."""
    return _admin_get(session, actor, User, user_id, "user")


def update_user(
    session: Session,
    actor: User,
    user_id: int,
    *,
    active: bool | None = None,
    display_name: str | None = None,
) -> User:
    """Rename or (de)activate a user; an inactive user's keys and logins stop
    working.  Raises Forbidden, NotFound, InvalidInput."""
    user = get_user_by_id(session, actor, user_id)
    if active is False and user.id == actor.id:
        raise InvalidInput(
            "you cannot deactivate yourself; ask another admin",
            {"active": "not for your own account"},
        )
    if active is not None:
        user.active = active
    if display_name is not None:
        user.display_name = display_name
    session.flush()
    return user


def issue_key(session: Session, actor: User, user_id: int, name: str) -> IssuedKey:
    """Issue an API key for an active user.  Raises Forbidden, InvalidInput."""
    _require_admin(actor, "issues API keys")
    user = session.get(User, user_id)
    if user is None or not user.active:
        raise InvalidInput(
            f"no active user has the id {user_id}", {"user_id": "unknown or inactive"}
        )
    return _issue(session, actor, user, name)


def api_keys_query(
    actor: User, *, user_id: int | None = None, revoked: bool | None = None
) -> Select[Any]:
    """The API keys of that user and state (unordered).  Raises Forbidden."""
    _require_admin(actor, "lists API keys")
    query = select(ApiKey)
    if user_id is not None:
        query = query.where(ApiKey.user_id == user_id)
    if revoked is not None:
        gone = ApiKey.revoked_at.is_not(None)
        query = query.where(gone if revoked else ~gone)
    return query


def get_api_key(session: Session, actor: User, key_id: int) -> ApiKey:
    """The API key with that id (never the key itself).  Raises Forbidden, NotFound."""
    return _admin_get(session, actor, ApiKey, key_id, "API key")


def revoke_api_key(session: Session, actor: User, key_id: int) -> ApiKey:
    """Revoke a key for good (again changes nothing).  Raises Forbidden, NotFound."""
    key = get_api_key(session, actor, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
    return key


def _admin_get(
    session: Session, actor: User, model: type[_Row], row_id: int, kind: str
) -> _Row:
    _require_admin(actor, f"reads {kind}s")
    row = session.get(model, row_id)
    if row is None:
        raise NotFound(kind, row_id)
    return row


def _require_admin(actor: User, what: str) -> None:
    if actor.role_code != "admin":
        raise Forbidden(f"only an admin {what}")
