"""Users, passwords and API keys (stored hashed, shown once); roles, their places,
and the admin who always stays."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.api_keys import issue_api_key, user_for_api_key
from countyhub.platform.accounts.audit import Action
from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.sessions import find_session, start_session
from countyhub.platform.accounts.users import (
    authenticate,
    create_user,
    system_actor,
    update_user,
)
from countyhub.platform.db import utcnow
from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import ApiKey, AuditEntry, Depot, ServicePoint, User


def test_password_is_hashed_and_checked(session: Session, admin: User):
    """The password is not stored; the right one logs in, a wrong one does not."""
    user = create_user(
        session, admin, username="li", role="dispatcher", password="s3cret-pass"
    )
    assert "s3cret-pass" not in (user.password_hash or "")
    assert authenticate(session, "li", "s3cret-pass") == user
    assert authenticate(session, "li", "wrong") is None


def test_api_key_is_stored_hashed_and_can_be_revoked(
    session: Session, admin: User, zto_clerk: User
):
    """A key finds its user; only its hash is kept; a revoked key finds nobody."""
    key = issue_api_key(session, admin, zto_clerk, "ZTO depot system")
    row = session.scalar(select(ApiKey).where(ApiKey.user_id == zto_clerk.id))
    assert key.split("_", 2)[2] not in row.key_hash
    assert user_for_api_key(session, key) == zto_clerk
    assert user_for_api_key(session, key[:-1] + "x") is None
    row.revoked_at = utcnow()
    session.flush()
    assert user_for_api_key(session, key) is None


def test_bindings_and_rights(session: Session, admin: User, dispatcher: User):
    """A clerk needs a depot; only admins create users."""
    with pytest.raises(InvalidInput, match="depot"):
        create_user(session, admin, username="c", role="depot_clerk")
    with pytest.raises(Forbidden):
        create_user(session, dispatcher, username="d", role="analyst")


# -- a role and its place --------------------------------------------------------


@pytest.fixture
def wang(session: Session, admin: User) -> User:
    """An analyst with a password, bound to nothing."""
    return create_user(
        session, admin, username="wang", role=Role.ANALYST, password="s3cret-pass"
    )


def test_a_new_role_takes_its_place_and_drops_the_old_one(
    session: Session, admin: User, wang: User, zto_depot: Depot, point: ServicePoint
):
    """Analyst → clerk of a depot → operator of a point → dispatcher: each role
    holds the place named for it, and a place that does not fit is dropped."""
    update_user(session, admin, wang.id, role=Role.DEPOT_CLERK, depot=zto_depot.code)
    assert (wang.role_code, wang.depot, wang.service_point) == (
        Role.DEPOT_CLERK,
        zto_depot,
        None,
    )
    update_user(
        session, admin, wang.id, role=Role.POINT_OPERATOR, service_point=point.code
    )
    assert (wang.depot, wang.service_point) == (None, point)
    update_user(session, admin, wang.id, role=Role.DISPATCHER)
    assert (wang.role_code, wang.depot, wang.service_point) == (
        Role.DISPATCHER,
        None,
        None,
    )


def test_a_clerk_moves_to_another_depot_keeping_the_role(
    session: Session, admin: User, zto_clerk: User
):
    """A depot named alone moves the clerk; the role stays."""
    update_user(session, admin, zto_clerk.id, depot="TG-YTO")
    assert zto_clerk.role_code == Role.DEPOT_CLERK
    assert zto_clerk.depot is not None and zto_clerk.depot.code == "TG-YTO"


@pytest.mark.parametrize(
    ("who", "changes", "field", "says"),
    [
        ("wang", {"role": Role.DEPOT_CLERK}, "depot", "bound to one depot"),
        (
            "wang",
            {"role": Role.POINT_OPERATOR},
            "service_point",
            "bound to one service point",
        ),
        ("wang", {"depot": "TG-ZTO"}, "depot", "only a depot_clerk is bound"),
        (
            "wang",
            {"role": Role.DEPOT_CLERK, "depot": "TG-NONE"},
            "depot",
            "no depot has the code 'TG-NONE'",
        ),
        ("wang", {"role": "boss"}, "role", "unknown role 'boss'"),
        (
            "clerk-zto",
            {"role": Role.DISPATCHER, "depot": "TG-ZTO"},
            "depot",
            "not a dispatcher",
        ),
        (
            "clerk-zto",
            {"service_point": "360926100001"},
            "service_point",
            "only a point_operator is bound to a service point",
        ),
    ],
    ids=[
        "clerk-without-depot",
        "operator-without-point",
        "depot-for-an-analyst",
        "unknown-depot",
        "unknown-role",
        "depot-for-a-dispatcher",
        "point-for-a-clerk",
    ],
)
def test_a_place_that_does_not_fit_the_role_is_refused_by_name(
    session: Session,
    admin: User,
    wang: User,
    who: str,
    changes: dict[str, str],
    field: str,
    says: str,
):
    """The refusal names the field, says why, and changes nothing."""
    user = session.scalar(select(User).where(User.username == who))
    before = (user.role_code, user.depot_id, user.service_point_id)
    with pytest.raises(InvalidInput, match=says) as refused:
        update_user(session, admin, user.id, **changes)
    assert set(refused.value.problems) == {field}
    assert (user.role_code, user.depot_id, user.service_point_id) == before


def test_only_an_admin_changes_a_role(session: Session, dispatcher: User, wang: User):
    """A dispatcher may not make anyone (themself included) an admin."""
    for target in (wang, dispatcher):
        with pytest.raises(Forbidden):
            update_user(session, dispatcher, target.id, role=Role.ADMIN)
    assert dispatcher.role_code == Role.DISPATCHER


def test_an_admin_keeps_their_own_admin_role(session: Session, admin: User):
    """An admin can neither give up their admin role nor deactivate themself."""
    with pytest.raises(InvalidInput) as refused:
        update_user(session, admin, admin.id, role=Role.ANALYST)
    assert "role" in refused.value.problems and admin.role_code == Role.ADMIN
    with pytest.raises(InvalidInput) as refused:
        update_user(session, admin, admin.id, active=False)
    assert "active" in refused.value.problems and admin.active


def test_another_admin_steps_down_while_one_stays(
    session: Session, admin: User, wang: User
):
    """An admin demotes or deactivates another admin: one active admin remains."""
    update_user(session, admin, wang.id, role=Role.ADMIN)
    update_user(session, wang, admin.id, role=Role.ANALYST)
    assert admin.role_code == Role.ANALYST
    update_user(session, wang, admin.id, role=Role.ADMIN)
    update_user(session, admin, wang.id, active=False)
    assert not wang.active


@pytest.mark.parametrize("changes", [{"role": Role.ANALYST}, {"active": False}])
def test_the_last_active_admin_stays_one(
    session: Session, admin: User, changes: dict[str, object]
):
    """With only ``admin`` active, the built-in admin gone inactive (as the
    command line still acts as it) cannot demote or deactivate them."""
    system = system_actor(session)
    update_user(session, admin, system.id, active=False)
    admins = select(User).where(User.role_code == Role.ADMIN, User.active.is_(True))
    assert list(session.scalars(admins)) == [admin]
    with pytest.raises(InvalidInput, match="last active admin") as refused:
        update_user(session, system, admin.id, **changes)
    assert set(refused.value.problems) == set(changes)
    assert admin.role_code == Role.ADMIN and admin.active


def test_a_role_change_is_recorded_apart_from_a_rename(
    session: Session, admin: User, wang: User
):
    """Role and place before → after under user.role, the name under user.update;
    the same role again records nothing."""
    mark = session.scalar(select(func.max(AuditEntry.id))) or 0
    update_user(
        session,
        admin,
        wang.id,
        role=Role.DEPOT_CLERK,
        depot="TG-ZTO",
        display_name="王",
    )
    update_user(session, admin, wang.id, role=Role.DEPOT_CLERK)
    entries = session.scalars(
        select(AuditEntry).where(AuditEntry.id > mark).order_by(AuditEntry.id)
    )
    assert [(e.action, e.target_id, e.changes) for e in entries] == [
        (
            Action.USER_ROLE,
            str(wang.id),
            {"depot": [None, "TG-ZTO"], "role": ["analyst", "depot_clerk"]},
        ),
        (Action.USER_UPDATE, str(wang.id), {"display_name": ["", "王"]}),
    ]


def test_a_role_change_keeps_sessions_and_keys_with_the_new_role(
    session: Session, admin: User, wang: User
):
    """A session and a key of the user stay valid and find the user in the new
    role (nothing is cached beside the user's row)."""
    token = start_session(session, wang)
    key = issue_api_key(session, admin, wang, "scanner")
    update_user(session, admin, wang.id, role=Role.DISPATCHER)
    found = find_session(session, token)
    assert found is not None and found.user.role_code == Role.DISPATCHER
    holder = user_for_api_key(session, key)
    assert holder is not None and holder.role_code == Role.DISPATCHER
