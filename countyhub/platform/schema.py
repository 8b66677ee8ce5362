"""The one path by which the schema changes: Alembic migrations.

``upgrade`` brings a database to the newest revision, ``check`` tells whether the
model and the migrations agree (``alembic check``), ``current`` which revision a
database is at.  Nothing here calls ``create_all``.
"""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine


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
    """Raise ``alembic.util.CommandError`` if the model differs from the migrations."""
    with engine.connect() as connection:
        command.check(_config(connection))


def head() -> str:
    """The newest revision of the migrations shipped with this code."""
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def current(engine: Engine) -> str | None:
    """The revision the database is at, or None for an empty database."""
    with engine.connect() as connection:
        return revision_of(connection)


def revision_of(connection: Connection) -> str | None:
    """The revision of the database behind an open connection."""
    return MigrationContext.configure(connection).get_current_revision()


def revision(engine: Engine, message: str) -> None:
    """Write a new migration from the difference between model and database (dev)."""
    with engine.begin() as connection:
        command.revision(_config(connection), message=message, autogenerate=True)
