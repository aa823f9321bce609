"""The unit of work: one transaction holding the change, its journal entry and its audit."""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine

from sijill.domain.events import Event
from sijill.domain.offices import Actor
from sijill.store import projection
from sijill.store.audit import Pending, append_audit, queue_audit
from sijill.store.journal import Head, append, decode_payload, lock_office
from sijill.store.keys import KeyStore


class UnitOfWork:
    """A database transaction; commits once, on a clean exit, or rolls everything back."""

    def __init__(self, engine: Engine, keys: KeyStore, now: str) -> None:
        self.engine = engine
        self.keys = keys
        self.now = now
        self._heads: dict[str, Head] = {}
        self._conn: Connection | None = None
        self._transaction: Any = None
        self._after_rollback: list[Callable[[Connection], None]] = []
        self._audit: list[Pending] = []
        self._queued: list[Pending] = []

    def __enter__(self) -> UnitOfWork:
        self._conn = self.engine.connect()
        self._transaction = self._conn.begin()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._conn is not None
        try:
            if exc_type is None:
                try:
                    queue_audit(self._conn, self._queued)
                    # The audit head is the last lock taken, and held only to commit.
                    append_audit(self._conn, self.keys, self._audit)
                except BaseException:
                    self._transaction.rollback()
                    raise
                self._transaction.commit()
            else:
                self._transaction.rollback()
        finally:
            self._conn.close()
        if exc_type is not None and self._after_rollback:
            with self.engine.begin() as conn:
                for action in self._after_rollback:
                    action(conn)

    def after_rollback(self, action: Callable[[Connection], None]) -> None:
        """Run ``action`` in a transaction of its own if this one is rolled back."""
        self._after_rollback.append(action)

    @property
    def conn(self) -> Connection:
        assert self._conn is not None, "the unit of work is not open"
        return self._conn

    def lock(self, office: str) -> None:
        """Take ``office``'s write lock; call before reading what the change depends on."""
        if office not in self._heads:
            self._heads[office] = lock_office(self.conn, office)

    def head(self, office: str) -> Head:
        """The office's journal head as this transaction locked it."""
        self.lock(office)
        return self._heads[office]

    def record(self, office: str, event: Event) -> int:
        """Append ``event`` to the office journal and apply it; returns its sequence."""
        self.lock(office)
        signer = self.keys.signer(office)
        self._heads[office], payload = append(
            self.conn, self._heads[office], signer, event, self.now
        )
        # The tables are fed from the payload as written, exactly as a rebuild will be.
        projection.apply(self.conn, office, decode_payload(payload))
        return self._heads[office].seq

    def audit(
        self,
        actor: Actor,
        action: str,
        *,
        office: str | None,
        target: str | None = None,
        personal: bool = True,
        outcome: str = "ok",
        detail: dict[str, Any] | None = None,
        queued: bool = False,
    ) -> None:
        """Record who did or read what; chained into the audit log as this commits.

        ``queued``: the entry is written as this commits, and chained a moment later
        with others (``store.audit.chain_queued``): the transaction takes no lock on
        the chain's end, for use cases that many callers run at once.
        """
        (self._queued if queued else self._audit).append(
            Pending(
                self.now,
                actor,
                action,
                office,
                target,
                personal,
                outcome,
                detail or {},
            )
        )


def write_audit(
    conn: Connection,
    keys: KeyStore,
    now: str,
    actor: Actor,
    action: str,
    *,
    office: str | None,
    target: str | None,
    personal: bool,
    outcome: str,
    detail: dict[str, Any] | None,
) -> None:
    """Chain one audit entry in ``conn``'s transaction (e.g. a refusal, after rollback)."""
    append_audit(
        conn,
        keys,
        [Pending(now, actor, action, office, target, personal, outcome, detail or {})],
    )
