"""Moving an order on: one time-stamped event per change, and the citizen notified."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from sijill.domain.errors import Conflict
from sijill.domain.orders import can_move
from sijill.orders.tables import order_events, orders, outbox

# What the citizen is told at each step, in Arabic and French.
NOTIFIED: dict[str, tuple[str, str]] = {
    "routed": (
        "طلبكم {number} أحيل على مكتب الحالة المدنية",
        "Votre commande {number} est transmise au bureau d'état civil",
    ),
    "posted": (
        "طلبكم {number} سلم للبريد، رقم التتبع {tracking}",
        "Votre commande {number} est remise à la poste, suivi {tracking}",
    ),
    "at_post_office": (
        "طلبكم {number} وصل إلى مكتب البريد",
        "Votre commande {number} est arrivée au bureau de poste",
    ),
    "delivered": ("طلبكم {number} سلم", "Votre commande {number} est remise"),
    "returned": (
        "طلبكم {number} أعيد إلى المكتب",
        "Votre commande {number} est revenue au bureau",
    ),
    "rejected": (
        "طلبكم {number} مرفوض: {reason}",
        "Votre commande {number} est refusée : {reason}",
    ),
}


def lock_order(conn: Connection, **where: Any) -> Any:
    """The order row (locked on PostgreSQL until the transaction ends), or None."""
    query = select(orders)
    for name, value in where.items():
        query = query.where(orders.c[name] == value)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def record_event(
    conn: Connection,
    order_id: str,
    seq: int,
    status: str,
    at: str,
    by: str,
    detail: dict[str, Any] | None = None,
) -> None:
    conn.execute(
        insert(order_events).values(
            order_id=order_id,
            seq=seq,
            status=status,
            at=at,
            by=by,
            detail=detail or {},
        )
    )


def move(
    conn: Connection,
    row: Any,
    status: str,
    *,
    at: str,
    by: str,
    detail: dict[str, Any] | None = None,
    values: dict[str, Any] | None = None,
    strict: bool = True,
) -> bool:
    """Move the order ``row`` to ``status``; Conflict (or False) if that goes back."""
    if not can_move(row.status, status):
        if strict:
            raise Conflict(
                "order.status_backwards", {"current": row.status, "new": status}
            )
        return False
    changes = {"status": status, "updated_at": at, **(values or {})}
    if status == "delivered":
        changes["delivered_at"] = at
    conn.execute(
        update(orders).where(orders.c.order_id == row.order_id).values(changes)
    )
    seq = conn.execute(
        select(func.count())
        .select_from(order_events)
        .where(order_events.c.order_id == row.order_id)
    ).scalar_one()
    record_event(conn, row.order_id, int(seq) + 1, status, at, by, detail)
    notify(conn, row, status, at, tracking=changes.get("tracking_number"))
    return True


def notify(
    conn: Connection, row: Any, status: str, at: str, *, tracking: str | None = None
) -> None:
    """Queue an e-mail and an SMS (as the requester gave them) for a step they follow."""
    if status not in NOTIFIED:
        return
    requester = row.requester or {}
    ar, fr = NOTIFIED[status]
    params = {
        "number": row.number,
        "tracking": tracking or row.tracking_number or "",
        "reason": row.reason or "",
    }
    body = f"{ar.format(**params)}\n{fr.format(**params)}"
    for channel, key in (("email", "email"), ("sms", "phone")):
        if requester.get(key):
            conn.execute(
                insert(outbox).values(
                    message_id=str(uuid.uuid4()),
                    order_id=row.order_id,
                    channel=channel,
                    recipient=requester[key],
                    status=status,
                    body=body,
                    created_at=at,
                )
            )
