"""The centre's order processor: received orders matched, checked, charged and routed.

An order is accepted in a short transaction of its own (``service.place_order``); here
the received orders are taken in batches, oldest first, and each is matched to exactly
one act by the registry's search, its requester's entitlement checked, its fee taken
and its notice issued to the office holding the act — or it is rejected with the
reason, and never charged. One transaction per batch: the centre's journal and the
audit chain are locked once for many orders. On PostgreSQL the batch's rows are taken
``FOR UPDATE SKIP LOCKED``, so several server processes never take the same order; a
batch that fails is rolled back whole and its orders taken again one by one, and the
fee is asked with the order number as the provider's key, so it is never taken twice.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from functools import cache
from typing import Any

from sqlalchemy import bindparam, select, update

from sijill.domain.errors import Conflict
from sijill.domain.offices import SYSTEM
from sijill.domain.orders import OrderRequest, entitlement_problem, read_order
from sijill.orders.authorizations import check_authorization
from sijill.orders.ports import OrderPorts
from sijill.orders.service import (
    as_it_stands,
    charge,
    match,
    province_of,
    requester_act,
    route,
)
from sijill.orders.state import NOTIFIED, notify, record_event
from sijill.orders.tables import orders
from sijill.services.context import Registry
from sijill.store.audit import chain_queued
from sijill.store.uow import UnitOfWork

log = logging.getLogger(__name__)

BATCH = 100  # orders per transaction
AUDIT_BATCH = 1000  # queued audit entries chained per transaction


def chain_audit(reg: Registry) -> int:
    """Chain the audit entries queued by the orders accepted (a transaction per
    thousand); returns how many were chained."""
    chained = 0
    while True:
        uow, _ = reg.unit_of_work()
        with uow:
            taken = chain_queued(uow.conn, reg.keys, AUDIT_BATCH)
        chained += taken
        if taken < AUDIT_BATCH:
            return chained


def process_orders(
    reg: Registry, ports: OrderPorts, *, batch: int = BATCH, limit: int | None = None
) -> int:
    """Process received orders, a batch per transaction, until none is left (or
    ``limit`` are done); returns how many were processed. The audit entries of their
    acceptance are chained first."""
    chain_audit(reg)
    done = 0
    while limit is None or done < limit:
        size = batch if limit is None else min(batch, limit - done)
        try:
            taken = _batch(reg, ports, size)
        except Exception:
            # One order the batch cannot take must not hold the others back.
            log.exception("order batch failed; taking its orders one by one")
            taken = sum(_one_by_one(reg, ports, size))
            if not taken:
                break
        if not taken:
            break
        done += taken
    return done


def _one_by_one(reg: Registry, ports: OrderPorts, size: int) -> list[int]:
    uow, _ = reg.unit_of_work()
    with uow:
        ids = [r.order_id for r in uow.conn.execute(_received(uow, size)).all()]
    done = []
    for order_id in ids:
        try:
            done.append(_batch(reg, ports, 1, order_id=order_id))
        except Exception:
            log.exception("order %s could not be processed; left received", order_id)
    return done


def _received(uow: UnitOfWork, size: int, order_id: str | None = None) -> Any:
    query = (
        select(orders)
        .where(orders.c.status == "received")
        .order_by(orders.c.created_at, orders.c.order_id)
        .limit(size)
    )
    if order_id is not None:
        query = query.where(orders.c.order_id == order_id)
    if uow.conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    return query


def _batch(
    reg: Registry, ports: OrderPorts, size: int, *, order_id: str | None = None
) -> int:
    uow, now = reg.unit_of_work()
    with uow:
        rows = uow.conn.execute(_received(uow, size, order_id)).all()
        decisions = [_decide(uow, ports, row, today=now.date()) for row in rows]
        # Recorded once all are decided: the centre's journal, locked by the first
        # notice issued, is held for the writing only, not for the searches.
        for row, decision in zip(rows, decisions, strict=True):
            _record(reg, uow, row, decision)
    return len(rows)


def _request(row: Any) -> OrderRequest:
    """The order as it was accepted (read again: it was valid then, it is now)."""
    return read_order(
        {
            "idempotency_key": row.idempotency_key,
            "kind": row.kind,
            "lang": row.lang,
            "copies": row.copies,
            "subject": row.subject,
            "requester": row.requester,
            "delivery": row.delivery,
            "payment": row.payment or {"method": "online"},
        }
    )


@dataclass
class _Decision:
    """What became of an order: the act it designates, or why it is rejected."""

    request: OrderRequest
    reason: str | None
    params: dict[str, Any]
    act: Any
    authorization: str | None
    paid: tuple[str, str] | None


def _decide(uow: UnitOfWork, ports: OrderPorts, row: Any, *, today: Any) -> _Decision:
    """Match the order's act, check the requester's entitlement, take the fee."""
    conn = uow.conn
    request = _request(row)
    placer = SYSTEM
    found, count = match(conn, request)
    reason: str | None = None
    params: dict[str, Any] = {}
    act, authorization, paid = None, None, None
    if count == 0:
        reason = "order.no_match"
    elif count > 1:
        reason, params = "order.several_matches", {"count": count}
    else:
        act = found[0]
        allowed, authorization = check_authorization(uow, placer, request, act.ref)
        if not allowed:  # the order says nothing of the act to its holder
            reason, act = "order.authorization_unknown", None
        else:
            reason = entitlement_problem(
                request,
                as_it_stands(conn, act),
                today=today,
                requester_act=requester_act(conn, request),
            )
        if reason is None:
            paid = charge(ports, request, row.number, row.placed_by)
            if paid is None:
                reason = "order.payment_refused"
    return _Decision(request, reason, params, act, authorization, paid)


def _record(reg: Registry, uow: UnitOfWork, row: Any, decision: _Decision) -> None:
    """Route the order (or reject it) as decided, with its steps and audit entry."""
    conn, placer = uow.conn, SYSTEM
    request, reason, params = decision.request, decision.reason, decision.params
    act, authorization, paid = decision.act, decision.authorization, decision.paid
    values: dict[str, Any] = {
        **row._asdict(),
        "authorization_id": authorization,
        "act_ref": act.ref if act is not None else None,
        "office_code": act.office_code if act is not None else None,
        "province_code": province_of(conn, act.office_code) if act else None,
        "status": "rejected" if reason else "routed",
        "reason": reason,
        "reason_params": params or None,
        "payment_method": paid[0] if paid else None,
        "payment_ref": paid[1] if paid else None,
        "payment": {"method": request.payment["method"]},  # the token is spent
        "updated_at": uow.now,
    }
    steps = ["rejected"] if reason else ["matched", "routed"]
    if not reason:
        values["notice_id"], values["tracking_number"] = route(
            reg, uow, values, request
        )
    changed = conn.execute(
        _processed(),
        {"processed_id": row.order_id, **{c: values[c] for c in PROCESSED}},
    ).rowcount
    if changed != 1:  # another processor took it first: this batch is undone
        raise Conflict("order.status_backwards", {"current": "?", "new": "routed"})
    details = {
        "rejected": {"reason": reason},
        "matched": {"act": values["act_ref"]},
        "routed": {"office": values["office_code"]},
    }
    for seq, status in enumerate(steps, start=2):
        record_event(
            conn, row.order_id, seq, status, uow.now, SYSTEM.username, details[status]
        )
    final = _Values(values)
    if steps[-1] in NOTIFIED:
        notify(conn, final, steps[-1], uow.now)
    uow.audit(
        placer,
        "order.process",
        office=values["office_code"],
        target=values["act_ref"] or row.number,
        detail={
            "order": row.number,
            "status": values["status"],
            "reason": reason,
            "placed_by": row.placed_by,
            "channel": row.channel,
        },
    )


# What processing an order writes on its row (the rest stays as accepted).
PROCESSED = (
    "authorization_id",
    "act_ref",
    "office_code",
    "province_code",
    "status",
    "reason",
    "reason_params",
    "payment_method",
    "payment_ref",
    "payment",
    "notice_id",
    "tracking_number",
    "updated_at",
)


@cache
def _processed() -> Any:
    """The update of a processed order, built once: only a received order moves."""
    return (
        update(orders)
        .where(
            orders.c.order_id == bindparam("processed_id"),
            orders.c.status == "received",
        )
        .values({c: bindparam(c, type_=orders.c[c].type) for c in PROCESSED})
    )


class _Values(dict[str, Any]):
    def __getattr__(self, name: str) -> Any:
        return self[name]


class OrderProcessor:
    """Processes received orders in the background of a central server.

    Answering comes first: woken as an order is accepted, the processor waits until
    no order has been accepted for ``quiet`` seconds. Through a sustained peak it
    still takes a batch after resting ``patience`` seconds, or ``rest`` times as long
    as the last batch took (so it never takes more than a fifth of the time there),
    and the rest of the backlog as soon as the peak is over. It also looks every
    ``every`` seconds, for what a crash or another process left.
    """

    def __init__(
        self,
        reg: Registry,
        ports: OrderPorts,
        *,
        every: float = 2.0,
        quiet: float = 0.05,
        patience: float = 1.0,
        rest: float = 4.0,
        batch: int = BATCH,
    ) -> None:
        self.reg = reg
        self.ports = ports
        self.every = every
        self.quiet = quiet
        self.patience = patience
        self.rest = rest
        self.batch = batch
        self._accepted = 0.0
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="sijill-orders", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """An order was just accepted."""
        self._accepted = time.monotonic()
        self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _wait_for_a_lull(self, since: float, pause: float) -> None:
        while not self._stop.is_set():
            now = time.monotonic()
            lull = self._accepted + self.quiet - now
            left = since + pause - now
            if lull <= 0 or left <= 0:
                return
            self._stop.wait(min(lull, left))

    def _run(self) -> None:
        last, took = time.monotonic(), 0.0
        while not self._stop.is_set():
            self._wake.wait(self.every)
            self._wake.clear()
            try:
                while not self._stop.is_set():
                    self._wait_for_a_lull(last, max(self.patience, self.rest * took))
                    began = time.monotonic()
                    done = process_orders(
                        self.reg, self.ports, batch=self.batch, limit=self.batch
                    )
                    last = time.monotonic()
                    took = last - began
                    if not done:
                        break
            except Exception:  # a database restart, a lost connection: try again later
                log.exception("order processing failed; retrying in %s s", self.every)
                self._stop.wait(self.every)
