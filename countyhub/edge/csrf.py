"""CSRF tokens on every form that changes something (Flask-WTF's CSRFProtect).

Every POST, PUT, PATCH and DELETE must carry the token of the session's form
(``csrf_token`` field or ``X-CSRFToken`` header) unless its blueprint is exempt,
so that a page added later is protected without anyone remembering it.  The
API's blueprints are exempt: they take JSON with an API key, or with the session
cookie, which SameSite=Lax keeps out of other sites' forms.  A request without a
valid token raises :class:`flask_wtf.csrf.CSRFError`, a 400.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_wtf.csrf import CSRFProtect

_CSRF = "countyhub.csrf"


def init_app(app: Flask) -> None:
    """Check the token on ``app``'s requests that change something."""
    app.extensions[_CSRF] = CSRFProtect(app)


def exempt(app: Flask, blueprint: Blueprint) -> None:
    """Let ``blueprint``'s requests through without a token."""
    app.extensions[_CSRF].exempt(blueprint)
