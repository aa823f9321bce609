"""Quality sampling of a reconciled batch (ISO 2859-1) and the reviewer's findings."""

from __future__ import annotations

import dataclasses
import hashlib
import random
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from sijill.digitize.batches import load_batch, require_status, scan_of
from sijill.digitize.reconcile import _refuse_keyers, mark_number_conflicts, open_items
from sijill.digitize.tables import (
    batch_acts,
    batches,
    disagreements,
    inspections,
    keyings,
    samples,
    verdicts,
)
from sijill.domain.errors import Conflict, InvalidInput, NotFound, Violation
from sijill.domain.keying import FIELDS
from sijill.domain.offices import Actor
from sijill.domain.sampling import Inspection, Plan, after_lot, plan
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store.bulk import insert_rows
from sijill.store.uow import UnitOfWork


def inspection_state(conn: Connection, office: str, team: str) -> Inspection:
    """The switching state of an office's keying team; normal inspection to begin."""
    row = conn.execute(
        select(inspections.c.state).where(
            inspections.c.office_code == office, inspections.c.team == team
        )
    ).first()
    if row is None:
        return Inspection()
    state = dict(row.state)
    state["recent"] = tuple(state.get("recent", ()))
    return Inspection(**state)


def _save_state(
    conn: Connection, office: str, team: str, state: Inspection, now: str
) -> None:
    values = {"state": dataclasses.asdict(state), "updated_at": now}
    where = (inspections.c.office_code == office) & (inspections.c.team == team)
    if conn.execute(select(inspections.c.team).where(where)).first() is None:
        conn.execute(
            insert(inspections).values(office_code=office, team=team, **values)
        )
    else:
        conn.execute(update(inspections).where(where).values(**values))


def _drawn(
    batch: Any, positions: list[tuple[int, int]], size: int
) -> list[tuple[int, int]]:
    """The acts to review: a random draw, the same for the same batch and round."""
    seed = hashlib.sha256(f"{batch.batch_id}:{batch.round}".encode()).digest()
    rng = random.Random(seed)
    return sorted(rng.sample(positions, min(size, len(positions))))


def draw_sample(reg: Registry, *, actor: Actor, batch_id: str) -> dict[str, Any]:
    """Draw the sample of a reconciled batch with the plan its team's state calls for.

    Every disagreement must be decided and every act pass the rules first.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        batch = load_batch(uow.conn, batch_id)
        uow.lock(batch.office_code)
        authorize(uow, actor, "digitize.sample", batch.office_code, target=batch_id)
        existing = uow.conn.execute(
            select(verdicts).where(
                verdicts.c.batch_id == batch_id, verdicts.c.round == batch.round
            )
        ).first()
        if existing is not None and batch.status == "sampled":
            return _sample_view(uow.conn, batch, existing)
        require_status(batch, ("reconciled",), "sampled")
        mark_number_conflicts(uow.conn, batch)
        waiting, failing = open_items(uow.conn, batch_id)
        if waiting or failing:
            raise Conflict(
                "digitize.open_items",
                {"batch": batch_id, "disagreements": waiting, "failing": failing},
            )
        state = inspection_state(uow.conn, batch.office_code, batch.team)
        chosen = plan(batch.acts, batch.aql, state.severity)
        positions = [
            (r.page, r.line)
            for r in uow.conn.execute(
                select(batch_acts.c.page, batch_acts.c.line).where(
                    batch_acts.c.batch_id == batch_id
                )
            )
        ]
        drawn = _drawn(batch, positions, chosen.sample_size)
        insert_rows(
            uow.conn,
            samples,
            [
                {"batch_id": batch_id, "round": batch.round, "page": p, "line": ln}
                for p, ln in drawn
            ],
        )
        uow.conn.execute(
            insert(verdicts).values(
                batch_id=batch_id,
                round=batch.round,
                severity=chosen.severity,
                letter=chosen.letter,
                sample_size=len(drawn),
                accept=chosen.accept,
                lot_size=batch.acts,
                aql=chosen.aql,
            )
        )
        uow.conn.execute(
            update(batches)
            .where(batches.c.batch_id == batch_id)
            .values(status="sampled")
        )
        uow.audit(
            actor,
            "digitize.sample",
            office=batch.office_code,
            target=batch_id,
            personal=False,
            detail={"plan": dataclasses.asdict(chosen), "drawn": len(drawn)},
        )
        row = uow.conn.execute(
            select(verdicts).where(
                verdicts.c.batch_id == batch_id, verdicts.c.round == batch.round
            )
        ).one()
        return _sample_view(uow.conn, batch, row)


def _sample_view(conn: Connection, batch: Any, verdict: Any) -> dict[str, Any]:
    rows = conn.execute(
        select(samples, batch_acts.c.fields)
        .join(
            batch_acts,
            (batch_acts.c.batch_id == samples.c.batch_id)
            & (batch_acts.c.page == samples.c.page)
            & (batch_acts.c.line == samples.c.line),
        )
        .where(samples.c.batch_id == batch.batch_id, samples.c.round == batch.round)
        .order_by(samples.c.page, samples.c.line)
    ).all()
    return {
        "batch": batch.batch_id,
        "round": batch.round,
        "plan": {
            "severity": verdict.severity,
            "letter": verdict.letter,
            "lot_size": verdict.lot_size,
            "sample_size": verdict.sample_size,
            "accept": verdict.accept,
            "reject": verdict.accept + 1,
            "aql": verdict.aql,
        },
        "acts": [
            {
                "page": r.page,
                "line": r.line,
                "scan": scan_of(batch, r.page),
                "fields": r.fields,
                "errors": r.errors,
            }
            for r in rows
        ],
        "verdict": verdict.verdict,
    }


def review_act(
    reg: Registry,
    *,
    actor: Actor,
    batch_id: str,
    page: int,
    line: int,
    errors: list[str],
) -> dict[str, Any]:
    """The reviewer compared a sampled act with its scan: ``errors`` names wrong fields.

    Once the whole sample is reviewed the batch is accepted (then loaded) or rejected
    (back to keying), and the switching state of its team moves on.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        batch = load_batch(uow.conn, batch_id)
        uow.lock(batch.office_code)
        authorize(uow, actor, "digitize.review", batch.office_code, target=batch_id)
        require_status(batch, ("sampled",), "reviewed")
        _refuse_keyers(uow.conn, actor, batch)
        unknown = [f for f in errors if f not in FIELDS[batch.kind]]
        if unknown:
            raise InvalidInput(
                [
                    Violation(
                        f"errors.{f}", "keying.unknown_field", {"kind": batch.kind}
                    )
                    for f in unknown
                ]
            )
        where = (
            (samples.c.batch_id == batch_id)
            & (samples.c.round == batch.round)
            & (samples.c.page == page)
            & (samples.c.line == line)
        )
        if uow.conn.execute(select(samples.c.page).where(where)).first() is None:
            raise NotFound(
                "digitize.not_sampled", {"batch": batch_id, "page": page, "line": line}
            )
        uow.conn.execute(
            update(samples)
            .where(where)
            .values(
                errors=sorted(set(errors)),
                reviewed_by=actor.username,
                reviewed_at=uow.now,
            )
        )
        uow.audit(
            actor,
            "digitize.review",
            office=batch.office_code,
            target=f"{batch_id}:{page}:{line}",
            detail={"errors": sorted(set(errors))},
        )
        verdict = _verdict_if_complete(uow, actor, batch)
    return {"verdict": verdict}


