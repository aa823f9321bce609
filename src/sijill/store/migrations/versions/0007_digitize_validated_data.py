"""Digitization: the act data validated at reconciliation, and the keyers of a batch.

The data an act will be loaded with is built once, when the act is validated, so the
load does not validate again; the keyers of a batch are noted once it is reconciled,
so refusing them as adjudicators or reviewers does not scan the keyings.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("digitize_acts", sa.Column("data", sa.JSON(), nullable=True))
    op.add_column("digitize_batches", sa.Column("keyers", sa.JSON(), nullable=True))


def downgrade() -> None:
    op.drop_column("digitize_batches", "keyers")
    op.drop_column("digitize_acts", "data")
