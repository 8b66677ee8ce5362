"""The marshmallow schemas of the audit trail, for the REST API.

An entry's ``changes`` are ``{field: [before, after]}``; no secret is among them
(:mod:`countyhub.platform.accounts.audit` leaves them out).  Times are written in
Asia/Shanghai.
"""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from countyhub.platform.accounts.audit import Action
from countyhub.platform.schema_rules import LocalTime, Moment

TEXT = {"type": "string"}  # the OpenAPI type of a Function field


class AuditFilterArgs(Schema):
    """Entries from a moment on, of one action."""

    since = Moment(load_default=None)
    action = fields.String(load_default=None, validate=validate.OneOf(list(Action)))


class AuditEntryOut(Schema):
    """One administrative change: who, when, what, and its fields before → after."""

    id = fields.Integer()
    at = LocalTime()
    actor = fields.Function(
        lambda e: e.actor.username if e.actor else None,
        allow_none=True,
        metadata={**TEXT, "description": "user name; none for start-up seeding"},
    )
    action = fields.String(metadata={"enum": [a.value for a in Action]})
    target_kind = fields.String(metadata={"description": "user, api_key, depot …"})
    target_id = fields.String(metadata={"description": "its id, or a county's code"})
    changes = fields.Dict(
        keys=fields.String(),
        values=fields.List(fields.Raw(allow_none=True)),
        metadata={"description": "{field: [before, after]}; never a secret"},
    )