def _verdict_if_complete(uow: UnitOfWork, actor: Actor, batch: Any) -> str | None:
    conn = uow.conn
    rows = conn.execute(
        select(samples.c.errors).where(
            samples.c.batch_id == batch.batch_id, samples.c.round == batch.round
        )
    ).all()
    if any(r.errors is None for r in rows):
        return None
    nonconforming = sum(1 for r in rows if r.errors)
    row = conn.execute(
        select(verdicts).where(
            verdicts.c.batch_id == batch.batch_id, verdicts.c.round == batch.round
        )
    ).one()
    used = Plan(
        row.severity, row.letter, row.letter, row.sample_size, row.accept, row.aql
    )
    accepted = nonconforming <= row.accept
    verdict = "accepted" if accepted else "rejected"
    conn.execute(
        update(verdicts)
        .where(verdicts.c.batch_id == batch.batch_id, verdicts.c.round == batch.round)
        .values(
            nonconforming=nonconforming,
            verdict=verdict,
            reviewer=actor.username,
            decided_at=uow.now,
        )
    )
    state = inspection_state(conn, batch.office_code, batch.team)
    _save_state(
        conn,
        batch.office_code,
        batch.team,
        after_lot(state, used, nonconforming),
        uow.now,
    )
    if accepted:
        conn.execute(
            update(batches)
            .where(batches.c.batch_id == batch.batch_id)
            .values(status="accepted")
        )
    else:
        _back_to_keying(conn, batch)
    uow.audit(
        actor,
        "digitize.verdict",
        office=batch.office_code,
        target=batch.batch_id,
        personal=False,
        detail={"verdict": verdict, "nonconforming": nonconforming},
    )
    return verdict


def _back_to_keying(conn: Connection, batch: Any) -> None:
    """A rejected batch is keyed again: a new round starts from empty keyings."""
    for table in (disagreements, batch_acts, keyings):
        conn.execute(delete(table).where(table.c.batch_id == batch.batch_id))
    conn.execute(
        update(batches)
        .where(batches.c.batch_id == batch.batch_id)
        .values(status="keying", round=batch.round + 1, acts=0, keyers=None)
    )


def reviewer_of(conn: Connection, batch: Any) -> str:
    row = conn.execute(
        select(verdicts.c.reviewer).where(
            verdicts.c.batch_id == batch.batch_id, verdicts.c.round == batch.round
        )
    ).first()
    return str(row.reviewer) if row is not None and row.reviewer else ""


def sample_size_left(conn: Connection, batch: Any) -> int:
    return int(
        conn.execute(
            select(func.count()).where(
                samples.c.batch_id == batch.batch_id,
                samples.c.round == batch.round,
                samples.c.errors.is_(None),
            )
        ).scalar_one()
    )
