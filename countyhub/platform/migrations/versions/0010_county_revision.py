"""The county's revision: a token that changes with any change to its places, under
which the gazetteer built from them is kept.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 08:00:00.000000
"""

import secrets

import sqlalchemy as sa
from alembic import op


revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("county", schema=None) as batch_op:
        batch_op.add_column(sa.Column("revision", sa.String(length=16), nullable=True))
    county = sa.table("county", sa.column("revision", sa.String))
    op.execute(county.update().values(revision=secrets.token_hex(8)))
    with op.batch_alter_table("county", schema=None) as batch_op:
        batch_op.alter_column(
            "revision", existing_type=sa.String(length=16), nullable=False
        )


def downgrade() -> None:
    with op.batch_alter_table("county", schema=None) as batch_op:
        batch_op.drop_column("revision")
