"""The HTML pages: server-rendered, Chinese by default.  Thin: they call platform.

One blueprint per area (``home``, ``auth``, ``track``, the depot's ``parcels``
and ``manifests``; the language switch in ``i18n``), templates beside them in
``templates/<area>/``, one hand-written stylesheet and the vendored scripts in
``static/``.  Every form works without JavaScript; every form that changes
something carries a CSRF token (:mod:`countyhub.edge.csrf`).  Errors on any
path the API does not claim are answered as pages (:mod:`countyhub.web.errors`).
"""

from __future__ import annotations

from flask import Flask

from countyhub.web import (
    auth,
    centre,
    depot,
    errors,
    home,
    i18n,
    layout,
    manifests,
    parcels,
    points,
    track,
)


def init_app(app: Flask) -> None:
    """Register the pages' blueprints, languages, layout and error pages on ``app``."""
    i18n.init_app(app)
    layout.init_app(app)
    errors.init_app(app)
    app.register_blueprint(home.bp)
    auth.init_app(app)
    track.init_app(app)
    depot.init_app(app)
    parcels.init_app(app)
    manifests.init_app(app)
    points.init_app(app)
    centre.init_app(app)
