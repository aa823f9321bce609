"""Set-based writes of many rows: PostgreSQL ``COPY``, SQLite ``executemany``."""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Connection,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    insert,
)
from sqlalchemy.types import TypeEngine

from sijill.store.jsoncodec import dumps


@contextmanager
def fewer_collections(young: int = 100_000) -> Iterator[None]:
    """Run the cyclic garbage collector every ``young`` allocations for the duration.

    Bulk work (an import, a reconciliation, a load, a reindex) allocates millions of
    short-lived objects that reference counting frees as it goes; the collector's
    default, a pass every 700 allocations that also walks the caches of name keys,
    then costs about a sixth of the time. Memory stays bounded: the work streams,
    and the collector still runs.
    """
    before = gc.get_threshold()
    gc.set_threshold(young, *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)


def insert_rows(
    conn: Connection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    binary: bool = False,
) -> None:
    """Insert ``rows`` (all with the same keys) into ``table`` in this transaction.

    ``binary``: on PostgreSQL, ``COPY`` in its binary format, which sends bytes as
    they are where the text format spells each one in hex (journal payloads); for
    integer, text and bytea columns only.
    """
    if not rows:
        return
    if conn.dialect.name != "postgresql":
        conn.execute(insert(table), list(rows))
        return
    columns = list(rows[0])
    if binary:
        types = [_binary_type(table.c[c].type) for c in columns]
        _copy(conn, table, columns, (tuple(r[c] for c in columns) for r in rows), types)
        return
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
        _executemany(conn, table, columns, rows)
        return
    as_json = [i for i, c in enumerate(columns) if isinstance(table.c[c].type, JSON)]
    if as_json:
        rows = [_encoded(row, as_json) for row in rows]
    _copy(conn, table, columns, rows)


def _executemany(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
) -> None:
    # SQLite: one prepared INSERT run for every row by the driver, each value
    # converted by its column's type as SQLAlchemy would (dates, JSON), without a
    # mapping per row.
    processors = [table.c[c].type.bind_processor(conn.dialect) for c in columns]
    if any(processors):
        rows = [
            tuple(
                v if f is None else f(v) for f, v in zip(processors, row, strict=True)
            )
            for row in rows
        ]
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join("?" for _ in columns)
    conn.exec_driver_sql(
        f'INSERT INTO "{table.name}" ({names}) VALUES ({marks})', list(rows)
    )


def _copy(
    conn: Connection,
    table: Table,
    columns: Sequence[str],
    rows: Iterable[Any],
    binary_types: Sequence[str] | None = None,
) -> None:
    names = ", ".join(f'"{c}"' for c in columns)
    options = "" if binary_types is None else " (FORMAT BINARY)"
    raw: Any = conn.connection.driver_connection
    with (
        raw.cursor() as cursor,
        cursor.copy(f'COPY "{table.name}" ({names}) FROM STDIN{options}') as copy,
    ):
        if binary_types is not None:
            copy.set_types(binary_types)
        for row in rows:
            copy.write_row(row)


def _binary_type(column_type: TypeEngine[Any]) -> str:
    """The PostgreSQL type a column's values travel as in a binary ``COPY``."""
    if isinstance(column_type, BigInteger):
        return "int8"
    if isinstance(column_type, SmallInteger):
        return "int2"
    if isinstance(column_type, Integer):
        return "int4"
    if isinstance(column_type, LargeBinary):
        return "bytea"
    if isinstance(column_type, String) and not isinstance(column_type, JSON):
        return "text"
    raise TypeError(f"no binary COPY for a column of type {column_type}")


def _encoded(row: Sequence[Any], as_json: list[int]) -> list[Any]:
    out = list(row)
    for i in as_json:
        if out[i] is not None:
            out[i] = dumps(out[i])
    return out


def _values(
    row: Mapping[str, Any], columns: Iterable[str], as_json: set[str]
) -> tuple[Any, ...]:
    out: list[Any] = []
    for column in columns:
        value = row[column]
        if column in as_json and value is not None:
            value = dumps(value)
        elif isinstance(value, date):
            value = value.isoformat()
        out.append(value)
    return tuple(out)
