"""Making a plan stalls nobody: while the planner searches, others are answered.

The planner's search is held at its start (a stand-in waits for the test), so
the order is certain: were the search inside a transaction, the list and the
registration below would wait on it (SQLite's one write lock) and fail.  The
day's first plan on a county with no cycle searches twice, the cycle and then
the day; each search is held in turn.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from countyhub.app import create_app
from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.db import make_engine
from countyhub.platform.models import ApiKey, Plan, RouteCycle, User
from countyhub.platform.plans import plan as plan_module
from countyhub.platform.plans import stored_cycle
from tests.api.conftest import bearer

DAY = dt.date(2099, 6, 2)
UNLIMITED = {
    f"COUNTYHUB_RATE_{name}": "100000/minute"
    for name in ("PER_KEY", "PER_ADDRESS", "TRACK", "LOGIN")
}


@pytest.fixture
def real_app(database_url: str) -> Iterator[tuple[Any, dict[str, str]]]:
    """The app on the committed database (requests really commit), a key each."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        dispatcher = session.scalar(select(User).where(User.username == "dispatcher"))
        keys = {
            user.username: issue_api_key(session, admin, user, "concurrency")
            for user in (admin, dispatcher)
        }
        session.commit()
    app = create_app({"DATABASE_URL": database_url, "TESTING": True, **UNLIMITED})
    yield app, keys
    app.extensions["countyhub.db"].dispose()
    with Session(engine) as session:
        session.execute(delete(Plan).where(Plan.day == DAY))
        session.execute(delete(RouteCycle))  # made here; later tests make theirs
        session.execute(delete(ApiKey).where(ApiKey.name == "concurrency"))
        session.commit()
    engine.dispose()


@pytest.mark.parametrize(
    ("module", "search"),
    [(plan_module, "plan_day"), (stored_cycle, "make_cycle")],
    ids=["day", "cycle"],
)
def test_others_are_answered_while_a_plan_is_made(
    real_app: tuple[Any, dict[str, str]],
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    module: Any,
    search: str,
):
    """The day's first plan, on a county with no cycle yet: a list and a
    registration answer while the planner searches; then the plan, by the cycle
    made for it."""
    app, keys = real_app
    assert _cycles(database_url) == []  # the plan must make the county's first
    searching, go_on = threading.Event(), threading.Event()
    real_search = getattr(module, search)

    def held_search(*args: Any, **kwargs: Any) -> Any:
        searching.set()
        assert go_on.wait(timeout=60)
        return real_search(*args, **{**kwargs, "seconds": 0.3})

    monkeypatch.setattr(module, search, held_search)
    answers: dict[str, Any] = {}

    def make() -> None:
        client: FlaskClient = app.test_client()
        body = {"day": DAY.isoformat(), "seconds": 1}
        answers["plan"] = client.post(
            "/api/v1/plans", json=body, headers=bearer(keys["dispatcher"])
        )

    planner = threading.Thread(target=make)
    planner.start()
    try:
        assert searching.wait(timeout=60), answers.get("plan")
        client = app.test_client()
        listed = client.get("/api/v1/parcels?limit=5", headers=bearer(keys["admin"]))
        parcel = {
            "waybill": "73610555599991",
            "address": "大塅镇浒村",
            "courier": "ZTO",
        }
        made = client.post(
            "/api/v1/parcels", json=parcel, headers=bearer(keys["admin"])
        )
        assert listed.status_code == 200
        assert made.status_code in (200, 201)  # 200: a rerun finds it known
        assert planner.is_alive()  # the plan is still being searched
        assert _cycles(database_url) == []  # nor is a cycle stored before the plan
    finally:
        go_on.set()
        planner.join(timeout=120)
    assert answers["plan"].status_code == 201, answers["plan"].json
    assert answers["plan"].json["day"] == DAY.isoformat()
    assert _cycles(database_url) == [_plan_cycle(database_url)]


def _cycles(database_url: str) -> list[int]:
    """The stored cycles' ids, as committed."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return list(session.scalars(select(RouteCycle.id)))
    finally:
        engine.dispose()


def _plan_cycle(database_url: str) -> int | None:
    """The cycle the plan of DAY follows, as committed."""
    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            return session.scalar(select(Plan.cycle_id).where(Plan.day == DAY))
    finally:
        engine.dispose()
