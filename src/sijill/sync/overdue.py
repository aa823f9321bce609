"""Notices that have waited too long at their office, for a province's supervisor."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import and_, or_, select

from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.offices import Actor
from sijill.services.context import Registry
from sijill.services.provinces import province_offices
from sijill.store import tables as t
from sijill.sync.centre import stamp_of

OVERDUE_DAYS = 30


def overdue_notices(
    reg: Registry,
    *,
    actor: Actor,
    province: str | None = None,
    overdue_days: int = OVERDUE_DAYS,
    limit: int = 200,
) -> dict[str, Any]:
    """Notices issued more than ``overdue_days`` ago and not yet applied or sent back,
    oldest first, for the offices of a province (a supervisor's own)."""
    if not 1 <= overdue_days <= 3650:
        raise InvalidInput(
            [Violation("overdue_days", "search.number_range", {"min": 1, "max": 3650})]
        )
    before = stamp_of(reg.now() - timedelta(days=overdue_days))
    n, o = t.notices.c, t.office_notices.c
    query = (
        select(
            n.notice_id,
            n.kind,
            n.target_office,
            n.target_ref,
            n.issued_at,
            o.status.label("delivery"),
        )
        .select_from(
            t.notices.outerjoin(
                t.office_notices,
                and_(o.notice_id == n.notice_id, o.office_code == n.target_office),
            )
        )
        .where(
            n.status == "issued",
            or_(o.status.is_(None), o.status == "received"),
            n.issued_at < before,
        )
        .order_by(n.issued_at)
        .limit(limit)
    )
    uow, _ = reg.unit_of_work()
    with uow:
        province, codes = province_offices(uow, actor, "network.status", province)
        if codes is not None:
            query = query.where(n.target_office.in_(codes))
        rows = uow.conn.execute(query).all()
        uow.audit(
            actor,
            "notices.overdue",
            office=actor.office,
            detail={"province": province, "count": len(rows)},
        )
    return {
        "province": province,
        "days": overdue_days,
        "notices": [
            {
                **r._asdict(),
                "state": "delivered" if r.delivery == "received" else "issued",
            }
            for r in rows
        ],
    }
