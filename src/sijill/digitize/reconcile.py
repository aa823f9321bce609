"""Double keying: reconcile the two keyings of each act, validate, and adjudicate.

Reconciliation runs in chunks of acts, each in its own transaction, in the order of
page and line; a run that stops (or is killed) resumes after the last act it wrote,
so running it again gives the same acts, queue and failures.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    Connection,
    Text,
    and_,
    case,
    cast,
    delete,
    func,
    or_,
    select,
    tuple_,
    update,
)

from sijill.digitize.batches import Progress, load_batch, require_status, scan_of
from sijill.digitize.tables import batch_acts, batches, disagreements, keyings
from sijill.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Violation
from sijill.domain.keying import FIELDS, normalize, reconcile
from sijill.domain.legacy import legacy_act
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import geography
from sijill.store import tables as t
from sijill.store.bulk import fewer_collections, insert_rows, insert_tuples
from sijill.store.uow import UnitOfWork

CHUNK = 10_000
_ACT_COLUMNS = (
    "batch_id",
    "page",
    "line",
    "fields",
    "keyers",
    "open",
    "failures",
    "number",
    "adjudicator",
    "data",
)


def _known_commune(code: str) -> bool:
    return geography.lookup(code) is not None


def validate(
    batch: Any, fields: dict[str, str]
) -> tuple[int | None, list[dict[str, Any]], dict[str, Any] | None]:
    """The register number of an act, the rules its reconciled fields break, and the
    act data it will be loaded with when it breaks none."""
    data, number, found = legacy_act(
        batch.kind, fields, year=batch.year, known_commune=_known_commune
    )
    failures = [{"field": v.field, "rule": v.rule, "params": v.params} for v in found]
    return number, failures, None if failures else data


@dataclass
class ReconcileResult:
    """What reconciliation found in a batch."""

    batch_id: str
    acts: int = 0
    agreed: int = 0
    disagreements: int = 0
    failing: int = 0


def _pairs(
    conn: Connection, batch_id: str, after: tuple[int, int], limit: int
) -> list[tuple[int, int, list[Any]]]:
    k = keyings.c
    rows = conn.execute(
        select(k.page, k.line, k.keyer, k.fields)
        .where(k.batch_id == batch_id, tuple_(k.page, k.line) > tuple_(*after))
        .order_by(k.page, k.line, k.keyer)
        .limit(2 * limit)
    ).all()
    grouped: dict[tuple[int, int], list[Any]] = {}
    for row in rows:
        grouped.setdefault((row.page, row.line), []).append(row)
    return [(p, ln, keyed) for (p, ln), keyed in grouped.items() if len(keyed) == 2]


def _resume_point(conn: Connection, batch_id: str) -> tuple[int, int]:
    last = conn.execute(
        select(batch_acts.c.page, batch_acts.c.line)
        .where(batch_acts.c.batch_id == batch_id)
        .order_by(batch_acts.c.page.desc(), batch_acts.c.line.desc())
        .limit(1)
    ).first()
    return (last.page, last.line) if last is not None else (0, 0)


def _once_keyed(conn: Connection, batch_id: str) -> int:
    counts = (
        select(keyings.c.page)
        .where(keyings.c.batch_id == batch_id)
        .group_by(keyings.c.page, keyings.c.line)
        .having(func.count() < 2)
        .subquery()
    )
    return int(conn.execute(select(func.count()).select_from(counts)).scalar_one())


@fewer_collections()
def reconcile_batch(
    reg: Registry,
    *,
    actor: Actor,
    batch_id: str,
    progress: Progress | None = None,
    chunk: int = CHUNK,
) -> ReconcileResult:
    """Reconcile every act of a batch keyed twice; agreeing acts are validated at once."""
    uow, _ = reg.unit_of_work()
    with uow:
        conn = uow.conn
        batch = load_batch(conn, batch_id)
        authorize(uow, actor, "digitize.reconcile", batch.office_code, target=batch_id)
        total = int(
            conn.execute(
                select(func.count()).where(keyings.c.batch_id == batch_id)
            ).scalar_one()
            // 2
        )
        once = _once_keyed(conn, batch_id) if batch.status == "keying" else 0
    if once:
        raise Conflict("digitize.single_keying", {"count": once, "batch": batch_id})
    done = None
    while True:
        uow, _ = reg.unit_of_work()
        with uow:
            uow.lock(batch.office_code)
            authorize(
                uow, actor, "digitize.reconcile", batch.office_code, target=batch_id
            )
            batch = load_batch(uow.conn, batch_id)
            if batch.status != "keying":
                break
            if done is None:  # a run that resumes counts what was done before it
                done = _reconciled_count(uow.conn, batch_id)
            after = _resume_point(uow.conn, batch_id)
            pairs = _pairs(uow.conn, batch_id, after, chunk)
            if pairs:
                _reconcile_chunk(uow.conn, batch, pairs)
            else:
                _finish(uow, actor, batch)
        done += len(pairs)
        if progress is not None and pairs:
            progress("reconcile", done, total)
    return reconciliation_summary(reg, batch_id)


def _reconciled_count(conn: Connection, batch_id: str) -> int:
    return int(
        conn.execute(
            select(func.count()).where(batch_acts.c.batch_id == batch_id)
        ).scalar_one()
    )


def _reconcile_chunk(
    conn: Connection, batch: Any, pairs: list[tuple[int, int, list[Any]]]
) -> None:
    acts: list[tuple[Any, ...]] = []
    queue: list[dict[str, Any]] = []
    for page, line, (first, second) in pairs:
        result = reconcile(batch.kind, first.fields, second.fields)
        number, failures, data = (
            validate(batch, result.accepted)
            if not result.disagreements
            else (None, [], None)
        )
        acts.append(
            (
                batch.batch_id,
                page,
                line,
                result.accepted,
                [first.keyer, second.keyer],
                len(result.disagreements),
                failures,
                number,
                None,
                data,
            )
        )
        if not result.disagreements:
            continue
        queue += [
            {
                "batch_id": batch.batch_id,
                "page": page,
                "line": line,
                "field": d.field,
                "first_keyer": first.keyer,
                "first_value": d.first,
                "second_keyer": second.keyer,
                "second_value": d.second,
                "decided_value": None,
                "decided_by": None,
                "decided_at": None,
            }
            for d in result.disagreements
        ]
    insert_tuples(conn, batch_acts, _ACT_COLUMNS, acts)
    insert_rows(conn, disagreements, queue)


def _finish(uow: UnitOfWork, actor: Actor, batch: Any) -> None:
    """Every act is reconciled: the batch waits for adjudication and sampling."""
    count = _reconciled_count(uow.conn, batch.batch_id)
    keyers = uow.conn.execute(
        select(keyings.c.keyer).distinct().where(keyings.c.batch_id == batch.batch_id)
    ).scalars()
    uow.conn.execute(
        update(batches)
        .where(batches.c.batch_id == batch.batch_id)
        .values(status="reconciled", acts=count, keyers=sorted(keyers))
    )
    uow.audit(
        actor,
        "digitize.reconcile",
        office=batch.office_code,
        target=batch.batch_id,
        personal=False,
        detail={"acts": count},
    )


def reconciliation_summary(reg: Registry, batch_id: str) -> ReconcileResult:
    with reg.engine.connect() as conn:
        acts = batch_acts.c
        row = conn.execute(
            select(
                func.count(),
                func.sum(case((acts.open == 0, 1), else_=0)),
            ).where(acts.batch_id == batch_id)
        ).one()
        queued = conn.execute(
            select(func.count()).where(disagreements.c.batch_id == batch_id)
        ).scalar_one()
        failing = _failing(conn, batch_id)
    return ReconcileResult(
        batch_id, int(row[0]), int(row[1] or 0), int(queued), failing
    )


def _fails(batch_id: str) -> Any:
    """The acts of a batch with no open field that break a rule."""
    a = batch_acts.c
    return and_(a.batch_id == batch_id, a.open == 0, cast(a.failures, Text) != "[]")


def _failing(conn: Connection, batch_id: str) -> int:
    return int(conn.execute(select(func.count()).where(_fails(batch_id))).scalar_one())


# --- adjudication --------------------------------------------------------------------


def _refuse_keyers(conn: Connection, actor: Actor, batch: Any) -> None:
    """A keyer of a batch never decides on it (nor reviews it)."""
    if batch.keyers is not None:  # noted when the batch was reconciled
        if actor.username in batch.keyers:
            raise Forbidden(
                "digitize.own_batch",
                {"username": actor.username, "batch": batch.batch_id},
            )
        return
    keyed = conn.execute(
        select(keyings.c.keyer)
        .where(keyings.c.batch_id == batch.batch_id, keyings.c.keyer == actor.username)
        .limit(1)
    ).first()
    keyed = (
        keyed
        or conn.execute(
            select(disagreements.c.first_keyer)
            .where(
                disagreements.c.batch_id == batch.batch_id,
                or_(
                    disagreements.c.first_keyer == actor.username,
                    disagreements.c.second_keyer == actor.username,
                ),
            )
            .limit(1)
        ).first()
    )
    if keyed is not None:
        raise Forbidden(
            "digitize.own_batch", {"username": actor.username, "batch": batch.batch_id}
        )


def adjudication_queue(
    reg: Registry, *, actor: Actor, batch_id: str, limit: int = 50
) -> dict[str, list[dict[str, Any]]]:
    """The open disagreements (both values, the scan) and the acts failing the rules."""
    uow, _ = reg.unit_of_work()
    with uow:
        batch = load_batch(uow.conn, batch_id)
        authorize(uow, actor, "digitize.adjudicate", batch.office_code, target=batch_id)
        d = disagreements.c
        rows = uow.conn.execute(
            select(disagreements)
            .where(d.batch_id == batch_id, d.decided_by.is_(None))
            .order_by(d.page, d.line, d.field)
            .limit(limit)
        ).all()
        failing = uow.conn.execute(
            select(batch_acts.c.page, batch_acts.c.line, batch_acts.c.failures)
            .where(_fails(batch_id))
            .order_by(batch_acts.c.page, batch_acts.c.line)
            .limit(limit)
        ).all()
        uow.audit(actor, "digitize.queue", office=batch.office_code, target=batch_id)
    return {
        "disagreements": [
            {**r._asdict(), "scan": scan_of(batch, r.page)} for r in rows
        ],
        "failing": [
            {
                "page": f.page,
                "line": f.line,
                "scan": scan_of(batch, f.page),
                "failures": f.failures,
            }
            for f in failing
            if f.failures
        ][:limit],
    }


def adjudicate(
    reg: Registry,
    *,
    actor: Actor,
    batch_id: str,
    page: int,
    line: int,
    field: str,
    value: str | None = None,
    take: str | None = None,
) -> dict[str, Any]:
    """Decide a field of an act: one keyer's value (``take`` first|second) or ``value``.

    A field both keyers agreed on may be corrected too, when the act fails a rule: the
    adjudicator reads the scan. The decision is recorded with who and when; once an
    act has no open field, it is validated.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        batch = load_batch(uow.conn, batch_id)
        uow.lock(batch.office_code)
        authorize(uow, actor, "digitize.adjudicate", batch.office_code, target=batch_id)
        require_status(batch, ("reconciled",), "adjudicated")
        _refuse_keyers(uow.conn, actor, batch)
        if field not in FIELDS[batch.kind]:
            raise InvalidInput(
                [Violation("field", "keying.unknown_field", {"kind": batch.kind})]
            )
        act = uow.conn.execute(
            select(batch_acts).where(
                batch_acts.c.batch_id == batch_id,
                batch_acts.c.page == page,
                batch_acts.c.line == line,
            )
        ).first()
        where = {"batch": batch_id, "page": page, "line": line, "field": field}
        if act is None:
            raise NotFound("digitize.unknown_item", where)
        decided = _decide(uow, actor, batch, act, field, value, take, where)
        fields = {**act.fields}
        if decided:
            fields[field] = decided
        else:
            fields.pop(field, None)
        is_open = _open_count(uow.conn, batch_id, page, line)
        number, failures, data = (
            validate(batch, fields) if is_open == 0 else (None, [], None)
        )
        uow.conn.execute(
            update(batch_acts)
            .where(
                batch_acts.c.batch_id == batch_id,
                batch_acts.c.page == page,
                batch_acts.c.line == line,
            )
            .values(
                fields=fields,
                open=is_open,
                failures=failures,
                number=number,
                adjudicator=actor.username,
                data=data,
            )
        )
        uow.audit(
            actor,
            "digitize.adjudicate",
            office=batch.office_code,
            target=f"{batch_id}:{page}:{line}",
            detail={"field": field},
        )
    return {"open": is_open, "failures": failures}


