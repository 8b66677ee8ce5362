"""The cells of each rejected manifest row as read, kept on its first problem, so
that the rejected rows can be downloaded, fixed and uploaded again.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 10:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("import_problem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("cells", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("import_problem", schema=None) as batch_op:
        batch_op.drop_column("cells")
