"""The office journal in the database: append under the office lock, read, verify."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, insert, select, update

from sijill.domain.events import Event, event_from_payload
from sijill.domain.journal import (
    GENESIS,
    ChainReport,
    StoredEntry,
    canonical_json,
    entry_digest,
    walk_chain,
)
from sijill.store import tables as t
from sijill.store.bulk import insert_rows
from sijill.store.engine import upsert
from sijill.store.keys import Signer, verify

# Entries read at a time: a chunk of digitized acts weighs a few hundred kilobytes.
_BATCH = 200


@dataclass(frozen=True)
class Head:
    """The last entry of an office's journal."""

    seq: int
    hash: str


def lock_office(conn: Connection, office: str) -> Head:
    """Take the office's write lock for this transaction and return its journal head.

    Every write of an office goes through this row, so entries, act numbers and
    register counters are handed out one transaction at a time, with no gaps.
    """
    values = {"office_code": office, "last_seq": 0, "last_hash": GENESIS}
    conn.execute(
        upsert(conn, t.journal_heads).values(**values).on_conflict_do_nothing()
    )
    query = select(t.journal_heads.c.last_seq, t.journal_heads.c.last_hash).where(
        t.journal_heads.c.office_code == office
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update()
    row = conn.execute(query).one()
    return Head(row.last_seq, row.last_hash)


def append(
    conn: Connection, head: Head, signer: Signer, event: Event, recorded_at: str
) -> tuple[Head, bytes]:
    """Write ``event`` as the next entry after ``head``, signed by the office key.

    Returns the new head and the canonical payload that was written.
    """
    seq = head.seq + 1
    payload = canonical_json(event.payload())
    digest = entry_digest(signer.office, seq, head.hash, payload)
    conn.execute(
        insert(t.journal).values(
            office_code=signer.office,
            seq=seq,
            prev_hash=head.hash,
            entry_hash=digest,
            key_id=signer.key_id,
            payload=payload,
            signature=signer.sign(bytes.fromhex(digest)),
            event_type=event.type,
            recorded_at=recorded_at,
        )
    )
    conn.execute(
        update(t.journal_heads)
        .where(t.journal_heads.c.office_code == signer.office)
        .values(last_seq=seq, last_hash=digest)
    )
    return Head(seq, digest), payload


def entries(conn: Connection, office: str, after: int = 0) -> Iterator[StoredEntry]:
    """The office's entries in sequence order, read in batches."""
    while True:
        rows = conn.execute(
            select(t.journal)
            .where(t.journal.c.office_code == office, t.journal.c.seq > after)
            .order_by(t.journal.c.seq)
            .limit(_BATCH)
        ).all()
        for r in rows:
            yield StoredEntry(
                r.office_code,
                r.seq,
                r.prev_hash,
                r.entry_hash,
                r.key_id,
                bytes(r.payload),
                bytes(r.signature),
            )
        if len(rows) < _BATCH:
            return
        after = rows[-1].seq


def decode(entry: StoredEntry) -> Event:
    """The event an entry records."""
    return decode_payload(entry.payload)


def decode_payload(payload: bytes) -> Event:
    """The event a canonical payload records."""
    return event_from_payload(json.loads(payload))


def journal_offices(conn: Connection) -> list[str]:
    return list(
        conn.execute(
            select(t.journal.c.office_code).distinct().order_by(t.journal.c.office_code)
        ).scalars()
    )


def declared_keys(conn: Connection, office: str) -> dict[str, str]:
    """The keys an office's journal declares for itself (key id → public key hex):
    the one of its first entry, and each one a rotation vouched for."""
    first = next(entries(conn, office), None)
    if first is None:
        return {}
    try:
        payload = json.loads(first.payload)
        if payload["type"] != "OfficeOpened":
            return {}
        keys = {payload["key_id"]: payload["public_key"]}
    except (ValueError, KeyError, TypeError):
        return {}
    rotations = conn.execute(
        select(t.journal.c.payload).where(
            t.journal.c.office_code == office,
            t.journal.c.event_type == "OfficeKeyRotated",
        )
    ).scalars()
    for raw in rotations:
        try:
            rotated = json.loads(bytes(raw))
            keys[rotated["key_id"]] = rotated["public_key"]
        except (ValueError, KeyError, TypeError):
            continue
    return keys


def verify_office(
    conn: Connection, office: str, trusted_key: str | None = None
) -> ChainReport:
    """Walk an office's whole chain, checking links, hashes, every signature and the head.

    Signatures are checked against the key the journal declares in its first entry;
    ``trusted_key``, when this machine holds the office key, must be that same key.
    """
    keys = declared_keys(conn, office)
    if trusted_key is not None and keys and trusted_key not in keys.values():
        return ChainReport(
            office,
            0,
            GENESIS,
            broken_at=1,
            reason="the journal declares a key that is not the office's key",
        )

    def check(key_id: str, message: bytes, signature: bytes) -> bool:
        return key_id in keys and verify(keys[key_id], message, signature)

    head = conn.execute(
        select(t.journal_heads).where(t.journal_heads.c.office_code == office)
    ).first()
    report = walk_chain(office, entries(conn, office), check)
    if (
        report.ok
        and head is not None
        and (head.last_seq, head.last_hash) != (report.entries, report.head)
    ):
        return ChainReport(
            office,
            report.entries,
            report.head,
            broken_at=report.entries + 1,
            reason=f"journal ends at {report.entries}, its head says {head.last_seq}"
            " (entries removed)",
        )
    return report


def replica_row(
    entry: StoredEntry, recorded_at: str, event_type: str
) -> dict[str, Any]:
    """The journal row of an entry kept exactly as its office wrote and signed it."""
    return {
        "office_code": entry.office,
        "seq": entry.seq,
        "prev_hash": entry.prev_hash,
        "entry_hash": entry.entry_hash,
        "key_id": entry.key_id,
        "payload": entry.payload,
        "signature": entry.signature,
        "event_type": event_type,
        "recorded_at": recorded_at,
    }


def store_replicas(conn: Connection, office: str, rows: list[dict[str, Any]]) -> None:
    """Keep consecutive entries of ``office`` as it wrote and signed them: at the
    centre as they arrive, at an office rebuilt from the centre's copy.

    The rows (``replica_row``) follow the journal head, verified by the caller; one
    statement for all, the payloads sent as bytes.
    """
    insert_rows(conn, t.journal, rows, binary=True)
    conn.execute(
        update(t.journal_heads)
        .where(t.journal_heads.c.office_code == office)
        .values(last_seq=rows[-1]["seq"], last_hash=rows[-1]["entry_hash"])
    )
