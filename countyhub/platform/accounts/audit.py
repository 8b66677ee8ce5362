"""The audit trail: each administrative change recorded as it is made, read by admins.

A service that changes users, roles, API keys, depots, vehicles, service points,
cadences or the county calls :func:`record` (or :func:`record_changes`) in the
same transaction, so the entry stands or falls with the change.  An entry says who
(the acting user; none for the start-up seeding), when, the :class:`Action`, the
record touched, and its fields as ``{name: [before, after]}``.  A secret never
enters it: any field whose name speaks of a password, hash, key or token is left
out (:func:`changes_of`), and a password change is recorded with no values at
all.  The table is append-only (a database trigger refuses UPDATE and DELETE).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from enum import StrEnum
from typing import Any

from sqlalchemy import Select, select
from sqlalchemy.orm import Session, joinedload

from countyhub.platform.accounts.roles import Permission, require
from countyhub.platform.models import AuditEntry, User

# A field whose name holds one of these is a secret, or leads to one.
SECRET_WORDS = ("password", "hash", "secret", "token", "key")
Changes = dict[str, list[Any]]


class Action(StrEnum):
    """What an administrative change did (stored as its value)."""

    USER_CREATE = "user.create"
    USER_UPDATE = "user.update"  # name shown, active
    USER_ROLE = "user.role"  # role, and the depot or service point it binds to
    USER_PASSWORD = "user.password"  # that it changed: no value
    API_KEY_ISSUE = "api_key.issue"
    API_KEY_REVOKE = "api_key.revoke"
    DEPOT_CREATE = "depot.create"
    DEPOT_UPDATE = "depot.update"
    VEHICLE_CREATE = "vehicle.create"
    VEHICLE_UPDATE = "vehicle.update"
    SERVICE_POINT_UPDATE = "service_point.update"
    SERVICE_POINT_CADENCE = "service_point.cadence"
    SERVICE_POINT_COORDINATES = "service_point.coordinates"
    VILLAGE_UPDATE = "village.update"  # poverty (贫困村): true, false, null
    COUNTY_LOAD = "county.load"


def is_secret(name: str) -> bool:
    """Whether a field of that name may hold a secret (never recorded)."""
    lowered = name.lower()
    return any(word in lowered for word in SECRET_WORDS)


def snapshot(row: object, names: Iterable[str]) -> dict[str, Any]:
    """The named attributes of ``row``, for :func:`changes_of`."""
    return {name: getattr(row, name) for name in names}


def changes_of(before: Mapping[str, Any], after: Mapping[str, Any]) -> Changes:
    """``{field: [before, after]}`` for each field that differs, secrets left out;
    a field missing on one side is None there."""
    names = sorted(n for n in before.keys() | after.keys() if not is_secret(n))
    pairs = {n: [_plain(before.get(n)), _plain(after.get(n))] for n in names}
    return {n: pair for n, pair in pairs.items() if pair[0] != pair[1]}


def _plain(value: Any) -> Any:
    """A value as JSON holds it: numbers, text, booleans, None; else its text."""
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def record(
    session: Session,
    actor: User | None,
    action: Action,
    target_kind: str,
    target_id: object,
    changes: Mapping[str, list[Any]],
) -> AuditEntry:
    """Add an entry to the trail (flushed); secret fields are dropped."""
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        action=action.value,
        target_kind=target_kind,
        target_id=str(target_id),
        changes={n: pair for n, pair in changes.items() if not is_secret(n)},
    )
    session.add(entry)
    session.flush()
    return entry


def record_changes(
    session: Session,
    actor: User | None,
    action: Action,
    target: tuple[str, object],
    before: Mapping[str, Any],
    after: Mapping[str, Any],
) -> AuditEntry | None:
    """Record what differs between ``before`` and ``after`` of ``target`` (kind,
    id); nothing when nothing does."""
    changes = changes_of(before, after)
    if not changes:
        return None
    return record(session, actor, action, *target, changes)


def audit_query(
    actor: User, *, since: dt.datetime | None = None, action: str | None = None
) -> Select[Any]:
    """The entries from ``since`` on, of one action if given (unordered).
    Raises Forbidden."""
    require(actor, Permission.ADMINISTER, "only an admin reads the audit trail")
    query = select(AuditEntry).options(joinedload(AuditEntry.actor))
    if since is not None:
        query = query.where(AuditEntry.at >= since)
    if action is not None:
        query = query.where(AuditEntry.action == action)
    return query
