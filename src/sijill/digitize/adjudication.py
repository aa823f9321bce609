"""Deciding a whole adjudication queue at once, as a set.

An adjudicator who worked through the queue against the scans (offline, or in a tool
that shows many acts at a time) hands in all the decisions together: they are taken
in one transaction, with set-based reads and writes, all or none, and give the same
acts as deciding each field with ``reconcile.adjudicate``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, bindparam, select, update

from sijill.digitize.batches import load_batch, require_status
from sijill.digitize.reconcile import _refuse_keyers, validate
from sijill.digitize.tables import batch_acts, disagreements
from sijill.domain.errors import InvalidInput, NotFound, Violation
from sijill.domain.keying import FIELDS, normalize
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry

Position = tuple[int, int]


@dataclass(frozen=True)
class Decision:
    """The value an adjudicator read on the scan for an open field of an act."""

    page: int
    line: int
    field: str
    value: str


def adjudicate_many(
    reg: Registry, *, actor: Actor, batch_id: str, decisions: Iterable[Decision]
) -> int:
    """Decide many open disagreements of a batch at once; returns how many were decided.

    Each decision is recorded with who and when, like one made field by field; an act
    left with no open field is validated. One decision that names no open field of the
    batch refuses them all.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        conn = uow.conn
        batch = load_batch(conn, batch_id)
        uow.lock(batch.office_code)
        authorize(uow, actor, "digitize.adjudicate", batch.office_code, target=batch_id)
        require_status(batch, ("reconciled",), "adjudicated")
        _refuse_keyers(conn, actor, batch)
        wanted = _by_act(batch, decisions)
        still_open = _open_fields(conn, batch_id)
        for (page, line), fields in wanted.items():
            for field in fields.keys() - still_open.get((page, line), set()):
                where = {"batch": batch_id, "page": page, "line": line, "field": field}
                raise NotFound("digitize.unknown_item", where)
        count = _record(conn, batch_id, wanted, actor.username, uow.now)
        acts = _revalidated(conn, batch, wanted, still_open, actor.username)
        uow.audit(
            actor,
            "digitize.adjudicate",
            office=batch.office_code,
            target=batch_id,
            detail={"decisions": count, "acts": acts},
        )
    return count


def _by_act(
    batch: Any, decisions: Iterable[Decision]
) -> dict[Position, dict[str, str]]:
    wanted: dict[Position, dict[str, str]] = {}
    for d in decisions:
        if d.field not in FIELDS[batch.kind]:
            raise InvalidInput(
                [Violation("field", "keying.unknown_field", {"kind": batch.kind})]
            )
        wanted.setdefault((d.page, d.line), {})[d.field] = normalize(d.value)
    return wanted


def _open_fields(conn: Connection, batch_id: str) -> dict[Position, set[str]]:
    d = disagreements.c
    found: dict[Position, set[str]] = {}
    for page, line, field in conn.execute(
        select(d.page, d.line, d.field).where(
            d.batch_id == batch_id, d.decided_by.is_(None)
        )
    ):
        found.setdefault((page, line), set()).add(field)
    return found


def _record(
    conn: Connection,
    batch_id: str,
    wanted: dict[Position, dict[str, str]],
    by: str,
    at: str,
) -> int:
    d = disagreements.c
    rows = [
        {"p_page": page, "p_line": line, "p_field": field, "p_value": value}
        for (page, line), fields in wanted.items()
        for field, value in fields.items()
    ]
    if rows:
        conn.execute(
            update(disagreements)
            .where(
                d.batch_id == batch_id,
                d.page == bindparam("p_page"),
                d.line == bindparam("p_line"),
                d.field == bindparam("p_field"),
            )
            .values(decided_value=bindparam("p_value"), decided_by=by, decided_at=at),
            rows,
        )
    return len(rows)


def _revalidated(
    conn: Connection,
    batch: Any,
    wanted: dict[Position, dict[str, str]],
    still_open: dict[Position, set[str]],
    by: str,
) -> int:
    """Write the decided fields into their acts; validate those with none left open."""
    a = batch_acts.c
    rows: list[dict[str, Any]] = []
    for page, line, fields in conn.execute(
        select(a.page, a.line, a.fields).where(a.batch_id == batch.batch_id, a.open > 0)
    ):
        decided = wanted.get((page, line))
        if decided is None:
            continue
        fields = {**fields, **{f: v for f, v in decided.items() if v}}
        for field in [f for f, v in decided.items() if not v]:
            fields.pop(field, None)
        left = len(still_open[(page, line)]) - len(decided)
        number, failures, data = (
            validate(batch, fields) if left == 0 else (None, [], None)
        )
        rows.append(
            {
                "p_page": page,
                "p_line": line,
                "p_fields": fields,
                "p_open": left,
                "p_failures": failures,
                "p_number": number,
                "p_data": data,
            }
        )
    if rows:
        conn.execute(
            update(batch_acts)
            .where(
                a.batch_id == batch.batch_id,
                a.page == bindparam("p_page"),
                a.line == bindparam("p_line"),
            )
            .values(
                fields=bindparam("p_fields", type_=batch_acts.c.fields.type),
                open=bindparam("p_open"),
                failures=bindparam("p_failures", type_=batch_acts.c.failures.type),
                number=bindparam("p_number"),
                data=bindparam("p_data", type_=batch_acts.c.data.type),
                adjudicator=by,
            ),
            rows,
        )
    return len(rows)
