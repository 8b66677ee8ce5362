"""What every ``countyhub`` command shares: the database, the acting user, the
mapping of failures to one line on stderr and an exit status (listed in
:mod:`countyhub.cli`)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TypeVar

import click
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from countyhub.cli.params import TEXT
from countyhub.couriers import UnknownCourier
from countyhub.platform import errors, schema
from countyhub.platform.accounts.users import get_user, system_actor
from countyhub.platform.config import Database, Settings
from countyhub.platform.models import User

# Domain error -> exit status; the message is the error's own.  A subclass exits
# with its nearest mapped ancestor's status.
EXIT_CODES: dict[type[Exception], int] = {
    errors.NotFound: 3,
    errors.Forbidden: 4,
    errors.InvalidInput: 2,
    errors.IllegalTransition: 5,
    errors.WrongPickupCode: 5,
    errors.PickupLocked: 5,
    errors.PlanLocked: 5,
    errors.PlanBusy: 5,
    errors.ManifestRefused: 6,
    errors.ImportAborted: 7,
    errors.SchemaOutdated: 8,
    errors.SchemaDrift: 8,
    errors.BadSetting: 9,
    errors.DatabaseUnavailable: 10,
    UnknownCourier: 2,
}
# Failures that are no domain error and no bug either: (status, what they mean).
FAILURES: dict[type[Exception], tuple[int, str]] = {
    DBAPIError: (10, "the database failed"),
    OverflowError: (2, "a number is too large"),
}
UNEXPECTED = 70  # a bug: sysexits' EX_SOFTWARE
T = TypeVar("T")


class Runtime:
    """Settings from the environment; the database opened only when a command
    needs it (``countyhub couriers detect`` touches no file)."""

    def __init__(self) -> None:
        self.settings = Settings.from_env()
        self.schema_checked = False

    @cached_property
    def database(self) -> Database:
        return Database(self.settings)

    def close(self) -> None:
        if "database" in self.__dict__:
            self.database.dispose()


@contextmanager
def unit_of_work(
    ctx: click.Context, *, as_user: str | None = None
) -> Iterator[tuple[Session, User]]:
    """A session and its acting user; commit on success, map errors on failure."""
    runtime: Runtime = ctx.obj
    try:
        require_schema(ctx)
        with runtime.database.transaction() as session:
            actor = get_user(session, as_user) if as_user else system_actor(session)
            yield session, actor
    except tuple(EXIT_CODES) as exc:
        ctx.exit(fail(exc))


def fail(exc: Exception) -> int:
    """Say on one line of stderr what went wrong; the exit status that says it."""
    status, message = _failure(exc)
    line = " ".join(part.strip() for part in message.splitlines() if part.strip())
    click.secho(f"error: {line}", fg="red", err=True)
    return status


def _failure(exc: Exception) -> tuple[int, str]:
    if isinstance(exc, click.UsageError) and exc.ctx is not None:
        help_ = f"{exc.ctx.command_path} --help"
        return exc.exit_code, f"{exc.format_message()} (see `{help_}`)"
    if isinstance(exc, click.ClickException):
        return exc.exit_code, exc.format_message()
    status = _nearest(EXIT_CODES, exc)
    if status is not None:
        return status, str(exc)
    failure = _nearest(FAILURES, exc)
    detail = str(getattr(exc, "orig", None) or exc) or type(exc).__name__
    if failure is not None:
        return failure[0], f"{failure[1]}: {detail}"
    return UNEXPECTED, (
        f"unexpected {type(exc).__name__}: {detail} (a bug in countyhub; "
        "COUNTYHUB_TRACEBACK=1 shows where)"
    )


def _nearest(table: dict[type[Exception], T], exc: Exception) -> T | None:
    """The entry of ``exc``'s class, or else of its nearest ancestor in ``table``."""
    return next((table[kind] for kind in type(exc).__mro__ if kind in table), None)


def require_schema(ctx: click.Context) -> None:
    """Stop unless the database is at the newest schema (checked once a command).
    Raises SchemaOutdated, DatabaseUnavailable."""
    runtime: Runtime = ctx.obj
    if not runtime.schema_checked:
        schema.require_newest(runtime.database.engine)
        runtime.schema_checked = True


as_user_option = click.option("--as", "as_user", type=TEXT, help="Act as this user.")
