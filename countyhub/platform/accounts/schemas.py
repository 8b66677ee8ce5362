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

from countyhub.platform.accounts.roles import Role
from countyhub.platform.accounts.users import UserInput
from countyhub.platform.schema_rules import ChangesSomething, Count, Flag, LocalTime

ID = validate.Range(1, 2**31 - 1)  # ids are 32-bit integers
TEXT = {"type": "string"}  # the OpenAPI type of a Function field
USERNAME = validate.Regexp(
    r"^[A-Za-z0-9_.@-]+$", error="ASCII letters, digits and . _ - @ only, no spaces"
)


class UserIn(Schema):
    """A user to create.  A depot clerk names a depot, a point operator a point."""

    username = fields.String(required=True, validate=[validate.Length(1, 60), USERNAME])
    role = fields.String(required=True, validate=validate.OneOf(list(Role)))
    display_name = fields.String(load_default="", validate=validate.Length(0, 80))
    password = fields.String(
        load_default=None,
        load_only=True,
        validate=validate.Length(8, 200),
        metadata={"description": "for a person's web login; a machine needs none"},
    )
    depot = fields.String(
        load_default=None, metadata={"description": "depot code, for a depot_clerk"}
    )
    service_point = fields.String(
        load_default=None,
        metadata={"description": "service point code, for a point_operator"},
    )

    @post_load
    def make(self, data: dict[str, Any], **_: Any) -> UserInput:
        return UserInput(**data)


class UserPatchIn(ChangesSomething):
    """What an admin may change of a user: the name shown, and whether active."""

    active = Flag(
        metadata={"description": "false: the user's keys and logins stop working"}
    )
    display_name = fields.String(validate=validate.Length(0, 80))


class UserFilterArgs(Schema):
    role = fields.String(load_default=None, validate=validate.OneOf(list(Role)))
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
