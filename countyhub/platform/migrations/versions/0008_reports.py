"""The province report by version, its delivery outbox and the attempts' log.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-06 05:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "report",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("county_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content", sa.JSON(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("schema_version", sa.String(length=20), nullable=False),
        sa.Column("built_by_id", sa.Integer(), nullable=True),
        sa.Column("built_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["built_by_id"],
            ["user_account.id"],
            name=op.f("fk_report_built_by_id_user_account"),
        ),
        sa.ForeignKeyConstraint(
            ["county_id"], ["county.id"], name=op.f("fk_report_county_id_county")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report")),
        sa.UniqueConstraint(
            "county_id",
            "month",
            "version",
            name=op.f("uq_report_county_id_month_version"),
        ),
    )
    op.create_table(
        "report_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("webhook_id", sa.String(length=80), nullable=False),
        sa.Column("state", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("claimed_at", sa.DateTime(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=500), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"],
            ["report.id"],
            name=op.f("fk_report_outbox_report_id_report"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_outbox")),
        sa.UniqueConstraint("report_id", name=op.f("uq_report_outbox_report_id")),
        sa.UniqueConstraint("webhook_id", name=op.f("uq_report_outbox_webhook_id")),
    )
    with op.batch_alter_table("report_outbox", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_outbox_next_attempt_at"),
            ["next_attempt_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_report_outbox_state"), ["state"], unique=False
        )
    op.create_table(
        "report_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("status_code", sa.Integer(), nullable=True),
        sa.Column("answer", sa.String(length=500), nullable=False),
        sa.Column("duration_s", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["outbox_id"],
            ["report_outbox.id"],
            name=op.f("fk_report_attempt_outbox_id_report_outbox"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_report_attempt")),
    )
    with op.batch_alter_table("report_attempt", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_report_attempt_outbox_id"), ["outbox_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("report_attempt", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_attempt_outbox_id"))
    op.drop_table("report_attempt")
    with op.batch_alter_table("report_outbox", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_report_outbox_state"))
        batch_op.drop_index(batch_op.f("ix_report_outbox_next_attempt_at"))
    op.drop_table("report_outbox")
    op.drop_table("report")
