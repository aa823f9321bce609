"""The names of an act's person and parents beside its tokens in ``name_index``
(PostgreSQL), and a token for the act's month in both databases' index.

A search ranks its candidates by their names. Read from ``acts`` (the declarations of
a whole country), the few hundred candidates of a common name cost as many random
reads of a table of tens of gigabytes; read from the index row the search has just
found, they cost nothing more. Only the acts of the page shown are then read. SQLite
holds one row per token and reads an office's acts as before. Every act also holds
its month's token, which a search of a few months asks for. Every signed act is
indexed again, on both databases.

Revision ID: 0021
Revises: 0020
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects.postgresql import JSONB

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

NAMES = ("first_name_ar", "family_name_ar", "first_name_lat", "family_name_lat")


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DELETE FROM name_index")
        for name in NAMES:
            op.add_column("name_index", sa.Column(name, sa.String(60), nullable=False))
        op.add_column("name_index", sa.Column("parents", JSONB(), nullable=False))
    from sijill.search.index import reindex

    reindex(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_column("name_index", "parents")
        for name in NAMES:
            op.drop_column("name_index", name)
