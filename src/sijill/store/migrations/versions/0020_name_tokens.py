"""A compact name index: 64-bit tokens of (role, kind, key, year) instead of key rows.

The key rows of migration 0010 cost about 47 rows and 15 KB per act on PostgreSQL
(two B-trees over text keys and UUIDs): 15 GiB at a million acts. On PostgreSQL an act
is now one row of ``name_index`` whose tokens sit in a GIN index; on SQLite a token
is one row of ``name_tokens``, a table without rowid that is its own index. Pair keys
are gone: the index intersects the postings of two words. The tables are filled by
migration 0021, which gives ``name_index`` its names.

Revision ID: 0020
Revises: 0019
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

CODE, ID = sa.String(24), sa.String(36)


def upgrade() -> None:
    op.drop_table("name_keys")
    if op.get_bind().dialect.name == "postgresql":
        op.create_table(
            "name_index",
            sa.Column("office_code", CODE, nullable=False),
            sa.Column("act_id", ID, nullable=False),
            sa.Column("event_date", sa.Date(), nullable=False),
            sa.Column("tokens", postgresql.ARRAY(sa.BigInteger()), nullable=False),
            sa.PrimaryKeyConstraint("office_code", "act_id", name="pk_name_index"),
        )
        op.execute("CREATE INDEX ix_name_index_tokens ON name_index USING gin (tokens)")
    else:
        op.create_table(
            "name_tokens",
            sa.Column("token", sa.BigInteger(), nullable=False),
            sa.Column("event_date", sa.Date(), nullable=False),
            sa.Column("office_code", CODE, nullable=False),
            sa.Column("act_id", ID, nullable=False),
            sa.PrimaryKeyConstraint(
                "token", "event_date", "office_code", "act_id", name="pk_name_tokens"
            ),
            sqlite_with_rowid=False,
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_table("name_index")
    else:
        op.drop_table("name_tokens")
    # Empty: ``sijill search reindex`` of the earlier version refills it.
    op.create_table(
        "name_keys",
        sa.Column("office_code", CODE, nullable=False),
        sa.Column("act_id", ID, nullable=False),
        sa.Column("role", sa.String(8), nullable=False),
        sa.Column("part", sa.String(8), nullable=False),
        sa.Column("kind", sa.String(4), nullable=False),
        sa.Column("key", sa.String(120), nullable=False),
        sa.Column("event_date", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint(
            "office_code", "act_id", "role", "part", "kind", "key", name="pk_name_keys"
        ),
    )
    op.create_index(
        "ix_name_keys_probe",
        "name_keys",
        ["role", "kind", "key", "event_date", "office_code", "act_id"],
    )
