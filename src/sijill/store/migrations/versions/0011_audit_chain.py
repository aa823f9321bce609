"""The audit log as a hash chain with signed checkpoints, the purpose of each access;
accounts, web sessions and machine tokens.

Revision ID: 0011
Revises: 0010
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from sijill.domain.audit import GENESIS, AuditEntry, default_purpose
from sijill.store.append_only import protect as _protect
from sijill.store.append_only import unprotect as _unprotect

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", recreate="never") as batch_op:
        batch_op.add_column(
            sa.Column(
                "purpose",
                sa.String(length=20),
                nullable=False,
                server_default="registration",
            )
        )
        batch_op.add_column(
            sa.Column("confidential", sa.Boolean(), nullable=False, server_default="0")
        )
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64)))
        batch_op.add_column(sa.Column("entry_hash", sa.String(length=64)))
    op.create_index("uq_audit_log_seq", "audit_log", ["seq"], unique=True)
    op.create_index("ix_audit_log_username_at", "audit_log", ["username", "at"])
    op.create_index("ix_audit_log_target", "audit_log", ["target"])
    op.create_table(
        "audit_head",
        sa.Column("chain", sa.String(length=8), nullable=False),
        sa.Column("last_seq", sa.Integer(), nullable=False),
        sa.Column("last_hash", sa.String(length=64), nullable=False),
        sa.Column("checkpoint_seq", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("chain", name=op.f("pk_audit_head")),
    )
    op.create_table(
        "audit_checkpoints",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("entry_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.Column("signer", sa.String(length=24), nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("public_key", sa.String(length=64), nullable=False),
        sa.Column("signature", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_audit_checkpoints")),
    )
    _chain_existing_entries()
    _protect("audit_checkpoints")
    _sign_in_tables()


def _sign_in_tables() -> None:
    op.create_table(
        "accounts",
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("office_code", sa.String(length=24), nullable=True),
        sa.Column("civil_id", sa.String(length=10), nullable=True),
        sa.Column("password_hash", sa.String(length=200), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("totp_last_step", sa.Integer(), nullable=True),
        sa.Column("reset_code_hash", sa.String(length=64), nullable=True),
        sa.Column("reset_expires_at", sa.String(length=32), nullable=True),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("disabled_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_accounts")),
    )
    op.create_table(
        "login_failures",
        sa.Column("failure_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("at", sa.String(length=32), nullable=False),
        sa.PrimaryKeyConstraint("failure_id", name=op.f("pk_login_failures")),
    )
    op.create_index(
        "ix_login_failures_username_at", "login_failures", ["username", "at"]
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("username", sa.String(length=40), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("expires_at", sa.String(length=32), nullable=False),
        sa.Column("closed_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("token_hash", name=op.f("pk_web_sessions")),
    )
    op.create_index("ix_web_sessions_username", "web_sessions", ["username"])
    op.create_table(
        "api_tokens",
        sa.Column("token_id", sa.String(length=16), nullable=False),
        sa.Column("token_hash", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("office_code", sa.String(length=24), nullable=True),
        sa.Column("created_by", sa.String(length=40), nullable=False),
        sa.Column("created_at", sa.String(length=32), nullable=False),
        sa.Column("revoked_at", sa.String(length=32), nullable=True),
        sa.PrimaryKeyConstraint("token_id", name=op.f("pk_api_tokens")),
    )


def _chain_existing_entries() -> None:
    """Give the entries written before this revision their place in the chain.

    The append-only guard is lifted for this one pass and put back at once.
    """
    bind = op.get_bind()
    _unprotect("audit_log")
    log = sa.table(
        "audit_log",
        *(
            sa.column(c)
            for c in (
                "audit_id",
                "at",
                "username",
                "role",
                "actor_office",
                "action",
                "office_code",
                "target",
                "personal_data",
                "outcome",
            )
        ),
        sa.column("detail", sa.JSON),
        sa.column("purpose"),
        sa.column("seq"),
        sa.column("prev_hash"),
        sa.column("entry_hash"),
    )
    prev, seq = GENESIS, 0
    rows = bind.execute(sa.select(log).order_by(log.c.at, log.c.audit_id)).all()
    for row in rows:
        seq += 1
        purpose = default_purpose(row.action)
        entry = AuditEntry(
            seq=seq,
            prev_hash=prev,
            audit_id=row.audit_id,
            at=row.at,
            username=row.username,
            role=row.role,
            actor_office=row.actor_office,
            action=row.action,
            office_code=row.office_code,
            target=row.target,
            personal_data=bool(row.personal_data),
            outcome=row.outcome,
            purpose=purpose,
            confidential=False,
            detail=row.detail,
        )
        digest = entry.digest()
        bind.execute(
            sa.update(log)
            .where(log.c.audit_id == row.audit_id)
            .values(seq=seq, prev_hash=prev, entry_hash=digest, purpose=purpose)
        )
        prev = digest
    bind.execute(
        sa.text(
            "INSERT INTO audit_head (chain, last_seq, last_hash, checkpoint_seq) "
            "VALUES ('audit', :seq, :hash, 0)"
        ),
        {"seq": seq, "hash": prev},
    )
    _protect("audit_log")


def downgrade() -> None:
    for table in ("api_tokens", "web_sessions", "login_failures", "accounts"):
        op.drop_table(table)
    _unprotect("audit_checkpoints")
    op.drop_table("audit_checkpoints")
    op.drop_table("audit_head")
    op.drop_index("ix_audit_log_target", table_name="audit_log")
    op.drop_index("ix_audit_log_username_at", table_name="audit_log")
    op.drop_index("uq_audit_log_seq", table_name="audit_log")
    with op.batch_alter_table("audit_log", recreate="never") as batch_op:
        for column in ("entry_hash", "prev_hash", "seq", "confidential", "purpose"):
            batch_op.drop_column(column)
