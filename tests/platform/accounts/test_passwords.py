"""Passwords: the policy, hashing, and a change that proves who asks for it."""

from __future__ import annotations

import pytest
from sqlalchemy.orm import Session

from countyhub.platform.accounts.passwords import (
    MAX_LENGTH,
    MIN_LENGTH,
    change_password,
    change_password_checked,
    check_password,
    verify_password,
)
from countyhub.platform.accounts.sessions import find_session, start_session
from countyhub.platform.accounts.users import authenticate, create_user
from countyhub.platform.demo.make import DEMO_PASSWORD
from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import User

NEW = "a-new-password-1"


@pytest.mark.parametrize(
    ("password", "says"),
    [
        (
            "x" * (MIN_LENGTH - 1),
            f"{MIN_LENGTH} to {MAX_LENGTH} characters, this one 7",
        ),
        ("x" * (MAX_LENGTH + 1), "this one 201"),
        ("tab\there-is-long", "no tabs, line breaks"),
        ("line\nbreak-is-long", "no tabs, line breaks"),
        ("surrogate-\udc80-long", "no tabs, line breaks"),
    ],
    ids=["short", "long", "tab", "line-break", "lone-surrogate"],
)
def test_a_password_outside_the_policy_says_why(password: str, says: str):
    """Each refusal names the field and what to do."""
    with pytest.raises(InvalidInput, match=says) as refused:
        check_password(password)
    assert set(refused.value.problems) == {"password"}


@pytest.mark.parametrize(
    "password", ["x" * MIN_LENGTH, "x" * MAX_LENGTH, "铜鼓 县 一二三"]
)
def test_a_password_within_the_policy_passes(password: str):
    """8 and 200 characters, spaces and Chinese pass."""
    check_password(password)


def test_without_a_hash_nothing_verifies():
    """No stored hash (a machine) or a foreign one: never a match."""
    assert not verify_password(None, "")
    assert not verify_password("md5$abc", "abc")


def test_a_new_user_keeps_the_policy(session: Session, admin: User):
    """create_user refuses a password the policy refuses."""
    with pytest.raises(InvalidInput, match="characters"):
        create_user(session, admin, username="li", role="analyst", password="short")


def test_ones_own_password_needs_the_current_one(session: Session, dispatcher: User):
    """Left out or wrong, the current password refuses the change (naming
    current_password) and the old one still logs in; right, the new one does."""
    for current, problem in ((None, "required"), ("not-it-at-all", "wrong")):
        with pytest.raises(InvalidInput) as refused:
            change_password_checked(
                session, dispatcher, dispatcher.id, NEW, current_password=current
            )
        assert problem in refused.value.problems["current_password"]
    assert authenticate(session, "dispatcher", DEMO_PASSWORD) == dispatcher
    change_password_checked(
        session, dispatcher, dispatcher.id, NEW, current_password=DEMO_PASSWORD
    )
    assert authenticate(session, "dispatcher", NEW) == dispatcher
    assert authenticate(session, "dispatcher", DEMO_PASSWORD) is None


def test_an_admin_sets_anothers_without_theirs(
    session: Session, admin: User, dispatcher: User
):
    """An admin needs no current password for another user; their sessions end,
    the admin's own stays."""
    theirs, mine = start_session(session, dispatcher), start_session(session, admin)
    change_password_checked(
        session, admin, dispatcher.id, NEW, current_password=None, keep_session=mine
    )
    assert authenticate(session, "dispatcher", NEW) == dispatcher
    assert find_session(session, theirs) is None
    assert find_session(session, mine) is not None


def test_a_user_without_a_password_gets_none_by_themself(session: Session, admin: User):
    """A machine (no password) cannot give itself one with its key: an admin
    sets the first."""
    machine = create_user(session, admin, username="scanner", role="analyst")
    with pytest.raises(InvalidInput, match="an admin sets") as refused:
        change_password_checked(
            session, machine, machine.id, NEW, current_password="anything"
        )
    assert "current_password" in refused.value.problems
    change_password(session, admin, machine.id, NEW)
    assert authenticate(session, "scanner", NEW) == machine


def test_nobody_but_an_admin_sets_anothers(
    session: Session, analyst: User, dispatcher: User
):
    """Even with the other's current password, an analyst is refused."""
    with pytest.raises(Forbidden):
        change_password_checked(
            session, analyst, dispatcher.id, NEW, current_password=DEMO_PASSWORD
        )
