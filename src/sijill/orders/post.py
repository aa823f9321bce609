"""The post's side: envelopes to carry, and what happened to each.

A post operator (a person, or the post's system through an API token) sees what an
envelope needs — order number, addressee, address, tracking number — and never the
content of the act. A status that goes back is refused; delivery needs the addressee's
identity document, checked against the one the order named.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sijill.domain.errors import InvalidInput, NotFound, Violation
from sijill.domain.offices import Actor
from sijill.domain.orders import POST_STATUSES, advance, is_tracking_number
from sijill.orders.state import lock_order, move
from sijill.orders.tables import orders
from sijill.services.authz import authorize
from sijill.services.context import Registry

ON_THE_WAY = ("posted", "picked_up", "in_transit", "at_post_office", "failed_attempt")
WITH_THE_POST = (*ON_THE_WAY, "returned_to_sender")


def envelope_view(row: Any) -> dict[str, Any]:
    """An envelope as the post sees it."""
    address = {
        k: v for k, v in dict(row.delivery).items() if k != "addressee_id_number"
    }
    return {
        "number": row.number,
        "tracking_number": row.tracking_number,
        "addressee": address.pop("addressee", ""),
        "address": address,
        "status": row.status,
        "updated_at": row.updated_at,
    }


def envelopes_for_post(
    reg: Registry, *, actor: Actor, status: str | None = None, limit: int = 200
) -> list[dict[str, Any]]:
    """The envelopes with the post (or in one status), oldest first."""
    wanted = WITH_THE_POST if status is None else (status,)
    if status is not None and status not in WITH_THE_POST:
        raise InvalidInput(
            [Violation("status", "choice", {"choices": ", ".join(WITH_THE_POST)})]
        )
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "envelope.read", None)
        rows = uow.conn.execute(
            select(orders)
            .where(orders.c.status.in_(wanted))
            .order_by(orders.c.updated_at)
            .limit(max(1, min(limit, 1000)))
        ).all()
        uow.audit(
            actor,
            "envelope.read",
            office=None,
            detail={"count": len(rows), "status": status},
        )
    return [envelope_view(r) for r in rows]


def record_post_status(
    reg: Registry,
    *,
    actor: Actor,
    tracking_number: str,
    status: str,
    id_number: str | None = None,
) -> dict[str, Any]:
    """The post records what happened to an envelope; never a step back."""
    if status not in POST_STATUSES:
        raise InvalidInput(
            [Violation("status", "choice", {"choices": ", ".join(POST_STATUSES)})]
        )
    if not isinstance(tracking_number, str) or not is_tracking_number(tracking_number):
        raise InvalidInput([Violation("tracking_number", "order.format")])
    if status == "delivered" and not id_number:
        raise InvalidInput([Violation("id_number", "required")])
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "envelope.record", None, target=tracking_number)
        row = lock_order(uow.conn, tracking_number=tracking_number)
        if row is None or row.status not in (*WITH_THE_POST, "delivered", "returned"):
            raise NotFound("order.envelope_unknown", {"tracking": tracking_number})
        advance(row.status, status)
        if status == "delivered":
            expected = row.delivery.get("addressee_id_number") or row.requester.get(
                "id_number"
            )
            if str(id_number).strip().upper() != expected:
                raise InvalidInput([Violation("id_number", "order.id_mismatch")])
        move(uow.conn, row, status, at=uow.now, by=actor.username)
        uow.audit(
            actor,
            "envelope.record",
            office=row.office_code,
            target=tracking_number,
            personal=False,
            detail={"status": status},
        )
        row = lock_order(uow.conn, order_id=row.order_id)
    return envelope_view(row)
