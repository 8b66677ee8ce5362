"""Every error of the API as ``application/problem+json`` (RFC 9457), mapped in one
table.

Domain errors carry no HTTP; :data:`PROBLEMS` gives each its status and title, and a
subclass of a mapped error gets its nearest mapped ancestor's.
Validation errors name each field.  A unique rule that the database enforces after
a service checked it (two requests creating the same username at once) is a 409.
An unexpected error is logged with the request id, and the client gets that id and
nothing of the stack trace.
"""

from __future__ import annotations

import logging
import math
from typing import Any

from flask import Flask, Response, g, json, request
from marshmallow import Schema, fields
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed

from countyhub.couriers import UnknownCourier
from countyhub.edge.errors import Handler, database_gone, register_area
from countyhub.platform import errors
from countyhub.platform.db import utcnow

log = logging.getLogger("countyhub.api")
TYPE_BASE = "https://countyhub.example/problems/"
PROBLEM_TYPE = "application/problem+json"
AREA = ("/api/", "/healthz", "/readyz")  # the paths whose errors are problems

# domain error -> (HTTP status, problem type slug, title)
PROBLEMS: dict[type[Exception], tuple[int, str, str]] = {
    errors.NotFound: (404, "not-found", "Not found"),
    errors.Forbidden: (403, "forbidden", "Outside your rights"),
    errors.InvalidInput: (422, "invalid-input", "Invalid input"),
    errors.IllegalTransition: (409, "illegal-transition", "Illegal status step"),
    errors.PlanLocked: (409, "plan-locked", "Plan can no longer change"),
    errors.PlanBusy: (409, "plan-busy", "Plan made by another request"),
    errors.WrongPickupCode: (422, "wrong-pickup-code", "Wrong pickup code"),
    # 423, not 429: the parcel is locked, not the caller's request budget spent
    # (the limiter rewrites every 429's Retry-After to its own window's end).
    errors.PickupLocked: (423, "pickup-locked", "Pickup code tried too often"),
    errors.ManifestRefused: (422, "manifest-refused", "Not a manifest"),
    errors.ImportAborted: (422, "import-aborted", "Import aborted"),
    UnknownCourier: (422, "unknown-courier", "Unknown courier"),
    errors.IdempotencyConflict: (409, "idempotency-conflict", "Request still running"),
    errors.IdempotencyMismatch: (
        422,
        "idempotency-mismatch",
        "Idempotency key reused for another request",
    ),
    # The server's own state, not the request's: the caller may retry later.
    errors.DatabaseUnavailable: (503, "database-unavailable", "Database unavailable"),
    errors.SchemaOutdated: (503, "schema-outdated", "Database not migrated"),
    errors.BadSetting: (500, "bad-setting", "Server misconfigured"),
    errors.SchemaDrift: (500, "schema-drift", "Database and model apart"),
}


class ProblemSchema(Schema):
    """An RFC 9457 problem: what went wrong, for a person to act on."""

    type = fields.String(metadata={"description": "URI of the problem kind"})
    title = fields.String()
    status = fields.Integer()
    detail = fields.String(metadata={"description": "what to do about it"})
    instance = fields.String()
    request_id = fields.String(metadata={"description": "quote it when reporting"})
    errors = fields.Dict(metadata={"description": "field -> messages (validation)"})


