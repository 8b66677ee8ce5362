"""``countyhub db``: the schema, by Alembic migrations only; a backup."""

from __future__ import annotations

from pathlib import Path

import click

from countyhub.cli._context import unit_of_work
from countyhub.cli.params import FsPath
from countyhub.platform import idempotency, schema
from countyhub.platform.db import utcnow


@click.group()
def db() -> None:
    """The database schema (Alembic migrations)."""


@db.command("upgrade")
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Apply every migration and register the couriers.

    A new database has no county yet: load one next (`countyhub county load`).
    """
    # here, not on top: it loads the planner (PyVRP, scipy): ~0.35 s on every command
    from countyhub.platform.county.gazetteer import sync_couriers

    database = ctx.obj.database
    schema.upgrade(database.engine)
    with unit_of_work(ctx) as (session, _):
        sync_couriers(session)
    click.echo(f"{ctx.obj.settings.masked_url()} is at revision {schema.head()}")


@db.command("check")
@click.pass_context
def db_check(ctx: click.Context) -> None:
    """Fail if the model and the migrations disagree."""
    schema.check(ctx.obj.database.engine)
    click.echo("the model matches the migrations")


@db.command("current")
@click.pass_context
def db_current(ctx: click.Context) -> None:
    """Print the database's revision and the newest one."""
    click.echo(
        f"database: {schema.current(ctx.obj.database.engine)}  newest: {schema.head()}"
    )


@db.command("backup")
@click.argument("file", type=FsPath(dir_okay=False, path_type=Path))
@click.pass_context
def db_backup(ctx: click.Context, file: Path) -> None:
    """Copy the SQLite database to the new FILE, while it is in use.

    To restore, put FILE in the database's place (COUNTYHUB_DATABASE_URL, or
    countyhub.sqlite in the instance folder) while countyhub is stopped.  On
    PostgreSQL, back up with pg_dump and restore with pg_restore (README).
    """
    ctx.obj.database.backup(file)
    click.echo(f"{ctx.obj.settings.masked_url()} backed up to {file}")


@db.command("purge-idempotency")
@click.pass_context
def db_purge_idempotency(ctx: click.Context) -> None:
    """Delete Idempotency-Key records older than their 72-hour retention."""
    with unit_of_work(ctx) as (session, _):
        count = idempotency.purge_expired(session, utcnow())
    click.echo(f"{count} expired idempotency keys deleted")
