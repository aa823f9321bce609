"""The centre's national tables, brought up to date behind the journals it has received.

Receiving an office's batch only verifies and stores its entries, so an office that
was offline for a month is back in sync in seconds. Applying those entries to the
national tables (acts, mentions, name index) and routing the notices they call for
happens here, in order, a chunk per transaction, with the office's cursor moved in
the same transaction: a crash at any point neither loses nor repeats an entry.

An entry the tables cannot take (it contradicts what the office wrote before) stays
stored, as signed; its office's projection stops there with an alarm until someone
looks, and every later entry of that office waits behind it.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, select, update
from sqlalchemy.exc import DBAPIError, IntegrityError

from sijill.domain import events as ev
from sijill.services.context import Registry
from sijill.store import projection
from sijill.store import tables as t
from sijill.store.engine import upsert
from sijill.store.journal import decode, entries
from sijill.store.uow import UnitOfWork
from sijill.sync.protocol import CENTRE

log = logging.getLogger(__name__)

CHUNK = 250  # entries applied per transaction: short enough to let receptions in
# ... and at most this much payload: an entry of digitized acts holds 500 acts, so 250
# of them would make a transaction of 125,000 acts; this keeps one near 15,000.
CHUNK_BYTES = 8 * 2**20


@dataclass
class ProjectionReport:
    """What one call applied: entries per office, notices routed, offices stalled."""

    applied: dict[str, int] = field(default_factory=dict)
    notices: int = 0
    stalled: dict[str, str] = field(default_factory=dict)

    @property
    def entries(self) -> int:
        return sum(self.applied.values())


def open_cursor(conn: Connection, office: str) -> None:
    """Start following ``office``'s replicated journal (at entry 0) if not yet done."""
    values = {"office_code": office, "applied_seq": 0}
    conn.execute(
        upsert(conn, t.projection_cursors).values(**values).on_conflict_do_nothing()
    )


def backlog(conn: Connection) -> dict[str, int]:
    """Entries held but not yet applied, per office that has any."""
    rows = conn.execute(
        select(
            t.projection_cursors.c.office_code,
            t.journal_heads.c.last_seq - t.projection_cursors.c.applied_seq,
        )
        .join(
            t.journal_heads,
            t.journal_heads.c.office_code == t.projection_cursors.c.office_code,
        )
        .where(t.journal_heads.c.last_seq > t.projection_cursors.c.applied_seq)
    ).all()
    return {office: int(behind) for office, behind in rows}


def project(
    reg: Registry, *, office: str | None = None, limit: int | None = None
) -> ProjectionReport:
    """Apply what has been received and not yet applied, for ``office`` or for all.

    ``limit`` bounds the entries applied per office in this call (``None``: until none
    are left). Safe to call from several threads or processes at once: each office's
    cursor row is locked while its chunk is applied.
    """
    report = ProjectionReport()
    with reg.engine.connect() as conn:
        waiting = sorted(backlog(conn)) if office is None else [office]
    for code in waiting:
        done = 0
        while limit is None or done < limit:
            size = CHUNK if limit is None else min(CHUNK, limit - done)
            applied, full = _chunk(reg, code, size, report)
            done += applied
            if not full:
                break
    return report


