"""Test doubles of the registry's ports: a clock that tests move by hand."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta


@dataclass
class FakeClock:
    """A clock that stands still until a test moves it."""

    now: datetime = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)

    def set(self, year: int, month: int, day: int, hour: int = 9) -> None:
        self.now = datetime(year, month, day, hour, tzinfo=UTC)
