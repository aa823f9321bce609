"""The derived name index of signed acts: rebuilt from the journal, never registered data.

A key of a name (``sijill.search.index``) is held as a 64-bit token that also says
the year of the act's date; each act also holds its month's token. On PostgreSQL
(``name_index``) an act is one row: its date, its person's and parents' names (what a
search ranks by, so that the national table of acts is not read for the hundreds of
candidates of a common name) and its tokens in an array under a GIN index, an
inverted index with compressed posting lists. On SQLite (``name_tokens``) a token is
one row of a table organized as its own index: (token, date, office, act). Each
dialect's migration creates its own.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    Float,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

from sijill.store.tables import Code, Stamp, metadata

name_index = Table(
    "name_index",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("act_id", String(36), primary_key=True),
    Column("event_date", Date, nullable=False),
    Column("first_name_ar", String(60), nullable=False),
    Column("family_name_ar", String(60), nullable=False),
    Column("first_name_lat", String(60), nullable=False),
    Column("family_name_lat", String(60), nullable=False),
    # the parents' names as the declaration gives them (``index.parents_of``)
    Column("parents", JSONB, nullable=False),
    Column("tokens", ARRAY(BigInteger), nullable=False),
    Index("ix_name_index_tokens", "tokens", postgresql_using="gin"),
    # where the next act before a month lies: a search skips the years without any
    Index("ix_name_index_event_date", "event_date"),
)

name_tokens = Table(
    "name_tokens",
    metadata,
    Column("token", BigInteger, primary_key=True),
    Column("event_date", Date, primary_key=True),
    Column("office_code", Code, primary_key=True),
    Column("act_id", String(36), primary_key=True),
    sqlite_with_rowid=False,
)

# The review queue of suspected duplicates. Not a projection: decisions are made by
# people, audited, and survive a rebuild of the derived tables.
duplicate_reviews = Table(
    "duplicate_reviews",
    metadata,
    Column("review_id", String(36), primary_key=True),
    Column("office_code", Code),  # None: pairs across offices, reviewed nationally
    Column("left_ref", String(48), nullable=False),
    Column("right_ref", String(48), nullable=False),
    Column("probability", Float, nullable=False),
    Column("weight", Float, nullable=False),
    Column("reasons", JSON, nullable=False),
    Column("status", String(12), nullable=False),  # pending | same | not_same
    Column("found_at", Stamp, nullable=False),
    Column("decided_by", String(40)),
    Column("decided_at", Stamp),
    Column("note", Text),
    UniqueConstraint("left_ref", "right_ref", name="uq_duplicate_reviews_pair"),
    Index("ix_duplicate_reviews_status", "status", "office_code"),
)
