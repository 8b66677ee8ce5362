"""The one path by which the schema changes: Alembic migrations.

``upgrade`` brings a database to the newest revision, ``check`` tells whether the
model and the migrations agree (``alembic check``), ``current`` which revision a
database is at and ``require_newest`` stops unless it is the newest.  A database
that does not answer raises :class:`DatabaseUnavailable`.  Nothing here calls
``create_all``.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from countyhub.platform.errors import DatabaseUnavailable, SchemaDrift, SchemaOutdated


def _config(connection: object | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", "countyhub.platform:migrations")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Apply every migration up to ``revision``."""
    with engine.begin() as connection:
        command.upgrade(_config(connection), revision)


def check(engine: Engine) -> None:
    """Check that the model and the migrations agree, on a database at the newest
    revision.  Raises SchemaOutdated, SchemaDrift, DatabaseUnavailable."""
    require_newest(engine)
    with engine.connect() as connection:
        try:
            command.check(_config(connection))
        except CommandError as exc:
            found = " ".join(str(exc).split())  # alembic lists the changes on lines
            raise SchemaDrift(
                f"the model and the migrations disagree: {found}"
            ) from None


def head() -> str:
    """The newest revision of the migrations shipped with this code."""
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database.
    Raises DatabaseUnavailable."""
    try:
        with engine.connect() as connection:
            return revision_of(connection)
    except DBAPIError as exc:
        where = engine.url.render_as_string(hide_password=True)
        raise DatabaseUnavailable(
            f"the database {where} does not answer: {_reason(exc.orig or exc)}"
        ) from None


def _reason(exc: BaseException) -> str:
    """The driver's own first line (psycopg adds hints on further lines)."""
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def require_newest(engine: Engine) -> None:
    """Stop unless the database is at the newest revision.
    Raises SchemaOutdated, DatabaseUnavailable."""
    at, newest = current(engine), head()
    if at != newest:
        raise SchemaOutdated(at, newest)


def revision_of(connection: Connection) -> str | None:
    """The revision of the database behind an open connection."""
    return MigrationContext.configure(connection).get_current_revision()


def revision(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between model and database (dev)."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)
