"""A short demo history, made once per module and rolled back at its end: the
last days of February 2026 and the 2nd of March, today."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.demo.make import make_demo

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