def problem(
    status: int,
    title: str,
    detail: str,
    *,
    slug: str = "",
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response."""
    body = {
        "type": TYPE_BASE + slug if slug else "about:blank",
        "title": title,
        "status": status,
        "detail": detail,
        "instance": request.path,
        "request_id": g.get("request_id", ""),
        **extra,
    }
    response = Response(
        json.dumps(body, ensure_ascii=False),
        status=status,
        mimetype=PROBLEM_TYPE,
    )
    response.headers.update(headers or {})
    return response


def _mapped(exc: Exception) -> tuple[int, str, str]:
    """The entry of ``exc``'s class, or else of its nearest mapped ancestor."""
    return next(PROBLEMS[kind] for kind in type(exc).__mro__ if kind in PROBLEMS)


def domain_problem(exc: Exception) -> Response:
    status, slug, title = _mapped(exc)
    extra: dict[str, Any] = {}
    problems = getattr(exc, "problems", None)
    if problems:
        extra["errors"] = problems
    report = getattr(exc, "report", None)  # an aborted import: say which rows
    if report is not None:
        extra["errors"] = [
            {"row": p.row, "column": p.column, "value": p.value, "reason": p.reason}
            for p in report.problems[:100]
            if p.severity == "error"
        ]
    return problem(status, title, str(exc), slug=slug, headers=_retry(exc), **extra)


def _retry(exc: Exception) -> dict[str, str] | None:
    """A locked hand-over's Retry-After: the whole seconds until it opens."""
    if not isinstance(exc, errors.PickupLocked):
        return None
    wait = math.ceil((exc.until - utcnow()).total_seconds())
    return {"Retry-After": str(max(wait, 1))}


def http_problem(exc: HTTPException) -> Response:
    if isinstance(exc, InternalServerError):
        original = exc.original_exception
        if database_gone(original):
            return unavailable(original)
        return unexpected(original or exc)
    data = getattr(exc, "data", None) or {}
    extra = {"errors": data["messages"]} if "messages" in data else {}
    detail = data.get("message") or exc.description or exc.name
    if "messages" in data:
        detail = "the request has invalid fields: see errors"
    code = exc.code or 500
    if code == 429:
        detail = (
            f"too many requests (at most {exc.description}); wait the seconds "
            "in Retry-After, then send again"
        )
    elif code == 413:
        detail = (
            "the request body is larger than this server takes; send smaller "
            "batches or files"
        )
    headers = dict(data.get("headers") or {})
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)  # RFC 9110: a 405 says
    return problem(
        code,
        exc.name,
        str(detail),
        slug=exc.name.lower().replace(" ", "-"),
        headers=headers or None,
        **extra,
    )


def unavailable(exc: DBAPIError) -> Response:
    """The database did not answer (gone, restarting, locked too long): 503, try
    again shortly; the pool reconnects by itself (``pool_pre_ping``)."""
    log.warning(
        "request %s: the database did not answer: %s",
        g.get("request_id", ""),
        str(exc.orig).splitlines()[0] if exc.orig else exc,
    )
    return problem(
        503,
        "Service Unavailable",
        "the database does not answer right now; send the request again in a few "
        "seconds (with the same Idempotency-Key, if it had one)",
        slug="database-unavailable",
        headers={"Retry-After": "5"},
    )


def conflict(exc: IntegrityError) -> Response:
    """A unique rule broken in the database although the service checked it first:
    another request created the same name or code at the same moment."""
    log.warning(
        "request %s lost a race for a unique value: %s",
        g.get("request_id", ""),
        exc.orig,
    )
    return problem(
        409,
        "Conflict",
        "another request created or changed the same thing at the same moment "
        "(a name or code is now taken); look at it again, then retry",
        slug="conflict",
    )


def unexpected(exc: BaseException) -> Response:
    log.error(
        "unexpected error in request %s",
        g.get("request_id", ""),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return problem(
        500,
        "Internal error",
        "something went wrong on our side; quote the request id when you report it",
        slug="internal-error",
    )


def init_app(app: Flask) -> None:
    """Answer the API's errors (after flask-smorest's handlers, so these take
    precedence); the pages answer theirs (:mod:`countyhub.edge.errors`)."""
    table: dict[type[Exception], Handler] = {
        **dict.fromkeys(PROBLEMS, domain_problem),
        IntegrityError: conflict,
        OperationalError: unavailable,
        HTTPException: http_problem,
    }
    register_area(app, AREA, table)