def _decide(
    uow: UnitOfWork,
    actor: Actor,
    batch: Any,
    act: Any,
    field: str,
    value: str | None,
    take: str | None,
    where: dict[str, Any],
) -> str:
    d = disagreements.c
    key = (
        (d.batch_id == batch.batch_id)
        & (d.page == act.page)
        & (d.line == act.line)
        & (d.field == field)
    )
    row = uow.conn.execute(select(disagreements).where(key)).first()
    if row is not None and row.decided_by is None:
        if take in ("first", "second"):
            value = row.first_value if take == "first" else row.second_value
        if value is None:
            raise InvalidInput([Violation("value", "required")])
        decided = normalize(value)
        uow.conn.execute(
            update(disagreements)
            .where(key)
            .values(
                decided_value=decided, decided_by=actor.username, decided_at=uow.now
            )
        )
        return decided
    if act.open or not act.failures or value is None:
        raise NotFound("digitize.unknown_item", where)
    # A correction of a field the keyers agreed on, read on the scan.
    decided = normalize(value)
    agreed = act.fields.get(field, "")
    if row is not None:
        uow.conn.execute(delete(disagreements).where(key))
    uow.conn.execute(
        disagreements.insert().values(
            batch_id=batch.batch_id,
            page=act.page,
            line=act.line,
            field=field,
            first_keyer=act.keyers[0],
            first_value=agreed,
            second_keyer=act.keyers[1],
            second_value=agreed,
            decided_value=decided,
            decided_by=actor.username,
            decided_at=uow.now,
        )
    )
    return decided


