"""The types of the ``countyhub`` command's parameters: what the API's schemas refuse
(:mod:`countyhub.platform.schema_rules`), the parser refuses, naming the option.

Command-line text can hold what no database or terminal takes: a lone surrogate
(an undecodable byte of a file name or argument), NUL, a line break; numbers can
be nan, inf or beyond 64 bits; dates can lie in year 1 or 9999.  Each stops here,
exit 2 and one line, before a service sees it.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from typing import Any

import click
from marshmallow import ValidationError

from countyhub.platform.db import LOCAL_TZ
from countyhub.platform.schema_rules import EARLIEST, LATEST, plain

SHOWN = 40  # characters of a refused value that its message repeats


def shown(value: str) -> str:
    """``value`` as a message repeats it: escaped (a lone surrogate prints as
    ``\\ud800``) and cut after :data:`SHOWN` characters."""
    return repr(value[:SHOWN]) + ("…" if len(value) > SHOWN else "")


class Text(click.ParamType):
    """Unicode text without control characters (as every text field of the API)."""

    name = "text"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        if not isinstance(value, str):
            return value
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            self.fail(
                f"{shown(value)} is no text: not UTF-8 (a lone surrogate)", param, ctx
            )
        try:
            return plain(value)
        except ValidationError as error:
            self.fail(f"{shown(value)}: {' '.join(error.messages)}", param, ctx)


TEXT = Text()


class FsPath(click.Path):
    """A :class:`click.Path` that is text first; a new file (``exists=False``)
    needs a name the system takes, in a folder that exists."""

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        path = super().convert(TEXT.convert(value, param, ctx), param, ctx)
        if not self.exists:
            self._check_new(os.fspath(path), param, ctx)
        return path

    def _check_new(
        self, path: str, param: click.Parameter | None, ctx: click.Context | None
    ) -> None:
        try:
            os.stat(path)
        except FileNotFoundError:
            folder = os.path.dirname(path) or "."
            if not os.path.isdir(folder):
                self.fail(f"{shown(path)}: no folder {shown(folder)}", param, ctx)
        except OSError as error:
            self.fail(f"{shown(path)}: {error.strerror}", param, ctx)


class Number(click.FloatRange):
    """A :class:`click.FloatRange` that refuses nan (which every range lets by)."""

    name = "number"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Any:
        number = super().convert(value, param, ctx)
        if math.isnan(number):
            self.fail(f"{shown(str(value))} is not a number", param, ctx)
        return number


# The id of a row: its column is an INTEGER (32 bits on PostgreSQL, where a larger
# number is no missing row but a failed query).
ID = click.IntRange(1, 2**31 - 1)


FIRST_DAY, LAST_DAY = EARLIEST.date(), LATEST.date() - dt.timedelta(days=1)


class Day(click.ParamType):
    """A day from 2000 to 2099 (as the API takes it): ``YYYY-MM-DD``, ``today``
    or ``tomorrow`` in Asia/Shanghai."""

    name = "day"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        today = dt.datetime.now(LOCAL_TZ).date()
        named = {"today": today, "tomorrow": today + dt.timedelta(days=1)}
        try:
            day = named.get(value.lower()) or dt.date.fromisoformat(value)
        except ValueError:
            self.fail(
                f"{shown(value)} is not YYYY-MM-DD, today or tomorrow", param, ctx
            )
        if not FIRST_DAY <= day <= LAST_DAY:
            self.fail(f"{day}: a day from {FIRST_DAY} to {LAST_DAY}", param, ctx)
        return day


DAY = Day()
