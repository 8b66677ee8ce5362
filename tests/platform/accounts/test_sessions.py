"""Login sessions kept on the server: started, found, ended; a password change and
deactivation end them."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.api_keys import issue_api_key, user_for_api_key
from countyhub.platform.accounts.passwords import change_password
from countyhub.platform.accounts.sessions import (
    SEEN_RESOLUTION,
    end_other_sessions,
    end_session,
    find_session,
    start_session,
)
from countyhub.platform.accounts.users import authenticate, update_user
from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import User, UserSession


def test_a_session_is_found_by_its_token_only_stored_hashed(
    session: Session, dispatcher: User
):
    """The token finds its session and user; the table holds only its SHA-256."""
    token = start_session(session, dispatcher)
    found = find_session(session, token)
    assert found is not None and found.user == dispatcher
    assert token not in found.token_hash and len(found.token_hash) == 64
    assert find_session(session, token + "x") is None


def test_an_ended_session_is_not_found(session: Session, dispatcher: User):
    """After end_session the token finds nothing; ending it again changes nothing."""
    token = start_session(session, dispatcher)
    end_session(session, token)
    record = session.scalar(select(UserSession).where(UserSession.user == dispatcher))
    ended_at = record.ended_at
    assert find_session(session, token) is None and ended_at is not None
    end_session(session, token)
    assert record.ended_at == ended_at


def test_ending_the_others_keeps_the_one_named(session: Session, dispatcher: User):
    """end_other_sessions ends every session of the user but the one kept."""
    here, there, elsewhere = (start_session(session, dispatcher) for _ in range(3))
    end_other_sessions(session, dispatcher, here)
    assert find_session(session, here) is not None
    assert (
        find_session(session, there) is None
        and find_session(session, elsewhere) is None
    )


def test_a_password_change_ends_the_other_sessions(session: Session, dispatcher: User):
    """Changing one's own password keeps this session, ends the others, and the
    new password logs in."""
    here, there = start_session(session, dispatcher), start_session(session, dispatcher)
    change_password(session, dispatcher, dispatcher.id, "new-pass-1", keep_session=here)
    assert (
        find_session(session, here) is not None and find_session(session, there) is None
    )
    assert authenticate(session, "dispatcher", "new-pass-1") == dispatcher


def test_an_admin_resets_a_password_and_ends_every_session(
    session: Session, admin: User, dispatcher: User
):
    """An admin's reset ends all the user's sessions, whatever the admin keeps."""
    mine, theirs = start_session(session, admin), start_session(session, dispatcher)
    change_password(session, admin, dispatcher.id, "reset-pass-1", keep_session=mine)
    assert find_session(session, theirs) is None
    assert find_session(session, mine) is not None


def test_password_change_rules(session: Session, dispatcher: User, analyst: User):
    """Only oneself or an admin changes a password; a short one is refused."""
    with pytest.raises(Forbidden):
        change_password(session, analyst, dispatcher.id, "long-enough-1")
    with pytest.raises(InvalidInput) as refused:
        change_password(session, dispatcher, dispatcher.id, "short")
    assert "password" in refused.value.problems


def test_deactivation_ends_sessions_and_refuses_keys(
    session: Session, admin: User, dispatcher: User
):
    """A deactivated user's sessions end for good (reactivation does not bring them
    back) and their API keys find nobody."""
    token = start_session(session, dispatcher)
    key = issue_api_key(session, admin, dispatcher, "scanner")
    update_user(session, admin, dispatcher.id, active=False)
    assert (
        find_session(session, token) is None and user_for_api_key(session, key) is None
    )
    update_user(session, admin, dispatcher.id, active=True)
    assert find_session(session, token) is None
    assert user_for_api_key(session, key) == dispatcher


def test_an_inactive_users_session_is_not_found(session: Session, dispatcher: User):
    """A session whose user went inactive by other means counts no more."""
    token = start_session(session, dispatcher)
    dispatcher.active = False
    session.flush()
    assert find_session(session, token) is None


def test_last_use_is_noted_to_the_minute(session: Session, dispatcher: User):
    """A session's last use moves when a minute has passed, not on every request."""
    token = start_session(session, dispatcher)
    record = find_session(session, token)
    assert record is not None
    seen = record.last_seen_at
    find_session(session, token)
    assert record.last_seen_at == seen
    record.last_seen_at = seen - SEEN_RESOLUTION - dt.timedelta(seconds=1)
    find_session(session, token)
    assert record.last_seen_at >= seen
