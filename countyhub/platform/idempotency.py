"""Idempotency keys: a retried create or batch request is answered, not run twice.

As the IETF "Idempotency-Key HTTP header" draft and Stripe have it: a client sends
a unique key with a request; the first request with that key runs and its response
(2xx or 4xx) is stored; a retry with the same key and the same request gets that
response again.  A key is scoped to the acting user and bound to its first request
target (method and path) and body (a SHA-256 :func:`fingerprint`).  Reusing it for
another request is :class:`~countyhub.platform.errors.IdempotencyMismatch`; a
retry while the first request still runs is
:class:`~countyhub.platform.errors.IdempotencyConflict`.

Unlike the other services, :func:`claim`, :func:`complete` and :func:`release`
commit transactions of their own: a claim must be visible to a concurrent retry in
another process before the request's own (long) transaction ends.  Exactly-once
rests on the unique constraint (user, key) through ``INSERT … ON CONFLICT DO
NOTHING``, and on compare-and-set updates, not on isolation levels.

A claim is identified by its row and the time it was taken (``updated_at``).  A
key older than the retention counts as absent, and a "running" row older than the
lock timeout as abandoned by a crashed request; either is taken over by the next
claim, which stamps a new ``updated_at``, so the request that lost its row can
neither store its response in it nor delete it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Connection,
    CursorResult,
    Engine,
    Executable,
    Insert,
    delete,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from countyhub.platform.db import make_sessionmaker, utcnow
from countyhub.platform.errors import (
    IdempotencyConflict,
    IdempotencyMismatch,
    InvalidInput,
)
from countyhub.platform.models import IdempotencyKey

RETENTION = dt.timedelta(hours=72)
LOCK_TIMEOUT = dt.timedelta(seconds=60)
RUNNING, DONE = "running", "done"
HEADER = "Idempotency-Key"

Bind = Engine | Connection | sessionmaker[Session]


@dataclass(frozen=True)
class StoredResponse:
    """The first response to a keyed request, replayed as it was."""

    status: int
    headers: dict[str, str]
    body: bytes


@dataclass(frozen=True)
class Claim:
    """The outcome of :func:`claim`: run the request (``new``) or ``replay``."""

    record_id: int
    taken_at: dt.datetime
    replay: StoredResponse | None = None

    @property
    def new(self) -> bool:
        """True if this request owns the key and must run."""
        return self.replay is None


@dataclass(frozen=True)
class _Request:
    user_id: int
    key: str
    method: str
    path: str
    fingerprint: str

    @property
    def bound_to(self) -> tuple[str, str, str]:
        """What a key stays bound to: the request target and body."""
        return self.method, self.path, self.fingerprint


def fingerprint(body: bytes) -> str:
    """The SHA-256 of a request's raw body, in hex (64 characters)."""
    return hashlib.sha256(body).hexdigest()


def claim(
    bind: Bind,
    *,
    user_id: int,
    key: str,
    method: str,
    path: str,
    fingerprint: str,
    now: dt.datetime | None = None,
    retention: dt.timedelta = RETENTION,
    lock_timeout: dt.timedelta = LOCK_TIMEOUT,
) -> Claim:
    """Claim ``key`` for a request, in a committed transaction of its own.

    Raises InvalidInput for a malformed key, IdempotencyMismatch if the key was
    used for another request, IdempotencyConflict while its first request runs.
    """
    req = _Request(user_id, _checked_key(key), method.upper(), path, fingerprint)
    now = now or utcnow()
    with _transaction(bind) as session:
        record_id = session.scalar(_insert_new(session, req, now))
        if record_id is not None:
            return Claim(record_id, now)
        row = session.scalar(
            select(IdempotencyKey).where(
                IdempotencyKey.user_id == user_id, IdempotencyKey.key == req.key
            )
        )
        if row is None:  # released between our insert and our read
            raise IdempotencyConflict(req.key)
        return _settle(session, row, req, now, retention, lock_timeout)


def complete(
    bind: Bind,
    claim: Claim,
    *,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    now: dt.datetime | None = None,
) -> bool:
    """Store the response of a new claim's request, to be replayed, in a committed
    transaction of its own; True if stored.

    Only 2xx and 4xx responses are stored; any other status releases the key.
    False also if the claim was taken over meanwhile (its request outlived the
    lock timeout).  Raises ValueError for a replay claim.
    """
    _owned(claim)
    if not (200 <= status < 300 or 400 <= status < 500):
        release(bind, claim)
        return False
    with _transaction(bind) as session:
        return keep_response(
            session, claim, status=status, headers=headers, body=body, now=now
        )


