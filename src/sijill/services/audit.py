"""The audit trail: verify its chain, query it, report unusual access, show a citizen.

Supervisors see the offices of their province, the ministry the nation; querying the
audit is itself audited.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection, or_, select

from sijill.domain.audit import AuditReport
from sijill.domain.errors import InvalidInput, NotFound, Violation
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.audit import all_entries, checkpoint_now, verify_chain

# Reads of acts that count as "opening an act" for the unusual-access report.
_READS = ("act.read", "document.issue")


def verify_audit(reg: Registry, *, actor: Actor) -> AuditReport:
    """Walk the audit chain and its signed checkpoints; report every break."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "audit.verify", None)
        report = verify_chain(uow.conn, reg.keys)
        uow.audit(
            actor,
            "audit.verify",
            office=None,
            personal=False,
            detail={"entries": report.entries, "problems": len(report.problems)},
        )
    return report


def checkpoint_audit(reg: Registry, *, actor: Actor) -> int | None:
    """Sign a checkpoint at the end of the chain now; its sequence (None: nothing new)."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "audit.verify", None)
        return checkpoint_now(uow.conn, reg.keys, uow.now)


def _province_offices(conn: Connection, actor: Actor) -> list[str] | None:
    """The offices ``actor`` may oversee; None for the whole nation."""
    if actor.role != "supervisor":
        return None
    province = conn.execute(
        select(t.offices.c.province_code).where(t.offices.c.code == actor.office)
    ).scalar()
    if province is None:
        return [actor.office or ""]
    return list(
        conn.execute(
            select(t.offices.c.code).where(t.offices.c.province_code == province)
        ).scalars()
    )


def _person_refs(conn: Connection, person: str) -> list[str]:
    """The act references a person is known by: an act reference or a civil id."""
    if "/" in person:
        return [person]
    refs = list(
        conn.execute(select(t.acts.c.ref).where(t.acts.c.civil_id == person)).scalars()
    )
    if not refs:
        raise NotFound("audit.unknown_person", {"person": person})
    return refs


def _day_bounds(field: str, value: str | None) -> str | None:
    if value is None:
        return None
    try:
        date.fromisoformat(value[:10])
    except ValueError:
        raise InvalidInput([Violation(field, "date.format")]) from None
    return value


def query_audit(
    reg: Registry,
    *,
    actor: Actor,
    person: str | None = None,
    username: str | None = None,
    since: str | None = None,
    until: str | None = None,
    limit: int = 500,
) -> list[dict[str, Any]]:
    """Audit entries about a person (act or civil id), by an actor, within a time."""
    since_ = _day_bounds("since", since)
    until_ = _day_bounds("until", until)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "audit.query", None, target=person)
        log = all_entries()
        query = (
            select(log)
            .order_by(log.c.at, log.c.origin, log.c.seq)
            .limit(max(1, min(limit, 5000)))
        )
        if person is not None:
            query = query.where(log.c.target.in_(_person_refs(uow.conn, person)))
        if username is not None:
            query = query.where(log.c.username == username)
        if since_ is not None:
            query = query.where(log.c.at >= since_)
        if until_ is not None:
            # A bare day reaches to its end.
            query = query.where(log.c.at <= until_ + ("~" if len(until_) == 10 else ""))
        scope = _province_offices(uow.conn, actor)
        if scope is not None:
            query = query.where(
                or_(log.c.office_code.in_(scope), log.c.actor_office.in_(scope))
            )
        rows = [r._asdict() for r in uow.conn.execute(query)]
        uow.audit(
            actor,
            "audit.query",
            office=None,
            target=person,
            personal=True,
            detail={
                "username": username,
                "since": since_,
                "until": until_,
                "count": len(rows),
            },
        )
    return rows


@dataclass(frozen=True)
class UnusualAccess:
    """An actor who opened more acts of other offices in a day than the threshold."""

    username: str
    role: str
    actor_office: str | None
    day: str
    acts_outside: int


def unusual_access(
    reg: Registry, *, actor: Actor, day: date, threshold: int = 50
) -> list[UnusualAccess]:
    """Who opened more than ``threshold`` acts outside their own office that day.

    A national actor has no office of their own: every act they open counts.
    """
    start = day.isoformat()
    end = (day + timedelta(days=1)).isoformat()
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "audit.query", None)
        log = all_entries()
        rows = uow.conn.execute(
            select(
                log.c.username, log.c.role, log.c.actor_office, log.c.office_code
            ).where(
                log.c.at >= start,
                log.c.at < end,
                log.c.action.in_(_READS),
                log.c.outcome == "ok",
            )
        ).all()
        scope = _province_offices(uow.conn, actor)
        counts = Counter(
            (r.username, r.role, r.actor_office)
            for r in rows
            if r.office_code != r.actor_office
            and (scope is None or r.office_code in scope)
        )
        found = [
            UnusualAccess(name, role, office, start, n)
            for (name, role, office), n in sorted(counts.items())
            if n > threshold
        ]
        uow.audit(
            actor,
            "audit.report",
            office=None,
            personal=False,
            detail={"day": start, "threshold": threshold, "found": len(found)},
        )
    return found


@dataclass(frozen=True)
class Access:
    """One access to a citizen's record, as the citizen is shown it."""

    at: str
    action: str
    purpose: str
    outcome: str
    office: str | None
    target: str | None
    # None when the purpose is confidential (an inquiry the law protects).
    username: str | None
    role: str | None


def citizen_trail(reg: Registry, *, actor: Actor) -> list[Access]:
    """Who accessed the signed-in citizen's own acts, when and why.

    Investigators are not named when their purpose is flagged confidential; the
    access itself, its date and its purpose are still shown.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "citizen.trail", None)
        civil_id = uow.conn.execute(
            select(t.accounts.c.civil_id).where(t.accounts.c.username == actor.username)
        ).scalar()
        refs = (
            list(
                uow.conn.execute(
                    select(t.acts.c.ref).where(t.acts.c.civil_id == civil_id)
                ).scalars()
            )
            if civil_id
            else []
        )
        log = all_entries()
        rows = uow.conn.execute(
            select(log)
            .where(log.c.target.in_(refs), log.c.personal_data.is_(True))
            .order_by(log.c.at, log.c.origin, log.c.seq)
        ).all()
        uow.audit(
            actor,
            "citizen.trail",
            office=None,
            target=refs[0] if refs else None,
            detail={"count": len(rows)},
        )
    return [
        Access(
            at=r.at,
            action=r.action,
            purpose=r.purpose,
            outcome=r.outcome,
            office=None if r.confidential else r.office_code,
            target=r.target,
            username=None if r.confidential else r.username,
            role=None if r.confidential else r.role,
        )
        for r in rows
    ]
