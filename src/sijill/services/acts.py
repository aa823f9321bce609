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
from sijill.services.drafts import open_draft, validated
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
    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "act.sign", office, target=draft_id)
        row = open_draft(uow.conn, office, draft_id)
        data, assessment = validated(row.kind, row.data, now)
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
                data=data,
                provisional=[v.as_dict() for v in assessment.provisional],
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(actor, "act.sign", office=office, target=str(ref))
        if row.kind == "death":
            _mention_death_at_home(uow, reg, actor, ref, data, now.date())
    return ref


def _mention_death_at_home(
    uow: UnitOfWork,
    reg: Registry,
    actor: Actor,
    death: ActRef,
    data: dict[str, Any],
    today: date,
) -> None:
    """A death of someone born in this office goes on their birth act at once.

    Deaths of people born elsewhere travel to their birth office as notices.
    """
    try:
        born = ActRef.parse(str(data.get("birth_act_ref", "")))
    except InvalidInput:
        return
    if born.office != death.office or born.kind != "birth":
        return
    act = uow.conn.execute(select(t.acts).where(t.acts.c.ref == str(born))).first()
    if act is None or _has_death_mention(uow.conn, act):
        return
    write_mention(
        uow,
        reg,
        actor,
        act,
        {
            "kind": "death",
            "source": {
                "authority": "officer",
                "reference": str(death),
                "date": today.isoformat(),
            },
            "data": {
                "death_date": data["death_date"],
                "death_place": data["death_place"],
                "death_act_ref": str(death),
            },
        },
        today,
    )


def _has_death_mention(conn: Connection, act: Any) -> bool:
    return (
        conn.execute(
            select(t.mentions.c.mention_id).where(
                t.mentions.c.office_code == act.office_code,
                t.mentions.c.act_id == act.act_id,
                t.mentions.c.kind == "death",
            )
        ).first()
        is not None
    )


def load_act(conn: Connection, ref: ActRef) -> Any:
    row = conn.execute(select(t.acts).where(t.acts.c.ref == str(ref))).first()
    if row is None:
        raise NotFound("act.unknown", {"ref": str(ref)})
    return row


def add_mention(
    reg: Registry,
    *,
    actor: Actor,
    ref: str,
    data: dict[str, Any],
    notice_id: str | None = None,
    notice_office: str | None = None,
) -> str:
    """The officer writes and signs a marginal mention on an act of his office.

    Mentions arrive on acts of closed registers too: a register closes to new acts,
    never to the later life of the acts it holds. With ``notice_id`` the mention
    applies a notice received from the centre, which it closes.
    """
    act_ref = ActRef.parse(ref)
    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(act_ref.office)
        authorize(uow, actor, "mention.add", act_ref.office, target=str(act_ref))
        act = load_act(uow.conn, act_ref)
        if notice_id is not None:
            open_notice(uow.conn, notice_office or act_ref.office, notice_id)
        mention_id = write_mention(
            uow,
            reg,
            actor,
            act,
            data,
            now.date(),
            notice_id,
            None if notice_office == act_ref.office else notice_office,
        )
    return mention_id


def write_mention(
    uow: UnitOfWork,
    reg: Registry,
    actor: Actor,
    act: Any,
    data: dict[str, Any],
    today: date,
    notice_id: str | None = None,
    notice_office: str | None = None,
) -> str:
    """Check and record one mention on ``act`` inside the caller's transaction."""
    content = read_mention(data, act_kind=act.kind)
    _check_mention(uow, act, content.kind, content.source_date, today)
    seq = (
        uow.conn.execute(
            select(func.count())
            .select_from(t.mentions)
            .where(
                t.mentions.c.office_code == act.office_code,
                t.mentions.c.act_id == act.act_id,
            )
        ).scalar_one()
        + 1
    )
    mention_id = reg.new_id()
    uow.record(
        act.office_code,
        ev.MentionAdded(
            mention_id=mention_id,
            act_id=act.act_id,
            ref=act.ref,
            seq=seq,
            kind=content.kind,
            authority=content.authority,
            source_ref=content.source_ref,
            source_date=content.source_date.isoformat(),
            data=to_data(content.data),
            at=uow.now,
            by=actor.username,
            notice_id=notice_id,
            notice_office=notice_office,
        ),
    )
    uow.audit(
        actor,
        "mention.add",
        office=act.office_code,
        target=act.ref,
        detail={"kind": content.kind, "notice": notice_id},
    )
    return mention_id


def open_notice(conn: Connection, office: str, notice_id: str) -> Any:
    """The notice as this office received it; it must still be waiting."""
    row = conn.execute(
        select(t.office_notices).where(
            t.office_notices.c.office_code == office,
            t.office_notices.c.notice_id == notice_id,
        )
    ).first()
    if row is None:
        raise NotFound("notice.unknown", {"id": notice_id})
    if row.status != "received":
        raise Conflict("notice.closed", {"id": notice_id, "status": row.status})
    return row


def _check_mention(
    uow: UnitOfWork, act: Any, kind: str, source_date: date, today: date
) -> None:
    if source_date > today:
        raise InvalidInput([Violation("source.date", "date.future")])
    if kind == "death" and _has_death_mention(uow.conn, act):
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
