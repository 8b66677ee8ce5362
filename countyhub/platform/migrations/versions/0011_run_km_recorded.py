"""The km each run actually drove: the driver's reading, and who recorded it when.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06 09:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("plan_run", schema=None) as batch_op:
        batch_op.add_column(sa.Column("km_recorded", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("km_recorded_at", sa.DateTime(), nullable=True))
        batch_op.add_column(
            sa.Column("km_recorded_by_id", sa.Integer(), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_plan_run_km_recorded_by_id_user_account"),
            "user_account",
            ["km_recorded_by_id"],
            ["id"],
        )


def downgrade() -> None:
    with op.batch_alter_table("plan_run", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_plan_run_km_recorded_by_id_user_account"),
            type_="foreignkey",
        )
        batch_op.drop_column("km_recorded_by_id")
        batch_op.drop_column("km_recorded_at")
        batch_op.drop_column("km_recorded")
