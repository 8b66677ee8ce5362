"""The composition root: ``create_app`` wires settings, the database and the pages.

Nothing is created at import time; every app gets its own engine.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from flask import Flask

from countyhub import api, web
from countyhub.edge import csrf, limits, request_log, session_cookie, transaction
from countyhub.platform.config import Database, Settings


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; ``config`` may override settings (e.g. ``DATABASE_URL``)."""
    settings = Settings.from_env()
    overrides = dict(config or {})
    if "DATABASE_URL" in overrides:
        settings = replace(settings, database_url=overrides.pop("DATABASE_URL"))
    # no static folder of the app's own: the pages serve theirs (web.layout)
    app = Flask(__name__, instance_path=str(settings.instance_path), static_folder=None)
    app.config.update(
        SECRET_KEY=settings.secret_key,
        COUNTYHUB_SETTINGS=settings,
        # the session cookie is not sent by other sites' forms (CSRF); Secure on
        # https requests: edge.session_cookie
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_HTTPONLY=True,
    )
    app.config.update(overrides)
    database = Database(settings)
    app.extensions["countyhub.db"] = database

    request_log.init_app(app)  # first: every refusal after it carries the request id
    session_cookie.init_app(app)
    limits.init_app(app)  # before api and web: both put their budgets on it
    csrf.init_app(app)  # before api: it exempts its blueprints
    api.init_app(app)
    web.init_app(app)
    # Last: after-request hooks run in reverse, so the request commits before the
    # API's idempotency store keeps its response.
    transaction.init_app(app)
    return app
