"""Idempotency-Key on creates and batches: retries are answered, never run twice."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from countyhub.app import create_app
from countyhub.platform.accounts.api_keys import issue_api_key
from countyhub.platform.db import make_engine
from countyhub.platform.models import Parcel, User
from tests.api.conftest import bearer

BODY = {"waybill": "73610555582883", "courier": "ZTO", "address": "棋坪镇棋坪村"}


def test_a_retry_gets_the_first_response(
    client: FlaskClient, keys: dict[str, str], session: Session
):
    """Same key, same body: the stored response again, marked replayed; one parcel."""
    headers = {**bearer(keys["admin"]), "Idempotency-Key": "k-1"}
    first = client.post("/api/v1/parcels", json=BODY, headers=headers)
    again = client.post("/api/v1/parcels", json=BODY, headers=headers)
    assert first.status_code == 201
    assert (again.status_code, again.data) == (first.status_code, first.data)
    assert again.headers["Location"] == first.headers["Location"]
    assert again.headers["Idempotent-Replayed"] == "true"
    count = session.scalar(
        select(func.count())
        .select_from(Parcel)
        .where(Parcel.waybill_no == BODY["waybill"])
    )
    assert count == 1


def test_the_same_key_with_another_body_is_refused(
    client: FlaskClient, keys: dict[str, str]
):
    """Reusing a key for a different request is a 422 problem."""
    headers = {**bearer(keys["admin"]), "Idempotency-Key": "k-2"}
    client.post("/api/v1/parcels", json=BODY, headers=headers)
    other = client.post(
        "/api/v1/parcels", json={**BODY, "address": "三都镇东浒村"}, headers=headers
    )
    assert other.status_code == 422
    assert other.json["type"].endswith("idempotency-mismatch")


def test_errors_are_replayed_too(client: FlaskClient, keys: dict[str, str]):
    """A 4xx first answer is the answer to its retries (as Stripe does)."""
    headers = {**bearer(keys["admin"]), "Idempotency-Key": "k-3"}
    bad = {**BODY, "waybill": "12"}
    first = client.post("/api/v1/parcels", json=bad, headers=headers)
    again = client.post("/api/v1/parcels", json=bad, headers=headers)
    assert first.status_code == again.status_code == 422
    assert again.headers["Idempotent-Replayed"] == "true"


@pytest.fixture
def live(database_url: str) -> Iterator[tuple[Flask, str]]:
    """An app on the test database with its own connections, and an admin key."""
    engine = make_engine(database_url)
    with Session(engine) as session:
        admin = session.scalar(select(User).where(User.username == "admin"))
        key = issue_api_key(session, admin, admin, "idempotency test")
        session.commit()
    engine.dispose()
    app = create_app({"DATABASE_URL": database_url})
    yield app, key
    app.extensions["countyhub.db"].dispose()


def test_fifty_concurrent_retries_give_one_parcel(live: tuple[Flask, str]):
    """50 clients send one key at once, retrying on 409: one parcel, one answer."""
    app, key = live
    waybill = "7399" + str(uuid.uuid4().int)[:10]
    body = {**BODY, "waybill": waybill}
    headers = {**bearer(key), "Idempotency-Key": f"race-{waybill}"}
    answers: list[tuple[int, bytes]] = []
    barrier = threading.Barrier(50)

    def client_thread() -> None:
        client = app.test_client()
        barrier.wait(timeout=60)
        while True:
            response = client.post("/api/v1/parcels", json=body, headers=headers)
            if response.status_code != 409:
                answers.append((response.status_code, response.data))
                return

    threads = [threading.Thread(target=client_thread) for _ in range(50)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert len(answers) == 50
    assert len(set(answers)) == 1 and answers[0][0] == 201
    engine = make_engine(app.config["COUNTYHUB_SETTINGS"].database_url)
    with Session(engine) as session:
        count = session.scalar(
            select(func.count()).select_from(Parcel).where(Parcel.waybill_no == waybill)
        )
    engine.dispose()
    assert count == 1
