"""The pages' languages: Chinese (zh-CN) by default, English by a switch that sticks.

Every visible string goes through the message catalogue (msgids in English, the
Chinese in ``translations/zh_Hans_CN``, the name babel gives zh-CN); the reader's
choice is a long-lived cookie set by ``GET /lang/<code>`` (a link in every page's
header), which only changes a preference and so needs no CSRF token.  Times are
shown in Asia/Shanghai with babel's formatters.  ``scripts/i18n.sh`` extracts,
updates and compiles the catalogues.
"""

from __future__ import annotations

import datetime as dt

from flask import Blueprint, Flask, abort, redirect, request, url_for
from flask_babel import Babel, format_datetime
from werkzeug.wrappers import Response

from countyhub.web.urls import same_site_path

# code in the URL and the cookie -> (babel locale, <html lang>, the language's own name)
LANGUAGES = {
    "zh-CN": ("zh_Hans_CN", "zh-CN", "中文"),
    "en": ("en", "en", "English"),
}
DEFAULT = "zh-CN"
COOKIE = "lang"
COOKIE_DAYS = 365

bp = Blueprint("i18n", __name__)


def language() -> str:
    """The reader's language code (a key of :data:`LANGUAGES`)."""
    chosen = request.cookies.get(COOKIE, DEFAULT)
    return chosen if chosen in LANGUAGES else DEFAULT


def _locale() -> str:
    return LANGUAGES[language()][0]


@bp.get("/lang/<code>")
def switch(code: str) -> Response:
    """Show the pages in ``code``'s language from now on; back to the page the
    reader came from (a path of this site only)."""
    if code not in LANGUAGES:
        abort(404)
    back = same_site_path(request.args.get("next")) or url_for("home.index")
    response = redirect(back)
    response.set_cookie(
        COOKIE,
        code,
        max_age=int(dt.timedelta(days=COOKIE_DAYS).total_seconds()),
        secure=request.is_secure,
        httponly=True,
        samesite="Lax",
    )
    return response


def local_time(moment: dt.datetime) -> str:
    """A moment as the reader reads it: date and time in Asia/Shanghai."""
    return format_datetime(moment, "medium")


def init_app(app: Flask) -> None:
    """Translate ``app``'s pages; register the language switch."""
    app.config.setdefault("BABEL_DEFAULT_LOCALE", LANGUAGES[DEFAULT][0])
    app.config.setdefault("BABEL_DEFAULT_TIMEZONE", "Asia/Shanghai")
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", "web/translations")
    Babel(app, locale_selector=_locale)
    app.jinja_env.filters["local_time"] = local_time
    app.register_blueprint(bp)
