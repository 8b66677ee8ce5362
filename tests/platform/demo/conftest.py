"""A short demo history, made once per module and rolled back at its end: the
last days of February 2026 and the 2nd of March, today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from countyhub.platform import schema
from countyhub.platform.db import LOCAL_TZ, make_engine
from countyhub.platform.demo.make import make_demo
from tests.test_cli import own_database

NOW = dt.datetime(2026, 3, 2, 14, 0, tzinfo=LOCAL_TZ)
FIRST = dt.date(2026, 2, 26)
PARCELS = 120  # about 24 a day
SECONDS = 0.1  # the planner's search a day


def demo_history(session: Session, *, seed: int = 7, parcels: int = PARCELS) -> None:
    """The short history on ``session``'s database (which has no parcels yet)."""
    make_demo(
        session, parcels=parcels, seed=seed, now=NOW, first=FIRST, seconds=SECONDS
    )


@pytest.fixture(scope="module")
def engine(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Engine]:
    """A new database of the module's own, prepared as the tests' shared one is:
    the demo decides what to make from what it finds, so no other test's rows
    may be there."""
    for env in own_database(database_url, tmp_path_factory.mktemp("demo")):
        engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
        schema.upgrade(engine)
        with Session(engine) as session:
            make_demo(session, parcels=0)
            session.commit()
        yield engine
        engine.dispose()


@pytest.fixture(scope="module")
def demo(engine: Engine) -> Iterator[Session]:
    """A session on the short history; everything is rolled back afterwards."""
    with engine.connect() as connection:
        outer = connection.begin()
        with Session(
            bind=connection,
            join_transaction_mode="create_savepoint",
            expire_on_commit=False,
        ) as session:
            demo_history(session)
            yield session
        outer.rollback()
