"""Orders by post: orders, their events, authorizations, the outbox and envelopes.

Revision ID: 0016
Revises: 0015
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

S = sa.String


def upgrade() -> None:
    op.create_table(
        "orders",
        sa.Column("order_id", S(36), primary_key=True),
        sa.Column("number", S(16), nullable=False, unique=True),
        sa.Column("idempotency_key", S(64), nullable=False, unique=True),
        sa.Column("request_digest", S(64), nullable=False),
        sa.Column("channel", S(12), nullable=False),
        sa.Column("placed_by", S(40), nullable=False),
        sa.Column("kind", S(12), nullable=False),
        sa.Column("lang", S(10), nullable=False),
        sa.Column("copies", sa.Integer, nullable=False),
        sa.Column("relationship", S(12), nullable=False),
        sa.Column("subject", sa.JSON, nullable=False),
        sa.Column("requester", sa.JSON, nullable=False),
        sa.Column("delivery", sa.JSON, nullable=False),
        sa.Column("authorization_id", S(40)),
        sa.Column("act_ref", S(48)),
        sa.Column("office_code", S(24), index=True),
        sa.Column("province_code", S(12), index=True),
        sa.Column("status", S(20), nullable=False),
        sa.Column("reason", S(40)),
        sa.Column("reason_params", sa.JSON),
        sa.Column("fee_centimes", sa.Integer, nullable=False),
        sa.Column("payment_method", S(10)),
        sa.Column("payment_ref", S(80)),
        sa.Column("notice_id", S(36)),
        sa.Column("tracking_number", S(13), unique=True),
        sa.Column("created_at", S(32), nullable=False, index=True),
        sa.Column("updated_at", S(32), nullable=False),
        sa.Column("delivered_at", S(32)),
    )
    op.create_index("ix_orders_open", "orders", ["status", "created_at"])
    op.create_table(
        "order_events",
        sa.Column("order_id", S(36), primary_key=True),
        sa.Column("seq", sa.Integer, primary_key=True, autoincrement=False),
        sa.Column("status", S(20), nullable=False),
        sa.Column("at", S(32), nullable=False),
        sa.Column("by", S(40), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
    )
    op.create_table(
        "order_authorizations",
        sa.Column("authorization_id", S(40), primary_key=True),
        sa.Column("kind", S(16), nullable=False),
        sa.Column("act_ref", S(48), nullable=False, index=True),
        sa.Column("holder_id_number", S(10), nullable=False),
        sa.Column("holder_name", S(120), nullable=False),
        sa.Column("granted_by", S(160), nullable=False),
        sa.Column("recorded_at", S(32), nullable=False),
        sa.Column("recorded_by", S(40), nullable=False),
        sa.Column("recorded_office", S(24)),
    )
    op.create_table(
        "outbox",
        sa.Column("message_id", S(36), primary_key=True),
        sa.Column("order_id", S(36), nullable=False, index=True),
        sa.Column("channel", S(8), nullable=False),
        sa.Column("recipient", S(254), nullable=False),
        sa.Column("status", S(20), nullable=False),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("created_at", S(32), nullable=False),
        sa.Column("sent_at", S(32)),
    )
    op.create_index("ix_outbox_unsent", "outbox", ["sent_at", "created_at"])
    op.create_table(
        "envelopes",
        sa.Column("office_code", S(24), primary_key=True),
        sa.Column("order_id", S(36), primary_key=True),
        sa.Column("notice_id", S(36), nullable=False),
        sa.Column("number", S(16), nullable=False),
        sa.Column("act_ref", S(48), nullable=False),
        sa.Column("documents", sa.JSON, nullable=False),
        sa.Column("addressee", S(120), nullable=False),
        sa.Column("delivery", sa.JSON, nullable=False),
        sa.Column("tracking_number", S(13), nullable=False),
        sa.Column("status", S(12), nullable=False),
        sa.Column("produced_at", S(32), nullable=False),
        sa.Column("posted_at", S(32)),
        sa.Column("returned_at", S(32)),
    )


def downgrade() -> None:
    for table in ("envelopes", "outbox", "order_authorizations", "order_events"):
        op.drop_table(table)
    op.drop_index("ix_orders_open", table_name="orders")
    op.drop_table("orders")
