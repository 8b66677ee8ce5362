"""The marshmallow schemas of users, API keys and logins, for the REST API and forms.

A password and a key's hash never leave the server: passwords are load-only, and
no output schema has a field for either.  A new key is dumped once, by
:class:`IssuedKeyOut`, when it is issued.  Times are written in Asia/Shanghai.
"""

from __future__ import annotations

from typing import Any

from marshmallow import (
    Schema,
    fields,
    post_load,
    validate,
)

from countyhub.platform.accounts.passwords import MAX_LENGTH, MIN_LENGTH
from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.users import UserInput
from countyhub.platform.schema_rules import (
    ChangesSomething,
    Count,
    Flag,
    LocalTime,
    Rule,
    plain,
    text,
)

ID = validate.Range(1, 2**31 - 1)  # ids are 32-bit integers
TEXT = {"type": "string"}  # the OpenAPI type of a Function field
USERNAME = validate.Regexp(
    r"^[A-Za-z0-9_.@-]+$", error="ASCII letters, digits and . _ - @ only, no spaces"
)
PASSWORD: list[Rule] = [
    validate.Length(
        MIN_LENGTH,
        MAX_LENGTH,
        error=f"a password has {MIN_LENGTH} to {MAX_LENGTH} characters",
    ),
    plain,
]
DEPOT_CODE, POINT_CODE = text(30, 1), text(20, 1)  # as long as their columns
ROLE = validate.OneOf(list(Role))


class UserIn(Schema):
    """A user to create.  A depot clerk names a depot, a point operator a point."""

    username = fields.String(required=True, validate=[validate.Length(1, 60), USERNAME])
    role = fields.String(required=True, validate=ROLE)
    display_name = fields.String(load_default="", validate=validate.Length(0, 80))
    password = fields.String(
        load_default=None,
        load_only=True,
        validate=PASSWORD,
        metadata={"description": "for a person's web login; a machine needs none"},
    )
    depot = fields.String(
        load_default=None,
        validate=DEPOT_CODE,
        metadata={"description": "depot code, for a depot_clerk"},
    )
    service_point = fields.String(
        load_default=None,
        validate=POINT_CODE,
        metadata={"description": "service point code, for a point_operator"},
    )

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> UserInput:
        return UserInput(**data)


class UserPatchIn(ChangesSomething):
    """What an admin may change of a user: the name shown, whether active, the role
    and the place it binds to.  A new role applies to the user's next request."""

    active = Flag(
        metadata={"description": "false: the user's keys and logins stop working"}
    )
    display_name = fields.String(validate=validate.Length(0, 80))
    role = fields.String(
        validate=ROLE,
        metadata={
            "description": "a depot_clerk needs a depot, a point_operator a "
            "service_point; a place that does not fit the new role is dropped"
        },
    )
    depot = fields.String(
        validate=DEPOT_CODE,
        metadata={"description": "depot code, for a depot_clerk"},
    )
    service_point = fields.String(
        validate=POINT_CODE,
        metadata={"description": "service point code, for a point_operator"},
    )


class PasswordIn(Schema):
    """A new password; the current one too when it is one's own."""

    password = fields.String(
        required=True,
        load_only=True,
        validate=PASSWORD,
        metadata={"description": "no control characters (tabs, line breaks)"},
    )
    current_password = fields.String(
        load_default=None,
        load_only=True,
        validate=validate.Length(1, MAX_LENGTH),
        metadata={
            "description": "required to change one's own password; an admin "
            "setting another user's leaves it out"
        },
    )


class UserFilterArgs(Schema):
    role = fields.String(load_default=None, validate=ROLE)
    active = fields.Boolean(load_default=None)


class UserOut(Schema):
    id = fields.Integer()
    username = fields.String()
    display_name = fields.String()
    role = fields.String(attribute="role_code")
    active = fields.Boolean()
    depot = fields.Function(
        lambda u: u.depot.code if u.depot else None, allow_none=True, metadata=TEXT
    )
    service_point = fields.Function(
        lambda u: u.service_point.code if u.service_point else None,
        allow_none=True,
        metadata=TEXT,
    )
    can_log_in = fields.Function(
        lambda u: bool(u.password_hash),
        metadata={
            "type": "boolean",
            "description": "whether the user has a password for the web",
        },
    )
    created_at = LocalTime()


class ApiKeyIn(Schema):
    user_id = Count(required=True, validate=ID)
    name = fields.String(
        required=True,
        validate=validate.Length(1, 80),
        metadata={"description": "what uses the key, e.g. 'ZTO depot scanner 2'"},
    )


class ApiKeyFilterArgs(Schema):
    user_id = fields.Integer(load_default=None, validate=ID)
    revoked = fields.Boolean(load_default=None)


class ApiKeyOut(Schema):
    """A key as it is kept: its public prefix, never the key or its hash."""

    id = fields.Integer()
    name = fields.String()
    prefix = fields.String()
    user_id = fields.Integer()
    user = fields.Function(lambda k: k.user.username, metadata=TEXT)
    created_at = LocalTime()
    revoked_at = LocalTime(allow_none=True)
    last_used_at = LocalTime(allow_none=True, metadata={"description": "to the minute"})


class IssuedKeyOut(Schema):
    key = fields.String(
        metadata={"description": "the key itself: shown this once, never again"}
    )
    api_key = fields.Nested(ApiKeyOut, attribute="record")


class LoginIn(Schema):
    username = fields.String(required=True, validate=validate.Length(1, 60))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(1, 200)
    )
