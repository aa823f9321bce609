"""Closing an office and handing its registers over to another (communes merge).

The acts keep their references and stay in the journal of the office that wrote them:
the receiving office takes that journal and its key, as it takes the paper registers,
and continues it; its staff then act on those acts. At the centre, the closed office
stops receiving notices: those still waiting, and every later one, go to the office
now holding its registers.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection, func, select, update

from sijill.domain import events as ev
from sijill.domain.errors import Conflict, InvalidInput, NotFound, Violation
from sijill.domain.offices import Actor
from sijill.rollout.onboarding import office_registry
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.holders import holder_of
from sijill.sync import centre as central
from sijill.sync import office as remote
from sijill.sync.protocol import CENTRE


@dataclass(frozen=True)
class Merged:
    """An office closed into another: how many acts and notices went over."""

    closed: str
    into: str
    acts: int
    rerouted: int
    handed_over: bool


def merge_offices(
    reg: Registry,
    *,
    actor: Actor,
    closed: str,
    into: str,
    offices_dir: Path | None = None,
) -> Merged:
    """At the centre: close ``closed`` into ``into`` and re-route its notices; then,
    when both offices' directories are under ``offices_dir``, hand the closed office's
    journal and key over to the receiving office's database."""
    if closed == into:
        raise InvalidInput([Violation("into", "office.merge_self")])
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(CENTRE)
        authorize(uow, actor, "office.merge", None, target=closed)
        for code in (closed, into):
            _known(uow.conn, code)
        for code in (closed, into):
            holder = holder_of(uow.conn, code)
            if holder != code:
                raise Conflict("office.closed", {"code": code, "holder": holder})
        _close(uow.conn, closed, into, uow.now, actor.username)
        rerouted = _reroute(uow.conn, closed, into)
        for notice_id, target_ref in rerouted:
            uow.record(
                CENTRE,
                ev.NoticeMatched(
                    notice_id=notice_id,
                    target_office=into,
                    target_ref=target_ref,
                    at=uow.now,
                    by=actor.username,
                ),
            )
        acts = uow.conn.execute(
            select(func.count())
            .select_from(t.acts)
            .where(t.acts.c.office_code == closed)
        ).scalar_one()
        uow.audit(
            actor,
            "office.merge",
            office=closed,
            target=into,
            personal=False,
            detail={"acts": int(acts), "rerouted": len(rerouted)},
        )
    handed = False
    if offices_dir is not None:
        handed = hand_over(reg, offices_dir=offices_dir, closed=closed, into=into)
    return Merged(closed, into, int(acts), len(rerouted), handed)


def _known(conn: Connection, code: str) -> None:
    found = conn.execute(select(t.offices.c.code).where(t.offices.c.code == code))
    if found.first() is None:
        raise NotFound("office.unknown", {"code": code})


def _close(conn: Connection, closed: str, into: str, now: str, by: str) -> None:
    row = conn.execute(
        select(t.onboardings.c.office_code).where(t.onboardings.c.office_code == closed)
    ).first()
    values = {"closed_at": now, "merged_into": into, "closed_by": by}
    if row is not None:
        conn.execute(
            update(t.onboardings)
            .where(t.onboardings.c.office_code == closed)
            .values(**values)
        )
        return
    office = conn.execute(select(t.offices).where(t.offices.c.code == closed)).one()
    conn.execute(  # an office opened by hand before the roll-out
        t.onboardings.insert().values(
            office_code=closed,
            kind=office.kind,
            region_code=office.region_code,
            province_code=office.province_code,
            office_dir="",
            database_url="",
            legacy_from=1915,
            last_step="complete",
            started_at=now,
            started_by=by,
            completed_at=now,
            **values,
        )
    )


def _reroute(conn: Connection, closed: str, into: str) -> list[tuple[str, str]]:
    """Notices routed to the closed office that it has not taken yet."""
    taken = select(t.office_notices.c.notice_id).where(
        t.office_notices.c.office_code == closed
    )
    rows = conn.execute(
        select(t.notices.c.notice_id, t.notices.c.target_ref).where(
            t.notices.c.target_office == closed,
            t.notices.c.status == "issued",
            t.notices.c.notice_id.not_in(taken),
        )
    ).all()
    return [(r.notice_id, r.target_ref) for r in rows]


def hand_over(centre: Registry, *, offices_dir: Path, closed: str, into: str) -> bool:
    """The receiving office takes the closed office's key and journal (as the centre
    holds it) and knows from then on that it holds those registers."""
    closed_dir, into_dir = offices_dir / closed, offices_dir / into
    if (
        not (closed_dir / "office.toml").exists()
        or not (into_dir / "office.toml").exists()
    ):
        return False
    receiving = office_registry(into_dir, centre.clock)
    try:
        key = f"{closed}.ed25519.pem"
        source = office_registry(closed_dir, centre.clock).keys.directory / key
        target = receiving.keys.directory / key
        if not target.exists():
            shutil.copy2(source, target)
        with receiving.engine.connect() as conn:
            held = conn.execute(
                select(t.journal_heads.c.last_seq).where(
                    t.journal_heads.c.office_code == closed
                )
            ).scalar_one_or_none()
        if not held:
            remote.restore(receiving, central.LocalCentre(centre, closed), closed)
        with receiving.engine.begin() as conn:
            _close(conn, closed, into, centre_now(centre), "system")
    finally:
        receiving.engine.dispose()
    return True


def centre_now(reg: Registry) -> str:
    from sijill.services.context import stamp

    return stamp(reg.now())
