"""The office's order events in the current-state tables, at the office and the centre.

At the office they keep its envelopes; at the centre, which holds the orders, they
also move each order on (produced, posted, returned): this is how the centre learns
what the office did, through the journal it already receives. Applying an entry twice
(a rebuild) moves nothing twice: an order never goes back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, insert, update

from sijill.domain import events as ev
from sijill.orders.state import lock_order, move
from sijill.orders.tables import envelopes
from sijill.store import tables as t


def _envelope(office: str, order_id: str) -> Any:
    return (envelopes.c.office_code == office) & (envelopes.c.order_id == order_id)


def _at_centre(
    conn: Connection, order_id: str, status: str, e: Any, values: dict[str, Any]
) -> None:
    row = lock_order(conn, order_id=order_id)
    if row is not None:
        move(conn, row, status, at=e.at, by=e.by, values=values, strict=False)


def _order_produced(conn: Connection, office: str, e: ev.OrderProduced) -> None:
    conn.execute(
        insert(envelopes).values(
            office_code=office,
            order_id=e.order_id,
            notice_id=e.notice_id,
            number=e.number,
            act_ref=e.ref,
            documents=e.documents,
            addressee=e.addressee,
            delivery=e.delivery,
            tracking_number=e.tracking_number,
            status="produced",
            produced_at=e.at,
        )
    )
    conn.execute(
        update(t.office_notices)
        .where(
            (t.office_notices.c.office_code == office)
            & (t.office_notices.c.notice_id == e.notice_id)
        )
        .values(status="applied", closed_at=e.at)
    )
    _at_centre(conn, e.order_id, "produced", e, {"tracking_number": e.tracking_number})


def _order_posted(conn: Connection, office: str, e: ev.OrderPosted) -> None:
    conn.execute(
        update(envelopes)
        .where(_envelope(office, e.order_id))
        .values(status="posted", posted_at=e.at)
    )
    _at_centre(conn, e.order_id, "posted", e, {})


def _envelope_returned(conn: Connection, office: str, e: ev.EnvelopeReturned) -> None:
    conn.execute(
        update(envelopes)
        .where(_envelope(office, e.order_id))
        .values(status="returned", returned_at=e.at)
    )
    _at_centre(conn, e.order_id, "returned", e, {})


ORDER_HANDLERS: dict[type[ev.Event], Callable[[Connection, str, Any], None]] = {
    ev.OrderProduced: _order_produced,
    ev.OrderPosted: _order_posted,
    ev.EnvelopeReturned: _envelope_returned,
}
