"""Alembic environment: runs on the connection countyhub.platform.schema gives."""

from alembic import context

from countyhub.platform import models  # noqa: F401  (registers every table)
from countyhub.platform.db import Base, UTCDateTime


def render_item(type_, obj, autogen_context):
    """Render countyhub's column types as the plain SQLAlchemy types they store as."""
    if type_ == "type" and isinstance(obj, UTCDateTime):
        return "sa.DateTime()"
    return False


config = context.config
connection = config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
