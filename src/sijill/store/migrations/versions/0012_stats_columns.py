"""Vital statistics read plain columns: the few fields of the declaration they group
by, derived from ``acts.data`` by the database itself.

``birth_commune`` (the commune of birth named in a birth declaration),
``mother_birth_date`` and ``birth_date`` (ISO text, as in the declaration) and
``judged`` (registered on a declaratory judgment) are generated columns: no writer
sets them, so they cannot drift from the declaration. On PostgreSQL they are stored
(adding them rewrites the table once; the append-only triggers refuse UPDATE and
DELETE, not a rewrite by ALTER TABLE) and the two statistics indexes carry them, so
a national year is read from the index alone. SQLite adds generated columns only as
virtual ones, computed when read, which is enough for an office.

Revision ID: 0012
Revises: 0011
"""

from __future__ import annotations

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

COLUMNS = ("birth_commune", "mother_birth_date", "birth_date", "judged")

PG_COLUMNS = {
    "birth_commune": "text GENERATED ALWAYS AS (data #>> '{birth_commune}') STORED",
    "mother_birth_date": (
        "text GENERATED ALWAYS AS (data #>> '{mother,birth_date}') STORED"
    ),
    "birth_date": "text GENERATED ALWAYS AS (data #>> '{birth_date}') STORED",
    "judged": (
        "boolean GENERATED ALWAYS AS ((data #>> '{judgment,number}') IS NOT NULL) STORED"
    ),
}

SQLITE_COLUMNS = {
    "birth_commune": "TEXT GENERATED ALWAYS AS (json_extract(data, '$.birth_commune')) VIRTUAL",
    "mother_birth_date": (
        "TEXT GENERATED ALWAYS AS (json_extract(data, '$.mother.birth_date')) VIRTUAL"
    ),
    "birth_date": "TEXT GENERATED ALWAYS AS (json_extract(data, '$.birth_date')) VIRTUAL",
    "judged": (
        "BOOLEAN GENERATED ALWAYS AS "
        "(json_extract(data, '$.judgment.number') IS NOT NULL) VIRTUAL"
    ),
}

# what the tabulations read besides kind and the period (see sijill.stats.sql)
EVENT_INCLUDE = (
    "sex, office_code, status, signed_at, birth_commune, mother_birth_date, "
    "birth_date, judged"
)
YEAR_INCLUDE = "event_date, office_code, judged"


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "ALTER TABLE acts "
            + ", ".join(f"ADD COLUMN {name} {ddl}" for name, ddl in PG_COLUMNS.items())
        )
        op.execute("DROP INDEX ix_acts_kind_event_date")
        op.execute(
            "CREATE INDEX ix_acts_kind_event_date ON acts (kind, event_date) "
            f"INCLUDE ({EVENT_INCLUDE})"
        )
        op.execute("DROP INDEX ix_acts_kind_year")
        op.execute(
            f"CREATE INDEX ix_acts_kind_year ON acts (kind, year) INCLUDE ({YEAR_INCLUDE})"
        )
    else:
        for name, ddl in SQLITE_COLUMNS.items():
            op.execute(f"ALTER TABLE acts ADD COLUMN {name} {ddl}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_acts_kind_year")
        op.execute("CREATE INDEX ix_acts_kind_year ON acts (kind, year)")
        op.execute("DROP INDEX ix_acts_kind_event_date")
        op.execute("CREATE INDEX ix_acts_kind_event_date ON acts (kind, event_date)")
        op.execute("ALTER TABLE acts " + ", ".join(f"DROP COLUMN {c}" for c in COLUMNS))
    else:
        for name in reversed(COLUMNS):
            op.execute(f"ALTER TABLE acts DROP COLUMN {name}")
