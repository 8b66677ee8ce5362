"""Storage settings: SQLite's WAL and foreign keys, UTC times shown in Asia/Shanghai."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from countyhub.platform.db import local_time
from countyhub.platform.intake.registration import register_parcel
from countyhub.platform.models import Depot, Parcel
from tests.platform.intake.test_registration import zto


def test_sqlite_runs_in_wal_mode_with_foreign_keys(engine: Engine):
    """The embedded database journals in WAL and enforces foreign keys."""
    if engine.dialect.name != "sqlite":
        pytest.skip("SQLite settings")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_foreign_keys_are_enforced(session: Session):
    """A depot of a courier that does not exist is refused by the database."""
    with pytest.raises(IntegrityError), session.begin_nested():
        session.add(Depot(courier_id=999_999, code="X", name="nowhere"))
        session.flush()


def test_times_are_stored_in_utc_and_shown_in_shanghai(session: Session, admin):
    """A registration time is UTC in the database and UTC+8 when shown."""
    out = register_parcel(session, admin, zto())
    stored = session.execute(
        text("SELECT registered_at FROM parcel WHERE id = :id"), {"id": out.parcel_id}
    ).scalar()
    parcel = session.get(Parcel, out.parcel_id)
    session.refresh(parcel)
    assert parcel.registered_at.tzinfo == dt.UTC
    naive = (
        stored if isinstance(stored, dt.datetime) else dt.datetime.fromisoformat(stored)
    )
    assert abs(naive - parcel.registered_at.replace(tzinfo=None)) < dt.timedelta(
        seconds=1
    )
    shown = local_time(dt.datetime(2026, 11, 26, 16, 30, tzinfo=dt.UTC))
    assert shown == "2026-11-27 00:30:00"


def test_naive_times_are_refused(session: Session, admin):
    """Storing a time without a zone is a programming error, caught at once."""
    parcel = session.get(Parcel, register_parcel(session, admin, zto()).parcel_id)
    with pytest.raises(Exception, match="naive"), session.begin_nested():
        parcel.updated_at = dt.datetime(2026, 1, 1)
        session.flush()
