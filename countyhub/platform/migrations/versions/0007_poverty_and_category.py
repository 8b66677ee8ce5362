"""The poverty-village flag moves to the gazetteer's village (empty: not declared);
outbound parcels get a product category.

The flag was a service point's; a village without a point can be a poverty
village too (coverage counts every administrative village), so it belongs to the
village.  A point's flag that was set is kept on its village; an unset one says
nothing, so the village's stays empty (not declared), not "no".

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-06 05:00:00.000000
"""

import sqlalchemy as sa
from alembic import op


revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.add_column(sa.Column("poverty", sa.Boolean(), nullable=True))
    op.execute(
        "UPDATE village SET poverty = TRUE WHERE id IN "
        "(SELECT village_id FROM service_point WHERE poverty_village = TRUE)"
    )
    with op.batch_alter_table("service_point", schema=None) as batch_op:
        batch_op.drop_column("poverty_village")
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.add_column(sa.Column("category", sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("parcel", schema=None) as batch_op:
        batch_op.drop_column("category")
    with op.batch_alter_table("service_point", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "poverty_village",
                sa.Boolean(),
                nullable=False,
                server_default=sa.false(),
            )
        )
    op.execute(
        "UPDATE service_point SET poverty_village = TRUE WHERE village_id IN "
        "(SELECT id FROM village WHERE poverty = TRUE)"
    )
    with op.batch_alter_table("village", schema=None) as batch_op:
        batch_op.drop_column("poverty")
