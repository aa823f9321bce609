"""The ministry's record of the roll-out, kept at the centre beside the national replica.

One row per office brought into service (or being brought): where its database and
files were made, when onboarding started and finished, and — once it is closed or
merged into another — which office now holds its registers. Like the sync status, this
is operational state of the centre, not derived from any office's journal.
"""

from __future__ import annotations

from sqlalchemy import Column, Integer, String, Table, Text

from sijill.store.tables import Code, Stamp, metadata

onboardings = Table(
    "onboardings",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("kind", String(16), nullable=False),
    Column("region_code", String(8)),
    Column("province_code", String(16), index=True),
    Column("office_dir", Text, nullable=False),
    Column("database_url", Text, nullable=False),  # never with a password
    Column("legacy_from", Integer, nullable=False),  # first year of paper registers
    Column("last_step", String(20), nullable=False),
    Column("started_at", Stamp, nullable=False),
    Column("started_by", String(40), nullable=False),
    Column("completed_at", Stamp),
    Column("closed_at", Stamp),
    Column("merged_into", Code),
    Column("closed_by", String(40)),
)
