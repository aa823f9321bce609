"""Keying by hand: a batch opened without a file, and one act keyed at a time.

A keyer working on a form (the web keying screen, or ``sijill digitize key``) adds
the same rows a keyed file adds, checked by the same rules, into the same tables:
reconciliation cannot tell a row typed on a form from a row of a file.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, insert, select

from sijill.digitize.batches import (
    BatchSpec,
    _open_batch,
    _third_or_twice,
    load_batch,
    require_status,
)
from sijill.digitize.files import RowError, keyed_row
from sijill.digitize.tables import batches, disagreements, keyings
from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.keying import KEYER
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry


def open_batch(reg: Registry, *, actor: Actor, spec: BatchSpec) -> str:
    """Open a batch to be keyed on forms; opening it again with the same pages is a no-op."""
    uow, now = reg.unit_of_work()
    spec.check(now.year)
    with uow:
        uow.lock(spec.office)
        authorize(uow, actor, "digitize.import", spec.office, target=spec.batch_id)
        _open_batch(uow.conn, spec, actor, uow.now)
        uow.audit(
            actor,
            "digitize.open",
            office=spec.office,
            target=spec.batch_id,
            personal=False,
        )
    return spec.batch_id


def key_act(
    reg: Registry,
    *,
    actor: Actor,
    batch_id: str,
    page: int | str,
    line: int | str,
    fields: dict[str, Any],
) -> dict[str, Any]:
    """Record one act of a batch as the signed-in keyer typed it.

    The row is checked like a row of a keyed file (position within the batch's
    pages, known fields, plain text of bounded length); the keyer keys an act once
    and an act is keyed twice, never three times. Each problem names its field.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        batch = load_batch(uow.conn, batch_id)
        uow.lock(batch.office_code)
        authorize(uow, actor, "digitize.key", batch.office_code, target=batch_id)
        require_status(batch, ("keying",), "keyed")
        data = {**fields, "page": page, "line": line, KEYER: actor.username}
        row = keyed_row("", data, batch.kind, (batch.first_page, batch.last_page))
        if isinstance(row, RowError):
            raise InvalidInput(list(row.violations))
        k = keyings.c
        already = list(
            uow.conn.execute(
                select(k.keyer).where(
                    k.batch_id == batch_id, k.page == row.page, k.line == row.line
                )
            ).scalars()
        )
        problem = _third_or_twice(row, {(row.page, row.line): already})
        if problem is not None:
            raise InvalidInput([Violation("line", problem.rule, problem.params)])
        uow.conn.execute(
            insert(keyings).values(
                batch_id=batch_id,
                page=row.page,
                line=row.line,
                keyer=row.keyer,
                fields=row.fields,
                source=f"form:{actor.username}"[:240],
            )
        )
        mine = uow.conn.execute(
            select(func.count()).where(k.batch_id == batch_id, k.keyer == row.keyer)
        ).scalar_one()
        uow.audit(
            actor,
            "digitize.key",
            office=batch.office_code,
            target=f"{batch_id}:{row.page}:{row.line}",
        )
    return {"page": row.page, "line": row.line, "keyed_by_me": int(mine)}


def list_batches(
    reg: Registry, *, actor: Actor, office: str | None = None
) -> list[dict[str, Any]]:
    """The batches of an office: register, pages, status, rows keyed, fields still open."""
    office = office or actor.office
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "digitize.report", office)
        b = batches.c
        found = uow.conn.execute(
            select(batches).where(b.office_code == office).order_by(b.batch_id)
        ).all()
        keyed: dict[str, int] = dict(
            uow.conn.execute(
                select(keyings.c.batch_id, func.count())
                .where(keyings.c.batch_id.in_([r.batch_id for r in found]))
                .group_by(keyings.c.batch_id)
            ).all()
        )
        d = disagreements.c
        waiting: dict[str, int] = dict(
            uow.conn.execute(
                select(d.batch_id, func.count())
                .where(
                    d.batch_id.in_([r.batch_id for r in found]), d.decided_by.is_(None)
                )
                .group_by(d.batch_id)
            ).all()
        )
        uow.audit(actor, "digitize.batches", office=office, personal=False)
    return [
        {
            "batch": r.batch_id,
            "office": r.office_code,
            "kind": r.kind,
            "year": r.year,
            "pages": (r.first_page, r.last_page),
            "team": r.team,
            "status": r.status,
            "round": r.round,
            "acts": r.acts,
            "keyed_rows": int(keyed.get(r.batch_id, 0)),
            "open": int(waiting.get(r.batch_id, 0)),
            "keyers": r.keyers or [],
        }
        for r in found
    ]
