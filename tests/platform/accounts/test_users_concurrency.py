"""Two admins demoting each other at the same moment: one of them stays an admin."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from countyhub.platform import schema
from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.users import create_user, update_user
from countyhub.platform.db import make_engine
from countyhub.platform.errors import Forbidden, InvalidInput
from countyhub.platform.models import User
from tests.test_cli import own_database


@pytest.fixture
def engine(database_url: str, tmp_path) -> Iterator[Engine]:  # type: ignore[no-untyped-def]
    """A new database of the tests' own holding two admins, a and b, committed."""
    for env in own_database(database_url, tmp_path):
        engine = make_engine(env["COUNTYHUB_DATABASE_URL"])
        schema.upgrade(engine)
        with Session(engine) as session:
            for name in ("a", "b"):
                create_user(session, None, username=name, role=Role.ADMIN)
            session.commit()
        yield engine
        engine.dispose()


def _demote(engine: Engine, actor: str, target: str, outcome: list[str]) -> None:
    with Session(engine) as session:
        try:
            users = {u.username: u for u in session.scalars(select(User))}
            update_user(session, users[actor], users[target].id, role=Role.ANALYST)
            session.commit()
            outcome.append("demoted")
        except (InvalidInput, Forbidden) as refused:
            outcome.append(str(refused))


def _waits_on_a_lock(engine: Engine, worker: threading.Thread) -> None:
    """Return once another session waits on a row lock (PostgreSQL) or the worker
    has ended; on SQLite every transaction starts with BEGIN IMMEDIATE and so
    waits for the first whole."""
    if engine.dialect.name != "postgresql":
        return
    waiting = text(
        "SELECT count(*) FROM pg_stat_activity "
        "WHERE datname = current_database() AND wait_event_type = 'Lock'"
    )
    with engine.connect() as probe:
        while worker.is_alive() and not probe.execute(waiting).scalar():
            # pg_stat_activity is read once a transaction: end it to see anew
            probe.rollback()
            worker.join(0.01)


def test_two_admins_demoting_each_other_leave_one(engine: Engine):
    """a demotes b and has not committed; b then demotes a and is refused: on
    PostgreSQL b waits for a's row, then sees that a is the last active admin; on
    SQLite b's transaction starts after a's, when b is no admin any more."""
    first, second = [], []  # type: ignore[var-annotated]
    with Session(engine) as session:
        users = {u.username: u for u in session.scalars(select(User))}
        update_user(session, users["a"], users["b"].id, role=Role.ANALYST)
        worker = threading.Thread(target=_demote, args=(engine, "b", "a", second))
        worker.start()
        _waits_on_a_lock(engine, worker)
        session.commit()
        first.append("demoted")
    worker.join(timeout=60)
    assert first == ["demoted"] and len(second) == 1
    last, no_admin = "a is the last active admin", "only an admin reads users"
    assert (
        second[0] == no_admin if engine.dialect.name == "sqlite" else last in second[0]
    )
    with Session(engine) as session:
        admins = select(func.count()).where(
            User.role_code == Role.ADMIN, User.active.is_(True)
        )
        assert session.scalar(admins) == 1
