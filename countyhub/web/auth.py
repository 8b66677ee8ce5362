"""Logging in and out: one login page for every role.

After the login each role lands on its start page (:data:`START_PAGES`), or on
the page it was sent from (``next``, a path of this site only).  A wrong name or
password redisplays the form with the message beside the field (401, which spends
the address's failed-login budget, shared with the API's login).  Logging out
ends the session on the server: a copy of the cookie taken before is logged out
too.  Both forms carry a CSRF token.
"""

from __future__ import annotations

from flask import Blueprint, Flask, render_template, request, url_for
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from marshmallow import ValidationError
from werkzeug.utils import redirect

from countyhub.edge.auth import NotAuthenticated, current_actor, log_in, log_out
from countyhub.edge.limits import guard_login
from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.schemas import LoginIn
from countyhub.web.urls import same_site_path

bp = Blueprint("auth", __name__)

# Where each role lands after logging in.  A role without pages of its own yet
# starts on the overview; a role's own pages replace its entry as they come.
START_PAGES: dict[Role, str] = {
    **dict.fromkeys(Role, "home.index"),
    Role.DEPOT_CLERK: "parcel_pages.index",
    Role.POINT_OPERATOR: "points.waiting",
    Role.DISPATCHER: "centre.scan_form",
}


def start_page(role: str) -> str:
    """The URL of ``role``'s start page."""
    return url_for(START_PAGES[Role(role)])


@bp.get("/login")
def login_form() -> ResponseReturnValue:
    """The login form (a reader logged in already is told who they are)."""
    return _form()


@bp.post("/login")
def login() -> ResponseReturnValue:
    """Log in; on to ``next`` or the role's start page, else the form again."""
    try:
        given = LoginIn().load(
            {k: request.form.get(k, "") for k in ("username", "password")}
        )
    except ValidationError as invalid:
        missing = {
            field: _("Enter your user name.")
            if field == "username"
            else _("Enter your password.")
            for field in invalid.messages
        }
        return _form(missing, status=422)
    try:
        user = log_in(given["username"], given["password"])
    except NotAuthenticated:
        wrong = {"password": _("The user name or the password is wrong.")}
        return _form(wrong, status=401)
    return redirect(
        same_site_path(request.form.get("next")) or start_page(user.role_code)
    )


def _form(
    problems: dict[str, str] | None = None, status: int = 200
) -> ResponseReturnValue:
    page = render_template(
        "auth/login.html",
        problems=problems or {},
        username=request.form.get("username", ""),
        next=same_site_path(request.values.get("next")) or "",
        actor=current_actor(),
    )
    return page, status


@bp.post("/logout")
def logout() -> ResponseReturnValue:
    """End the session (on the server too); back to the login page."""
    log_out()
    return redirect(url_for("auth.login_form"))


def init_app(app: Flask) -> None:
    """Register the login pages and put them on the failed-login budget."""
    app.register_blueprint(bp)
    guard_login(app, bp, "auth.login")
