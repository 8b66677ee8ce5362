"""Validation rules shared by the marshmallow schemas."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import ValidationError, validate

Rule = Callable[[Any], Any]


def plain(value: str) -> None:
    """No field needs a control character, and PostgreSQL refuses NUL in text."""
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValidationError("no control characters (line breaks, tabs, NUL)")


def text(longest: int, shortest: int = 0) -> list[Rule]:
    """``shortest`` to ``longest`` characters, none of them a control character."""
    return [validate.Length(shortest, longest), plain]
