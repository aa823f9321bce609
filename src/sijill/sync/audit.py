"""Each office's audit chain travels to the centre, where it is verified and kept.

A citizen's record is read at many offices; the centre holds every office's chain so
that the citizen's trail there names every access, and so that an office cannot later
rewrite or drop what it logged: the centre already holds the entries, link by link,
and the checkpoints the office key signed.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from sijill.domain.audit import AuditEntry, checkpoint_message, continuation_problem
from sijill.domain.errors import Forbidden, InvalidInput, Violation
from sijill.services.context import Registry
from sijill.store.audit import (
    entry_from_wire,
    own_chain_after,
    replica_checkpoints,
    replica_hashes,
    replica_head,
    store_replica,
)
from sijill.store.keys import verify
from sijill.sync.centre import SYNC_ACTOR, BatchResult, _office_keys, alarm
from sijill.sync.client import CentreLink
from sijill.sync.protocol import MAX_BATCH
from sijill.sync.status import link_status, note_link

AUDIT_BATCH = 1000


def push_audit(reg: Registry, client: CentreLink, office: str) -> int:
    """Send the entries of this server's audit chain the centre does not hold yet.

    The cursor moves only to what the centre says it holds, so a retry is safe. Returns
    how many entries the centre took; raises nothing on a refusal, which is recorded
    as the link's last error.
    """
    sent = 0
    while True:
        with reg.engine.connect() as conn:
            cursor = link_status(conn, office).audit_pushed_seq
            entries, checkpoints = own_chain_after(conn, cursor, AUDIT_BATCH)
            conn.commit()
        if not entries:
            return sent
        answer = client.audit(
            {"office": office, "entries": entries, "checkpoints": checkpoints}
        )
        held = int(answer["held"])
        refused = answer.get("refused")
        with reg.engine.begin() as conn:
            note_link(
                conn,
                office,
                audit_pushed_seq=held,
                last_error=f"audit: {refused['reason']}" if refused else None,
            )
        sent += int(answer.get("accepted", 0))
        if refused or held < entries[-1]["seq"]:
            return sent


def _read(
    body: object, office: str
) -> tuple[list[tuple[AuditEntry, str]], list[dict[str, Any]]]:
    if not isinstance(body, dict) or body.get("office") != office:
        raise InvalidInput([Violation("office", "sync.office_mismatch")])
    raw, points = body.get("entries"), body.get("checkpoints", [])
    if not isinstance(raw, list) or len(raw) > MAX_BATCH:
        raise InvalidInput([Violation("entries", "type.array", {"max": MAX_BATCH})])
    if not isinstance(points, list) or len(points) > MAX_BATCH:
        raise InvalidInput([Violation("checkpoints", "type.array", {"max": MAX_BATCH})])
    for index, point in enumerate(points):
        if not isinstance(point, dict):
            raise InvalidInput([Violation(f"checkpoints[{index}]", "type.object")])
    entries = []
    for index, item in enumerate(raw):
        try:
            if not isinstance(item, dict):
                raise TypeError
            entries.append(entry_from_wire(item))
        except (KeyError, TypeError, ValueError):
            raise InvalidInput(
                [Violation(f"entries[{index}]", "type.object")]
            ) from None
    return sorted(entries, key=lambda pair: pair[0].seq), points


def _checkpoints(
    conn: Connection, office: str, points: list[Any], hashes: dict[int, str]
) -> tuple[list[dict[str, Any]], str | None]:
    """The checkpoints to keep: new ones, signed by one of ``office``'s enrolled keys over
    an entry held; or the reason one of them is not."""
    keys = _office_keys(conn, office)
    held = replica_checkpoints(conn, office, [p.get("seq") for p in points])
    kept = []
    for index, point in enumerate(points):
        try:
            seq, entry_hash = int(point["seq"]), str(point["entry_hash"])
            at, key_id = str(point["at"])[:32], str(point["key_id"])[:32]
            public = str(point["public_key"])
            signature = bytes.fromhex(str(point["signature"]))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InvalidInput(
                [Violation(f"checkpoints[{index}]", "type.object")]
            ) from None
        if keys.get(key_id, ("",))[0] != public or not verify(
            public, checkpoint_message(seq, entry_hash, at, key_id), signature
        ):
            return [], f"checkpoint {seq} is not signed by a key of office {office}"
        if hashes.get(seq) != entry_hash:
            return [], f"checkpoint {seq} does not sign the entry held there"
        if seq not in held:
            kept.append(
                {
                    "seq": seq,
                    "entry_hash": entry_hash,
                    "at": at,
                    "key_id": key_id,
                    "public_key": public,
                    "signature": signature,
                }
            )
    return kept, None


_REASONS = {
    "audit.missing": "gap: an earlier audit entry is expected first",
    "audit.link": "previous-hash link does not match the entry before it",
    "audit.changed": "audit entry does not match its hash",
}


def receive_audit(reg: Registry, *, office: str, body: object) -> BatchResult:
    """Take a batch of ``office``'s audit chain (the request is already authenticated).

    Entries held are no-ops when identical; a different entry under a held place is an
    alarm (the office's log was rewritten) and nothing held is overwritten. A gap, a
    broken link or a changed entry stops the batch there; what came before it is kept.
    A checkpoint not signed by the office's key refuses the whole batch, with an alarm.
    """
    entries, points = _read(body, office)
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        if not _office_keys(uow.conn, office):
            raise Forbidden("office.unknown", {"code": office})
        head = replica_head(uow.conn, office)
        result = BatchResult(office, head[0])
        known = replica_hashes(
            uow.conn, office, [e.seq for e, _ in entries if e.seq <= head[0]]
        )
        fresh = [(e, h) for e, h in entries if e.seq > head[0]]
        # Sent again: the same entry, unchanged, or the office's log was rewritten.
        rewritten = next(
            (
                e.seq
                for e, h in entries
                if e.seq <= head[0] and not known.get(e.seq) == h == e.digest()
            ),
            None,
        )
        result.duplicates = len(entries) - len(fresh)
        if rewritten is not None:
            fresh, result.duplicates = [], 0
            result.refused_seq = rewritten
            result.reason = "a different audit entry is held under this sequence"
            alarm(
                uow.conn,
                uow.now,
                office,
                rewritten,
                "audit.rewritten",
                result.reason,
                reg.new_id(),
            )
        problem = continuation_problem(head, fresh)
        if problem is not None:
            fresh = [(e, h) for e, h in fresh if e.seq < (problem.seq or 0)]
            result.refused_seq, result.reason = problem.seq, _REASONS[problem.rule]
        hashes = {**known, head[0]: head[1], **{e.seq: h for e, h in fresh}}
        checkpoints, bad = _checkpoints(uow.conn, office, points, hashes)
        if bad is not None:
            alarm_id = reg.new_id()
            uow.after_rollback(
                lambda conn: alarm(
                    conn, uow.now, office, None, "audit.checkpoint", bad, alarm_id
                )
            )
            raise InvalidInput([Violation("checkpoints", "audit.checkpoint_signature")])
        store_replica(uow.conn, office, fresh, checkpoints)
        result.accepted = len(fresh)
        result.held = fresh[-1][0].seq if fresh else head[0]
        note_link(uow.conn, office, last_contact=uow.now)
        if result.accepted or result.refused_seq:
            uow.audit(
                SYNC_ACTOR,
                "audit.receive",
                office=office,
                personal=False,
                detail=result.to_json(),
            )
    return result
