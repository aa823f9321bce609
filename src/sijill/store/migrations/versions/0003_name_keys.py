"""Name keys for search and duplicate detection.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "name_keys",
        sa.Column("office_code", sa.String(length=24), nullable=False),
        sa.Column("act_id", sa.String(length=36), nullable=False),
        sa.Column("role", sa.String(length=8), nullable=False),
        sa.Column("part", sa.String(length=8), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("key", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint(
            "office_code", "act_id", "role", "part", "kind", "key", name="pk_name_keys"
        ),
    )
    op.create_index("ix_name_keys_lookup", "name_keys", ["kind", "key", "role"])
    if op.get_bind().dialect.name == "postgresql":
        # Partial names (a prefix, a fragment) are found through trigrams at the centre.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_name_keys_trgm ON name_keys USING gin (key gin_trgm_ops)"
        )
    op.create_table(
        "duplicate_reviews",
        sa.Column("review_id", sa.String(length=36), nullable=False),
        sa.Column("office_code", sa.String(length=24), nullable=True),
        sa.Column("left_ref", sa.String(length=48), nullable=False),
        sa.Column("right_ref", sa.String(length=48), nullable=False),
        sa.Column("probability", sa.Float(), nullable=False),
        sa.Column("weight", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("found_at", sa.String(length=32), nullable=False),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("decided_at", sa.String(length=32), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("review_id", name="pk_duplicate_reviews"),
        sa.UniqueConstraint("left_ref", "right_ref", name="uq_duplicate_reviews_pair"),
    )
    op.create_index(
        "ix_duplicate_reviews_status", "duplicate_reviews", ["status", "office_code"]
    )
    # Acts signed before this revision got their keys here; migration 0021 now
    # indexes every act in the table that replaced this one.


def downgrade() -> None:
    op.drop_index("ix_duplicate_reviews_status", table_name="duplicate_reviews")
    op.drop_table("duplicate_reviews")
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_name_keys_trgm")
    op.drop_index("ix_name_keys_lookup", table_name="name_keys")
    op.drop_table("name_keys")
