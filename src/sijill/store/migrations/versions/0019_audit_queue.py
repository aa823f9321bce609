"""Audit entries written with an order's acceptance, chained a moment later in batches.

An entry waiting in the queue cannot be changed (the database refuses UPDATE); it
leaves the queue only when it is chained.

Revision ID: 0019
Revises: 0018
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sijill.store.append_only import protect, unprotect

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

S = sa.String


def upgrade() -> None:
    op.create_table(
        "audit_queue",
        sa.Column("queued", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("audit_id", S(36), nullable=False, unique=True),
        sa.Column("at", S(32), nullable=False),
        sa.Column("username", S(40), nullable=False),
        sa.Column("role", S(20), nullable=False),
        sa.Column("actor_office", S(24)),
        sa.Column("action", S(40), nullable=False),
        sa.Column("office_code", S(24)),
        sa.Column("target", S(64)),
        sa.Column("personal_data", sa.Boolean, nullable=False),
        sa.Column("outcome", S(12), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("purpose", S(20), nullable=False),
        sa.Column("confidential", sa.Boolean, nullable=False),
    )
    protect("audit_queue", verbs=("UPDATE",))


def downgrade() -> None:
    unprotect("audit_queue")
    op.drop_table("audit_queue")
