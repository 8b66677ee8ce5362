"""What every ``countyhub`` command shares: the database, the acting user, the
mapping of domain errors to exit statuses."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from functools import cached_property

import click
from sqlalchemy.orm import Session

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
    errors.PlanLocked: 5,
    errors.PlanBusy: 5,
    errors.ManifestRefused: 6,
    errors.ImportAborted: 7,
    UnknownCourier: 2,
}


class Runtime:
    """Settings from the environment; the database opened only when a command
    needs it (``countyhub couriers detect`` touches no file)."""

    def __init__(self) -> None:
        self.settings = Settings.from_env()

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
        with runtime.database.transaction() as session:
            actor = get_user(session, as_user) if as_user else system_actor(session)
            yield session, actor
    except tuple(EXIT_CODES) as exc:
        click.secho(f"error: {exc}", fg="red", err=True)
        ctx.exit(_exit_status(exc))


def _exit_status(exc: Exception) -> int:
    """The status of ``exc``'s class, or else of its nearest mapped ancestor."""
    return next(EXIT_CODES[kind] for kind in type(exc).__mro__ if kind in EXIT_CODES)


def require_schema(ctx: click.Context) -> None:
    """Stop with a clear message unless the database is at the newest schema."""
    if schema.current(ctx.obj.database.engine) != schema.head():
        raise click.ClickException(
            "the database is not at the newest schema: run `countyhub db upgrade` first"
        )


as_user_option = click.option("--as", "as_user", help="Act as this user.")
