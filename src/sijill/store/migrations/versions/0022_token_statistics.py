"""PostgreSQL keeps statistics of ten thousand of the name index's most common tokens.

A search asks the GIN index for the tokens of every word of a query, but a very common
word (a father's محمد over twenty years) costs a million postings to decode for acts
that the rarer words already single out; such a word is better checked on the rows the
others find (``sijill.search.postings``). The choice rests on how common each token is:
``ANALYZE`` keeps the most common ones with their frequencies. With the default target
(a thousand tokens) a name of middling frequency counts as "rare" and every word is
intersected; with ten thousand, the common names of every year are known. The sample
read by ``ANALYZE`` grows to 300,000 rows: seconds, whatever the size of the table.

Revision ID: 0022
Revises: 0021
"""

from __future__ import annotations

from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

TARGET = 1000  # statistics target: ten times as many most common elements


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"ALTER TABLE name_index ALTER COLUMN tokens SET STATISTICS {TARGET}"
        )
        op.execute("ANALYZE name_index")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE name_index ALTER COLUMN tokens SET STATISTICS -1")
