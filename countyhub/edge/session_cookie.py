"""The session cookie: signed, HttpOnly, SameSite=Lax, and Secure exactly when the
request came over https.

A fixed ``SESSION_COOKIE_SECURE`` cannot serve both a clerk on the county's https
address and the demo on ``http://127.0.0.1``: a Secure cookie is never sent back
over plain http, so nobody could log in there.  Behind a reverse proxy that ends
TLS, the app sees http unless it trusts the proxy's ``X-Forwarded-Proto``: wrap
the app in ``werkzeug.middleware.proxy_fix.ProxyFix(app.wsgi_app, x_proto=1)``.
"""

from __future__ import annotations

from flask import Flask, request
from flask.sessions import SecureCookieSessionInterface


class SecureOverHttps(SecureCookieSessionInterface):
    """Flask's signed-cookie session, Secure on https requests only."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return request.is_secure


def init_app(app: Flask) -> None:
    """Make ``app``'s session cookie Secure on https requests (HttpOnly and
    SameSite=Lax are its config's)."""
    app.session_interface = SecureOverHttps()
