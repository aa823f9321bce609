"""The audit chain in the database: append under the head lock, checkpoint, read back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import (
    Connection,
    String,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)

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
    audit_id: str = ""  # given when the entry was queued; a new one otherwise


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
    if pending:
        _chain(conn, keys, pending, _lock_head(conn))


def _chain(
    conn: Connection, keys: KeyStore, pending: list[Pending], head: tuple[int, str, int]
) -> None:
    seq, last_hash, checkpoint_seq = head
    # A row forged past the head must not stop the registry: write after it, and the
    # broken link to it stays for ``verify_chain`` to report.
    seq = max(seq, conn.execute(select(func.max(t.audit_log.c.seq))).scalar() or 0)
    rows = []
    for p in pending:
        seq += 1
        purpose = p.actor.purpose or default_purpose(p.action, p.actor.role)
        entry = AuditEntry(
            seq=seq,
            prev_hash=last_hash,
            audit_id=p.audit_id or str(uuid.uuid4()),
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
        rows.append(
            {
                **{name: getattr(entry, name) for name in WIRE_FIELDS},
                "entry_hash": last_hash,
            }
        )
    conn.execute(insert(t.audit_log), rows)
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


def queue_audit(conn: Connection, pending: list[Pending]) -> None:
    """Write ``pending`` in this transaction without taking the chain's end: each entry
    is kept, whole, with the change it records; ``chain_queued`` chains it later."""
    rows = []
    for p in pending:
        purpose = p.actor.purpose or default_purpose(p.action, p.actor.role)
        rows.append(
            {
                "audit_id": p.audit_id or str(uuid.uuid4()),
                "at": p.at,
                "username": p.actor.username,
                "role": p.actor.role,
                "actor_office": p.actor.office,
                "action": p.action,
                "office_code": p.office,
                "target": p.target,
                "personal_data": p.personal,
                "outcome": p.outcome,
                "detail": p.detail,
                "purpose": purpose,
                "confidential": purpose in CONFIDENTIAL_PURPOSES,
            }
        )
    if rows:
        conn.execute(insert(t.audit_queue), rows)


def chain_queued(conn: Connection, keys: KeyStore, limit: int = 1000) -> int:
    """Chain the oldest queued audit entries (at most ``limit``) after the head, in
    this transaction, and take them off the queue; returns how many."""
    queue = t.audit_queue
    if conn.execute(select(queue.c.queued).limit(1)).first() is None:
        return 0  # nothing queued: the chain's end is not even locked
    head = _lock_head(conn)  # before reading the queue: two chainers take turns
    rows = conn.execute(select(queue).order_by(queue.c.queued).limit(limit)).all()
    if not rows:
        return 0
    _chain(conn, keys, [_queued(r) for r in rows], head)
    conn.execute(delete(queue).where(queue.c.queued.in_([r.queued for r in rows])))
    return len(rows)


def _queued(row: Any) -> Pending:
    actor = Actor(row.username, row.role, row.actor_office, purpose=row.purpose)
    return Pending(
        row.at,
        actor,
        row.action,
        row.office_code,
        row.target,
        row.personal_data,
        row.outcome,
        row.detail,
        row.audit_id,
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
    own = walk_audit(
        entries, hashes, unchained, points, (head[0], head[1]) if head else (0, GENESIS)
    )
    replicas = [_verify_replica(conn, origin) for origin in _origins(conn)]
    return AuditReport(
        own.entries + sum(r.entries for r in replicas),
        own.checkpoints + sum(r.checkpoints for r in replicas),
        own.problems + tuple(p for r in replicas for p in r.problems),
    )


def _origins(conn: Connection) -> list[str]:
    return list(
        conn.execute(
            select(t.office_audit.c.origin).distinct().order_by("origin")
        ).scalars()
    )


def _verify_replica(conn: Connection, origin: str) -> AuditReport:
    """Walk an office's chain as the centre holds it, checkpoints against its keys."""
    log = t.office_audit
    entries, hashes = [], {}
    for row in conn.execute(
        select(log).where(log.c.origin == origin).order_by(log.c.seq)
    ):
        entries.append(entry_from_row(row))
        hashes[row.seq] = row.entry_hash
    keys = {
        (r.key_id, r.public_key)
        for r in conn.execute(
            select(t.enrolled_keys).where(t.enrolled_keys.c.office_code == origin)
        )
    }
    cps = t.office_audit_checkpoints
    points = [
        StoredCheckpoint(
            seq=c.seq,
            entry_hash=c.entry_hash,
            at=c.at,
            key_id=c.key_id,
            signature_ok=(c.key_id, c.public_key) in keys
            and verify(
                c.public_key,
                checkpoint_message(c.seq, c.entry_hash, c.at, c.key_id),
                c.signature,
            ),
        )
        for c in conn.execute(
            select(cps).where(cps.c.origin == origin).order_by(cps.c.seq)
        )
    ]
    last = entries[-1].seq if entries else 0
    report = walk_audit(entries, hashes, [], points, (last, hashes.get(last, GENESIS)))
    return AuditReport(
        report.entries,
        report.checkpoints,
        tuple(replace(p, chain=origin) for p in report.problems),
    )


