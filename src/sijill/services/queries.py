"""Reading the registry: offices, registers, acts with their mentions. Reads are audited."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from sijill.domain.calendars import HijriDate, to_hijri
from sijill.domain.identifiers import ActRef
from sijill.domain.mentions import current_state
from sijill.domain.offices import Actor
from sijill.services.acts import load_act
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.projection import mentions_of


@dataclass(frozen=True)
class ActView:
    """An act as signed, its mentions in order, and its state today."""

    ref: str
    kind: str
    office: dict[str, Any]
    civil_id: str | None
    data: dict[str, Any]
    hijri_event_date: HijriDate | None
    mentions: list[dict[str, Any]]
    current: dict[str, Any]
    provisional: list[dict[str, Any]]
    signed_by: str
    signed_at: str


def get_act(reg: Registry, *, actor: Actor, ref: str) -> ActView:
    """The act ``ref`` with every marginal mention; the read is written to the audit log."""
    act_ref = ActRef.parse(ref)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", act_ref.office, target=str(act_ref))
        row = load_act(uow.conn, act_ref)
        office = (
            uow.conn.execute(
                select(t.offices).where(t.offices.c.code == act_ref.office)
            )
            .one()
            ._asdict()
        )
        mentions = mentions_of(uow.conn, act_ref.office, row.act_id)
        uow.audit(actor, "act.read", office=act_ref.office, target=str(act_ref))
    return ActView(
        ref=row.ref,
        kind=row.kind,
        office=office,
        civil_id=row.civil_id,
        data=row.data,
        hijri_event_date=to_hijri(row.event_date),
        mentions=mentions,
        current=current_state(row.kind, row.data, mentions),
        provisional=row.provisional,
        signed_by=row.signed_by,
        signed_at=row.signed_at,
    )


def list_offices(reg: Registry) -> list[dict[str, Any]]:
    """Every office with its count of signed acts (no personal data)."""
    counts = (
        select(t.acts.c.office_code, func.count().label("acts"))
        .group_by(t.acts.c.office_code)
        .subquery()
    )
    with reg.engine.connect() as conn:
        rows = conn.execute(
            select(t.offices, func.coalesce(counts.c.acts, 0).label("acts"))
            .outerjoin(counts, counts.c.office_code == t.offices.c.code)
            .where(t.offices.c.kind != "centre")
            .order_by(t.offices.c.code)
        ).all()
    return [r._asdict() for r in rows]


def list_registers(reg: Registry, *, office: str) -> list[dict[str, Any]]:
    """The registers of an office, newest first (no personal data)."""
    with reg.engine.connect() as conn:
        rows = conn.execute(
            select(t.registers)
            .where(t.registers.c.office_code == office)
            .order_by(t.registers.c.year.desc(), t.registers.c.kind)
        ).all()
    return [r._asdict() for r in rows]


def list_acts(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    year: int,
    kind: str,
    offset: int = 0,
    limit: int = 50,
) -> list[dict[str, Any]]:
    """One page of a register's acts with names; the read is written to the audit log."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", office)
        rows = uow.conn.execute(
            select(
                t.acts.c.ref,
                t.acts.c.number,
                t.acts.c.first_name_ar,
                t.acts.c.family_name_ar,
                t.acts.c.first_name_lat,
                t.acts.c.family_name_lat,
                t.acts.c.sex,
                t.acts.c.event_date,
                t.acts.c.signed_at,
            )
            .where(
                t.acts.c.office_code == office,
                t.acts.c.year == year,
                t.acts.c.kind == kind,
            )
            .order_by(t.acts.c.number)
            .offset(offset)
            .limit(limit)
        ).all()
        uow.audit(
            actor,
            "register.read",
            office=office,
            target=f"{office}/{year}/{kind}",
            detail={"offset": offset, "count": len(rows)},
        )
    return [r._asdict() for r in rows]


def list_drafts(reg: Registry, *, actor: Actor, office: str) -> list[dict[str, Any]]:
    """The open drafts of an office, waiting for the officer's signature."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", office)
        rows = uow.conn.execute(
            select(t.drafts)
            .where(t.drafts.c.office_code == office, t.drafts.c.status == "open")
            .order_by(t.drafts.c.created_at)
        ).all()
        uow.audit(actor, "draft.read", office=office, detail={"count": len(rows)})
    return [r._asdict() for r in rows]
