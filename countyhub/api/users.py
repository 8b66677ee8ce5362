"""Users and API keys (admins only); session login for people, and passwords
(one's own, or anyone's for an admin)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import request, url_for
from flask import session as cookie
from flask.views import MethodView
from flask_smorest import Blueprint
from marshmallow import RAISE

from countyhub.api.auth import roles
from countyhub.api.pagination import PageArgs, page_of, page_schema, take_page
from countyhub.edge.auth import TOKEN, actor, log_in, log_out
from countyhub.edge.transaction import db_session
from countyhub.platform.accounts import api_keys, passwords, users
from countyhub.platform.accounts.roles import Permission, roles_with
from countyhub.platform.accounts.schemas import (
    ApiKeyFilterArgs,
    ApiKeyIn,
    ApiKeyOut,
    IssuedKeyOut,
    LoginIn,
    PasswordIn,
    UserFilterArgs,
    UserIn,
    UserOut,
    UserPatchIn,
)
from countyhub.platform.models import ApiKey, User

ADMINS = roles_with(Permission.ADMINISTER)

blp = Blueprint(
    "users",
    __name__,
    url_prefix="/api/v1",
    description="Users and API keys; session login for people",
)
ID = "int(max=2147483647)"  # ids are 32-bit integers: larger ones match no route
F = TypeVar("F", bound=Callable[..., Any])


class UserListArgs(UserFilterArgs, PageArgs):
    """Filters and page."""


class ApiKeyListArgs(ApiKeyFilterArgs, PageArgs):
    """Filters and page."""


@blp.route("/users")
class UserCollection(MethodView):
    @roles(*ADMINS)
    @blp.arguments(UserListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(UserOut, "UserPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the users, oldest first, a page at a time."""
        page = take_page(args)
        return page_of(users.users_query(actor(), **args), User.id, page)

    @roles(*ADMINS)
    @blp.arguments(UserIn)
    @blp.response(201, UserOut)
    def post(self, data: users.UserInput) -> Any:
        """Create a user (a person with a password, or a machine without)."""
        user = users.register_user(db_session(), actor(), data)
        return user, {"Location": url_for("users.UserItem", user_id=user.id)}


@blp.route(f"/users/<{ID}:user_id>")
class UserItem(MethodView):
    @roles(*ADMINS)
    @blp.response(200, UserOut)
    def get(self, user_id: int) -> Any:
        """One user by id."""
        return users.get_user_by_id(db_session(), actor(), user_id)

    @roles(*ADMINS)
    @blp.arguments(UserPatchIn)
    @blp.response(200, UserOut)
    def patch(self, changes: dict[str, Any], user_id: int) -> Any:
        """Rename a user, deactivate one (their keys and logins stop working), or
        give one another role and place (from their next request on)."""
        return users.update_user(db_session(), actor(), user_id, **changes)


def own_or_admin(view: F) -> F:
    """Let through a caller setting their own password, or an admin (403, or 404
    for an unknown user, before the body is read)."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        passwords.password_holder(db_session(), actor(), kwargs["user_id"])
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def _this_session() -> str | None:
    """The token of the login session this request came in (None with a key)."""
    token = None if request.headers.get("Authorization") else cookie.get(TOKEN)
    return token if isinstance(token, str) else None


@blp.route(f"/users/<{ID}:user_id>/password")
class UserPassword(MethodView):
    @own_or_admin
    @blp.arguments(PasswordIn)
    @blp.response(204)
    def put(self, data: dict[str, Any], user_id: int) -> None:
        """Set a password: one's own with the current one, anyone's as an admin.
        The user's other sessions end; the one it was set in stays."""
        passwords.change_password_checked(
            db_session(),
            actor(),
            user_id,
            data["password"],
            current_password=data["current_password"],
            keep_session=_this_session(),
        )


@blp.route("/api-keys")
class ApiKeyCollection(MethodView):
    @roles(*ADMINS)
    @blp.arguments(ApiKeyListArgs, location="query", unknown=RAISE)
    @blp.response(200, page_schema(ApiKeyOut, "ApiKeyPage"))
    def get(self, args: dict[str, Any]) -> Any:
        """List the API keys (never the keys themselves), oldest first."""
        page = take_page(args)
        return page_of(api_keys.api_keys_query(actor(), **args), ApiKey.id, page)

    @roles(*ADMINS)
    @blp.arguments(ApiKeyIn)
    @blp.response(201, IssuedKeyOut)
    def post(self, data: dict[str, Any]) -> Any:
        """Issue an API key for a user; the answer shows it this once only."""
        issued = api_keys.issue_key(db_session(), actor(), **data)
        location = url_for("users.ApiKeyItem", key_id=issued.record.id)
        return issued, {"Location": location, "Cache-Control": "no-store"}


@blp.route(f"/api-keys/<{ID}:key_id>")
class ApiKeyItem(MethodView):
    @roles(*ADMINS)
    @blp.response(200, ApiKeyOut)
    def get(self, key_id: int) -> Any:
        """One API key by id (its prefix, never the key)."""
        return api_keys.get_api_key(db_session(), actor(), key_id)

    @roles(*ADMINS)
    @blp.response(200, ApiKeyOut)
    def delete(self, key_id: int) -> Any:
        """Revoke an API key: it is refused (401) from now on; the record stays."""
        return api_keys.revoke_api_key(db_session(), actor(), key_id)


@blp.route("/session")
class LoginSession(MethodView):
    @blp.response(200, UserOut)
    def get(self) -> Any:
        """Who this request acts as: the logged-in person (or the key's holder)."""
        return actor()

    @blp.doc(security=[])
    @blp.arguments(LoginIn)
    @blp.response(200, UserOut)
    def post(self, login: dict[str, str]) -> Any:
        """Log in with user name and password; the session cookie carries it."""
        return log_in(login["username"], login["password"])

    @blp.doc(security=[])
    @blp.response(204)
    def delete(self) -> None:
        """Log out (harmless when not logged in)."""
        log_out()
