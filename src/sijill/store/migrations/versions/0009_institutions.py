"""Institutions: notaries, consulates and banks that check data against an act.

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "institutions",
        sa.Column("institution_id", sa.String(length=36), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("registered_at", sa.String(length=32), nullable=False),
        sa.Column("registered_by", sa.String(length=40), nullable=False),
        sa.Column("revoked_at", sa.String(length=32), nullable=True),
        sa.Column("revoked_by", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("institution_id", name="pk_institutions"),
        sa.UniqueConstraint("name", name="uq_institutions_name"),
        sa.UniqueConstraint("token_hash", name="uq_institutions_token_hash"),
    )


def downgrade() -> None:
    op.drop_table("institutions")
