"""Each office's audit chain replicated at the centre, and the office's cursor for it.

Revision ID: 0013
Revises: 0012
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sijill.store.append_only import protect, unprotect

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "office_audit",
        sa.Column("origin", sa.String(length=24), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("audit_id", sa.String(length=36), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("actor_office", sa.String(length=24), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("office_code", sa.String(length=24), nullable=True),
        sa.Column("target", sa.String(length=64), nullable=True),
        sa.Column("personal_data", sa.Boolean(), nullable=False),
        sa.Column("outcome", sa.String(length=12), nullable=False),
        sa.Column("detail", sa.JSON(), nullable=False),
        sa.Column("purpose", sa.String(length=20), nullable=False),
        sa.Column("confidential", sa.Boolean(), nullable=False),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("origin", "seq", name=op.f("pk_office_audit")),
    )
    op.create_index("ix_office_audit_target", "office_audit", ["target"])
    op.create_index("ix_office_audit_username_at", "office_audit", ["username", "at"])
    op.create_table(
        "office_audit_checkpoints",
        sa.Column("origin", sa.String(length=24), nullable=False),
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint(
            "origin", "seq", name=op.f("pk_office_audit_checkpoints")
        ),
    )
    protect("office_audit")
    protect("office_audit_checkpoints")
    with op.batch_alter_table("sync_status") as batch_op:
        batch_op.add_column(
            sa.Column(
                "audit_pushed_seq", sa.Integer(), nullable=False, server_default="0"
            )
        )


def downgrade() -> None:
    with op.batch_alter_table("sync_status") as batch_op:
        batch_op.drop_column("audit_pushed_seq")
    for table in ("office_audit_checkpoints", "office_audit"):
        unprotect(table)
        op.drop_table(table)
