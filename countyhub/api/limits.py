"""Limits against abuse (OWASP API4): body size, request rates per key and address.

===================================  ============================  ==============
setting (app config, from the env)   what                          default
===================================  ============================  ==============
``COUNTYHUB_MAX_BODY_MB``            request body / upload size    64 (MB) -> 413
``COUNTYHUB_RATE_PER_KEY``           requests per API key          1200/minute
``COUNTYHUB_RATE_PER_ADDRESS``       requests per client address   600/minute
                                     without a key
``COUNTYHUB_RATE_TRACK``             each public endpoint (track-  60/minute
                                     ing, monthly disclosure) per
                                     address
``COUNTYHUB_RATE_LOGIN``            password logins per address   10/minute
``COUNTYHUB_RATE_STORAGE``           where the counters live       memory://
===================================  ============================  ==============

Batch and page sizes are bounded by the schemas (10,000 parcels, 1,000 scans, 500 a
page).  With several app processes, counters must be shared: set the storage to
Redis (``redis://127.0.0.1:6379``).  A refused request gets 429 with Retry-After
and the ``X-RateLimit-Limit``/``-Remaining``/``-Reset`` headers; no other answer
carries them (each would cost one more round trip to the counters' store on every
request: a fifth of a small request's time), and no other answer but a 503
carries Retry-After.

A request counts against its API key only once the key has verified; a Bearer
token that does not verify counts against the address it came from, so that no
stranger can spend a real key's budget by naming its prefix, nor dodge the
address's budget by inventing prefixes.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable

from flask import Flask, Response, current_app, g, request
from flask_limiter import Limiter
from flask_smorest import Blueprint

from countyhub.edge.auth import verified_key_id

DEFAULTS = {
    "COUNTYHUB_MAX_BODY_MB": "64",
    "COUNTYHUB_RATE_PER_KEY": "1200/minute",
    "COUNTYHUB_RATE_PER_ADDRESS": "600/minute",
    "COUNTYHUB_RATE_TRACK": "60/minute",
    "COUNTYHUB_RATE_LOGIN": "10/minute",
    "COUNTYHUB_RATE_STORAGE": "memory://",
}


def _client() -> str:
    """Whom a request counts against: its API key once verified, or its address."""
    if "rate_client" not in g:
        key_id = verified_key_id()
        g.rate_client = f"key:{key_id}" if key_id else f"addr:{_address()}"
    return str(g.rate_client)


def _rate() -> str:
    name = "KEY" if _client().startswith("key:") else "ADDRESS"
    return str(current_app.config[f"COUNTYHUB_RATE_PER_{name}"])


def _address() -> str:
    return request.remote_addr or "unknown"


def _refusal_headers(limiter: Limiter) -> Callable[[Response], Response]:
    """An after-request hook: on a 429, when to send again and the budget."""

    def add(response: Response) -> Response:
        limit = limiter.current_limit if response.status_code == 429 else None
        if limit is not None:
            reset_at = limit.reset_at
            response.headers["Retry-After"] = str(max(1, reset_at - int(time.time())))
            response.headers["X-RateLimit-Limit"] = str(limit.limit.amount)
            response.headers["X-RateLimit-Remaining"] = str(limit.remaining)
            response.headers["X-RateLimit-Reset"] = str(reset_at)
        return response

    return add


def init_app(
    app: Flask,
    api_blueprints: Iterable[Blueprint],
    public: Iterable[Blueprint],
    login: str,
) -> Limiter:
    """Bound body sizes and request rates on ``app``'s API."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, os.environ.get(key, value))
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None
        megabytes = float(app.config["COUNTYHUB_MAX_BODY_MB"])
        app.config["MAX_CONTENT_LENGTH"] = int(megabytes * 2**20)
    limiter = Limiter(
        _client,
        app=app,
        storage_uri=app.config["COUNTYHUB_RATE_STORAGE"],
        headers_enabled=False,  # on refusals only: _refusal_headers
        # Two counters per client and limit (this window's and the last one's,
        # weighted): the moving window's meaning within a small approximation,
        # at a fraction of its cost (a moving window keeps every request's time:
        # 1,200 entries a key in Redis, walked on every request).
        strategy="sliding-window-counter",
    )
    app.after_request(_refusal_headers(limiter))
    per_client = limiter.shared_limit(_rate, scope="api")
    for blueprint in api_blueprints:
        per_client(blueprint)
    for blueprint in public:  # no login: a tight budget per address
        limiter.limit(
            lambda: str(current_app.config["COUNTYHUB_RATE_TRACK"]), key_func=_address
        )(blueprint)
    # Guessing passwords: a tight budget per address on the login endpoint.
    limiter.limit(
        lambda: str(current_app.config["COUNTYHUB_RATE_LOGIN"]),
        key_func=_address,
        exempt_when=lambda: (request.endpoint, request.method) != (login, "POST"),
    )(app.blueprints[login.split(".")[0]])
    return limiter
