"""Loading an accepted batch: its acts enter the office's registers, journaled and signed.

The acts go in chunks; each chunk is one journal entry (``LegacyActsLoaded``) signed by
the office key, written with its projection and the batch's progress in the same
transaction, several chunks to a transaction. A load that stops anywhere resumes after
the last transaction it committed; the act identifiers derive from the act references,
so every run gives the same acts. The acts were validated when they were reconciled
(or decided): the load takes the act data built then and does not check it again.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import Connection, select, tuple_, update

from sijill.digitize.batches import Progress, load_batch, require_status
from sijill.digitize.quality import reviewer_of
from sijill.digitize.reconcile import _known_commune
from sijill.digitize.tables import batch_acts, batches, legacy_acts
from sijill.domain import events as ev
from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.identifiers import ActRef
from sijill.domain.legacy import legacy_act
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store.bulk import fewer_collections

# Acts per journal entry: one signature for many acts, an entry of a few hundred
# kilobytes, well under what the centre takes in one request (sync.protocol.MAX_BODY).
CHUNK = 500
# Entries per transaction: a commit per 10,000 acts keeps the transaction short and
# its cost (the durable flush) small against the work.
ENTRIES_PER_COMMIT = 20
_ACTS = uuid.UUID("8f0f6a52-5b0e-4c1e-9a57-61c2d7a0d1a1")


def act_id_of(ref: str) -> str:
    """The machine identity of a legacy act: the same reference, the same identifier."""
    return str(uuid.uuid5(_ACTS, ref))


def _last_loaded(conn: Connection, batch_id: str) -> tuple[int, int]:
    row = conn.execute(
        select(legacy_acts.c.page, legacy_acts.c.line)
        .where(legacy_acts.c.batch_id == batch_id)
        .order_by(legacy_acts.c.page.desc(), legacy_acts.c.line.desc())
        .limit(1)
    ).first()
    return (row.page, row.line) if row is not None else (0, 0)


def _next_acts(conn: Connection, batch_id: str, size: int) -> list[Any]:
    a = batch_acts.c
    return list(
        conn.execute(
            select(a.page, a.line, a.keyers, a.adjudicator, a.number, a.data)
            .where(
                a.batch_id == batch_id,
                tuple_(a.page, a.line) > tuple_(*_last_loaded(conn, batch_id)),
            )
            .order_by(a.page, a.line)
            .limit(size)
        ).all()
    )


def _checked(conn: Connection, batch: Any, row: Any) -> tuple[dict[str, Any], int]:
    """The act data and number, as validated before; checked again only if missing
    (its keyed fields are then read: the other acts need not be)."""
    if row.data is not None and row.number is not None:
        return row.data, row.number
    a = batch_acts.c
    fields = conn.execute(
        select(a.fields).where(
            a.batch_id == batch.batch_id, a.page == row.page, a.line == row.line
        )
    ).scalar_one()
    data, number, broken = legacy_act(
        batch.kind, fields, year=batch.year, known_commune=_known_commune
    )
    if broken or number is None:
        where = f"{batch.batch_id}:{row.page}:{row.line}"
        raise InvalidInput(
            [Violation(f"{where}.{v.field}", v.rule, v.params) for v in broken]
        )
    return data, number


def _legacy_entry(conn: Connection, batch: Any, row: Any) -> dict[str, Any]:
    data, number = _checked(conn, batch, row)
    ref = str(ActRef(batch.office_code, batch.year, batch.kind, number))
    entry = {
        "act_id": act_id_of(ref),
        "ref": ref,
        "number": number,
        "page": row.page,
        "line": row.line,
        "keyers": list(row.keyers),
        "data": data,
    }
    if row.adjudicator:
        entry["adjudicator"] = row.adjudicator
    return entry


@fewer_collections()
def load_accepted_batch(
    reg: Registry,
    *,
    actor: Actor,
    batch_id: str,
    progress: Progress | None = None,
    chunk: int = CHUNK,
    entries_per_commit: int = ENTRIES_PER_COMMIT,
) -> int:
    """Load an accepted batch into the office's registers; returns the acts it holds."""
    while True:
        uow, _ = reg.unit_of_work()
        with uow:
            batch = load_batch(uow.conn, batch_id)
            uow.lock(batch.office_code)
            authorize(uow, actor, "digitize.load", batch.office_code, target=batch_id)
            batch = load_batch(uow.conn, batch_id)
            if batch.status == "loaded":
                return int(batch.acts)
            require_status(batch, ("accepted", "loading"), "loaded")
            rows = _next_acts(uow.conn, batch_id, chunk * entries_per_commit)
            reviewer = reviewer_of(uow.conn, batch) if rows else ""
            parts = [rows[i : i + chunk] for i in range(0, len(rows), chunk)]
            for number, part in enumerate(parts, start=batch.loaded_chunks + 1):
                uow.record(
                    batch.office_code,
                    ev.LegacyActsLoaded(
                        batch_id=batch_id,
                        chunk=number,
                        kind=batch.kind,
                        year=batch.year,
                        acts=[_legacy_entry(uow.conn, batch, r) for r in part],
                        reviewer=reviewer,
                        at=uow.now,
                        by=actor.username,
                    ),
                )
            done = len(rows) < chunk * entries_per_commit
            uow.conn.execute(
                update(batches)
                .where(batches.c.batch_id == batch_id)
                .values(
                    loaded_chunks=batch.loaded_chunks + len(parts),
                    status="loaded" if done else "loading",
                )
            )
            uow.audit(
                actor,
                "digitize.load",
                office=batch.office_code,
                target=batch_id,
                detail={
                    "chunks": [
                        batch.loaded_chunks + 1,
                        batch.loaded_chunks + len(parts),
                    ],
                    "acts": len(rows),
                },
            )
        if progress is not None:
            progress("load", batch.loaded_chunks * chunk + len(rows), batch.acts)
