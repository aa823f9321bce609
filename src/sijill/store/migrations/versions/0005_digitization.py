"""Digitization of the legacy registers: the workspace, legacy acts and their provenance.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_CODE = sa.String(length=24)
_STAMP = sa.String(length=32)
_BATCH = sa.String(length=40)


def upgrade() -> None:
    op.add_column(
        "acts",
        sa.Column(
            "status", sa.String(length=12), nullable=False, server_default="signed"
        ),
    )
    op.create_table(
        "digitize_batches",
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("office_code", _CODE, nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("first_page", sa.Integer(), nullable=False),
        sa.Column("last_page", sa.Integer(), nullable=False),
        sa.Column("scans", sa.String(length=200), nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("aql", sa.String(length=8), nullable=False),
        sa.Column("status", sa.String(length=12), nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("acts", sa.Integer(), nullable=False),
        sa.Column("loaded_chunks", sa.Integer(), nullable=False),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("batch_id", name="pk_digitize_batches"),
    )
    op.create_index(
        "ix_digitize_batches_office_code", "digitize_batches", ["office_code"]
    )
    op.create_table(
        "digitize_files",
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("encoding", sa.String(length=16), nullable=False),
        sa.Column("rows", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.JSON(), nullable=False),
        sa.Column("imported_by", sa.String(length=40), nullable=False),
        sa.Column("imported_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint(
            "batch_id", "round", "sha256", name="pk_digitize_files"
        ),
    )
    op.create_table(
        "digitize_keyings",
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("keyer", sa.String(length=40), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("source", sa.String(length=240), nullable=False),
        sa.PrimaryKeyConstraint(
            "batch_id", "page", "line", "keyer", name="pk_digitize_keyings"
        ),
    )
    op.create_table(
        "digitize_acts",
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("keyers", sa.JSON(), nullable=False),
        sa.Column("open", sa.Integer(), nullable=False),
        sa.Column("failures", sa.JSON(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=True),
        sa.Column("adjudicator", sa.String(length=40), nullable=True),
        sa.PrimaryKeyConstraint("batch_id", "page", "line", name="pk_digitize_acts"),
    )
    op.create_table(
        "digitize_disagreements",
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("field", sa.String(length=24), nullable=False),
        sa.Column("first_keyer", sa.String(length=40), nullable=False),
        sa.Column("first_value", sa.Text(), nullable=False),
        sa.Column("second_keyer", sa.String(length=40), nullable=False),
        sa.Column("second_value", sa.Text(), nullable=False),
        sa.Column("decided_value", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.String(length=40), nullable=True),
        sa.Column("decided_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint(
            "batch_id", "page", "line", "field", name="pk_digitize_disagreements"
        ),
    )
    op.create_index(
        "ix_digitize_disagreements_open",
        "digitize_disagreements",
        ["batch_id", "decided_by"],
    )
    op.create_table(
        "digitize_samples",
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("errors", sa.JSON(), nullable=True),
        sa.Column("reviewed_by", sa.String(length=40), nullable=True),
        sa.Column("reviewed_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint(
            "batch_id", "round", "page", "line", name="pk_digitize_samples"
        ),
    )
    op.create_table(
        "digitize_verdicts",
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("round", sa.Integer(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("letter", sa.String(length=1), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("accept", sa.Integer(), nullable=False),
        sa.Column("lot_size", sa.Integer(), nullable=False),
        sa.Column("aql", sa.String(length=8), nullable=False),
        sa.Column("nonconforming", sa.Integer(), nullable=True),
        sa.Column("verdict", sa.String(length=10), nullable=True),
        sa.Column("reviewer", sa.String(length=40), nullable=True),
        sa.Column("decided_at", _STAMP, nullable=True),
        sa.PrimaryKeyConstraint("batch_id", "round", name="pk_digitize_verdicts"),
    )
    op.create_table(
        "digitize_inspections",
        sa.Column("office_code", _CODE, nullable=False),
        sa.Column("team", sa.String(length=40), nullable=False),
        sa.Column("state", sa.JSON(), nullable=False),
        sa.Column("updated_at", _STAMP, nullable=False),
        sa.PrimaryKeyConstraint("office_code", "team", name="pk_digitize_inspections"),
    )
    op.create_table(
        "legacy_acts",
        sa.Column("office_code", _CODE, nullable=False),
        sa.Column("act_id", sa.String(length=36), nullable=False),
        sa.Column("batch_id", _BATCH, nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("line", sa.Integer(), nullable=False),
        sa.Column("keyers", sa.JSON(), nullable=False),
        sa.Column("adjudicator", sa.String(length=40), nullable=True),
        sa.Column("reviewer", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("office_code", "act_id", name="pk_legacy_acts"),
    )
    op.create_index(
        "ix_legacy_acts_position", "legacy_acts", ["batch_id", "page", "line"]
    )


def downgrade() -> None:
    op.drop_index("ix_legacy_acts_position", table_name="legacy_acts")
    op.drop_index("ix_digitize_disagreements_open", table_name="digitize_disagreements")
    op.drop_index("ix_digitize_batches_office_code", table_name="digitize_batches")
    for table in (
        "legacy_acts",
        "digitize_inspections",
        "digitize_verdicts",
        "digitize_samples",
        "digitize_disagreements",
        "digitize_acts",
        "digitize_keyings",
        "digitize_files",
        "digitize_batches",
    ):
        op.drop_table(table)
    with op.batch_alter_table("acts") as batch:
        batch.drop_column("status")
