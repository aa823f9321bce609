"""The document register: every extract and full copy issued, never renumbered.

A projection of the ``DocumentIssued`` journal events, like every current-state
table: a rebuild refills it from the journal with the same numbers.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Integer, String, Table, Text, UniqueConstraint

from sijill.store.tables import Code, Stamp, metadata

documents = Table(
    "documents",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("number", String(64), primary_key=True),
    Column("year", Integer, nullable=False),
    Column("seq", Integer, nullable=False),
    Column("kind", String(12), nullable=False),
    Column("lang", String(10), nullable=False),
    Column("act_id", String(36), nullable=False),
    Column("act_ref", String(48), nullable=False, index=True),
    Column("mentions", Integer, nullable=False),  # mentions on the act when issued
    Column("key_id", String(32), nullable=False),
    Column("claims", JSON, nullable=False),
    Column("seal", Text, nullable=False),
    Column("requested_for", String(160)),
    Column("issued_at", Stamp, nullable=False),
    Column("issued_by", String(40), nullable=False),
    UniqueConstraint("number", name="uq_documents_number"),
    UniqueConstraint("office_code", "year", "seq", name="uq_documents_seq"),
)
