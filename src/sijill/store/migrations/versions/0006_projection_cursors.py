"""Projection cursors: the centre applies replicated journals behind their reception.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "projection_cursors",
        sa.Column("office_code", sa.String(length=24), nullable=False),
        sa.Column("applied_seq", sa.Integer(), nullable=False),
        sa.Column("stalled_seq", sa.Integer(), nullable=True),
        sa.Column("stalled_reason", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("office_code"),
    )
    # Journals received before this revision were applied as they arrived.
    op.execute(
        "INSERT INTO projection_cursors (office_code, applied_seq) "
        "SELECT office_code, last_seq FROM journal_heads "
        "WHERE office_code IN (SELECT office_code FROM enrolled_keys)"
    )


def downgrade() -> None:
    op.drop_table("projection_cursors")
