"""Validation rules and fields shared by the marshmallow schemas of every area."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from countyhub.platform.db import LOCAL_TZ

Rule = Callable[[Any], Any]


# The moments a request may name: the platform's years (as the days planned).
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)


class Pattern:
    """A rule that the whole value match ``pattern`` (JSON Schema's dialect too:
    the API's document gives it, beside the field's own Regexp if it has one)."""

    def __init__(self, pattern: str, error: str) -> None:
        self.pattern, self.error = pattern, error
        self._regex = re.compile(pattern)

    def __call__(self, value: str) -> str:
        if self._regex.fullmatch(value) is None:
            raise ValidationError(self.error)
        return value


# White space as both Python and JSON Schema (ECMA-262) read it: their ``\s``
# differ in U+0085 and U+FEFF (and in control characters, which ``plain``
# refuses).  A Regexp whose pattern the document gives writes spaces so.
SPACE = r"\s\x85\ufeff"

# No field needs a control character, and PostgreSQL refuses NUL in text.
plain = Pattern(
    r"^[^\x00-\x1f\x7f]*$", "no control characters (line breaks, tabs, NUL)"
)


class Flag(fields.Boolean):
    """A JSON body's boolean: true or false, not 0, 1 nor "yes" (which the OpenAPI
    document forbids; a query's words stay marshmallow's)."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if not isinstance(value, bool):
            raise self.make_error("invalid", input=value)
        return value


class Count(fields.Integer):
    """A JSON body's integer, written as one: not 3.0, "3" nor true."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


class Amount(fields.Float):
    """A JSON body's number: not "2.5" nor true."""

    def _deserialize(self, value: Any, attr: Any, data: Any, **kwargs: Any) -> Any:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.make_error("invalid", input=value)
        return super()._deserialize(value, attr, data, **kwargs)


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
        description = (
            "ISO 8601 with a UTC offset, 2000-01-01T00:00Z to 2099-12-31T23:59:59Z"
        )
        metadata = kwargs.setdefault("metadata", {})
        metadata.setdefault("description", description)
        metadata.setdefault("pattern", r"^20[0-9]{2}-")  # the years, as written
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
