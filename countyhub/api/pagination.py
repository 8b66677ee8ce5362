"""Lists in pages with opaque cursors (keyset on the id), for lists that grow while
they are read: a ``next`` link in the body and in an RFC 8288 ``Link`` header.

The cursor is the last id of the page (4 bytes, big-endian) base64url-encoded, 6
characters that the OpenAPI document gives as a pattern: every cursor of that
shape reads as an id, any other is 422.  The order is by id, so a row added
meanwhile never shifts a page nor repeats one.
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from typing import Any

from flask import request, url_for
from marshmallow import Schema, fields, validate
from sqlalchemy import Select
from sqlalchemy.orm import Session

from countyhub.edge.transaction import db_session
from countyhub.platform.schema_rules import Pattern

DEFAULT_PAGE, MAX_PAGE = 50, 500
# an id of 0 to 2**31 - 1 in base64url: the first of 32 bits is 0, the last 4 of
# the 36 that 6 characters hold are 0 (no cursor, not an empty one: the first page)
CURSOR = Pattern(
    r"^[A-Za-f][A-Za-z0-9_-]{4}[AQgw]$",
    "the cursor is not one this API gave out; start again without it",
)


class PageArgs(Schema):
    """``cursor`` (from a previous page's ``next``) and ``limit`` (1–500)."""

    cursor = fields.String(
        load_default=None,
        validate=CURSOR,
        metadata={"description": "opaque cursor (from a page's next)"},
    )
    limit = fields.Integer(
        load_default=DEFAULT_PAGE, validate=validate.Range(1, MAX_PAGE)
    )


def page_schema(item: type[Schema], name: str) -> type[Schema]:
    """A ``{items: [...], next: url | null}`` schema for ``item``."""
    return Schema.from_dict(
        {
            "items": fields.List(fields.Nested(item)),
            "next": fields.String(allow_none=True),
        },
        name=name,
    )


def _decode(cursor: str | None) -> int:
    """The id after which the page starts (the cursor has been validated)."""
    if not cursor:
        return 0
    return int.from_bytes(base64.urlsafe_b64decode(cursor + "=="), "big")


def _encode(last_id: int) -> str:
    return base64.urlsafe_b64encode(last_id.to_bytes(4, "big")).decode().rstrip("=")


def paginate(
    session: Session, query: Select[Any], id_column: Any, args: dict[str, Any]
) -> tuple[list[Any], dict[str, str], str | None]:
    """One page of ``query``: items, headers (Link) and the next page's URL."""
    limit = args["limit"]
    rows = list(
        session.scalars(
            query.where(id_column > _decode(args.get("cursor")))
            .order_by(id_column)
            .limit(limit + 1)
        )
    )
    if len(rows) <= limit:
        return rows, {}, None
    rows = rows[:limit]
    params = {**request.args.to_dict(), "cursor": _encode(rows[-1].id), "limit": limit}
    next_url = url_for(
        request.endpoint or "", **(request.view_args or {}), **params, _external=True
    )
    return rows, {"Link": f'<{next_url}>; rel="next"'}, next_url


def take_page(args: dict[str, Any]) -> dict[str, Any]:
    """Remove ``cursor`` and ``limit`` from parsed query ``args``; the rest filter."""
    return {key: args.pop(key) for key in ("cursor", "limit")}


def page_of(
    query: Select[Any],
    id_column: Any,
    page: dict[str, Any],
    view: Callable[[Any], Any] = lambda row: row,
) -> tuple[dict[str, Any], dict[str, str]]:
    """A list response: ``{items, next}`` with its ``Link`` header."""
    rows, headers, nxt = paginate(db_session(), query, id_column, page)
    return {"items": [view(row) for row in rows], "next": nxt}, headers
