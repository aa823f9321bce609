"""Alembic environment: migrations run on a connection handed in by sijill.store.schema."""

from __future__ import annotations

from alembic import context

from sijill.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only the programmatic path is supported
    raise RuntimeError("run migrations through `sijill db upgrade`")
context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
