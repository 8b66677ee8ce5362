"""Errors of the pages as pages: in the site's style, in the reader's language,
with what to do and the request id to quote; never a stack trace.

The pages' table (registered with :mod:`countyhub.edge.errors` for every path
the API does not claim) maps the platform's domain errors to a status, as the
API's does, looked up along the exception's class hierarchy.  A view that can
say more redisplays its own form with the message beside the field (a wrong
password, a waybill too long); what reaches this table is the rest.  A page that
needs a login sends a reader without one to the login page and back.
"""

from __future__ import annotations

import logging

from flask import Flask, g, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from werkzeug.exceptions import (
    HTTPException,
    InternalServerError,
    MethodNotAllowed,
    Unauthorized,
)
from werkzeug.utils import redirect

from countyhub.couriers import UnknownCourier
from countyhub.edge.errors import Handler, database_gone, register_area
from countyhub.platform import errors

log = logging.getLogger("countyhub.web")

# domain error -> HTTP status of its page
STATUSES: dict[type[Exception], int] = {
    errors.CountyhubError: 422,  # refused for a reason the message gives
    errors.NotFound: 404,
    errors.Forbidden: 403,
    errors.IllegalTransition: 409,
    errors.PlanLocked: 409,
    errors.PlanBusy: 409,
    errors.IdempotencyConflict: 409,
    UnknownCourier: 422,
    errors.DatabaseUnavailable: 503,
    errors.SchemaOutdated: 503,
    errors.BadSetting: 500,
    errors.SchemaDrift: 500,
}
# status -> (title, what the reader can do)
PAGES: dict[int, tuple[LazyString, LazyString]] = {
    400: (
        _l("The request could not be read"),
        _l("Go back, check what you entered and send it again."),
    ),
    401: (
        _l("Please log in"),
        _l("This page is for logged-in users: log in, then open it again."),
    ),
    403: (
        _l("Not allowed"),
        _l(
            "Your role may not open this page or do this. Ask the admin if you need to."
        ),
    ),
    404: (
        _l("Page not found"),
        _l(
            "There is nothing at this address."
            " Check the address, or start again from the start page."
        ),
    ),
    405: (
        _l("Not possible here"),
        _l(
            "This address does not take this kind of request."
            " Use the page's own links and buttons."
        ),
    ),
    409: (
        _l("Already changed"),
        _l(
            "Someone or something changed this at the same moment."
            " Reload the page, look again, then retry."
        ),
    ),
    413: (
        _l("Too large"),
        _l(
            "What you sent is larger than this server takes."
            " Send a smaller file, or split it."
        ),
    ),
    422: (
        _l("Cannot be done"),
        _l(
            "The request breaks a rule; the reason is below. Correct it and send again."
        ),
    ),
    429: (
        _l("Too many requests"),
        _l("Too many requests came from your address. Wait a minute, then try again."),
    ),
    500: (
        _l("Something went wrong on our side"),
        _l(
            "This is not your fault. Try again later; if it happens again,"
            " tell the admin the request id below."
        ),
    ),
    503: (
        _l("Temporarily unavailable"),
        _l(
            "The database does not answer right now."
            " Wait a few seconds, then reload the page."
        ),
    ),
}
CSRF_PAGE = (
    _l("The form has expired"),
    _l("The form has expired: reload the page and send it again."),
)


def page(
    status: int,
    *,
    detail: str = "",
    headers: dict[str, str] | None = None,
    text: tuple[LazyString, LazyString] | None = None,
    database: bool = True,
) -> ResponseReturnValue:
    """The error page of ``status`` (a domain error's message as ``detail``);
    drawn without the database unless ``database`` (it may be what failed)."""
    if status >= 500 or not database:
        g.no_database = True  # the layout shows no county, and who only if known
    title, advice = text or PAGES.get(status) or PAGES[400 if status < 500 else 500]
    body = render_template(
        "errors/error.html",
        status=status,
        title=title,
        advice=advice,
        detail=detail,
        request_id=g.get("request_id", ""),
    )
    return body, status, headers or {}


def _domain(exc: Exception) -> ResponseReturnValue:
    status = next(STATUSES[k] for k in type(exc).__mro__ if k in STATUSES)
    if status == 500:  # the server's own state: the admin must act
        return _unexpected(exc)
    if status == 503:  # the message may name the server: for the log only
        log.warning("request %s: %s", g.get("request_id", ""), exc)
        return page(503, headers={"Retry-After": "5"})
    return page(status, detail=str(exc))


def _http(exc: HTTPException) -> ResponseReturnValue:
    if isinstance(exc, InternalServerError):
        original = exc.original_exception
        if database_gone(original):
            return _unavailable(original)
        return _unexpected(original or exc)
    if isinstance(exc, CSRFError):
        return page(400, text=CSRF_PAGE)
    if isinstance(exc, Unauthorized) and request.method in ("GET", "HEAD"):
        return redirect(url_for("auth.login_form", next=request.full_path.rstrip("?")))
    headers = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    return page(exc.code or 500, headers=headers)


def _unavailable(exc: DBAPIError) -> ResponseReturnValue:
    """The database did not answer (gone, restarting, locked too long): 503, try
    again shortly; the pool reconnects by itself."""
    log.warning(
        "request %s: the database did not answer: %s",
        g.get("request_id", ""),
        str(exc.orig).splitlines()[0] if exc.orig else exc,
    )
    return page(503, headers={"Retry-After": "5"})


def _conflict(exc: IntegrityError) -> ResponseReturnValue:
    """A unique rule broken in the database although the service checked it
    first: another request made the same name at the same moment."""
    log.warning("request %s lost a race for a unique value", g.get("request_id", ""))
    return page(409, database=False)  # the session must roll back first


def _unexpected(exc: BaseException) -> ResponseReturnValue:
    log.error(
        "unexpected error in request %s",
        g.get("request_id", ""),
        exc_info=(type(exc), exc, exc.__traceback__),
    )
    return page(500)


def init_app(app: Flask) -> None:
    """Answer the errors of every path the API does not claim with pages."""
    table: dict[type[Exception], Handler] = {
        **dict.fromkeys(STATUSES, _domain),
        IntegrityError: _conflict,
        OperationalError: _unavailable,
        HTTPException: _http,
    }
    register_area(app, ("/",), table)
