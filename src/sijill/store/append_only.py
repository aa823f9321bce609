"""The database's own refusal to change or remove rows of an append-only table.

PostgreSQL: a trigger calling ``sijill_refuse_change()`` (revision 0001); SQLite: one
trigger per verb that aborts. Revisions protect the tables they create with these.
"""

from __future__ import annotations

from alembic import op


def protect(table: str, verbs: tuple[str, ...] = ("UPDATE", "DELETE")) -> None:
    """Refuse ``verbs`` (UPDATE and DELETE) on ``table``, in the database itself."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            f"CREATE TRIGGER {table}_append_only BEFORE {' OR '.join(verbs)} "
            f"ON {table} FOR EACH ROW EXECUTE FUNCTION sijill_refuse_change()"
        )
        return
    for verb in verbs:
        op.execute(
            f"CREATE TRIGGER {table}_no_{verb.lower()} BEFORE {verb} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, 'sijill: {verb} on {table} is refused: "
            "the table is append-only'); END"
        )


def unprotect(table: str) -> None:
    """Lift ``protect`` (a downgrade, or a one-time migration of existing rows)."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"DROP TRIGGER IF EXISTS {table}_append_only ON {table}")
        return
    for verb in ("update", "delete"):
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_{verb}")
