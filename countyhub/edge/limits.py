"""Limits against abuse that the API and the pages share: body size, the request
counters, the failed-login budget and the public lookups' budget.

===================================  ============================  ==============
setting (app config, from the env)   what                          default
===================================  ============================  ==============
``COUNTYHUB_MAX_BODY_MB``            request body / upload size    64 (MB) -> 413
``COUNTYHUB_RATE_PER_KEY``           API requests per API key      1200/minute
``COUNTYHUB_RATE_PER_ADDRESS``       API requests per client       600/minute
                                     address without a key
``COUNTYHUB_RATE_TRACK``             public lookups per address    60/minute
                                     (tracking, API and page
                                     together; the monthly
                                     disclosure apart)
``COUNTYHUB_RATE_LOGIN``             failed password logins per    10/minute
                                     address (API and page
                                     together)
``COUNTYHUB_RATE_STORAGE``           where the counters live       memory://
===================================  ============================  ==============

With several app processes, counters must be shared: set the storage to Redis
(``redis://127.0.0.1:6379``).  A refused request gets 429 with Retry-After and the
``X-RateLimit-Limit``/``-Remaining``/``-Reset`` headers; no other answer carries
them (each would cost one more round trip to the counters' store on every
request: a fifth of a small request's time), and no other answer but a 503
carries Retry-After.

A budget named by a *scope* is one counter per address, whichever routes spend
it: a password guesser gains nothing by switching between the API's login and
the page's, nor a scraper between the API's tracking and the page's.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable

from flask import Blueprint, Flask, Response, current_app, request
from flask_limiter import Limiter

DEFAULTS = {
    "COUNTYHUB_MAX_BODY_MB": "64",
    "COUNTYHUB_RATE_PER_KEY": "1200/minute",
    "COUNTYHUB_RATE_PER_ADDRESS": "600/minute",
    "COUNTYHUB_RATE_TRACK": "60/minute",
    "COUNTYHUB_RATE_LOGIN": "10/minute",
    "COUNTYHUB_RATE_STORAGE": "memory://",
}
LOGIN = "login"  # the failed-login budget's scope
TRACKING = "tracking"  # the public tracking's scope
_LIMITER = "countyhub.limiter"


def address() -> str:
    """The client address a request counts against."""
    return request.remote_addr or "unknown"


def limiter(app: Flask) -> Limiter:
    """The app's one Limiter (made by :func:`init_app`)."""
    return app.extensions[_LIMITER]  # type: ignore[no-any-return]


def init_app(app: Flask) -> Limiter:
    """Read the limits' settings, bound body sizes and make ``app``'s Limiter."""
    for key, value in DEFAULTS.items():
        app.config.setdefault(key, os.environ.get(key, value))
    if app.config.get("MAX_CONTENT_LENGTH") is None:  # Flask's default is None
        megabytes = float(app.config["COUNTYHUB_MAX_BODY_MB"])
        app.config["MAX_CONTENT_LENGTH"] = int(megabytes * 2**20)
    made = Limiter(
        address,
        app=app,
        storage_uri=app.config["COUNTYHUB_RATE_STORAGE"],
        headers_enabled=False,  # on refusals only: _refusal_headers
        # Two counters per client and limit (this window's and the last one's,
        # weighted): the moving window's meaning within a small approximation,
        # at a fraction of its cost (a moving window keeps every request's time:
        # 1,200 entries a key in Redis, walked on every request).
        strategy="sliding-window-counter",
    )
    app.after_request(_refusal_headers(made))
    app.extensions[_LIMITER] = made
    return made


def _refusal_headers(made: Limiter) -> Callable[[Response], Response]:
    """An after-request hook: on a 429, when to send again and the budget."""

    def add(response: Response) -> Response:
        limit = made.current_limit if response.status_code == 429 else None
        if limit is not None:
            reset_at = limit.reset_at
            response.headers["Retry-After"] = str(max(1, reset_at - int(time.time())))
            response.headers["X-RateLimit-Limit"] = str(limit.limit.amount)
            response.headers["X-RateLimit-Remaining"] = str(limit.remaining)
            response.headers["X-RateLimit-Reset"] = str(reset_at)
        return response

    return add


def guard_login(app: Flask, blueprint: Blueprint, endpoint: str) -> None:
    """Count each failed POST to ``endpoint`` (an answer 401) against the address's
    one failed-login budget; once spent, every login from there is refused."""
    limiter(app).shared_limit(
        lambda: str(current_app.config["COUNTYHUB_RATE_LOGIN"]),
        scope=LOGIN,
        key_func=address,
        exempt_when=lambda: (request.endpoint, request.method) != (endpoint, "POST"),
        # a clerk's office behind one address logs in every morning: only guesses
        deduct_when=lambda response: response.status_code == 401,
    )(blueprint)


def guard_public(
    app: Flask,
    blueprint: Blueprint,
    scope: str,
    exempt_when: Callable[[], bool] | None = None,
) -> None:
    """A budget of ``COUNTYHUB_RATE_TRACK`` per address on ``blueprint``'s
    requests (no login there), shared by every blueprint guarded with ``scope``."""
    limiter(app).shared_limit(
        lambda: str(current_app.config["COUNTYHUB_RATE_TRACK"]),
        scope=scope,
        key_func=address,
        exempt_when=exempt_when,
    )(blueprint)
