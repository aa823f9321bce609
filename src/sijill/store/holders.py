"""Which office holds an office's registers: itself, or the office it was merged into."""

from __future__ import annotations

from sqlalchemy import Connection, select

from sijill.store import tables as t

MAX_HOPS = 16  # communes merge again; a chain is followed, never a loop


def holder_of(conn: Connection, office: str) -> str:
    """The office that holds ``office``'s registers today (``office`` itself unless
    it was closed and merged into another)."""
    seen = {office}
    current = office
    for _ in range(MAX_HOPS):
        merged_into = conn.execute(
            select(t.onboardings.c.merged_into).where(
                t.onboardings.c.office_code == current,
                t.onboardings.c.merged_into.is_not(None),
            )
        ).scalar_one_or_none()
        if merged_into is None or merged_into in seen:
            return current
        seen.add(merged_into)
        current = merged_into
    return current


def holds(conn: Connection, holder: str | None, office: str) -> bool:
    """Whether ``holder`` holds ``office``'s registers (its own, or a merged one's)."""
    return holder is not None and holder_of(conn, office) == holder