def keep_response(
    session: Session,
    claim: Claim,
    *,
    status: int,
    headers: Mapping[str, str],
    body: bytes,
    now: dt.datetime | None = None,
) -> bool:
    """Store a 2xx or 4xx response of a new claim's request in ``session``'s
    transaction: committed, or undone, with the request's own work, so that a
    response is kept exactly when what it reports is.  True if stored (False: the
    claim was taken over meanwhile).  Raises ValueError for a replay claim or
    another status."""
    _owned(claim)
    if not (200 <= status < 300 or 400 <= status < 500):
        raise ValueError(f"a {status} response is not kept: release the key")
    done = _rows(
        session,
        update(IdempotencyKey)
        .where(*_held(claim))
        .values(
            state=DONE,
            response_status=status,
            response_headers=dict(headers),
            response_body=bytes(body),
            updated_at=now or utcnow(),
        ),
    )
    return done == 1


def release(bind: Bind, claim: Claim) -> bool:
    """Give a new claim's key up (5xx or exception) so a retry runs; True if held.

    Raises ValueError for a replay claim.
    """
    _owned(claim)
    with _transaction(bind) as session:
        return _rows(session, delete(IdempotencyKey).where(*_held(claim))) == 1


def purge_expired(
    session: Session, now: dt.datetime, *, retention: dt.timedelta = RETENTION
) -> int:
    """Delete the keys older than ``retention`` at ``now``; return how many."""
    expired = IdempotencyKey.created_at < now - retention
    return _rows(session, delete(IdempotencyKey).where(expired), sync=True)


def _settle(
    session: Session,
    row: IdempotencyKey,
    req: _Request,
    now: dt.datetime,
    retention: dt.timedelta,
    lock_timeout: dt.timedelta,
) -> Claim:
    """Decide what a claim of an existing row gets."""
    if row.created_at <= now - retention:  # expired: as if absent
        return _take_over(session, row, req, now, fresh=True)
    if (row.method, row.path, row.fingerprint) != req.bound_to:
        raise IdempotencyMismatch(req.key)
    if row.state == DONE:
        return Claim(row.id, row.updated_at, _stored(row))
    if row.updated_at <= now - lock_timeout:  # abandoned by a crashed request
        return _take_over(session, row, req, now, fresh=False)
    raise IdempotencyConflict(req.key)


def _take_over(
    session: Session, row: IdempotencyKey, req: _Request, now: dt.datetime, fresh: bool
) -> Claim:
    """Compare-and-set the row to a new running claim; a lost race is a conflict."""
    values: dict[str, object] = {"state": RUNNING, "updated_at": now}
    if fresh:
        values.update(
            method=req.method,
            path=req.path,
            fingerprint=req.fingerprint,
            response_status=None,
            response_headers={},
            response_body=None,
            created_at=now,
        )
    taken = _rows(
        session,
        update(IdempotencyKey)
        .where(
            IdempotencyKey.id == row.id,
            IdempotencyKey.updated_at == row.updated_at,
        )
        .values(**values),
    )
    if taken != 1:
        raise IdempotencyConflict(req.key)
    return Claim(row.id, now)


def _rows(session: Session, statement: Executable, sync: bool = False) -> int:
    """Execute an UPDATE or DELETE; the number of rows it matched.

    Our own short sessions end at once: no loaded objects to bring up to date.
    """
    options = {} if sync else {"synchronize_session": False}
    result = session.execute(statement, execution_options=options)
    return cast(CursorResult[Any], result).rowcount


def _stored(row: IdempotencyKey) -> StoredResponse:
    assert row.response_status is not None  # a done row always has one
    return StoredResponse(
        row.response_status, dict(row.response_headers), bytes(row.response_body or b"")
    )


def _insert_new(session: Session, req: _Request, now: dt.datetime) -> Insert:
    """INSERT a running row … ON CONFLICT (user_id, key) DO NOTHING RETURNING id."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    values = {
        "user_id": req.user_id,
        "key": req.key,
        "method": req.method,
        "path": req.path,
        "fingerprint": req.fingerprint,
        "state": RUNNING,
        "response_headers": {},
        "created_at": now,
        "updated_at": now,
    }
    return (
        dialect.insert(IdempotencyKey)
        .values(**values)
        .on_conflict_do_nothing(index_elements=["user_id", "key"])
        .returning(IdempotencyKey.id)
    )


def _held(claim: Claim) -> tuple[ColumnElement[bool], ...]:
    """The running row this claim still holds."""
    return (
        IdempotencyKey.id == claim.record_id,
        IdempotencyKey.state == RUNNING,
        IdempotencyKey.updated_at == claim.taken_at,
    )


def _owned(claim: Claim) -> None:
    if not claim.new:
        raise ValueError("a replayed claim owns no key: nothing to complete")


def _checked_key(key: str) -> str:
    """The key if it is 1–255 printable ASCII characters (an RFC 8941 string)."""
    if 0 < len(key) <= 255 and all(" " <= c <= "~" for c in key):
        return key
    raise InvalidInput(
        f"an {HEADER} must be 1 to 255 printable ASCII characters",
        {HEADER: "1 to 255 printable ASCII characters"},
    )


@contextmanager
def _transaction(bind: Bind) -> Iterator[Session]:
    """A short session of its own that commits when the block succeeds."""
    sessions = bind if isinstance(bind, sessionmaker) else make_sessionmaker(bind)
    with sessions.begin() as session:
        yield session
