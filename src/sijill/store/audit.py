"""The audit chain in the database: append under the head lock, checkpoint, read back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from sijill.domain.audit import (
    CHECKPOINT_EVERY,
    CONFIDENTIAL_PURPOSES,
    GENESIS,
    AuditEntry,
    AuditReport,
    StoredCheckpoint,
    checkpoint_message,
    default_purpose,
    walk_audit,
)
from sijill.domain.offices import Actor
from sijill.store import tables as t
from sijill.store.engine import upsert
from sijill.store.keys import KeyStore, Signer, verify

CHAIN = "audit"
# The centre signs its own checkpoints; an office server signs with its office key.
CENTRE = "CENTRE"


@dataclass(frozen=True)
class Pending:
    """An audit entry waiting for its place in the chain (given at commit)."""

    at: str
    actor: Actor
    action: str
    office: str | None
    target: str | None
    personal: bool
    outcome: str
    detail: dict[str, Any]


def _lock_head(conn: Connection) -> tuple[int, str, int]:
    conn.execute(
        upsert(conn, t.audit_head)
        .values(chain=CHAIN, last_seq=0, last_hash=GENESIS, checkpoint_seq=0)
        .on_conflict_do_nothing()
    )
    query = select(t.audit_head).where(t.audit_head.c.chain == CHAIN)
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).one()
    return row.last_seq, row.last_hash, row.checkpoint_seq


def append_audit(conn: Connection, keys: KeyStore, pending: list[Pending]) -> None:
    """Chain ``pending`` after the head, in this transaction; sign a checkpoint when due.

    Called last in a transaction, so the head lock is the last lock it takes and is
    held only for the commit.
    """
    if not pending:
        return
    seq, last_hash, checkpoint_seq = _lock_head(conn)
    # A row forged past the head must not stop the registry: write after it, and the
    # broken link to it stays for ``verify_chain`` to report.
    seq = max(seq, conn.execute(select(func.max(t.audit_log.c.seq))).scalar() or 0)
    for p in pending:
        seq += 1
        purpose = p.actor.purpose or default_purpose(p.action, p.actor.role)
        entry = AuditEntry(
            seq=seq,
            prev_hash=last_hash,
            audit_id=str(uuid.uuid4()),
            at=p.at,
            username=p.actor.username,
            role=p.actor.role,
            actor_office=p.actor.office,
            action=p.action,
            office_code=p.office,
            target=p.target,
            personal_data=p.personal,
            outcome=p.outcome,
            purpose=purpose,
            confidential=purpose in CONFIDENTIAL_PURPOSES,
            detail=p.detail,
        )
        last_hash = entry.digest()
        conn.execute(
            insert(t.audit_log).values(
                audit_id=entry.audit_id,
                at=entry.at,
                username=entry.username,
                role=entry.role,
                actor_office=entry.actor_office,
                action=entry.action,
                office_code=entry.office_code,
                target=entry.target,
                personal_data=entry.personal_data,
                outcome=entry.outcome,
                detail=entry.detail,
                purpose=entry.purpose,
                confidential=entry.confidential,
                seq=seq,
                prev_hash=entry.prev_hash,
                entry_hash=last_hash,
            )
        )
    if seq - checkpoint_seq >= CHECKPOINT_EVERY:
        signer = checkpoint_signer(conn, keys)
        if signer is not None:
            sign_checkpoint(conn, signer, seq, last_hash, pending[-1].at)
            checkpoint_seq = seq
    conn.execute(
        update(t.audit_head)
        .where(t.audit_head.c.chain == CHAIN)
        .values(last_seq=seq, last_hash=last_hash, checkpoint_seq=checkpoint_seq)
    )


def checkpoint_signer(conn: Connection, keys: KeyStore) -> Signer | None:
    """The key this server signs checkpoints with: the centre's, else its first office's."""
    if keys.has(CENTRE):
        return keys.signer(CENTRE)
    for code in conn.execute(select(t.offices.c.code).order_by(t.offices.c.code)):
        if keys.has(code.code):
            return keys.signer(code.code)
    return None


def sign_checkpoint(
    conn: Connection, signer: Signer, seq: int, entry_hash: str, at: str
) -> None:
    """Sign "the chain up to ``seq`` ends in ``entry_hash``" with ``signer``."""
    conn.execute(
        insert(t.audit_checkpoints).values(
            seq=seq,
            entry_hash=entry_hash,
            at=at,
            signer=signer.office,
            key_id=signer.key_id,
            public_key=signer.public_key_hex,
            signature=signer.sign(
                checkpoint_message(seq, entry_hash, at, signer.key_id)
            ),
        )
    )


def checkpoint_now(conn: Connection, keys: KeyStore, at: str) -> int | None:
    """Sign a checkpoint at the current head (e.g. before a backup); its seq, or None."""
    seq, last_hash, checkpoint_seq = _lock_head(conn)
    signer = checkpoint_signer(conn, keys)
    if seq == 0 or seq == checkpoint_seq or signer is None:
        return None
    sign_checkpoint(conn, signer, seq, last_hash, at)
    conn.execute(
        update(t.audit_head)
        .where(t.audit_head.c.chain == CHAIN)
        .values(checkpoint_seq=seq)
    )
    return seq


def _trusted_keys(conn: Connection, keys: KeyStore) -> set[tuple[str, str, str]]:
    """(office, key id, public key) this server trusts: its own keys and signed offices'."""
    trusted = {
        (r.office_code, r.key_id, r.public_key)
        for r in conn.execute(select(t.office_keys))
    }
    codes = {office for office, _, _ in trusted} | {CENTRE}
    for code in codes:
        if keys.has(code):
            s = keys.signer(code)
            trusted.add((code, s.key_id, s.public_key_hex))
    return trusted


def entry_from_row(row: Any) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        prev_hash=row.prev_hash or "",
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
        purpose=row.purpose,
        confidential=bool(row.confidential),
        detail=row.detail,
    )


def verify_chain(conn: Connection, keys: KeyStore) -> AuditReport:
    """Walk the whole audit chain and its checkpoints (see ``domain.audit.walk_audit``)."""
    entries, hashes, unchained = [], {}, []
    for row in conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq)):
        if row.seq is None:
            unchained.append(row.audit_id)
            continue
        entries.append(entry_from_row(row))
        hashes[row.seq] = row.entry_hash
    trusted = _trusted_keys(conn, keys)
    points = [
        StoredCheckpoint(
            seq=c.seq,
            entry_hash=c.entry_hash,
            at=c.at,
            key_id=c.key_id,
            signature_ok=(c.signer, c.key_id, c.public_key) in trusted
            and verify(
                c.public_key,
                checkpoint_message(c.seq, c.entry_hash, c.at, c.key_id),
                c.signature,
            ),
        )
        for c in conn.execute(
            select(t.audit_checkpoints).order_by(t.audit_checkpoints.c.seq)
        )
    ]
    head = conn.execute(
        select(t.audit_head.c.last_seq, t.audit_head.c.last_hash).where(
            t.audit_head.c.chain == CHAIN
        )
    ).first()
    return walk_audit(
        entries, hashes, unchained, points, (head[0], head[1]) if head else (0, GENESIS)
    )
