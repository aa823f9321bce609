"""Set-based writes of many rows: PostgreSQL ``COPY``, SQLite ``executemany``."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from typing import Any

from sqlalchemy import JSON, Connection, Table, insert


def insert_rows(
    conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]
) -> None:
    """Insert ``rows`` (all with the same keys) into ``table`` in this transaction."""
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    as_json = {c for c in columns if isinstance(table.c[c].type, JSON)}
    names = ", ".join(f'"{c}"' for c in columns)
    raw: Any = conn.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(_values(row, columns, as_json))


def _values(
    row: Mapping[str, Any], columns: Iterable[str], as_json: set[str]
) -> tuple[Any, ...]:
    out: list[Any] = []
    for column in columns:
        value = row[column]
        if column in as_json and value is not None:
            value = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
        elif isinstance(value, date):
            value = value.isoformat()
        out.append(value)
    return tuple(out)
