"""What each side knows of the link (cursors, last contact): operational, not journaled."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select, update

from sijill.store import tables as t


def link_status(conn: Connection, office: str) -> Any:
    """The office's row of link state, created empty on first use."""
    query = select(t.sync_status).where(t.sync_status.c.office_code == office)
    row = conn.execute(query).first()
    if row is None:
        conn.execute(
            insert(t.sync_status).values(
                office_code=office, reported_head=0, pushed_seq=0, notice_cursor=0
            )
        )
        row = conn.execute(query).one()
    return row


def note_link(conn: Connection, office: str, **values: Any) -> None:
    """Record what was just learned of the link with ``office``."""
    link_status(conn, office)
    conn.execute(
        update(t.sync_status)
        .where(t.sync_status.c.office_code == office)
        .values(**values)
    )
