"""The unit of work: one transaction holding the change, its journal entry and its audit."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, insert

from sijill.domain.events import Event
from sijill.domain.offices import Actor
from sijill.store import projection
from sijill.store import tables as t
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
    ) -> None:
        """Record who did or read what, in this same transaction."""
        write_audit(
            self.conn,
            self.now,
            actor,
            action,
            office=office,
            target=target,
            personal=personal,
            outcome=outcome,
            detail=detail,
        )


def write_audit(
    conn: Connection,
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
    conn.execute(
        insert(t.audit_log).values(
            audit_id=str(uuid.uuid4()),
            at=now,
            username=actor.username,
            role=actor.role,
            actor_office=actor.office,
            action=action,
            office_code=office,
            target=target,
            personal_data=personal,
            outcome=outcome,
            detail=detail or {},
        )
    )
