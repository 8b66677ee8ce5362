"""Users, passwords and API keys (stored hashed, shown once)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from countyhub.platform.accounts.api_keys import issue_api_key, user_for_api_key
from countyhub.platform.accounts.users import authenticate, create_user
from countyhub.platform.db import utcnow
from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import ApiKey, User


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
