"""API keys: issued by an admin to a user, found again by their public prefix.

A key is a random token of which only the SHA-256 is stored; it is shown once,
when issued.  A key's last use is noted to the minute.  The names here are also
importable from :mod:`countyhub.platform.accounts.users`.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from countyhub.platform.accounts import audit
from countyhub.platform.accounts.admin import admin_get, require_admin
from countyhub.platform.db import utcnow
from countyhub.platform.errors import InvalidInput
from countyhub.platform.models import ApiKey, Depot, User

# A key's last use is noted at most once a minute: a busy scanner would otherwise
# write to its key's row on every request.
KEY_USE_RESOLUTION = dt.timedelta(minutes=1)
ISSUE, REVOKE = audit.Action.API_KEY_ISSUE, audit.Action.API_KEY_REVOKE


def issue_api_key(session: Session, actor: User, user: User, name: str) -> str:
    """Create an API key for ``user`` and return it; it is shown this once only."""
    return _issue(session, actor, user, name).key


@dataclass(frozen=True, slots=True)
class IssuedKey:
    """A new API key: its stored record, and the key itself, shown this once."""

    record: ApiKey
    key: str


def _issue(session: Session, actor: User, user: User, name: str) -> IssuedKey:
    require_admin(actor, "issues API keys")
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
    # The trail names a key by its name and public prefix, never the key.
    facts = {"user": user.username, "name": name, "prefix": prefix}
    changes = audit.changes_of({}, facts)
    audit.record(session, actor, ISSUE, "api_key", record.id, changes)
    return IssuedKey(record, f"ch_{prefix}_{secret}")


def user_for_api_key(session: Session, key: str) -> User | None:
    """The active user holding ``key`` (not revoked), or None."""
    row = api_key_for(session, key)
    return row.user if row is not None else None


def api_key_for(session: Session, key: str) -> ApiKey | None:
    """The record of ``key`` if it verifies, is not revoked and its user is active,
    or None."""
    parts = key.split("_", 2)
    if len(parts) != 3 or parts[0] != "ch":
        return None
    row = session.scalar(
        select(ApiKey)
        .where(ApiKey.prefix == parts[1], ApiKey.revoked_at.is_(None))
        # read on every request: one query, with the clerk's depot and courier
        .options(
            joinedload(ApiKey.user).joinedload(User.depot).joinedload(Depot.courier)
        )
    )
    if row is None:
        return None
    digest = hashlib.sha256(parts[2].encode()).hexdigest()
    if not hmac.compare_digest(digest, row.key_hash) or not row.user.active:
        return None
    _note_use(row, utcnow())
    return row


def _note_use(row: ApiKey, now: dt.datetime) -> None:
    if row.last_used_at is None or now - row.last_used_at >= KEY_USE_RESOLUTION:
        row.last_used_at = now


# -- administration, by admins only ----------------------------------------------


def issue_key(session: Session, actor: User, user_id: int, name: str) -> IssuedKey:
    """Issue an API key for an active user.  Raises Forbidden, InvalidInput."""
    require_admin(actor, "issues API keys")
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
    require_admin(actor, "lists API keys")
    query = select(ApiKey)
    if user_id is not None:
        query = query.where(ApiKey.user_id == user_id)
    if revoked is not None:
        gone = ApiKey.revoked_at.is_not(None)
        query = query.where(gone if revoked else ~gone)
    return query


def get_api_key(session: Session, actor: User, key_id: int) -> ApiKey:
    """The API key with that id (never the key itself).  Raises Forbidden, NotFound."""
    return admin_get(session, actor, ApiKey, key_id, "API key")


def revoke_api_key(session: Session, actor: User, key_id: int) -> ApiKey:
    """Revoke a key for good (again changes nothing).  Raises Forbidden, NotFound."""
    key = get_api_key(session, actor, key_id)
    if key.revoked_at is None:
        key.revoked_at = utcnow()
        session.flush()
        changes: audit.Changes = {"revoked": [False, True]}
        changes |= {"name": [key.name] * 2, "prefix": [key.prefix] * 2}
        audit.record(session, actor, REVOKE, "api_key", key.id, changes)
    return key
