"""The schema comes from the migrations only, and the model agrees with them."""

from __future__ import annotations

from sqlalchemy import Engine

from countyhub.platform import schema


def test_database_is_at_the_newest_revision(engine: Engine):
    """The test database was built by the migrations up to head."""
    assert schema.current(engine) == schema.head()


def test_model_and_migrations_agree(engine: Engine):
    """alembic check finds nothing to migrate."""
    schema.check(engine)
