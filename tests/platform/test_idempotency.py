"""Idempotency keys: a keyed request runs once; retries replay its first response.

claim/complete/release commit transactions of their own, so these tests use a
sessionmaker on the shared test database (never the rolled-back ``session``
fixture, whose open transaction would hold SQLite's write lock) and a fresh key
each.  Tests that move the clock start from epochs of their own, far in the past,
so that purging one epoch leaves the others alone.
"""

from __future__ import annotations

import datetime as dt
import threading
import uuid
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform import idempotency
from countyhub.platform.db import make_engine, make_sessionmaker
from countyhub.platform.errors import (
    IdempotencyConflict,
    IdempotencyMismatch,
    InvalidInput,
)
from countyhub.platform.idempotency import Claim, StoredResponse
from countyhub.platform.models import IdempotencyKey, User

BODY = b'{"waybill": "73880000000001", "address": "\xe5\xa4\xa7\xe5\xa1\x85"}'
RACERS = 50
CREATED = StoredResponse(
    201,
    {"Location": "/api/v1/parcels/7", "Content-Type": "application/json"},
    b'{"id": 7}',
)


@pytest.fixture
def sessions(engine: Engine) -> sessionmaker[Session]:
    return make_sessionmaker(engine)


@pytest.fixture
def users(engine: Engine) -> dict[str, int]:
    """The ids of the seeded users, read and released before the test runs."""
    with Session(engine) as session:
        return {
            name: id_ for name, id_ in session.execute(select(User.username, User.id))
        }


@pytest.fixture
def key() -> str:
    return f"test-{uuid.uuid4()}"


def _claim(
    sessions: idempotency.Bind,
    user_id: int,
    key: str,
    body: bytes = BODY,
    path: str = "/api/v1/parcels",
    **kwargs: Any,
) -> Claim:
    return idempotency.claim(
        sessions,
        user_id=user_id,
        key=key,
        method="POST",
        path=path,
        fingerprint=idempotency.fingerprint(body),
        **kwargs,
    )


def _complete(
    sessions: idempotency.Bind, claim: Claim, response: StoredResponse = CREATED
) -> bool:
    return idempotency.complete(
        sessions,
        claim,
        status=response.status,
        headers=response.headers,
        body=response.body,
    )


def _at(epoch: int, **delta: float) -> dt.datetime:
    return dt.datetime(epoch, 1, 1, tzinfo=dt.UTC) + dt.timedelta(**delta)


def test_fingerprint_is_the_sha256_of_the_body():
    """A fingerprint is 64 hex characters and tells bodies apart."""
    assert len(idempotency.fingerprint(BODY)) == 64
    assert idempotency.fingerprint(BODY) != idempotency.fingerprint(BODY + b" ")


def test_first_claim_is_new_and_a_retry_replays_its_response(sessions, users, key):
    """A completed request is replayed with its status, headers and body."""
    first = _claim(sessions, users["admin"], key)
    assert first.new and first.replay is None
    assert _complete(sessions, first)
    again = _claim(sessions, users["admin"], key)
    assert not again.new
    assert again.replay == CREATED


def test_an_engine_serves_as_well_as_a_sessionmaker(engine, users, key):
    """claim, complete and release take a bare engine too."""
    first = _claim(engine, users["admin"], key)
    assert _complete(engine, first)
    assert _claim(engine, users["admin"], key).replay == CREATED
    assert idempotency.release(engine, _claim(engine, users["admin"], f"{key}-2"))


def test_client_errors_are_replayed_too(sessions, users, key):
    """A 4xx first response is stored and replayed, as Stripe does."""
    refused = StoredResponse(422, {"Content-Type": "application/problem+json"}, b"{}")
    assert _complete(sessions, _claim(sessions, users["admin"], key), refused)
    assert _claim(sessions, users["admin"], key).replay == refused


def test_same_key_with_another_body_is_a_mismatch(sessions, users, key):
    """Reusing a key for a different body is refused, running or done."""
    first = _claim(sessions, users["admin"], key)
    with pytest.raises(IdempotencyMismatch):
        _claim(sessions, users["admin"], key, body=b"{}")
    _complete(sessions, first)
    with pytest.raises(IdempotencyMismatch):
        _claim(sessions, users["admin"], key, body=b"{}")


def test_same_key_on_another_path_is_a_mismatch(sessions, users, key):
    """A key is bound to the request target it was first used for."""
    _complete(sessions, _claim(sessions, users["admin"], key))
    with pytest.raises(IdempotencyMismatch):
        _claim(sessions, users["admin"], key, path="/api/v1/manifests")


def test_keys_are_scoped_per_user(sessions, users, key):
    """Two users may use the same key: each gets a claim of their own."""
    assert _claim(sessions, users["admin"], key).new
    assert _claim(sessions, users["dispatcher"], key, body=b"other").new


def test_claim_while_the_first_request_runs_is_a_conflict(sessions, users, key):
    """A retry during the first request is told to come back later."""
    _claim(sessions, users["admin"], key)
    with pytest.raises(IdempotencyConflict):
        _claim(sessions, users["admin"], key)


def test_release_lets_a_retry_run_again(sessions, users, key):
    """After a 5xx or an exception the key is given up and can be claimed anew."""
    first = _claim(sessions, users["admin"], key)
    assert idempotency.release(sessions, first)
    second = _claim(sessions, users["admin"], key)
    assert second.new
    assert not _complete(sessions, first), "a released claim stores nothing"
    assert _complete(sessions, second)


def test_server_errors_are_not_stored(sessions, users, key):
    """Completing with a 5xx releases the key instead of storing the response."""
    failed = StoredResponse(503, {}, b"busy")
    assert not _complete(sessions, _claim(sessions, users["admin"], key), failed)
    assert _claim(sessions, users["admin"], key).new


