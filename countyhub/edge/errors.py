"""Errors answered in the style of the area the request is in.

The API answers problem+json, the pages answer HTML pages; neither knows the
other.  Each registers its table of handlers (exception class -> handler) with
the paths it serves (:func:`register_area`); one app-wide handler
(:func:`_dispatch`) takes the area whose path prefix is the longest that the
request's path starts with and looks the exception up in that area's table along
``type(exc).__mro__``, so that a subclass gets its nearest mapped ancestor's
handler.  An exception the area does not map is what Flask makes of it without
a handler: an HTTP error as it is, anything else a 500 with the original kept.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeGuard

from flask import Flask, current_app, request
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import DBAPIError, OperationalError
from werkzeug.exceptions import HTTPException, InternalServerError

# A handler takes the exception class it is registered for (or a subclass).
Handler = Callable[[Any], ResponseReturnValue]
_AREAS = "countyhub.error_areas"


@dataclass(frozen=True, slots=True)
class _Area:
    prefixes: tuple[str, ...]
    table: Mapping[type[Exception], Handler]


def register_area(
    app: Flask, paths: Sequence[str], table: Mapping[type[Exception], Handler]
) -> None:
    """Answer errors of requests whose path starts with one of ``paths`` by
    ``table`` (register ``"/"`` for the rest of the site)."""
    app.extensions.setdefault(_AREAS, []).append(_Area(tuple(paths), dict(table)))
    for kind in table:
        app.register_error_handler(kind, _dispatch)


def _area(path: str) -> _Area | None:
    matches = [
        (len(prefix), area)
        for area in current_app.extensions.get(_AREAS, [])
        for prefix in area.prefixes
        if path.startswith(prefix)
    ]
    return max(matches, key=lambda match: match[0])[1] if matches else None


def _handler(
    table: Mapping[type[Exception], Handler], exc: Exception
) -> Handler | None:
    for kind in type(exc).__mro__:
        if kind in table:
            return table[kind]
    return None


def _dispatch(exc: Exception) -> ResponseReturnValue:
    area = _area(request.path)
    handler = _handler(area.table, exc) if area else None
    if handler is not None:
        return handler(exc)
    if isinstance(exc, HTTPException):
        return exc
    wrapped = InternalServerError(original_exception=exc)
    handler = _handler(area.table, wrapped) if area else None
    return handler(wrapped) if handler else wrapped


def database_gone(exc: BaseException | None) -> TypeGuard[DBAPIError]:
    """Whether ``exc`` says the database went away (refused, cut off): an answer
    to retry later (503), not a bug — also when it surfaces wrapped in a 500 from
    where no handler reaches it (the commit in an after-request hook)."""
    return isinstance(exc, OperationalError) or (
        isinstance(exc, DBAPIError) and exc.connection_invalidated
    )
