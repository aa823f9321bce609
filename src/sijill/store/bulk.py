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
    _copy(conn, table, columns, (_values(row, columns, as_json) for row in rows))


def insert_tuples(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    """Insert ``rows``, each a tuple in the order of ``columns``, in this transaction.

    The fast path of bulk loads: no mapping per row, JSON columns encoded as they go.
    """
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(
            insert(table), [dict(zip(columns, row, strict=True)) for row in rows]
        )
        return
    as_json = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    if as_json:
        rows = [_encoded(row, as_json) for row in rows]
    _copy(conn, table, columns, rows)


def _copy(
    conn: Connection, table: Table, columns: Sequence[str], rows: Iterable[Any]
) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    raw: Any = conn.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN') as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _encoded(row: Sequence[Any], as_json: list[int]) -> list[Any]:
    out = list(row)
    for i in as_json:
        if out[i] is not None:
            out[i] = _json(out[i])
    return out


def _values(
    row: Mapping[str, Any], columns: Iterable[str], as_json: set[str]
) -> tuple[Any, ...]:
    out: list[Any] = []
    for column in columns:
        value = row[column]
        if column in as_json and value is not None:
            value = _json(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out.append(value)
    return tuple(out)
