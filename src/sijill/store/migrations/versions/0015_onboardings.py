"""The roll-out: the centre's record of each office brought into service, or merged.

Revision ID: 0015
Revises: 0014
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "onboardings",
        sa.Column("office_code", sa.String(length=24), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("region_code", sa.String(length=8), nullable=True),
        sa.Column("province_code", sa.String(length=16), nullable=True),
        sa.Column("office_dir", sa.Text(), nullable=False),
        sa.Column("database_url", sa.Text(), nullable=False),
        sa.Column("legacy_from", sa.Integer(), nullable=False),
        sa.Column("last_step", sa.String(length=20), nullable=False),
        sa.Column("started_at", sa.String(length=32), nullable=False),
        sa.Column("started_by", sa.String(length=40), nullable=False),
        sa.Column("completed_at", sa.String(length=32), nullable=True),
        sa.Column("closed_at", sa.String(length=32), nullable=True),
        sa.Column("merged_into", sa.String(length=24), nullable=True),
        sa.Column("closed_by", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("office_code", name="pk_onboardings"),
    )
    op.create_index("ix_onboardings_province_code", "onboardings", ["province_code"])


def downgrade() -> None:
    op.drop_index("ix_onboardings_province_code", table_name="onboardings")
    op.drop_table("onboardings")
