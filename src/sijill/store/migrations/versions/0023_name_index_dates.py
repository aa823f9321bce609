"""PostgreSQL's name index keeps its acts' dates in a B-tree.

A search reads the months of its range a window at a time, newest first. Months
without any act — the years before the registers began, those after the last act
loaded — still cost each window the lookup of every token of every word in them.
When the index's statistics know no act of a year, the search asks this B-tree for
the newest act before it and goes on from there (``sijill.search.query``). SQLite's
index holds one row per token and a search there does not skip.

Revision ID: 0023
Revises: 0022
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_name_index_event_date", "name_index", ["event_date"])


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_name_index_event_date", "name_index")
