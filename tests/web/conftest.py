"""The pages under test: the real app (the API's fixtures: its requests in the test's
rolled-back transaction), a reader's browser as Flask's test client.

``form_token`` reads the CSRF token out of a page as a browser would find it, and
``log_in`` posts the login form with it.
"""

from __future__ import annotations

import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from countyhub.platform.demo.make import DEMO_PASSWORD
from tests.api.conftest import app, client, keys, make_app  # noqa: F401  (the fixtures)

_TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def form_token(browser: FlaskClient, path: str = "/login", **request: str) -> str:
    """The CSRF token of the form on the page at ``path``."""
    found = _TOKEN.search(browser.get(path, **request).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def log_in(
    browser: FlaskClient, username: str, password: str = DEMO_PASSWORD, **extra: str
) -> TestResponse:
    """Post the login form as a browser does (with its token)."""
    data = {"username": username, "password": password, **extra}
    return browser.post("/login", data={**data, "csrf_token": form_token(browser)})
