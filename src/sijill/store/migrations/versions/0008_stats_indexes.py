"""Vital statistics: acts by kind and date of event, and by kind and register year.

Every tabulation reads one kind of act over a period of event dates (or, for late
registrations, of register years); these indexes let it read that period only.

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_acts_kind_event_date", "acts", ["kind", "event_date"])
    op.create_index("ix_acts_kind_year", "acts", ["kind", "year"])


def downgrade() -> None:
    op.drop_index("ix_acts_kind_year", table_name="acts")
    op.drop_index("ix_acts_kind_event_date", table_name="acts")
