"""A parent's name also gives pair tokens: every signed act is indexed again.

A father asked by his whole name — محمد الرباطي — is two words each held by a good
share of the country's acts, and the GIN index decoded both words' postings year
after year to find the few acts holding the two. A parent's names now also give a
token for every two of their values (``sijill.search.index.PAIRED_ROLES``), and a
search asks for the pair of two words next to each other besides each word
(``sijill.search.query.pair_groups``): the index reads the few postings of the pair.
The tokens are derived; the acts are not touched.

Revision ID: 0024
Revises: 0023
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    from sijill.search.index import reindex

    reindex(op.get_bind())


def downgrade() -> None:
    # The older code asks for no pair, and an extra token in an act's set changes
    # nothing it finds: the index is left as it is.
    pass
