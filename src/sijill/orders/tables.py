"""The tables of orders by post.

At the centre: ``orders`` (where each order stands), ``order_events`` (every change,
time-stamped), ``order_authorizations`` (full-copy authorizations and guardianships
recorded at a counter) and ``outbox`` (notifications waiting for their sender).
At an office, and in its replica at the centre: ``envelopes``, a projection of the
office's ``OrderProduced``/``OrderPosted``/``EnvelopeReturned`` journal entries.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index, Integer, String, Table, Text

from sijill.store.tables import Code, Stamp, metadata

orders = Table(
    "orders",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("number", String(16), nullable=False, unique=True),
    Column("idempotency_key", String(64), nullable=False, unique=True),
    Column("request_digest", String(64), nullable=False),
    Column("channel", String(12), nullable=False),  # counter | account | remote
    Column("placed_by", String(40), nullable=False),
    Column("kind", String(12), nullable=False),
    Column("lang", String(10), nullable=False),
    Column("copies", Integer, nullable=False),
    Column("relationship", String(12), nullable=False),
    Column("subject", JSON, nullable=False),
    Column("requester", JSON, nullable=False),
    Column("delivery", JSON, nullable=False),
    Column("authorization_id", String(40)),
    Column("act_ref", String(48)),
    Column("office_code", Code, index=True),
    Column("province_code", String(12), index=True),
    Column("status", String(20), nullable=False),
    Column("reason", String(40)),
    Column("reason_params", JSON),
    Column("fee_centimes", Integer, nullable=False),
    Column("payment_method", String(10)),
    Column("payment_ref", String(80)),
    # The payment asked for (method, token) while the order waits to be processed.
    Column("payment", JSON),
    Column("notice_id", String(36)),
    Column("tracking_number", String(13), unique=True),
    Column("created_at", Stamp, nullable=False, index=True),
    Column("updated_at", Stamp, nullable=False),
    Column("delivered_at", Stamp),
)
Index("ix_orders_open", orders.c.status, orders.c.created_at)

order_events = Table(
    "order_events",
    metadata,
    Column("order_id", String(36), primary_key=True),
    Column("seq", Integer, primary_key=True, autoincrement=False),
    Column("status", String(20), nullable=False),
    Column("at", Stamp, nullable=False),
    Column("by", String(40), nullable=False),
    Column("detail", JSON, nullable=False),
)

order_authorizations = Table(
    "order_authorizations",
    metadata,
    Column("authorization_id", String(40), primary_key=True),
    Column("kind", String(16), nullable=False),  # authorization | guardianship
    Column("act_ref", String(48), nullable=False, index=True),
    Column("holder_id_number", String(10), nullable=False),
    Column("holder_name", String(120), nullable=False),
    Column("granted_by", String(160), nullable=False),
    Column("recorded_at", Stamp, nullable=False),
    Column("recorded_by", String(40), nullable=False),
    Column("recorded_office", Code),
)

outbox = Table(
    "outbox",
    metadata,
    Column("message_id", String(36), primary_key=True),
    Column("order_id", String(36), nullable=False, index=True),
    Column("channel", String(8), nullable=False),  # email | sms
    Column("recipient", String(254), nullable=False),
    Column("status", String(20), nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", Stamp, nullable=False),
    Column("sent_at", Stamp),
)
Index("ix_outbox_unsent", outbox.c.sent_at, outbox.c.created_at)

envelopes = Table(
    "envelopes",
    metadata,
    Column("office_code", Code, primary_key=True),
    Column("order_id", String(36), primary_key=True),
    Column("notice_id", String(36), nullable=False),
    Column("number", String(16), nullable=False),
    Column("act_ref", String(48), nullable=False),
    Column("documents", JSON, nullable=False),
    Column("addressee", String(120), nullable=False),
    Column("delivery", JSON, nullable=False),
    Column("tracking_number", String(13), nullable=False),
    Column("status", String(12), nullable=False),  # produced | posted | returned
    Column("produced_at", Stamp, nullable=False),
    Column("posted_at", Stamp),
    Column("returned_at", Stamp),
)