def _open_count(conn: Connection, batch_id: str, page: int, line: int) -> int:
    d = disagreements.c
    return int(
        conn.execute(
            select(func.count()).where(
                d.batch_id == batch_id,
                d.page == page,
                d.line == line,
                d.decided_by.is_(None),
            )
        ).scalar_one()
    )


def open_items(conn: Connection, batch_id: str) -> tuple[int, int]:
    """(open disagreements, acts failing the rules) of a batch."""
    d = disagreements.c
    waiting = conn.execute(
        select(func.count()).where(d.batch_id == batch_id, d.decided_by.is_(None))
    ).scalar_one()
    return int(waiting), _failing(conn, batch_id)


def mark_number_conflicts(conn: Connection, batch: Any) -> int:
    """Add the number rules to the acts whose number is twice in the batch or taken."""
    a = batch_acts.c
    twice = set(
        conn.execute(
            select(a.number)
            .where(a.batch_id == batch.batch_id, a.number.is_not(None))
            .group_by(a.number)
            .having(func.count() > 1)
        ).scalars()
    )
    taken = set(
        conn.execute(
            select(t.acts.c.number)
            .join(
                batch_acts,
                and_(a.number == t.acts.c.number, a.batch_id == batch.batch_id),
            )
            .where(
                t.acts.c.office_code == batch.office_code,
                t.acts.c.year == batch.year,
                t.acts.c.kind == batch.kind,
            )
        ).scalars()
    )
    marked = 0
    for row in _acts_numbered(conn, batch.batch_id, twice | taken):
        rule = "legacy.number_taken" if row.number in taken else "legacy.number_twice"
        failure = {"field": "number", "rule": rule, "params": {"number": row.number}}
        if failure in row.failures:
            continue
        conn.execute(
            update(batch_acts)
            .where(a.batch_id == batch.batch_id, a.page == row.page, a.line == row.line)
            .values(failures=[*row.failures, failure])
        )
        marked += 1
    return marked


def _acts_numbered(conn: Connection, batch_id: str, numbers: set[int]) -> Iterator[Any]:
    if not numbers:
        return iter(())
    return iter(
        conn.execute(
            select(batch_acts).where(
                batch_acts.c.batch_id == batch_id, batch_acts.c.number.in_(numbers)
            )
        ).all()
    )
