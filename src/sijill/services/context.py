"""What every use case is handed: the database, the keys, the clock and randomness."""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import Engine

from sijill.store.keys import KeyStore
from sijill.store.uow import UnitOfWork

MOROCCO = ZoneInfo("Africa/Casablanca")


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Registry:
    """The ports of the registry, built once by ``bootstrap`` and passed to use cases."""

    engine: Engine
    keys: KeyStore
    clock: Callable[[], datetime] = utc_now
    random_below: Callable[[int], int] = secrets.randbelow
    new_id: Callable[[], str] = field(default=lambda: str(uuid.uuid4()))

    def now(self) -> datetime:
        """The current instant, in Moroccan legal time (dates on acts are local dates)."""
        return self.clock().astimezone(MOROCCO)

    def unit_of_work(self) -> tuple[UnitOfWork, datetime]:
        """A fresh transaction and the instant it is stamped with."""
        now = self.now()
        return UnitOfWork(self.engine, self.keys, stamp(now)), now


def stamp(moment: datetime) -> str:
    """The journal's form of an instant: ISO-8601 in UTC, to the microsecond."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
