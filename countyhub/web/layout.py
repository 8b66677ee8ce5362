"""What every page's layout needs: who is logged in, the county, the languages,
the translated names of the platform's codes, and the static files' addresses.

The static files (``web/static``: the stylesheet and the vendored scripts) are
served by countyhub itself, each address carrying a digest of the file's bytes
(``?v=``), so that browsers may keep them a year and still fetch a changed one at
once.  A page of a server error is drawn without the database (it may be what
failed): it shows who is logged in only if the request had found out already.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path
from typing import Any

from flask import Blueprint, Flask, g, request, url_for

from countyhub.edge.auth import NotAuthenticated, current_actor
from countyhub.edge.transaction import db_session
from countyhub.platform.county import reference
from countyhub.platform.models import User
from countyhub.web import i18n, labels

STATIC = Path(__file__).parent / "static"
YEAR = 365 * 24 * 3600


class _Assets(Blueprint):
    """The static files, kept a year by browsers (their addresses change with them)."""

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        return YEAR


assets = _Assets("assets", __name__, static_folder="static", static_url_path="/static")


@lru_cache(maxsize=64)
def _digest(filename: str) -> str:
    return hashlib.sha256((STATIC / filename).read_bytes()).hexdigest()[:12]


def static_url(filename: str) -> str:
    """The address of a static file, with its digest."""
    return url_for("assets.static", filename=filename, v=_digest(filename))


def viewer() -> User | None:
    """Who is logged in (None for a villager, or on an error page that had not
    found out)."""
    if g.get("no_database"):
        return g.get("actor")
    try:
        return current_actor()
    except NotAuthenticated:  # a stray Authorization header: a page shows no one
        return None


def county_name() -> str:
    """The county's name for the header ("" before one is loaded)."""
    if g.get("no_database"):
        return ""
    return reference.county_name(db_session())


def _context() -> dict[str, Any]:
    code = i18n.language()
    # the language switch comes back here; a view that will not echo its input
    # (a waybill too long) drops the query
    here = request.path if g.get("hide_query") else request.full_path.rstrip("?")
    return {
        "html_lang": i18n.LANGUAGES[code][1],
        "switches": [
            (other, own, url_for("i18n.switch", code=other, next=here))
            for other, (_, _, own) in i18n.LANGUAGES.items()
            if other != code
        ],
        "viewer": viewer,
        "county_name": county_name,
        "static_url": static_url,
        "role_name": labels.role_name,
        "status_name": labels.status_name,
        "direction_name": labels.direction_name,
        "place_name": labels.place_name,
    }


def init_app(app: Flask) -> None:
    """Serve the static files and give every template the layout's context."""
    app.register_blueprint(assets)
    app.context_processor(_context)
