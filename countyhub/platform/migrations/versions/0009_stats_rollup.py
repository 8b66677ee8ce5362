"""The figures' daily rollup, its refresh state, and the parcel event indexes the
figures read by.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 06:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "stats_day",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("to_status", sa.String(length=20), nullable=False),
        sa.Column("direction", sa.String(length=10), nullable=False),
        sa.Column("township_id", sa.Integer(), nullable=True),
        sa.Column("dim", sa.String(length=10), nullable=False),
        sa.Column("ref_id", sa.Integer(), nullable=True),
        sa.Column("tag", sa.String(length=30), nullable=True),
        sa.Column("events", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_day")),
    )
    with op.batch_alter_table("stats_day", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stats_day_to_status_dim_day", ["to_status", "dim", "day"], unique=False
        )
    op.create_table(
        "stats_refresh",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seen_id", sa.Integer(), nullable=False),
        sa.Column("refreshed_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stats_refresh")),
    )
    # the rollup's one state row, there before any refresh: two first refreshes
    # at once then queue on it instead of both inserting it
    op.execute(
        "INSERT INTO stats_refresh (id, seen_id, refreshed_at) "
        "VALUES (1, 0, CURRENT_TIMESTAMP)"
    )
    op.create_table(
        "stats_gap",
        sa.Column("event_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_stats_gap")),
    )
    with op.batch_alter_table("parcel_event", schema=None) as batch_op:
        batch_op.create_index(
            "ix_parcel_event_to_status_at",
            ["to_status", "at"],
            unique=False,
            postgresql_include=["parcel_id"],
        )
        batch_op.create_index(
            "ix_parcel_event_parcel_id_to_status",
            ["parcel_id", "to_status"],
            unique=False,
            postgresql_include=["at"],
        )


def downgrade() -> None:
    with op.batch_alter_table("parcel_event", schema=None) as batch_op:
        batch_op.drop_index("ix_parcel_event_parcel_id_to_status")
        batch_op.drop_index("ix_parcel_event_to_status_at")
    op.drop_table("stats_gap")
    op.drop_table("stats_refresh")
    with op.batch_alter_table("stats_day", schema=None) as batch_op:
        batch_op.drop_index("ix_stats_day_to_status_dim_day")
    op.drop_table("stats_day")
