"""``Idempotency-Key`` on creates and batches: a retried request is answered once.

The view runs only for the first request with a key; its response (2xx or 4xx) is
stored after the request's transaction has committed and replayed, with
``Idempotent-Replayed: true``, to every retry with the same key and body for 72
hours.  A retry while the first still runs gets 409; the same key with another body
or target gets 422 (see :mod:`countyhub.platform.idempotency`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, current_app, g, request

from countyhub.edge.auth import actor
from countyhub.edge.transaction import db_session
from countyhub.platform import idempotency

F = TypeVar("F", bound=Callable[..., Any])
STORED_HEADERS = ("Location", "Content-Type")
BATCH_LOCK = dt.timedelta(minutes=15)  # longer than the longest batch or upload
BIG_BODY = 64 * 1024  # bytes: below, a single create, scan or small batch


HEADER_DOC = {
    "in": "header",
    "name": idempotency.HEADER,
    "required": False,
    "schema": {"type": "string", "maxLength": 255},
    "description": "a unique key of this request: a retry with the same key and "
    "body gets the first response again (72 hours)",
}


def idempotent(view: F) -> F:
    """Honour an ``Idempotency-Key`` header on this (create or batch) view."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        key = request.headers.get(idempotency.HEADER)
        if key is None:
            return view(*args, **kwargs)
        user_id = actor().id
        # End the request's transaction so far (authentication only): the claim
        # commits in a transaction of its own, which must neither wait behind it
        # (SQLite's write lock) nor be undone with it.
        db_session().commit()
        claim = idempotency.claim(
            _sessions(),
            user_id=user_id,
            key=key.strip().strip('"'),
            method=request.method,
            path=request.path,
            fingerprint=idempotency.fingerprint(request.get_data(cache=True)),
            lock_timeout=_lock_timeout(),
        )
        if claim.replay is not None:
            stored = claim.replay
            return Response(
                stored.body,
                stored.status,
                headers={**stored.headers, "Idempotent-Replayed": "true"},
            )
        g.idempotency_claim = claim
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _lock_timeout() -> dt.timedelta:
    """How long a claim holds before it counts as abandoned (its request died): as
    long as the biggest request may run, and no longer, so that a retry after a
    crash waits a minute, not a quarter of an hour."""
    size = request.content_length or 0
    return BATCH_LOCK if size > BIG_BODY else idempotency.LOCK_TIMEOUT


def _sessions() -> Any:
    return current_app.extensions["countyhub.db"].sessions


def _store(response: Response) -> Response:
    claim = g.pop("idempotency_claim", None)
    if claim is not None:
        headers = {k: v for k, v in response.headers.items() if k in STORED_HEADERS}
        idempotency.complete(
            _sessions(),
            claim,
            status=response.status_code,
            headers=headers,
            body=response.get_data(),
        )
    return response


def _release(_exc: BaseException | None) -> None:
    claim = g.pop("idempotency_claim", None)
    if claim is not None:  # the request failed before its response was stored
        idempotency.release(_sessions(), claim)


def init_app(app: Flask) -> None:
    """Register before :func:`countyhub.edge.transaction.init_app`: after-request
    hooks run in reverse, so the response is stored only once the request has
    committed."""
    app.after_request(_store)
    app.teardown_request(_release)
