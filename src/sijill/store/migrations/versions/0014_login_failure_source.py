"""The address each failed sign-in came from: lockout counts per address.

Revision ID: 0014
Revises: 0013
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("login_failures") as batch_op:
        batch_op.add_column(
            sa.Column(
                "source", sa.String(length=64), nullable=False, server_default="local"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("login_failures") as batch_op:
        batch_op.drop_column("source")
