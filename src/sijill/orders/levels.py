"""Service levels of orders by post, and the notifications' outbox.

Every change of an order is time-stamped (``order_events``). Orders still open after
the target (7 days) are listed per office, province and for the nation; the ministry
sees how long orders took from placing to delivery.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update

from sijill.domain.offices import Actor
from sijill.domain.orders import SERVICE_TARGET_DAYS, TERMINAL
from sijill.orders.ports import Sender
from sijill.orders.tables import orders, outbox
from sijill.services.authz import NATIONAL, authorize
from sijill.services.context import Registry, stamp

BUCKETS = (1, 2, 3, 4, 5, 6, 7, 10, 14, 30)


def _instant(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _province_of(reg: Registry, actor: Actor) -> str | None:
    """A supervisor sees the province of their office; the nation otherwise."""
    if actor.role in NATIONAL or actor.office is None:
        return None
    from sijill.store import tables as t

    with reg.engine.connect() as conn:
        return conn.execute(
            select(t.offices.c.province_code).where(t.offices.c.code == actor.office)
        ).scalar_one_or_none()


def overdue_orders(
    reg: Registry, *, actor: Actor, days: int = SERVICE_TARGET_DAYS, limit: int = 200
) -> dict[str, Any]:
    """Orders open for more than ``days``: counts per office, province, nation; the oldest."""
    province = _province_of(reg, actor)
    cutoff = stamp(reg.now() - timedelta(days=max(0, days)))
    open_orders = [
        orders.c.status.not_in(sorted(TERMINAL)),
        orders.c.created_at < cutoff,
    ]
    if province is not None:
        open_orders.append(orders.c.province_code == province)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "order.service_levels", None)
        grouped = uow.conn.execute(
            select(orders.c.office_code, orders.c.province_code, func.count())
            .where(*open_orders)
            .group_by(orders.c.office_code, orders.c.province_code)
        ).all()
        oldest = uow.conn.execute(
            select(
                orders.c.number,
                orders.c.office_code,
                orders.c.status,
                orders.c.created_at,
            )
            .where(*open_orders)
            .order_by(orders.c.created_at)
            .limit(limit)
        ).all()
        uow.audit(actor, "order.service_levels", office=None, personal=False)
    by_office: Counter[str] = Counter()
    by_province: Counter[str] = Counter()
    for office, prov, count in grouped:
        by_office[office or "—"] += int(count)
        by_province[prov or "—"] += int(count)
    return {
        "days": days,
        "nation": sum(by_office.values()),
        "offices": dict(by_office),
        "provinces": dict(by_province),
        "oldest": [r._asdict() for r in oldest],
    }


def delivery_times(reg: Registry, *, actor: Actor) -> dict[str, Any]:
    """How many days delivered orders took, from placing to delivery: a histogram."""
    province = _province_of(reg, actor)
    query = select(orders.c.created_at, orders.c.delivered_at).where(
        orders.c.delivered_at.is_not(None)
    )
    if province is not None:
        query = query.where(orders.c.province_code == province)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "order.service_levels", None)
        rows = uow.conn.execute(query).all()
        uow.audit(actor, "order.delivery_times", office=None, personal=False)
    days = sorted(
        (_instant(done) - _instant(placed)).total_seconds() / 86400
        for placed, done in rows
    )
    histogram: Counter[str] = Counter()
    for value in days:
        upper = next((b for b in BUCKETS if value <= b), None)
        histogram[f"≤{upper}" if upper else f">{BUCKETS[-1]}"] += 1

    def percentile(p: float) -> float | None:
        if not days:
            return None
        return round(days[min(len(days) - 1, int(p * len(days)))], 2)

    return {
        "delivered": len(days),
        "within_target": sum(1 for d in days if d <= SERVICE_TARGET_DAYS),
        "histogram_days": {
            label: histogram.get(label, 0)
            for label in [f"≤{b}" for b in BUCKETS] + [f">{BUCKETS[-1]}"]
        },
        "p50_days": percentile(0.5),
        "p90_days": percentile(0.9),
        "p95_days": percentile(0.95),
    }


def dispatch_outbox(
    reg: Registry, *, actor: Actor, sender: Sender, limit: int = 500
) -> int:
    """Send what the outbox holds, oldest first; a message is marked sent once sent."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "outbox.dispatch", None)
    with reg.engine.connect() as conn:
        waiting = conn.execute(
            select(outbox)
            .where(outbox.c.sent_at.is_(None))
            .order_by(outbox.c.created_at)
            .limit(limit)
        ).all()
    sent = 0
    for message in waiting:
        sender.send(
            channel=message.channel, recipient=message.recipient, body=message.body
        )
        with reg.engine.begin() as conn:
            conn.execute(
                update(outbox)
                .where(outbox.c.message_id == message.message_id)
                .values(sent_at=stamp(reg.now()))
            )
        sent += 1
    return sent
