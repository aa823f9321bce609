"""Issued documents: the register of extracts and full copies.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "documents",
        sa.Column("office_code", sa.String(length=24), nullable=False),
        sa.Column("number", sa.String(length=64), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("lang", sa.String(length=10), nullable=False),
        sa.Column("act_id", sa.String(length=36), nullable=False),
        sa.Column("act_ref", sa.String(length=48), nullable=False),
        sa.Column("mentions", sa.Integer(), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("claims", sa.JSON(), nullable=False),
        sa.Column("seal", sa.Text(), nullable=False),
        sa.Column("requested_for", sa.String(length=160), nullable=True),
        sa.Column("issued_at", sa.String(length=32), nullable=False),
        sa.Column("issued_by", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("office_code", "number", name="pk_documents"),
        sa.UniqueConstraint("number", name="uq_documents_number"),
        sa.UniqueConstraint("office_code", "year", "seq", name="uq_documents_seq"),
    )
    op.create_index("ix_documents_act_ref", "documents", ["act_ref"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_documents_act_ref", table_name="documents")
    op.drop_table("documents")