def _chunk(
    reg: Registry, office: str, size: int, report: ProjectionReport
) -> tuple[int, bool]:
    """Apply up to ``size`` entries of ``office`` in one transaction.

    Returns how many, and whether the chunk was full (by count or weight): more may wait.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        cursor = _lock_cursor(uow.conn, office)
        if cursor is None or cursor.stalled_seq is not None:
            return 0, False
        start = applied_seq = int(cursor.applied_seq)
        pending, full = _pending(uow.conn, office, applied_seq, size)
        if not pending:
            return 0, False
        whole = uow.conn.begin_nested()
        try:
            projection.apply_many(uow.conn, office, (event for _, event in pending))
            applied_seq = pending[-1][0]
        except (IntegrityError, DBAPIError, KeyError, TypeError, ValueError):
            # Rare: find the entry that does not fit, one savepoint at a time.
            whole.rollback()
            applied_seq = _one_by_one(uow, reg, office, start, pending)
        else:
            whole.commit()
        count = applied_seq - start
        for entry_seq, event in pending[:count]:
            report.notices += _route(uow, reg, office, entry_seq, event)
        uow.conn.execute(
            update(t.projection_cursors)
            .where(t.projection_cursors.c.office_code == office)
            .values(applied_seq=applied_seq)
        )
        if count:
            report.applied[office] = report.applied.get(office, 0) + count
        if count < len(pending):
            stalled = _stalled(uow.conn, office)
            report.stalled[office] = stalled or ""
            return count, False
    return count, full


def _lock_cursor(conn: Connection, office: str) -> Any:
    query = select(t.projection_cursors).where(
        t.projection_cursors.c.office_code == office
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    return conn.execute(query).first()


def _pending(
    conn: Connection, office: str, after: int, size: int
) -> tuple[list[tuple[int, ev.Event]], bool]:
    """The next entries to apply, up to ``size`` of them or CHUNK_BYTES of payload."""
    out: list[tuple[int, ev.Event]] = []
    weight = 0
    for entry in entries(conn, office, after):
        out.append((entry.seq, decode(entry)))
        weight += len(entry.payload)
        if len(out) >= size or weight >= CHUNK_BYTES:
            return out, True
    return out, False


def _one_by_one(
    uow: UnitOfWork,
    reg: Registry,
    office: str,
    applied_seq: int,
    pending: list[tuple[int, ev.Event]],
) -> int:
    """Apply entries one savepoint each up to the first that fails; stall the office there."""
    from sijill.sync.centre import alarm

    conn = uow.conn
    for entry_seq, event in pending:
        savepoint = conn.begin_nested()
        try:
            projection.apply(conn, office, event)
        except (IntegrityError, DBAPIError, KeyError, TypeError, ValueError) as error:
            savepoint.rollback()
            reason = (
                f"inconsistent with the office's registry: {type(error).__name__}: "
                f"{str(getattr(error, 'orig', error)).splitlines()[0][:160]}"
            )
            conn.execute(
                update(t.projection_cursors)
                .where(t.projection_cursors.c.office_code == office)
                .values(stalled_seq=entry_seq, stalled_reason=reason)
            )
            alarm(
                conn,
                uow.now,
                office,
                entry_seq,
                "entry.unapplied",
                reason,
                reg.new_id(),
            )
            return applied_seq
        savepoint.commit()
        applied_seq = entry_seq
    return applied_seq


def _stalled(conn: Connection, office: str) -> str | None:
    return conn.execute(
        select(t.projection_cursors.c.stalled_reason).where(
            t.projection_cursors.c.office_code == office
        )
    ).scalar_one_or_none()


def _route(
    uow: UnitOfWork, reg: Registry, office: str, seq: int, event: ev.Event
) -> int:
    from sijill.sync.centre import route

    if not isinstance(event, ev.ActSigned | ev.EventRecorded):
        return 0
    uow.lock(CENTRE)
    return route(uow, reg, office, seq, event)


class Worker:
    """Applies received entries in the background of a central server.

    Receiving comes first: while a batch is being received, and until ``quiet``
    seconds after the last one, the worker waits; then it applies a small chunk per
    office and looks again. An office catching up on a month is acknowledged at full
    speed and applied just behind. The worker also looks every ``every`` seconds, so
    what a crash left unapplied is picked up without anyone asking.
    """

    def __init__(
        self,
        reg: Registry,
        *,
        every: float = 2.0,
        quiet: float = 0.2,
        chunk: int = 100,
    ) -> None:
        self.reg = reg
        self.every = every
        self.quiet = quiet
        self.chunk = chunk
        self._receiving = 0
        self._received = 0.0
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, name="sijill-projector", daemon=True
        )

    def start(self) -> None:
        self._thread.start()

    @contextmanager
    def receiving(self) -> Iterator[None]:
        """Around the reception of a batch: the worker stays out of its way."""
        with self._lock:
            self._receiving += 1
        try:
            yield
        finally:
            with self._lock:
                self._receiving -= 1
                self._received = time.monotonic()
            self._wake.set()

    def stop(self) -> None:
        self._stop.set()
        self._wake.set()
        self._thread.join(timeout=30)

    def _busy_for(self) -> float:
        """How long to wait before applying: receptions under way or just ended."""
        with self._lock:
            if self._receiving:
                return self.quiet
            return self._received + self.quiet - time.monotonic()

    def _run(self) -> None:
        while not self._stop.is_set():
            self._wake.wait(self.every)
            self._wake.clear()
            try:
                while not self._stop.is_set():
                    while (wait := self._busy_for()) > 0 and not self._stop.is_set():
                        self._stop.wait(wait)
                    if not project(self.reg, limit=self.chunk).entries:
                        break
            except Exception:  # a database restart, a lost connection: try again later
                log.exception("projection failed; retrying in %s s", self.every)
                self._stop.wait(self.every)
