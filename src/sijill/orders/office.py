"""The office's side: orders routed to it, produced and signed, handed to the post.

An order reaches the office holding the act as a notice (kind ``order``) pulled from
the centre like any other. The officer produces the documents with the documents
service (sealed, numbered, journaled), the envelope is recorded and handed to the
post, and an envelope the post brings back is recorded as returned. Each step is an
entry of the office journal: the centre learns of it when the journal reaches it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import select

from sijill.documents.service import issue_document
from sijill.domain import events as ev
from sijill.domain.errors import Conflict, NotFound
from sijill.domain.offices import Actor
from sijill.domain.orders import tracking_number
from sijill.orders.tables import envelopes
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.uow import UnitOfWork


def orders_to_produce(
    reg: Registry, *, actor: Actor, office: str
) -> dict[str, list[dict[str, Any]]]:
    """The orders routed to ``office`` not yet produced, and envelopes not yet posted."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "order.produce_list", office)
        waiting = uow.conn.execute(
            select(t.office_notices)
            .where(
                t.office_notices.c.office_code == office,
                t.office_notices.c.kind == "order",
                t.office_notices.c.status == "received",
            )
            .order_by(t.office_notices.c.notice_seq)
        ).all()
        produced = uow.conn.execute(
            select(envelopes)
            .where(envelopes.c.office_code == office, envelopes.c.status != "returned")
            .order_by(envelopes.c.produced_at)
        ).all()
        uow.audit(
            actor,
            "order.produce_list",
            office=office,
            detail={"waiting": len(waiting), "envelopes": len(produced)},
        )
    return {
        "to_produce": [
            {
                **dict(r.mention),
                "notice_id": r.notice_id,
                "act_ref": r.target_ref,
                "received_at": r.received_at,
                "tracking_number": tracking_number(int(r.notice_seq)),
            }
            for r in waiting
        ],
        "envelopes": [r._asdict() for r in produced],
    }


def _order_notice(reg: Registry, office: str, order_id: str) -> Any:
    with reg.engine.connect() as conn:
        for row in conn.execute(
            select(t.office_notices).where(
                t.office_notices.c.office_code == office,
                t.office_notices.c.kind == "order",
            )
        ):
            if row.mention.get("order_id") == order_id:
                return row
    raise NotFound("order.unknown", {"number": order_id[:40]})


def produce_order(
    reg: Registry, *, actor: Actor, office: str, order_id: str
) -> dict[str, Any]:
    """The officer produces and signs the order's documents; the envelope is recorded."""
    notice = _order_notice(reg, office, order_id)
    if notice.status != "received":
        raise Conflict(
            "order.status_backwards", {"current": "produced", "new": "produced"}
        )
    order = dict(notice.mention)
    uow, _ = reg.unit_of_work()
    with uow:  # the gate first: no document is issued for someone who may not produce
        authorize(uow, actor, "order.produce", office, target=notice.target_ref)
    numbers = [
        issue_document(
            reg,
            actor=actor,
            ref=str(notice.target_ref),
            kind=order["kind"],
            lang=order["lang"],
            requested_for=str(order.get("requested_for", ""))[:160] or None,
        ).number
        for _ in range(int(order.get("copies", 1)))
    ]
    tracking = tracking_number(int(notice.notice_seq))
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "order.produce", office, target=notice.target_ref)
        current = uow.conn.execute(
            select(t.office_notices.c.status).where(
                t.office_notices.c.office_code == office,
                t.office_notices.c.notice_id == notice.notice_id,
            )
        ).scalar_one()
        if current != "received":
            raise Conflict(
                "order.status_backwards", {"current": "produced", "new": "produced"}
            )
        delivery = dict(order["delivery"])
        uow.record(
            office,
            ev.OrderProduced(
                order_id=order_id,
                notice_id=notice.notice_id,
                number=str(order["number"]),
                ref=str(notice.target_ref),
                documents=numbers,
                addressee=str(delivery.get("addressee", "")),
                delivery=delivery,
                tracking_number=tracking,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(
            actor,
            "order.produce",
            office=office,
            target=str(notice.target_ref),
            detail={"order": order["number"], "documents": numbers},
        )
    return {"order_id": order_id, "documents": numbers, "tracking_number": tracking}


def _envelope_step(
    reg: Registry,
    actor: Actor,
    office: str,
    order_id: str,
    action: str,
    before: str,
    gate: Callable[[UnitOfWork], None],
) -> str:
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        gate(uow)
        row = uow.conn.execute(
            select(envelopes).where(
                envelopes.c.office_code == office, envelopes.c.order_id == order_id
            )
        ).first()
        if row is None:
            raise NotFound("order.unknown", {"number": order_id[:40]})
        if row.status != before:
            raise Conflict(
                "order.status_backwards", {"current": row.status, "new": action}
            )
        kind = ev.OrderPosted if action == "order.post" else ev.EnvelopeReturned
        uow.record(
            office,
            kind(
                order_id=order_id,
                ref=row.act_ref,
                tracking_number=row.tracking_number,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(
            actor,
            action,
            office=office,
            target=row.act_ref,
            detail={"order": row.number, "tracking": row.tracking_number},
        )
    return str(row.tracking_number)


def post_order(reg: Registry, *, actor: Actor, office: str, order_id: str) -> str:
    """Hand the envelope to the post; returns its tracking number."""
    return _envelope_step(
        reg,
        actor,
        office,
        order_id,
        "order.post",
        "produced",
        lambda uow: authorize(uow, actor, "order.post", office, target=order_id),
    )


def record_return(reg: Registry, *, actor: Actor, office: str, order_id: str) -> str:
    """An envelope the post could not deliver is back at the office."""
    return _envelope_step(
        reg,
        actor,
        office,
        order_id,
        "order.return",
        "posted",
        lambda uow: authorize(uow, actor, "order.return", office, target=order_id),
    )
