"""The audit trail: each administrative change recorded, no secret, append-only."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from countyhub.platform.accounts import api_keys, users
from countyhub.platform.accounts.audit import (
    Action,
    audit_query,
    changes_of,
    is_secret,
    record,
)
from countyhub.platform.accounts.passwords import change_password
from countyhub.platform.county import (
    gazetteer,
    points,
    reference,
    service_points,
    villages,
)
from countyhub.platform.db import utcnow
from countyhub.platform.errors import Forbidden
from countyhub.platform.models import ApiKey, AuditEntry, ServicePoint, User

PASSWORD, NEW_PASSWORD = "first-secret-9", "second-secret-9"
VEHICLE = {"code": "TRI-A", "name": "三轮A", "kind": "tricycle"}
VEHICLE |= {"capacity_parcels": 60, "capacity_kg": 250.0}


@dataclass
class Trail:
    """What :func:`everything` did: the entries by action and the secrets used."""

    entries: dict[str, list[AuditEntry]]
    secrets: list[str]
    user: User
    key: ApiKey
    point: ServicePoint


def since(session: Session, mark: int) -> list[AuditEntry]:
    query = select(AuditEntry).where(AuditEntry.id > mark).order_by(AuditEntry.id)
    return list(session.scalars(query))


def last_id(session: Session) -> int:
    return session.scalar(select(func.max(AuditEntry.id))) or 0


@pytest.fixture
def trail(session: Session, admin: User) -> Trail:
    """Every administrative change once, made by the admin."""
    mark = last_id(session)
    user = users.create_user(
        session, admin, username="wang", role="analyst", password=PASSWORD
    )
    users.update_user(session, admin, user.id, display_name="王", active=False)
    users.update_user(session, admin, user.id, active=True)
    users.update_user(session, admin, user.id, role="depot_clerk", depot="TG-ZTO")
    change_password(session, admin, user.id, NEW_PASSWORD)
    issued = api_keys.issue_key(session, admin, user.id, "scanner 1")
    api_keys.revoke_api_key(session, admin, issued.record.id)
    depot = reference.create_depot(
        session, admin, {"courier": "ZTO", "code": "D-1", "name": "甲", "address": ""}
    )
    reference.update_depot(session, admin, depot.id, {"name": "乙"})
    vehicle = reference.create_vehicle(session, admin, VEHICLE)
    reference.update_vehicle(session, admin, vehicle.id, {"active": False})
    point = session.scalars(select(ServicePoint).order_by(ServicePoint.code)).first()
    assert point is not None and point.lon is not None and point.lat is not None
    lon, lat = point.lon + 0.001, point.lat
    moved = {"operator_name": "赵", "lon": lon, "lat": lat, "crs": "wgs84"}
    service_points.update_point(session, admin, point.id, moved)
    points.set_cadence(session, admin, [point.code], 5)
    villages.update_village(session, admin, point.village_id, {"poverty": True})
    gazetteer.load_county(session, admin)
    entries: dict[str, list[AuditEntry]] = {}
    for entry in since(session, mark):
        entries.setdefault(entry.action, []).append(entry)
    hashes = [user.password_hash or "", issued.record.key_hash]
    secrets = [PASSWORD, NEW_PASSWORD, issued.key, issued.key.split("_")[2], *hashes]
    return Trail(entries, secrets, user, issued.record, point)


def only(trail: Trail, action: Action) -> AuditEntry:
    (entry,) = trail.entries[action]
    return entry


def test_every_action_is_recorded_with_who_and_when(trail: Trail, admin: User):
    """Each kind of change leaves entries, by the admin, just now."""
    assert set(trail.entries) == set(Action)
    for entry in (e for found in trail.entries.values() for e in found):
        assert entry.actor_id == admin.id and entry.actor == admin
        assert utcnow() - entry.at < dt.timedelta(minutes=5)


def test_users_are_recorded_before_and_after(trail: Trail):
    """Creation lists the user's facts; each update only what it changed, a new
    role and its place apart from the rest."""
    created = only(trail, Action.USER_CREATE)
    assert (created.target_kind, created.target_id) == ("user", str(trail.user.id))
    assert created.changes["username"] == [None, "wang"]
    assert created.changes["role"] == [None, "analyst"]
    assert created.changes["active"] == [None, True]
    first, second = trail.entries[Action.USER_UPDATE]
    assert first.changes == {"display_name": ["", "王"], "active": [True, False]}
    assert second.changes == {"active": [False, True]}
    assert only(trail, Action.USER_ROLE).changes == {
        "role": ["analyst", "depot_clerk"],
        "depot": [None, "TG-ZTO"],
    }
    assert only(trail, Action.USER_PASSWORD).changes == {}


def test_keys_are_named_by_name_and_prefix(trail: Trail):
    """An issued key is recorded by its holder, name and prefix; a revoke too."""
    issued = only(trail, Action.API_KEY_ISSUE)
    assert issued.target_id == str(trail.key.id)
    assert issued.changes == {
        "user": [None, "wang"],
        "name": [None, "scanner 1"],
        "prefix": [None, trail.key.prefix],
    }
    revoked = only(trail, Action.API_KEY_REVOKE)
    assert revoked.changes["revoked"] == [False, True]
    assert revoked.changes["prefix"] == [trail.key.prefix] * 2


def test_reference_data_is_recorded_before_and_after(trail: Trail):
    """Depots, vehicles and points: what changed, from what, to what."""
    assert only(trail, Action.DEPOT_CREATE).changes["courier"] == [None, "ZTO"]
    assert only(trail, Action.DEPOT_UPDATE).changes == {"name": ["甲", "乙"]}
    assert only(trail, Action.VEHICLE_CREATE).changes["code"] == [None, "TRI-A"]
    assert only(trail, Action.VEHICLE_UPDATE).changes == {"active": [True, False]}
    point = only(trail, Action.SERVICE_POINT_UPDATE)
    assert point.target_id == str(trail.point.id)
    assert point.changes["operator_name"][1] == "赵"
    moved = only(trail, Action.SERVICE_POINT_COORDINATES).changes
    assert moved["lon"][1] == pytest.approx(moved["lon"][0] + 0.001)
    assert moved["coord_approximate"][1] is False
    cadence = only(trail, Action.SERVICE_POINT_CADENCE).changes["cadence_days"]
    assert cadence[1] == 5 != cadence[0]


def test_a_county_load_is_recorded_by_its_counts(trail: Trail):
    """Loading the county again records its counts, before and after."""
    loaded = only(trail, Action.COUNTY_LOAD)
    assert loaded.target_kind == "county"
    assert loaded.changes["service_points"] == [108, 108]


def test_no_secret_enters_the_trail(session: Session, trail: Trail):
    """No password, key or hash appears in any entry of the whole trail."""
    every = session.scalars(select(AuditEntry))
    text = json.dumps([[e.action, e.target_id, e.changes] for e in every])
    assert "wang" in text
    for secret in trail.secrets:
        assert secret and secret not in text


def test_a_secret_field_is_dropped_even_when_given(session: Session, admin: User):
    """record() keeps no field whose name speaks of a secret."""
    changes = {"password": [None, "x"], "key_hash": ["a", "b"], "name": ["a", "b"]}
    entry = record(session, admin, Action.USER_UPDATE, "user", admin.id, changes)
    assert entry.changes == {"name": ["a", "b"]}


FIELDS = st.sampled_from(["name", "active", "password", "key", "token_hash", "code"])
VALUES = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=3))


@given(
    before=st.dictionaries(FIELDS, VALUES, max_size=6),
    after=st.dictionaries(FIELDS, VALUES, max_size=6),
)
def test_changes_are_the_differing_fields_without_secrets(before, after):
    """changes_of: exactly the non-secret fields that differ, as [before, after]."""
    pairs = {n: [before.get(n), after.get(n)] for n in before.keys() | after.keys()}
    expected = {n: p for n, p in pairs.items() if p[0] != p[1] and not is_secret(n)}
    assert changes_of(before, after) == expected
    assert not {"password", "key", "token_hash"} & changes_of(before, after).keys()


def test_the_trail_is_append_only(session: Session, trail: Trail):
    """The database refuses to change or remove an entry."""
    entry = only(trail, Action.USER_PASSWORD)
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(
            update(AuditEntry).where(AuditEntry.id == entry.id).values(changes={})
        )
    with pytest.raises(DBAPIError, match="append-only"), session.begin_nested():
        session.execute(delete(AuditEntry).where(AuditEntry.id == entry.id))


def test_only_an_admin_reads_the_trail(
    session: Session, admin: User, dispatcher: User, trail: Trail
):
    """Admins read it, by moment and action; anyone else is refused."""
    with pytest.raises(Forbidden):
        audit_query(dispatcher)
    query = audit_query(admin, action=Action.DEPOT_UPDATE)
    assert [e.changes for e in session.scalars(query)] == [{"name": ["甲", "乙"]}]
    later = audit_query(admin, since=utcnow() + dt.timedelta(minutes=1))
    assert list(session.scalars(later)) == []
