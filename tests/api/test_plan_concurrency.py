"""Making a plan stalls nobody: while the planner searches, others are answered.

The planner's search is held at its start (a stand-in waits for the test), so
the order is certain: were the search inside a transaction, the list and the
registration below would wait on it (SQLite's one write lock) and fail.
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


def test_others_are_answered_while_a_plan_is_made(
    real_app: tuple[Any, dict[str, str]], monkeypatch: pytest.MonkeyPatch
):
    """A list and a registration answer while the planner searches; then the plan."""
    app, keys = real_app
    searching, go_on = threading.Event(), threading.Event()
    real_plan_day = plan_module.plan_day

    def held_plan_day(*args: Any, **kwargs: Any) -> Any:
        searching.set()
        assert go_on.wait(timeout=60)
        return real_plan_day(*args, **{**kwargs, "seconds": 0.3})

    monkeypatch.setattr(plan_module, "plan_day", held_plan_day)
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
    finally:
        go_on.set()
        planner.join(timeout=120)
    assert answers["plan"].status_code == 201, answers["plan"].json
    assert answers["plan"].json["day"] == DAY.isoformat()
