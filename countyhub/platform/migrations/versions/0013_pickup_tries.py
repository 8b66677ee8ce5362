"""The wrong pickup codes given at a parcel's hand-over, kept to lock it when the
code is tried too often.

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-06 11:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "pickup_try",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("parcel_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("actor_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["user_account.id"],
            name=op.f("fk_pickup_try_actor_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["parcel_id"], ["parcel.id"], name=op.f("fk_pickup_try_parcel_id_parcel")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pickup_try")),
    )
    with op.batch_alter_table("pickup_try", schema=None) as batch_op:
        batch_op.create_index(
            "ix_pickup_try_parcel_id_at", ["parcel_id", "at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("pickup_try", schema=None) as batch_op:
        batch_op.drop_index("ix_pickup_try_parcel_id_at")
    op.drop_table("pickup_try")
