"""Signing acts, writing marginal mentions, closing registers."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Connection, func, select

from sijill.domain import events as ev
from sijill.domain.acts import to_data
from sijill.domain.errors import Conflict, InvalidInput, NotFound, Violation
from sijill.domain.identifiers import ActRef, new_civil_id
from sijill.domain.mentions import read_mention
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.services.drafts import open_draft
from sijill.store import geography
from sijill.store import tables as t
from sijill.store.uow import UnitOfWork


def _register(conn: Connection, office: str, year: int, kind: str) -> Any:
    return conn.execute(
        select(t.registers).where(
            t.registers.c.office_code == office,
            t.registers.c.year == year,
            t.registers.c.kind == kind,
        )
    ).first()


def _fresh_civil_id(reg: Registry, conn: Connection) -> str:
    while True:
        candidate = new_civil_id(reg.random_below)
        if (
            conn.execute(
                select(t.acts.c.civil_id).where(t.acts.c.civil_id == candidate)
            ).first()
            is None
        ):
            return candidate


def sign_act(reg: Registry, *, actor: Actor, office: str, draft_id: str) -> ActRef:
    """The officer signs a draft: it becomes the next act of this year's register.

    The rules are checked again on the day of signature (a draft may have waited past
    the 30-day delay). The number is taken under the office lock, in the transaction
    that writes the act, so numbers are never skipped nor given twice.
    """
    from sijill.domain.acts import read_declaration
    from sijill.domain.rules import assess

    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "act.sign", office, target=draft_id)
        row = open_draft(uow.conn, office, draft_id)
        declaration = read_declaration(row.kind, row.data)
        assessment = assess(declaration, at=now, place_names=geography.place_names())
        year = now.year
        register = _register(uow.conn, office, year, row.kind)
        if register is not None and register.closed_at is not None:
            raise Conflict(
                "register.closed", {"kind": row.kind, "year": year, "office": office}
            )
        number = (register.last_number if register is not None else 0) + 1
        ref = ActRef(office, year, row.kind, number)
        civil_id = _fresh_civil_id(reg, uow.conn) if row.kind == "birth" else None
        uow.record(
            office,
            ev.ActSigned(
                draft_id=draft_id,
                act_id=reg.new_id(),
                ref=str(ref),
                kind=row.kind,
                year=year,
                number=number,
                civil_id=civil_id,
                data=to_data(declaration),
                provisional=[v.as_dict() for v in assessment.provisional],
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(actor, "act.sign", office=office, target=str(ref))
    return ref


def load_act(conn: Connection, ref: ActRef) -> Any:
    row = conn.execute(select(t.acts).where(t.acts.c.ref == str(ref))).first()
    if row is None:
        raise NotFound("act.unknown", {"ref": str(ref)})
    return row


def add_mention(reg: Registry, *, actor: Actor, ref: str, data: dict[str, Any]) -> str:
    """The officer writes and signs a marginal mention on an act of his office.

    Mentions arrive on acts of closed registers too: a register closes to new acts,
    never to the later life of the acts it holds.
    """
    act_ref = ActRef.parse(ref)
    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(act_ref.office)
        authorize(uow, actor, "mention.add", act_ref.office, target=str(act_ref))
        act = load_act(uow.conn, act_ref)
        content = read_mention(data, act_kind=act.kind)
        _check_mention(uow, act, content.kind, content.source_date, now.date())
        seq = (
            uow.conn.execute(
                select(func.count())
                .select_from(t.mentions)
                .where(
                    t.mentions.c.office_code == act_ref.office,
                    t.mentions.c.act_id == act.act_id,
                )
            ).scalar_one()
            + 1
        )
        mention_id = reg.new_id()
        uow.record(
            act_ref.office,
            ev.MentionAdded(
                mention_id=mention_id,
                act_id=act.act_id,
                ref=str(act_ref),
                seq=seq,
                kind=content.kind,
                authority=content.authority,
                source_ref=content.source_ref,
                source_date=content.source_date.isoformat(),
                data=to_data(content.data),
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(
            actor,
            "mention.add",
            office=act_ref.office,
            target=str(act_ref),
            detail={"kind": content.kind},
        )
    return mention_id


def _check_mention(
    uow: UnitOfWork, act: Any, kind: str, source_date: date, today: date
) -> None:
    if source_date > today:
        raise InvalidInput([Violation("source.date", "date.future")])
    if kind == "death":
        dead = uow.conn.execute(
            select(t.mentions.c.mention_id).where(
                t.mentions.c.office_code == act.office_code,
                t.mentions.c.act_id == act.act_id,
                t.mentions.c.kind == "death",
            )
        ).first()
        if dead is not None:
            raise Conflict("mention.already_dead")


def close_register(
    reg: Registry, *, actor: Actor, office: str, year: int, kind: str
) -> int:
    """Close a yearly register on or after 31 December; returns its last act number."""
    if kind not in ("birth", "death"):
        raise InvalidInput([Violation("kind", "choice", {"choices": "birth, death"})])
    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "register.close", office)
        if now.date() < date(year, 12, 31):
            raise Conflict("register.close_too_early", {"year": year})
        register = _register(uow.conn, office, year, kind)
        if register is not None and register.closed_at is not None:
            raise Conflict(
                "register.closed", {"kind": kind, "year": year, "office": office}
            )
        last = register.last_number if register is not None else 0
        uow.record(
            office,
            ev.RegisterClosed(
                year=year, kind=kind, last_number=last, at=uow.now, by=actor.username
            ),
        )
        uow.audit(
            actor,
            "register.close",
            office=office,
            target=f"{office}/{year}/{kind}",
            personal=False,
        )
    return last
