"""Every request gets an id and leaves one log line.

The id is the caller's ``X-Request-Id`` (up to 64 characters) or a new one; it is
echoed in the response's ``X-Request-Id`` and written in every problem body, so
a clerk who quotes it leads to this line.  The line says who (the acting user's
id and role, never a name, phone or address), what (method and the route's
pattern, not the path: a waybill in a tracking URL stays out), the status and the
milliseconds.  ``COUNTYHUB_LOG_FORMAT=json`` writes it as one JSON object (for a
log collector); ``text`` (the default) as ``key=value`` pairs.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import time
import uuid
from typing import Any

from flask import Flask, Response, current_app, g, request

log = logging.getLogger("countyhub.requests")
FORMATS = ("text", "json")
MAX_GIVEN_ID = 64


class _Stderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to the process's standard error as it is now, not as it was when the
    handler was made (a server or a test may replace it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


_HANDLER = _Stderr()


def _start() -> None:
    given = request.headers.get("X-Request-Id", "")
    g.request_id = given if 0 < len(given) <= MAX_GIVEN_ID else uuid.uuid4().hex
    g.request_started = time.perf_counter()


def _finish(response: Response) -> Response:
    response.headers["X-Request-Id"] = g.get("request_id", "")
    log.info(_line(request_facts(response.status_code)))
    return response


def request_facts(status: int) -> dict[str, object]:
    """What the line says of the current request."""
    actor = g.get("actor")
    started = g.get("request_started", time.perf_counter())
    return {
        "request_id": g.get("request_id", ""),
        "actor_id": getattr(actor, "id", None),
        "role": getattr(actor, "role_code", None),
        "method": request.method,
        "route": request.url_rule.rule if request.url_rule else None,
        "status": status,
        "ms": round((time.perf_counter() - started) * 1000, 1),
    }


def _line(facts: dict[str, object]) -> str:
    if current_app.config["COUNTYHUB_LOG_FORMAT"] == "json":
        return json.dumps(facts, ensure_ascii=False)
    return " ".join(f"{key}={value}" for key, value in facts.items())


def init_app(app: Flask) -> None:
    """Give ``app``'s requests ids and log lines (register first: its before-request
    hook runs before every other, its after-request hook last)."""
    chosen = os.environ.get("COUNTYHUB_LOG_FORMAT", "text")
    app.config.setdefault("COUNTYHUB_LOG_FORMAT", chosen)
    if app.config["COUNTYHUB_LOG_FORMAT"] not in FORMATS:
        raise ValueError(
            f"COUNTYHUB_LOG_FORMAT is {app.config['COUNTYHUB_LOG_FORMAT']!r}: "
            f"use one of {', '.join(FORMATS)}"
        )
    if _HANDLER not in log.handlers:  # one handler, however many apps a process makes
        _HANDLER.setFormatter(logging.Formatter("%(message)s"))
        log.addHandler(_HANDLER)
        log.setLevel(logging.INFO)
    log.propagate = False  # a server's root handler (waitress) would print it twice
    app.before_request(_start)
    app.after_request(_finish)
