"""Fixtures: a registry on SQLite and on PostgreSQL, each test in a database of its own.

PostgreSQL tests run against 127.0.0.1:5432 (user postgres, trust) in databases this
run creates and drops. Where no PostgreSQL answers they are skipped with the reason;
under CI (CI=true) an absent PostgreSQL is an error, never a silent skip.
"""

from __future__ import annotations

import itertools
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine

from sijill.config import Settings
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from tests.fakes import FakeClock

PG_ADMIN = os.environ.get(
    "SIJILL_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _pg_reason() -> str | None:
    try:
        with psycopg.connect(PG_ADMIN, connect_timeout=3):
            return None
    except psycopg.Error as error:
        return f"PostgreSQL not reachable at {PG_ADMIN}: {str(error).strip()[:160]}"


class PostgresDatabases:
    """Creates databases for one test run from a migrated template, and drops them."""

    def __init__(self) -> None:
        self.prefix = f"sijill_test_{uuid.uuid4().hex[:8]}"
        self.template = f"{self.prefix}_tpl"
        self.created: list[str] = []
        self._made = itertools.count()  # a name is never used twice, dropped or not
        self._admin(f'CREATE DATABASE "{self.template}"')
        engine = make_engine(self.url(self.template))
        upgrade(engine)
        engine.dispose()

    def url(self, name: str) -> str:
        return PG_ADMIN.rsplit("/", 1)[0] + "/" + name

    def _admin(self, sql: str) -> None:
        with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
            conn.execute(sql)  # type: ignore[arg-type]

    def new(self) -> str:
        name = f"{self.prefix}_{next(self._made)}"
        self._admin(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        self.created.append(name)
        return self.url(name)

    def drop(self, url: str) -> None:
        name = url.rsplit("/", 1)[1]
        self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.created.remove(name)

    def drop_all(self) -> None:
        for name in [*self.created, self.template]:
            self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases]:
    reason = _pg_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the PostgreSQL tests: {reason}")
        pytest.skip(reason)
    databases = PostgresDatabases()
    yield databases
    databases.drop_all()


@pytest.fixture(
    params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, migrated database: a SQLite file, or a PostgreSQL database of this run,
    dropped by the test that made it (a drop waits for a checkpoint: two hundred of
    them at the end of the run could outlast the last test's timeout)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'registry.db'}"
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield url
        return
    databases: PostgresDatabases = request.getfixturevalue("postgres")
    url = databases.new()
    yield url
    databases.drop(url)


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def registry(engine: Engine, tmp_path: Path, clock: FakeClock) -> Registry:
    """The registry's ports on the test database, with a clock the test controls."""
    settings = Settings(data_dir=tmp_path)
    return Registry(
        engine=engine, keys=KeyStore(settings.resolved_keys_dir()), clock=clock
    )