# An entry as it travels from an office to the centre: every chained field, its hash.
WIRE_FIELDS = (
    "seq",
    "prev_hash",
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
    "purpose",
    "confidential",
    "detail",
)


def wire_entry(row: Any) -> dict[str, Any]:
    """An audit row (own or replicated) as it travels: its chained fields and hash."""
    entry = entry_from_row(row)
    return {
        **{name: getattr(entry, name) for name in WIRE_FIELDS},
        "entry_hash": row.entry_hash,
    }


def entry_from_wire(data: dict[str, Any]) -> tuple[AuditEntry, str]:
    """An entry as received, with the hash it states; KeyError/TypeError/ValueError if
    malformed."""
    detail = data["detail"]
    if not isinstance(detail, dict):
        raise TypeError("detail must be an object")
    entry = AuditEntry(
        seq=int(data["seq"]),
        prev_hash=str(data["prev_hash"]),
        audit_id=str(data["audit_id"])[:36],
        at=str(data["at"])[:32],
        username=str(data["username"])[:40],
        role=str(data["role"])[:20],
        actor_office=_optional(data["actor_office"], 24),
        action=str(data["action"])[:40],
        office_code=_optional(data["office_code"], 24),
        target=_optional(data["target"], 64),
        personal_data=data["personal_data"] is True,
        outcome=str(data["outcome"])[:12],
        purpose=str(data["purpose"])[:20],
        confidential=data["confidential"] is True,
        detail=detail,
    )
    stated = str(data["entry_hash"])
    if len(stated) != 64 or len(entry.prev_hash) != 64:
        raise ValueError("malformed hash")
    return entry, stated


def _optional(value: object, size: int) -> str | None:
    return None if value is None else str(value)[:size]


def own_chain_after(
    conn: Connection, after: int, limit: int
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """This server's audit entries after ``after`` (at most ``limit``) and the signed
    checkpoints among them, as they travel to the centre."""
    rows = conn.execute(
        select(t.audit_log)
        .where(t.audit_log.c.seq > after)
        .order_by(t.audit_log.c.seq)
        .limit(limit)
    ).all()
    if not rows:
        return [], []
    points = conn.execute(
        select(t.audit_checkpoints)
        .where(
            t.audit_checkpoints.c.seq > after,
            t.audit_checkpoints.c.seq <= rows[-1].seq,
        )
        .order_by(t.audit_checkpoints.c.seq)
    ).all()
    return [wire_entry(r) for r in rows], [
        {
            "seq": p.seq,
            "entry_hash": p.entry_hash,
            "at": p.at,
            "key_id": p.key_id,
            "public_key": p.public_key,
            "signature": p.signature.hex(),
        }
        for p in points
    ]


def replica_head(conn: Connection, origin: str) -> tuple[int, str]:
    """The last entry the centre holds of ``origin``'s chain: (seq, hash)."""
    row = conn.execute(
        select(t.office_audit.c.seq, t.office_audit.c.entry_hash)
        .where(t.office_audit.c.origin == origin)
        .order_by(t.office_audit.c.seq.desc())
        .limit(1)
    ).first()
    return (row.seq, row.entry_hash) if row else (0, GENESIS)


def replica_hashes(conn: Connection, origin: str, seqs: list[int]) -> dict[int, str]:
    """The hashes the centre holds for these places of ``origin``'s chain."""
    return dict(
        conn.execute(
            select(t.office_audit.c.seq, t.office_audit.c.entry_hash).where(
                t.office_audit.c.origin == origin, t.office_audit.c.seq.in_(seqs)
            )
        ).all()
    )


def replica_checkpoints(conn: Connection, origin: str, seqs: list[Any]) -> set[int]:
    """Which of these places of ``origin``'s chain already have a checkpoint held."""
    wanted = [s for s in seqs if isinstance(s, int)]
    return set(
        conn.execute(
            select(t.office_audit_checkpoints.c.seq).where(
                t.office_audit_checkpoints.c.origin == origin,
                t.office_audit_checkpoints.c.seq.in_(wanted),
            )
        ).scalars()
    )


def store_replica(
    conn: Connection,
    origin: str,
    entries: list[tuple[AuditEntry, str]],
    checkpoints: list[dict[str, Any]],
) -> None:
    """Keep verified entries of ``origin``'s chain and the checkpoints that sign them."""
    if entries:
        conn.execute(
            insert(t.office_audit),
            [
                {
                    "origin": origin,
                    **{name: getattr(entry, name) for name in WIRE_FIELDS},
                    "entry_hash": stated,
                }
                for entry, stated in entries
            ],
        )
    if checkpoints:
        conn.execute(
            insert(t.office_audit_checkpoints),
            [{"origin": origin, **point} for point in checkpoints],
        )


def all_entries() -> Any:
    """This server's audit entries and the offices' entries it holds, as one selectable
    with an ``origin`` column (None for its own)."""
    own, replicated = t.audit_log, t.office_audit
    columns = [name for name in WIRE_FIELDS if name not in ("prev_hash",)]
    return union_all(
        select(
            literal(None, String(24)).label("origin"),
            *(own.c[name] for name in columns),
        ),
        select(replicated.c.origin, *(replicated.c[name] for name in columns)),
    ).subquery("entries")
