"""People: users, their roles and scopes, and passwords.

Passwords are hashed with scrypt (standard library).  Only an admin manages
users.  API keys live in :mod:`countyhub.platform.accounts.api_keys`; their names are
importable from here too.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.admin import admin_get, require_admin
from countyhub.platform.accounts.audit import Action, record_changes
from countyhub.platform.accounts.roles import Permission, Role, require
from countyhub.platform.accounts.sessions import end_user_sessions
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import Depot, RoleLabel, ServicePoint, User

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
    if actor is not None:
        require(actor, Permission.ADMINISTER, "only an admin creates users")
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
    record_changes(
        session, actor, Action.USER_CREATE, ("user", user.id), {}, _facts(user)
    )
    return user


def _facts(user: User) -> dict[str, Any]:
    """What the audit trail records of a user (never the password's hash)."""
    return {
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role_code,
        "depot": user.depot.code if user.depot else None,
        "service_point": user.service_point.code if user.service_point else None,
        "active": user.active,
    }


def _check_binding(role: str, depot: Depot | None, point: ServicePoint | None) -> None:
    if role not in set(Role):
        raise InvalidInput(
            f"unknown role {role!r}; roles: {', '.join(Role)}", {"role": "unknown"}
        )
    if role == Role.DEPOT_CLERK and depot is None:
        raise InvalidInput("a depot clerk is bound to one depot", {"depot": "required"})
    if role == Role.POINT_OPERATOR and point is None:
        raise InvalidInput(
            "a point operator is bound to one service point",
            {"service_point": "required"},
        )
    for field, bound, place in (
        ("depot", Role.DEPOT_CLERK, depot),
        ("service_point", Role.POINT_OPERATOR, point),
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
            role_code=Role.ADMIN,
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


def role_names(session: Session) -> dict[str, RoleLabel]:
    """Every role by code."""
    return {r.code: r for r in session.scalars(select(RoleLabel))}


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


def register_user(session: Session, actor: User, data: UserInput) -> User:
    """Create a user whose place is named by code.  Raises Forbidden, InvalidInput."""
    require_admin(actor, "creates users")
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
    require_admin(actor, "lists users")
    query = select(User)
    if role is not None:
        query = query.where(User.role_code == role)
    if active is not None:
        query = query.where(User.active == active)
    return query


def get_user_by_id(session: Session, actor: User, user_id: int) -> User:
    """The user with that id.  Raises Forbidden, NotFound."""
    return admin_get(session, actor, User, user_id, "user")


def update_user(
    session: Session,
    actor: User,
    user_id: int,
    *,
    active: bool | None = None,
    display_name: str | None = None,
) -> User:
    """Rename or (de)activate a user; an inactive user's keys and logins stop
    working, and their sessions end.  Raises Forbidden, NotFound, InvalidInput."""
    user = get_user_by_id(session, actor, user_id)
    before = _facts(user)
    if active is False and user.id == actor.id:
        raise InvalidInput(
            "you cannot deactivate yourself; ask another admin",
            {"active": "not for your own account"},
        )
    if active is not None:
        user.active = active
    if active is False:
        end_user_sessions(session, user)
    if display_name is not None:
        user.display_name = display_name
    session.flush()
    record_changes(
        session, actor, Action.USER_UPDATE, ("user", user.id), before, _facts(user)
    )
    return user
