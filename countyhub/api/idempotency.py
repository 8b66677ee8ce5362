"""``Idempotency-Key`` on creates and batches: a retried request is answered once.

The view runs only for the first request with a key; its response is stored and
replayed, with
``Idempotent-Replayed: true``, to every retry with the same key and body for 72
hours.  A retry while the first still runs gets 409; the same key with another body
or target gets 422 (see :mod:`countyhub.platform.idempotency`).

A success is stored in the request's own transaction, so that it is kept exactly
when the work it reports is committed (and one transaction, not two, ends the
request); a refusal (4xx), whose transaction is rolled back, is stored in a
transaction of its own once the request has ended.  A request that fails
otherwise gives its key up, so that a retry runs.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, Response, g, request

from countyhub.edge.auth import actor
from countyhub.edge.transaction import commit_so_far, db_session, side_bind
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
        # The claim commits in a transaction of its own, which must neither wait
        # behind the request's (SQLite's write lock) nor be undone with it.
        commit_so_far()
        claim = idempotency.claim(
            side_bind(),
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
        response = view(*args, **kwargs)
        if isinstance(response, Response) and response.status_code < 400:
            g.idempotency_kept = idempotency.keep_response(
                db_session(), claim, **_stored(response)
            )
        return response

    return wrapper  # type: ignore[return-value]


def _lock_timeout() -> dt.timedelta:
    """How long a claim holds before it counts as abandoned (its request died): as
    long as the biggest request may run, and no longer, so that a retry after a
    crash waits a minute, not a quarter of an hour."""
    size = request.content_length or 0
    return BATCH_LOCK if size > BIG_BODY else idempotency.LOCK_TIMEOUT


def _stored(response: Response) -> dict[str, Any]:
    headers = {k: v for k, v in response.headers.items() if k in STORED_HEADERS}
    return {
        "status": response.status_code,
        "headers": headers,
        "body": response.get_data(),
    }


def _store(response: Response) -> Response:
    claim = g.pop("idempotency_claim", None)
    if claim is not None and "idempotency_kept" not in g:  # a refusal, say
        idempotency.complete(side_bind(), claim, **_stored(response))
    return response


def _release(_exc: BaseException | None) -> None:
    claim = g.pop("idempotency_claim", None)
    if claim is not None:  # the request failed before its response was stored
        idempotency.release(side_bind(), claim)


def init_app(app: Flask) -> None:
    """Register before :func:`countyhub.edge.transaction.init_app`: after-request
    hooks run in reverse, so a response not kept with the request's work is stored
    once the request has ended (and a commit that fails leaves the claim to be
    released)."""
    app.after_request(_store)
    app.teardown_request(_release)
