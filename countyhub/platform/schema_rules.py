"""Validation rules and fields shared by the marshmallow schemas of every area."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError, fields, validate

from countyhub.platform.db import LOCAL_TZ

Rule = Callable[[Any], Any]


def plain(value: str) -> None:
    """No field needs a control character, and PostgreSQL refuses NUL in text."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError("no control characters (line breaks, tabs, NUL)")


def text(longest: int, shortest: int = 0) -> list[Rule]:
    """``shortest`` to ``longest`` characters, none of them a control character."""
    return [validate.Length(shortest, longest), plain]


class LocalTime(fields.DateTime):
    """An aware time, written in Asia/Shanghai (ISO 8601, +08:00)."""

    def _serialize(self, value: Any, attr: Any, obj: Any, **kwargs: Any) -> Any:
        if isinstance(value, dt.datetime):
            value = value.astimezone(LOCAL_TZ)
        return super()._serialize(value, attr, obj, **kwargs)
