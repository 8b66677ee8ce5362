"""The HTML pages: server-rendered, Chinese by default.  Thin: they call platform."""

from __future__ import annotations

from flask import Flask

from countyhub.web import home


def init_app(app: Flask) -> None:
    """Register the pages' blueprints on ``app``."""
    app.register_blueprint(home.bp)
