"""Text a JSON body may carry: Unicode characters, never a lone UTF-16 surrogate.

JSON lets a string write ``"\\ud800"``: half of a surrogate pair, which is no
character at all.  Python decodes it into a string that no database, log or file
can encode, so every route would fail late, as a 500.  A body with one is refused
here, before any view, as 422 problem+json; a well-formed pair (an emoji written
as two escapes) is a character and passes.  The check parses the body only when
its bytes contain a ``\\ud…`` escape, so ordinary requests pay nothing.
"""

from __future__ import annotations

import json
from typing import Any

from flask import Flask, request
from flask_smorest import abort

_ESCAPE = (b"\\ud", b"\\uD")


def has_lone_surrogate(value: Any) -> bool:
    """Whether ``value`` (decoded JSON) holds a string with a lone surrogate."""
    if isinstance(value, str):
        return not value.isascii() and not _encodes(value)
    if isinstance(value, dict):
        return any(
            has_lone_surrogate(k) or has_lone_surrogate(v) for k, v in value.items()
        )
    if isinstance(value, list):
        return any(has_lone_surrogate(item) for item in value)
    return False


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _refuse_lone_surrogates() -> None:
    if not request.is_json:
        return
    body = request.get_data(cache=True)
    if not any(escape in body for escape in _ESCAPE):
        return
    try:
        decoded = json.loads(body)
    except ValueError:
        return  # not JSON at all: the view's parser says so
    if has_lone_surrogate(decoded):
        abort(
            422,
            message="the body holds a lone UTF-16 surrogate (such as \\ud800), "
            "which is no character: send text as Unicode characters",
            messages={"json": {"_schema": ["lone UTF-16 surrogate"]}},
        )


def init_app(app: Flask) -> None:
    """Refuse bodies with lone surrogates on every route of ``app``."""
    app.before_request(_refuse_lone_surrogates)
