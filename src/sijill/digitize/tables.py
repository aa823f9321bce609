"""The digitization workspace of an office, and the provenance of its legacy acts.

The workspace (batches, keyings, reconciled acts, the adjudication queue, samples and
inspection states) is operational state, like the sync status: it is not derived
from the journal and a rebuild leaves it alone. What the registry keeps for ever, the
legacy acts and their provenance, comes from ``LegacyActsLoaded`` journal entries.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text

from sijill.store.tables import Code, Stamp, metadata

BatchId = String(40)

batches = Table(
    "digitize_batches",
    metadata,
    Column("batch_id", BatchId, primary_key=True),
    Column("office_code", Code, nullable=False, index=True),
    Column("kind", String(8), nullable=False),
    Column("year", Integer, nullable=False),
    Column("first_page", Integer, nullable=False),
    Column("last_page", Integer, nullable=False),
    Column("scans", String(200), nullable=False),  # template: .../{page:04d}.tif
    Column("team", String(40), nullable=False),
    Column("aql", String(8), nullable=False),
    # keying → reconciled → sampled → accepted | rejected (back to keying) → loaded
    Column("status", String(12), nullable=False),
    Column("round", Integer, nullable=False),  # keying rounds: +1 at each rejection
    Column("acts", Integer, nullable=False),
    Column("loaded_chunks", Integer, nullable=False),
    Column("keyers", JSON),  # noted once the batch is reconciled
    Column("created_by", String(40), nullable=False),
    Column("created_at", Stamp, nullable=False),
)

# Each keyed file once per batch and round: importing it again changes nothing.
batch_files = Table(
    "digitize_files",
    metadata,
    Column("batch_id", BatchId, primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("sha256", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("encoding", String(16), nullable=False),
    Column("rows", Integer, nullable=False),
    Column("skipped", JSON, nullable=False),
    Column("imported_by", String(40), nullable=False),
    Column("imported_at", Stamp, nullable=False),
)

# One row per act per keying, as typed.
keyings = Table(
    "digitize_keyings",
    metadata,
    Column("batch_id", BatchId, primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("keyer", String(40), primary_key=True),
    Column("fields", JSON, nullable=False),
    Column("source", String(240), nullable=False),  # file:line
)

# One row per act: the reconciled fields, what is still open, what the rules found.
batch_acts = Table(
    "digitize_acts",
    metadata,
    Column("batch_id", BatchId, primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("fields", JSON, nullable=False),
    Column("keyers", JSON, nullable=False),
    Column("open", Integer, nullable=False),  # disagreements awaiting a decision
    Column("failures", JSON, nullable=False),  # broken rules, once all is decided
    Column("number", Integer),
    Column("adjudicator", String(40)),
    Column("data", JSON),  # the act data, once it passes the rules: what is loaded
)

# The adjudication queue: both values, the keyers, and the decision with who and when.
disagreements = Table(
    "digitize_disagreements",
    metadata,
    Column("batch_id", BatchId, primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("field", String(24), primary_key=True),
    Column("first_keyer", String(40), nullable=False),
    Column("first_value", Text, nullable=False),
    Column("second_keyer", String(40), nullable=False),
    Column("second_value", Text, nullable=False),
    Column("decided_value", Text),
    Column("decided_by", String(40)),
    Column("decided_at", Stamp),
    Index("ix_digitize_disagreements_open", "batch_id", "decided_by"),
)

# The acts drawn for review, per round, and the errors the reviewer found on each.
samples = Table(
    "digitize_samples",
    metadata,
    Column("batch_id", BatchId, primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("page", Integer, primary_key=True),
    Column("line", Integer, primary_key=True),
    Column("errors", JSON),  # None until reviewed; then the fields found wrong
    Column("reviewed_by", String(40)),
    Column("reviewed_at", Stamp),
)

# The verdict of each inspected round: the plan used and what it found.
verdicts = Table(
    "digitize_verdicts",
    metadata,
    Column("batch_id", BatchId, primary_key=True),
    Column("round", Integer, primary_key=True),
    Column("severity", String(10), nullable=False),
    Column("letter", String(1), nullable=False),
    Column("sample_size", Integer, nullable=False),
    Column("accept", Integer, nullable=False),
    Column("lot_size", Integer, nullable=False),
    Column("aql", String(8), nullable=False),
    Column("nonconforming", Integer),
    Column("verdict", String(10)),  # None while the review is under way
    Column("reviewer", String(40)),
    Column("decided_at", Stamp),
)

# The switching state of ISO 2859-1 per office and keying team.
inspections = Table(
    "digitize_inspections",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("team", String(40), primary_key=True),
    Column("state", JSON, nullable=False),
    Column("updated_at", Stamp, nullable=False),
)

# Provenance of each legacy act: a projection of ``LegacyActsLoaded``.
legacy_acts = Table(
    "legacy_acts",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("act_id", String(36), primary_key=True),
    Column("batch_id", BatchId, nullable=False),
    Column("page", Integer, nullable=False),
    Column("line", Integer, nullable=False),
    Column("keyers", JSON, nullable=False),
    Index("ix_legacy_acts_position", "batch_id", "page", "line"),
    Column("adjudicator", String(40)),
    Column("reviewer", String(40), nullable=False),
)