def test_an_expired_key_counts_as_absent(engine, sessions, users, key):
    """After the retention a key is claimed anew, whatever its old body."""
    admin = users["admin"]
    first = _claim(sessions, admin, key, now=_at(2020))
    _complete(sessions, first)
    assert _claim(sessions, admin, key, now=_at(2020, hours=71)).replay == CREATED
    later = _at(2020, hours=72, seconds=1)
    again = _claim(sessions, admin, key, body=b"{}", now=later)
    assert again.new and again.record_id == first.record_id
    with Session(engine) as session:
        row = session.get(IdempotencyKey, first.record_id)
        assert row is not None
        stored = (row.state, row.created_at, row.fingerprint, row.response_body)
    assert stored == ("running", later, idempotency.fingerprint(b"{}"), None)


def test_retention_is_configurable(sessions, users, key):
    """A shorter retention expires a key sooner: the same body runs again."""
    _complete(sessions, _claim(sessions, users["admin"], key, now=_at(2021)))
    short = dt.timedelta(hours=1)
    when = _at(2021, hours=2)
    assert _claim(sessions, users["admin"], key, now=when, retention=short).new


def test_an_abandoned_running_key_is_taken_over(sessions, users, key):
    """A running key older than the lock timeout is taken by the next claim."""
    admin = users["admin"]
    crashed = _claim(sessions, admin, key, now=_at(2022))
    with pytest.raises(IdempotencyConflict):
        _claim(sessions, admin, key, now=_at(2022, seconds=59))
    heir = _claim(sessions, admin, key, now=_at(2022, seconds=61))
    assert heir.new and heir.record_id == crashed.record_id
    assert not _complete(sessions, crashed), "the old owner lost its claim"
    assert not idempotency.release(sessions, crashed)
    assert _complete(sessions, heir)
    assert _claim(sessions, admin, key, now=_at(2022, seconds=62)).replay == CREATED


def test_lock_timeout_is_configurable(sessions, users, key):
    """A longer lock timeout keeps a slow request's key locked longer."""
    _claim(sessions, users["admin"], key, now=_at(2023))
    with pytest.raises(IdempotencyConflict):
        _claim(
            sessions,
            users["admin"],
            key,
            now=_at(2023, minutes=5),
            lock_timeout=dt.timedelta(minutes=10),
        )


def test_a_replayed_claim_cannot_be_completed(sessions, users, key):
    """Only the owner of a key stores or releases its response."""
    _complete(sessions, _claim(sessions, users["admin"], key))
    replay = _claim(sessions, users["admin"], key)
    with pytest.raises(ValueError, match="replayed"):
        _complete(sessions, replay)
    with pytest.raises(ValueError, match="replayed"):
        idempotency.release(sessions, replay)


@pytest.mark.parametrize(
    "bad",
    ["", "x" * 256, "naïve", "tab\there"],
    ids=["empty", "too-long", "non-ascii", "control"],
)
def test_malformed_keys_are_refused(sessions, users, bad):
    """A key must be 1 to 255 printable ASCII characters."""
    with pytest.raises(InvalidInput):
        _claim(sessions, users["admin"], bad)


def test_purge_deletes_only_expired_keys(engine, sessions, users, key):
    """Housekeeping removes keys past the retention and keeps the younger ones."""
    old, young = f"{key}-old", f"{key}-young"
    _complete(sessions, _claim(sessions, users["admin"], old, now=_at(2001)))
    _claim(sessions, users["admin"], young, now=_at(2001, hours=48))
    with Session(engine) as session:
        assert idempotency.purge_expired(session, _at(2001, hours=73)) == 1
        session.commit()
        keys = session.scalars(
            select(IdempotencyKey.key).where(IdempotencyKey.key.in_([old, young]))
        ).all()
    assert keys == [young]


def _race(
    database_url: str, key: str, user_id: int, now: dt.datetime | None = None
) -> list[object]:
    """50 threads claim ``key`` at once; the owner completes at once.

    Each outcome is "new", the replayed response or the error raised.
    """
    engine = make_engine(database_url, pool_size=RACERS, max_overflow=0)
    sessions = make_sessionmaker(engine)
    barrier = threading.Barrier(RACERS)
    outcomes: list[object] = []

    def run() -> None:
        barrier.wait(timeout=60)
        try:
            claim = _claim(sessions, user_id, key, now=now)
        except Exception as error:  # collected, asserted on by the test
            outcomes.append(error)
            return
        if claim.new:
            _complete(sessions, claim)
        outcomes.append(claim.replay or "new")

    threads = [threading.Thread(target=run) for _ in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    engine.dispose()
    return outcomes


def _assert_one_owner(outcomes: list[object]) -> None:
    assert len(outcomes) == RACERS
    assert outcomes.count("new") == 1
    others = [o for o in outcomes if o != "new"]
    assert all(o == CREATED or isinstance(o, IdempotencyConflict) for o in others)


def test_concurrent_claims_give_exactly_one_owner(database_url, engine, users, key):
    """50 threads claim one key at once: one runs, the rest conflict or replay."""
    _assert_one_owner(_race(database_url, key, users["admin"]))
    with Session(engine) as session:
        rows = session.scalar(select(func.count()).where(IdempotencyKey.key == key))
    assert rows == 1


def test_concurrent_takeovers_give_exactly_one_owner(
    database_url, sessions, users, key
):
    """50 threads find one abandoned key at once: exactly one takes it over."""
    _claim(sessions, users["admin"], key, now=_at(2024))
    _assert_one_owner(_race(database_url, key, users["admin"], _at(2024, minutes=2)))
