"""The derived name keys of signed acts: rebuilt from the journal, never registered data.

One row per key of a name: for each person of an act (``person`` — the child or the
deceased — ``father``, ``mother``), each name field (``first``, ``family``, or
``full`` when only a full name is known), each kind of key (``ar``, ``lat``, ``sk`` —
see ``sijill.domain.namekeys``) and each key: the whole field's, and each word's;
and for each pair of a person's keys of one kind, a pair key (``ar2``, ``lat2``,
``sk2``; part ``pair``). The act's date is copied so that the lookup index, which
covers a search, hands the newest acts first.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Column,
    Date,
    Float,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from sijill.store.tables import Code, Stamp, metadata

name_keys = Table(
    "name_keys",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("act_id", String(36), primary_key=True),
    Column("role", String(8), primary_key=True),
    Column("part", String(8), primary_key=True),
    Column("kind", String(4), primary_key=True),
    Column("key", String(120), primary_key=True),
    Column("event_date", Date),
    Index(
        "ix_name_keys_probe",
        "role",
        "kind",
        "key",
        "event_date",
        "office_code",
        "act_id",
    ),
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
