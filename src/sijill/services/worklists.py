"""What waits at an office's counter: one draft, and the pre-declarations to complete.

Reads of personal data, authorized and audited like every other read.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from sijill.domain.errors import NotFound
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t


def get_draft(
    reg: Registry, *, actor: Actor, office: str, draft_id: str
) -> dict[str, Any]:
    """One draft of ``office`` (open, signed or cancelled), as the clerk keyed it."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", office, target=draft_id)
        row = uow.conn.execute(
            select(t.drafts).where(
                t.drafts.c.office_code == office, t.drafts.c.draft_id == draft_id
            )
        ).first()
        if row is None:
            raise NotFound("draft.unknown", {"id": draft_id})
        signed = None
        if row.act_id is not None:
            signed = uow.conn.execute(
                select(t.acts.c.ref).where(
                    t.acts.c.office_code == office, t.acts.c.act_id == row.act_id
                )
            ).scalar_one_or_none()
        uow.audit(actor, "draft.read", office=office, target=draft_id)
    return {**row._asdict(), "ref": signed}


def list_predeclarations(
    reg: Registry, *, actor: Actor, office: str
) -> list[dict[str, Any]]:
    """The pre-declarations of ``office`` still waiting to be completed into drafts."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "draft.write", office)
        rows = uow.conn.execute(
            select(t.predeclarations)
            .where(
                t.predeclarations.c.office_code == office,
                t.predeclarations.c.status == "received",
            )
            .order_by(t.predeclarations.c.received_at)
            .limit(500)
        ).all()
        uow.audit(
            actor, "predeclaration.read", office=office, detail={"count": len(rows)}
        )
    return [r._asdict() for r in rows]


def get_predeclaration(
    reg: Registry, *, actor: Actor, office: str, predeclaration_id: str
) -> dict[str, Any]:
    """One pre-declaration of ``office``, to be completed by the clerk."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "draft.write", office, target=predeclaration_id)
        row = uow.conn.execute(
            select(t.predeclarations).where(
                t.predeclarations.c.office_code == office,
                t.predeclarations.c.predeclaration_id == predeclaration_id,
            )
        ).first()
        if row is None:
            raise NotFound("predeclaration.unknown", {"id": predeclaration_id})
        uow.audit(actor, "predeclaration.read", office=office, target=predeclaration_id)
    return row._asdict()
