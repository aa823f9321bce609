"""A name's word ending in Abd waits for the next one: the acts holding one are indexed
again.

``بنعبد الله`` was split into two words, ``بنعبد`` and ``الله``, where ``بن عبد الله``
and ``بنعبدالله`` are one (``sijill.domain.namekeys.name_words``): a search for
``بنعبد الله`` asked for two words that an act registered ``بن عبد الله`` does not
hold, and missed it. The words of such names are now one, as their keys always were;
the acts holding one get their tokens again. The tokens are derived; the acts are not
touched.

Revision ID: 0025
Revises: 0024
"""

from __future__ import annotations

from alembic import op

from sijill.domain.folding import fold

revision = "0025"
down_revision = "0024"
branch_labels = None
depends_on = None


def _split_before(name: str) -> bool:
    # A word ending in Abd followed by another: the names whose words changed (split
    # as ``name_words`` splits them).
    tokens = fold(name).replace("'", " ").split()[:-1]
    return any(t.endswith(("عبد", "abd")) and t not in ("عبد", "abd") for t in tokens)


def upgrade() -> None:
    from sijill.search.index import reindex_naming

    reindex_naming(op.get_bind(), _split_before)


def downgrade() -> None:
    # The code that runs this downgrade splits names as this revision does: it cannot
    # give back the older tokens. The older code, once in place, writes them again
    # with ``sijill search reindex``; until then it misses those acts by two words.
    pass
