"""Search answered from selective keys: pair keys, the act's date, a covering index.

The lookup index becomes (role, kind, key, event_date, office_code, act_id): a probe
reads the newest acts of one key and stops at the search's limit, without touching
the table. Prefixes hop that index from key to key, so the trigram index goes. (Acts
were reindexed here; migration 0021 now does it for the index that replaced this one.)

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_name_keys_trgm")
    op.drop_index("ix_name_keys_lookup", table_name="name_keys")
    op.add_column("name_keys", sa.Column("event_date", sa.Date(), nullable=True))
    # The keys of this shape were refilled here; migration 0020 replaces the table
    # and 0021 indexes every act again, so the old rows are only dropped.
    op.execute("DELETE FROM name_keys")
    op.create_index(
        "ix_name_keys_probe",
        "name_keys",
        ["role", "kind", "key", "event_date", "office_code", "act_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_name_keys_probe", table_name="name_keys")
    op.execute("DELETE FROM name_keys WHERE part = 'pair'")
    with op.batch_alter_table("name_keys") as batch:
        batch.drop_column("event_date")
    op.create_index("ix_name_keys_lookup", "name_keys", ["kind", "key", "role"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_name_keys_trgm ON name_keys USING gin (key gin_trgm_ops)"
        )
