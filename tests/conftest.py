"""Test databases: SQLite always; PostgreSQL when COUNTYHUB_TEST_DATABASE_URL is set.

Each backend gets a database of its own for the session (a fresh SQLite file; a
fresh PostgreSQL database, dropped at the end), brought to the newest schema by the
migrations and seeded with the default county, its couriers, depots and users.
Each test then runs in an outer transaction that is rolled back; the code under
test may commit (it commits a savepoint).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from countyhub.platform import schema
from countyhub.platform.db import make_engine, sqlite_url
from countyhub.platform.demo.make import make_demo
from countyhub.platform.models import Depot, ServicePoint, User

PG_URL = os.environ.get("COUNTYHUB_TEST_DATABASE_URL")
BACKENDS = ["sqlite", *(["postgresql"] if PG_URL else [])]


def fresh_postgres(url: str) -> Iterator[str]:
    """Yield the URL of a new, empty PostgreSQL database; drop it afterwards."""
    admin = make_engine(url, isolation_level="AUTOCOMMIT")
    name = f"countyhub_test_{uuid.uuid4().hex[:12]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The URL of a migrated, seeded database of one backend."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path_factory.mktemp("sqlite") / "countyhub.sqlite")
        _prepare(url)
        yield url
        return
    assert PG_URL is not None
    for url in fresh_postgres(PG_URL):
        _prepare(url)
        yield url


def _prepare(url: str) -> None:
    engine = make_engine(url)
    schema.upgrade(engine)
    with Session(engine) as session:
        make_demo(session, parcels=0)
        session.commit()
    engine.dispose()


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    """A session whose work is rolled back after the test, commits included."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        ) as session:
            yield session
        outer.rollback()


@pytest.fixture
def admin(session: Session) -> User:
    return session.scalar(select(User).where(User.username == "admin"))


@pytest.fixture
def dispatcher(session: Session) -> User:
    return session.scalar(select(User).where(User.username == "dispatcher"))


@pytest.fixture
def analyst(session: Session) -> User:
    return session.scalar(select(User).where(User.username == "analyst"))


@pytest.fixture
def zto_clerk(session: Session) -> User:
    return session.scalar(select(User).where(User.username == "clerk-zto"))


@pytest.fixture
def zto_depot(session: Session) -> Depot:
    return session.scalar(select(Depot).where(Depot.code == "TG-ZTO"))


@pytest.fixture
def point_operator(session: Session) -> User:
    return session.scalar(
        select(User).where(User.role_code == "point_operator").order_by(User.username)
    )


@pytest.fixture
def point(point_operator: User) -> ServicePoint:
    """The service point of ``point_operator``."""
    return point_operator.service_point
