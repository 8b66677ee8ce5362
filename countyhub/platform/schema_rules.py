"""Validation rules and fields shared by the marshmallow schemas of every area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from countyhub.platform.db import LOCAL_TZ

Rule = Callable[[Any], Any]


# The moments a request may name: the platform's years (as the days planned).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


def plain(value: str) -> None:
    """No field needs a control character, and PostgreSQL refuses NUL in text."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError("no control characters (line breaks, tabs, NUL)")


class ChangesSomething(Schema):
    """A PATCH body names at least one field to change (an empty one is 422)."""

    @validates_schema
    def _names_a_field(self, data: dict[str, Any], **_: Any) -> None:
        if not data:
            raise ValidationError(
                "name at least one field to change: " + ", ".join(sorted(self.fields))
            )


class Moment(fields.AwareDateTime):
    """A moment given with its UTC offset, within 2000–2099 (OpenAPI says so)."""

    def __init__(self, **kwargs: Any) -> None:
        description = "ISO 8601 with a UTC offset, 2000-01-01 to 2099-12-31"
        kwargs.setdefault("metadata", {}).setdefault("description", description)
        super().__init__(**kwargs)

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        try:
            moment = super()._deserialize(value, attr, data, **kwargs)
            utc = moment.astimezone(dt.UTC)
        except OverflowError:  # a far date whose offset leaves the calendar
            raise ValidationError("not a valid moment (out of the calendar)") from None
        if not EARLIEST <= utc < LATEST:
            raise ValidationError("a moment from 2000 to 2099, with its UTC offset")
        return moment


def text(longest: int, shortest: int = 0) -> list[Rule]:
    """``shortest`` to ``longest`` characters, none of them a control character."""
    return [validate.Length(shortest, longest), plain]


class LocalTime(fields.DateTime):
    """An aware time, written in Asia/Shanghai (ISO 8601, +08:00): every time the
    API gives back is written so, in one offset."""

    def __init__(self, **kwargs: Any) -> None:
        description = "ISO 8601 in Asia/Shanghai (+08:00)"
        kwargs.setdefault("metadata", {}).setdefault("description", description)
        super().__init__(**kwargs)

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, dt.datetime):
            value = value.astimezone(LOCAL_TZ)
        return super()._serialize(value, attr, obj, **kwargs)
