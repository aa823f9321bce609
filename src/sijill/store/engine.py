"""Engines for the two supported databases: SQLite (embedded default) and PostgreSQL."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, Engine, Table, create_engine, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url

from sijill.store import jsoncodec


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def upsert(conn: Connection, table: Table) -> Any:
    """``INSERT`` with ``ON CONFLICT`` clauses, in the dialect ``conn`` speaks.

    Both databases answer ``on_conflict_do_nothing`` / ``on_conflict_do_update``.
    """
    if conn.dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def make_engine(url: str, *, durable: bool = True, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite gets WAL, full sync and one writer at a time.

    ``durable=False`` (a throw-away demo build) lets SQLite skip the fsync of each
    commit: a crash can then lose the last transactions, never corrupt the file.

    Every SQLite transaction starts with BEGIN IMMEDIATE: the write lock is taken at
    the start, so two clerks signing at the same instant queue instead of failing
    half-way (the single-writer discipline of ARCHITECTURE.md).

    A database error never carries the values of its statement: names and dates of
    birth must not reach a log or a traceback (Law 09-08), only the audit.
    """
    parsed = make_url(url)
    kwargs.setdefault("hide_parameters", True)
    kwargs.setdefault("json_serializer", jsoncodec.dumps)
    kwargs.setdefault("json_deserializer", jsoncodec.loads)
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        return create_engine(parsed, pool_pre_ping=True, **kwargs)
    engine = create_engine(
        parsed, connect_args={"timeout": 60, "check_same_thread": False}, **kwargs
    )

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        for pragma in (
            "journal_mode=WAL",
            "synchronous=FULL" if durable else "synchronous=NORMAL",
            "foreign_keys=ON",
            "busy_timeout=60000",
            # 64 MiB of pages in memory (the default is 2): the name index's tokens
            # land all over its B-tree, and a bulk load rewrites the same pages.
            "cache_size=-65536",
        ):
            cursor.execute(f"PRAGMA {pragma}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")

    return engine
