"""People: users, their roles and the place a role binds them to.

Only an admin manages users, and there stays an active admin: nobody deactivates
themself or gives up their own admin role, and the last active admin keeps theirs.
A user's row is read again on each request (``edge/auth.py``), so a new role
applies to the next request of every session and key of that user.  Passwords
(hashing, the policy, changing one) live in
:mod:`countyhub.platform.accounts.passwords`, API keys in
:mod:`countyhub.platform.accounts.api_keys`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.admin import admin_get, require_admin
from countyhub.platform.accounts.audit import Action, record_changes
from countyhub.platform.accounts.passwords import (
    check_password,
    hash_password,
    verify_password,
)
from countyhub.platform.accounts.roles import Permission, Role, require, roles_with
from countyhub.platform.accounts.sessions import end_user_sessions
from countyhub.platform.errors import InvalidInput, NotFound
from countyhub.platform.models import Depot, RoleLabel, ServicePoint, User

SYSTEM_USERNAME = "system"
ADMINS = roles_with(Permission.ADMINISTER)
# What the trail records of a user under user.role; the rest goes under user.update.
ROLE_FACTS = ("role", "depot", "service_point")


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
    if password is not None:
        check_password(password)
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
        raise InvalidInput(
            "a depot clerk is bound to one depot: name its code",
            {"depot": "required for a depot_clerk"},
        )
    if role == Role.POINT_OPERATOR and point is None:
        raise InvalidInput(
            "a point operator is bound to one service point: name its code",
            {"service_point": "required for a point_operator"},
        )
    for field, bound, place in (
        ("depot", Role.DEPOT_CLERK, depot),
        ("service_point", Role.POINT_OPERATOR, point),
    ):
        if place is not None and role != bound:
            raise InvalidInput(
                f"only a {bound} is bound to a {field.replace('_', ' ')}, not a "
                f"{role}; leave it out",
                {field: f"not for a {role}"},
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
    """The user if the password is right, else None (in the same time either way:
    an unknown name costs one scrypt too)."""
    user = session.scalar(
        select(User).where(User.username == username, User.active.is_(True))
    )
    right = verify_password(user.password_hash if user else None, password)
    return user if user and right else None


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
        kind = field.replace("_", " ")
        raise InvalidInput(f"no {kind} has the code {code!r}", {field: "unknown"})
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


def get_user_by_name(session: Session, actor: User, username: str) -> User:
    """The user of that name, active or not.  Raises Forbidden, NotFound."""
    require_admin(actor, "reads users")
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound("user", username)
    return user


def update_user(
    session: Session,
    actor: User,
    user_id: int,
    *,
    active: bool | None = None,
    display_name: str | None = None,
    role: str | None = None,
    depot: str | None = None,
    service_point: str | None = None,
) -> User:
    """Rename or (de)activate a user, or give them another role or place
    (``depot``, ``service_point``: codes; a place not named stays if it fits the
    role, else it is dropped).  An inactive user's keys and logins stop working
    and their sessions end.  Raises Forbidden, NotFound, InvalidInput."""
    user = get_user_by_id(session, actor, user_id)
    before, role = _facts(user), user.role_code if role is None else role
    places = _binding(session, user, role, depot, service_point)
    _keep_an_admin(session, actor, user, role, active)
    user.role_code, (user.depot, user.service_point) = role, places
    if display_name is not None:
        user.display_name = display_name
    if active is not None:
        user.active = active
    if active is False:
        end_user_sessions(session, user)
    session.flush()
    _record_update(session, actor, user, before)
    return user


def _binding(
    session: Session, user: User, role: str, depot: str | None, point: str | None
) -> tuple[Depot | None, ServicePoint | None]:
    """The depot and point of ``user`` in ``role``: those named by code, else the
    present ones where they fit the role.  Raises InvalidInput."""
    places = (
        _place(session, Depot, "depot", depot)
        if depot is not None
        else (user.depot if role == Role.DEPOT_CLERK else None),
        _place(session, ServicePoint, "service_point", point)
        if point is not None
        else (user.service_point if role == Role.POINT_OPERATOR else None),
    )
    _check_binding(role, *places)
    return places


def _keep_an_admin(
    session: Session, actor: User, user: User, role: str, active: bool | None
) -> None:
    """Refuse a change that leaves no active admin, or that takes oneself out.
    Raises InvalidInput."""
    if active is False and user.id == actor.id:
        raise InvalidInput(
            "you cannot deactivate yourself; ask another admin",
            {"active": "not for your own account"},
        )
    stays = (user.active if active is None else active) and role in ADMINS
    if stays or not (user.active and user.role_code in ADMINS):
        return
    if user.id == actor.id:
        raise InvalidInput(
            "you cannot give up your own admin role; ask another admin",
            {"role": "not for your own account"},
        )
    # Locked in one order, so that two admins demoting each other at once cannot
    # both pass: the second waits for the first, then sees it.
    admins = select(User.id).where(User.active.is_(True), User.role_code.in_(ADMINS))
    locked = session.scalars(admins.order_by(User.id).with_for_update()).all()
    if not set(locked) - {user.id}:
        raise InvalidInput(
            f"{user.username} is the last active admin; make another user an "
            "admin first",
            {"active" if active is False else "role": "the last active admin"},
        )


def _record_update(
    session: Session, actor: User, user: User, before: dict[str, Any]
) -> None:
    """The role and its place under user.role, the other facts under user.update;
    nothing for what did not change."""
    after, target = _facts(user), ("user", user.id)
    for action, names in (
        (Action.USER_ROLE, ROLE_FACTS),
        (Action.USER_UPDATE, before.keys() - set(ROLE_FACTS)),
    ):
        old = {n: before[n] for n in names}
        record_changes(
            session, actor, action, target, old, {n: after[n] for n in names}
        )
