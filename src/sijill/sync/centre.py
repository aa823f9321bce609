"""The central registry: it receives every office's journal, routes and serves notices.

The centre never edits an act. It keeps each office's entries exactly as signed, applies
them to its national replica with the same projection the office uses, and writes its
own decisions (enrolments, notices) in a journal of its own, signed by the centre key.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, text

from sijill.domain import events as ev
from sijill.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Violation
from sijill.domain.journal import entry_digest
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.holders import holder_of
from sijill.store.journal import decode_payload, replica_row, store_replicas
from sijill.store.keys import key_id_of, verify, verifying
from sijill.store.uow import UnitOfWork
from sijill.sync.projector import open_cursor, project
from sijill.sync.protocol import (
    CENTRE,
    MAX_BATCH,
    WireEntry,
    batch_digest,
    notices_digest,
    unb64,
)
from sijill.sync.routing import Route, routes_for
from sijill.sync.status import note_link

SYNC_ACTOR = Actor("sync", "system", None)


def open_centre(reg: Registry) -> str:
    """Give the centre its key and journal (once); returns its public key."""
    signer = reg.keys.create(CENTRE)
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(CENTRE)
        exists = uow.conn.execute(
            select(t.offices.c.code).where(t.offices.c.code == CENTRE)
        ).first()
        if exists is None:
            uow.record(
                CENTRE,
                ev.OfficeOpened(
                    office={
                        "code": CENTRE,
                        "kind": "centre",
                        "name_ar": "السجل الوطني المركزي",
                        "name_fr": "Registre national central",
                    },
                    key_id=signer.key_id,
                    public_key=signer.public_key_hex,
                    at=uow.now,
                    by="system",
                ),
            )
    return signer.public_key_hex


def enroll_office(reg: Registry, *, actor: Actor, office: str, public_key: str) -> str:
    """Trust ``public_key`` for ``office``'s journal; returns its key id."""
    try:
        raw = bytes.fromhex(public_key)
    except ValueError:
        raw = b""
    if len(raw) != 32:
        raise InvalidInput(
            [Violation("public_key", "choice", {"choices": "64 hex digits"})]
        )
    key_id = key_id_of(raw)
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(CENTRE)
        authorize(uow, actor, "office.create", None)
        known = uow.conn.execute(
            select(t.enrolled_keys).where(t.enrolled_keys.c.key_id == key_id)
        ).first()
        if known is not None:
            if known.office_code != office:
                raise Conflict("office.exists", {"code": known.office_code})
            return key_id
        uow.record(
            CENTRE,
            ev.OfficeEnrolled(
                office=office,
                key_id=key_id,
                public_key=public_key,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(actor, "office.enroll", office=office, target=key_id, personal=False)
    return key_id


def revoke_office_key(reg: Registry, *, actor: Actor, office: str, key_id: str) -> None:
    """Stop accepting entries signed with ``key_id``."""
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(CENTRE)
        authorize(uow, actor, "office.create", None)
        row = uow.conn.execute(
            select(t.enrolled_keys).where(
                t.enrolled_keys.c.key_id == key_id,
                t.enrolled_keys.c.office_code == office,
            )
        ).first()
        if row is None:
            raise NotFound("office.unknown", {"code": office})
        uow.record(
            CENTRE,
            ev.OfficeKeyRevoked(
                office=office, key_id=key_id, at=uow.now, by=actor.username
            ),
        )
        uow.audit(
            actor, "office.revoke_key", office=office, target=key_id, personal=False
        )


@dataclass
class BatchResult:
    """The centre's answer to a batch: the highest contiguous entry it holds, and why not more."""

    office: str
    held: int
    accepted: int = 0
    duplicates: int = 0
    refused_seq: int | None = None
    reason: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "office": self.office,
            "held": self.held,
            "accepted": self.accepted,
            "duplicates": self.duplicates,
            "refused": None
            if self.refused_seq is None
            else {"seq": self.refused_seq, "reason": self.reason},
        }


@dataclass
class _Batch:
    office: str
    head: int
    sent_at: str
    signature: bytes
    raw_entries: list[dict[str, Any]]
    entries: list[WireEntry] = field(default_factory=list)


def _read_batch(body: object) -> _Batch:
    if not isinstance(body, dict):
        raise InvalidInput([Violation("", "type.object")])
    problems: list[Violation] = []
    office, entries = body.get("office"), body.get("entries")
    if not isinstance(office, str) or not office or len(office) > 24:
        problems.append(Violation("office", "required"))
    if not isinstance(entries, list):
        problems.append(Violation("entries", "required"))
    elif len(entries) > MAX_BATCH:
        problems.append(Violation("entries", "text.too_long", {"max": MAX_BATCH}))
    head, sent_at = body.get("head"), body.get("sent_at")
    if not isinstance(head, int) or isinstance(head, bool) or head < 0:
        problems.append(Violation("head", "required"))
    if not isinstance(sent_at, str):
        problems.append(Violation("sent_at", "required"))
    try:
        signature = unb64(str(body.get("signature", "")))
    except ValueError:
        signature = b""
    if len(signature) != 64:
        problems.append(Violation("signature", "required"))
    if problems:
        raise InvalidInput(problems)
    batch = _Batch(str(office), int(head), str(sent_at), signature, list(entries))  # type: ignore[arg-type]
    for index, raw in enumerate(batch.raw_entries):
        try:
            batch.entries.append(WireEntry.from_json(batch.office, raw))
        except (KeyError, TypeError, ValueError, AttributeError):
            raise InvalidInput(
                [Violation(f"entries[{index}]", "type.object")]
            ) from None
    return batch


def _office_keys(conn: Connection, office: str) -> dict[str, tuple[str, str | None]]:
    rows = conn.execute(
        select(t.enrolled_keys).where(t.enrolled_keys.c.office_code == office)
    )
    return {r.key_id: (r.public_key, r.revoked_at) for r in rows}


def alarm(
    conn: Connection,
    now: str,
    office: str | None,
    seq: int | None,
    kind: str,
    detail: str,
    new_id: str,
) -> None:
    """Record an alarm; alarms are never updated nor removed."""
    conn.execute(
        insert(t.alarms).values(
            alarm_id=new_id,
            at=now,
            office_code=office,
            seq=seq,
            kind=kind,
            detail=detail,
        )
    )


@dataclass(frozen=True)
class _Examined:
    """What an entry is by itself, before its place in the chain is known."""

    hash_ok: bool
    event: ev.Event | None  # None: the payload is not a known journal event


def _examine(office: str, wire: WireEntry) -> _Examined:
    """Hash the payload once and decode it once."""
    e = wire.entry
    hash_ok = entry_digest(office, e.seq, e.prev_hash, e.payload) == e.entry_hash
    try:
        event: ev.Event | None = decode_payload(e.payload)
    except (ValueError, KeyError, TypeError, RecursionError):
        event = None
    return _Examined(hash_ok, event)


def _entry_problem(
    office: str,
    wire: WireEntry,
    prev_hash: str,
    keys: dict[str, tuple[str, str | None]],
    signed: bool,
    hash_ok: bool,
) -> str | None:
    e = wire.entry
    if e.prev_hash != prev_hash:
        return "previous-hash link does not match the entry before it"
    if not hash_ok:
        return "payload does not match its hash"
    if e.key_id not in keys:
        return f"key {e.key_id} is not enrolled for office {office}"
    revoked = keys[e.key_id][1]
    if revoked is not None:
        return f"key {e.key_id} was revoked on {revoked}"
    if not signed:
        return "signature does not verify"
    return None


def _signing(
    wires: list[WireEntry], keys: dict[str, tuple[str, str | None]]
) -> Callable[[], list[bool]]:
    """Start checking each entry's signature under the key it names, on the other
    cores; call the result for the answers, in order."""
    checks, known = [], []
    for wire in wires:
        e = wire.entry
        known.append(e.key_id in keys and len(e.entry_hash) == 64)
        if known[-1]:
            try:
                digest = bytes.fromhex(e.entry_hash)
            except ValueError:
                known[-1] = False
                continue
            checks.append((keys[e.key_id][0], digest, e.signature))
    answers = verifying(checks)

    def signed() -> list[bool]:
        results = iter(answers())
        return [next(results) if ok else False for ok in known]

    return signed


def _foreign(office: str, event: ev.Event) -> bool:
    """An office writes only its own acts: any reference to another office's act is refused."""
    ref = getattr(event, "ref", None)
    if isinstance(event, ev.OfficeOpened):
        return event.office.get("code") != office
    if isinstance(event, ev.LegacyActsLoaded):
        return any(not str(a.get("ref")).startswith(office + "/") for a in event.acts)
    return isinstance(ref, str) and not ref.startswith(office + "/")


def route(
    uow: UnitOfWork, reg: Registry, office: str, seq: int, event: ev.Event
) -> int:
    """Issue the notices an applied entry calls for.

    Routing is the centre's own work: if it fails on what an office wrote, the entry
    stays applied (the projection never stalls on it) and an alarm says which entry to
    route by hand.
    """
    savepoint = uow.conn.begin_nested()
    try:
        routes = routes_for(uow.conn, office, event)
    except Exception as error:  # any failure here is reported, never fatal
        savepoint.rollback()
        alarm(
            uow.conn,
            uow.now,
            office,
            seq,
            "routing.failed",
            f"{type(error).__name__}: {error}"[:400],
            reg.new_id(),
        )
        return 0
    savepoint.commit()
    return issue_notices(uow, reg, office, seq, event, routes)


def issue_notices(
    uow: UnitOfWork,
    reg: Registry,
    office: str,
    seq: int,
    event: ev.Event,
    routes: list[Route],
) -> int:
    """Write one NoticeIssued in the centre's journal per route; returns how many."""
    for route in routes:
        # A merged office's notices go to the office now holding its registers; the
        # act keeps its reference.
        target = route.target_office
        uow.record(
            CENTRE,
            ev.NoticeIssued(
                notice_id=reg.new_id(),
                target_office=None if target is None else holder_of(uow.conn, target),
                target_ref=route.target_ref,
                kind=route.kind,
                source={
                    "office": office,
                    "seq": seq,
                    "event": event.type,
                    "ref": getattr(event, "ref", None),
                },
                subject=route.subject,
                mention=route.mention,
                candidates=route.candidates,
                at=uow.now,
            ),
        )
    return len(routes)


def receive_batch(reg: Registry, *, body: object) -> BatchResult:
    """Take a batch of an office's journal: verify it and store each entry once.

    Entries already held are no-ops when identical and an alarm when they differ; a gap,
    a broken link, a bad signature, a revoked key or an entry about another office's act
    stops the batch at that entry. What came before it is kept; nothing held is ever
    overwritten. The national tables and the notices follow in ``projector.project``.
    """
    batch = _read_batch(body)
    office = batch.office
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        keys = _office_keys(uow.conn, office)
        if not keys:
            raise Forbidden("office.unknown", {"code": office})
        digest = batch_digest(office, batch.raw_entries, batch.head, batch.sent_at)
        if not any(
            revoked is None and verify(public, digest, batch.signature)
            for public, revoked in keys.values()
        ):
            alarm_id = reg.new_id()
            uow.after_rollback(
                lambda conn: alarm(
                    conn,
                    uow.now,
                    office,
                    None,
                    "batch.signature",
                    "a batch whose signature does not verify was refused",
                    alarm_id,
                )
            )
            raise Forbidden(
                "forbidden.unknown_actor",
                {"username": "batch signature", "office": office},
            )
        head = uow.head(office)
        result = BatchResult(office, head.seq)
        wires = sorted(batch.entries, key=lambda w: w.entry.seq)
        held = _held(uow.conn, office, [w.entry.seq for w in wires], head.seq)
        new = [w for w in wires if w.entry.seq > head.seq]
        # The signatures are checked on the other cores while this thread hashes and
        # decodes each payload (once). Both are kept by entry (its object), not by
        # sequence: two different entries sent under one sequence are judged each on
        # its own.
        signing = _signing(new, keys)
        examined = {id(w): _examine(office, w) for w in new}
        signed = dict(zip(map(id, new), signing(), strict=True))
        held_hash, rows = head.hash, []
        for wire in wires:
            e = wire.entry
            if e.seq <= result.held:
                if held.get(e.seq) == (e.entry_hash, e.payload, e.signature):
                    result.duplicates += 1
                    continue
                result.refused_seq = e.seq
                result.reason = "a different entry is held under this sequence"
                alarm(
                    uow.conn,
                    uow.now,
                    office,
                    e.seq,
                    "entry.conflict",
                    result.reason,
                    reg.new_id(),
                )
                break
            if e.seq != result.held + 1:
                result.refused_seq = e.seq
                result.reason = f"gap: entry {result.held + 1} is expected first"
                break
            reason, event_type = _admit(
                office, wire, held_hash, keys, signed[id(wire)], examined[id(wire)]
            )
            if event_type is None:
                result.refused_seq, result.reason = e.seq, reason
                alarm(
                    uow.conn,
                    uow.now,
                    office,
                    e.seq,
                    "entry.refused",
                    str(reason),
                    reg.new_id(),
                )
                break
            rows.append(replica_row(e, wire.recorded_at, event_type))
            held[e.seq] = (e.entry_hash, e.payload, e.signature)
            result.held, held_hash = e.seq, e.entry_hash
            result.accepted += 1
        if rows:
            store_replicas(uow.conn, office, rows)
            open_cursor(uow.conn, office)
        note_link(uow.conn, office, last_contact=uow.now, reported_head=batch.head)
        if result.accepted or result.refused_seq:
            uow.audit(
                SYNC_ACTOR,
                "journal.receive",
                office=office,
                personal=False,
                detail=result.to_json(),
            )
    return result


def _held(
    conn: Connection, office: str, seqs: list[int], head: int
) -> dict[int, tuple[str, bytes, bytes]]:
    """What is already held of the sequences a batch resends, in one query."""
    resent = [seq for seq in seqs if seq <= head]
    if not resent:
        return {}
    rows = conn.execute(
        select(
            t.journal.c.seq,
            t.journal.c.entry_hash,
            t.journal.c.payload,
            t.journal.c.signature,
        ).where(
            t.journal.c.office_code == office,
            t.journal.c.seq.between(min(resent), max(resent)),
        )
    )
    return {r.seq: (r.entry_hash, bytes(r.payload), bytes(r.signature)) for r in rows}


def _admit(
    office: str,
    wire: WireEntry,
    prev_hash: str,
    keys: dict[str, tuple[str, str | None]],
    signed: bool,
    examined: _Examined,
) -> tuple[str | None, str | None]:
    """(None, event type) for an entry the centre may store; (why not, None) otherwise."""
    problem = _entry_problem(office, wire, prev_hash, keys, signed, examined.hash_ok)
    if problem is not None:
        return problem, None
    if examined.event is None:
        return "payload is not a known journal event", None
    if _foreign(office, examined.event):
        return "the entry concerns another office's act", None
    return None, examined.event.type


def verify_request(
    reg: Registry, office: str, digest: bytes, signature: bytes, at: str, now: datetime
) -> None:
    """Accept a read request only when signed by the office's enrolled key, recently."""
    from sijill.sync.protocol import REQUEST_WINDOW_SECONDS

    try:
        sent = datetime.fromisoformat(at.replace("Z", "+00:00"))
    except ValueError:
        raise Forbidden(
            "forbidden.unknown_actor", {"username": "request time", "office": office}
        ) from None
    if abs((now - sent).total_seconds()) > REQUEST_WINDOW_SECONDS:
        raise Forbidden(
            "forbidden.unknown_actor", {"username": "stale request", "office": office}
        )
    with reg.engine.connect() as conn:
        keys = _office_keys(conn, office)
    if not any(
        revoked is None and verify(public, digest, signature)
        for public, revoked in keys.values()
    ):
        raise Forbidden(
            "forbidden.unknown_actor",
            {"username": "request signature", "office": office},
        )


def notices_for(
    reg: Registry, *, office: str, after: int, limit: int = 200
) -> dict[str, Any]:
    """The notices routed to ``office`` after its cursor, signed by the centre.

    Asking with cursor N acknowledges every notice up to N.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        rows = uow.conn.execute(
            select(t.notices)
            .where(t.notices.c.target_office == office, t.notices.c.notice_seq > after)
            .order_by(t.notices.c.notice_seq)
            .limit(min(max(limit, 1), 500))
        ).all()
        notices = [
            {
                "notice_id": r.notice_id,
                "notice_seq": r.notice_seq,
                "kind": r.kind,
                "target_ref": r.target_ref,
                "mention": r.mention,
                "source": r.source,
            }
            for r in rows
        ]
        note_link(uow.conn, office, last_contact=uow.now, notice_cursor=after)
        if notices:
            uow.audit(
                SYNC_ACTOR,
                "notices.deliver",
                office=office,
                detail={"after": after, "count": len(notices)},
            )
    signer = reg.keys.signer(CENTRE)
    from sijill.sync.protocol import b64

    return {
        "office": office,
        "notices": notices,
        "key_id": signer.key_id,
        "signature": b64(signer.sign(notices_digest(office, notices))),
    }


def journal_of(
    reg: Registry, *, office: str, after: int, limit: int = 1000
) -> dict[str, Any]:
    """An office's own journal as the centre holds it, to rebuild a lost office."""
    from sijill.store.journal import entries

    with reg.engine.connect() as conn:
        rows = conn.execute(
            select(t.journal.c.seq, t.journal.c.recorded_at)
            .where(t.journal.c.office_code == office, t.journal.c.seq > after)
            .order_by(t.journal.c.seq)
            .limit(limit)
        ).all()
        stamps = dict(rows)
        out = [
            WireEntry(e, stamps[e.seq]).to_json()
            for e in itertools.islice(entries(conn, office, after), len(stamps))
        ]
        head = conn.execute(
            select(t.journal_heads.c.last_seq).where(
                t.journal_heads.c.office_code == office
            )
        ).scalar_one_or_none()
    return {"office": office, "entries": out, "head": head or 0}


def match_notice(
    reg: Registry, *, actor: Actor, notice_id: str, target_ref: str
) -> None:
    """A supervisor resolves a notice of the matching queue to the act it concerns."""
    from sijill.domain.identifiers import ActRef

    ref = ActRef.parse(target_ref, field="target_ref")
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(CENTRE)
        authorize(uow, actor, "notice.match", None)
        row = uow.conn.execute(
            select(t.notices).where(t.notices.c.notice_id == notice_id)
        ).first()
        if row is None:
            raise NotFound("notice.unknown", {"id": notice_id})
        returned = uow.conn.execute(
            select(t.office_notices.c.status).where(
                t.office_notices.c.notice_id == notice_id
            )
        ).scalar_one_or_none()
        if row.status != "matching" and returned != "returned":
            raise Conflict("notice.closed", {"id": notice_id, "status": row.status})
        if ref.kind != "birth":
            raise InvalidInput([Violation("target_ref", "act.ref_format")])
        uow.record(
            CENTRE,
            ev.NoticeMatched(
                notice_id=notice_id,
                target_office=ref.office,
                target_ref=str(ref),
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(actor, "notice.match", office=ref.office, target=notice_id)


NOTICE_STATE = """
    CASE WHEN n.status = 'matching' THEN 'matching'
         WHEN o.status IS NULL THEN 'issued'
         WHEN o.status = 'received' THEN 'delivered'
         ELSE o.status END
"""
NOTICES_JOINED = (
    "FROM notices n LEFT JOIN office_notices o "
    "ON o.notice_id = n.notice_id AND o.office_code = n.target_office"
)


def notice_states(conn: Connection, *, limit: int = 500) -> list[dict[str, Any]]:
    """Notices with where each stands: matching, issued, delivered, applied, returned."""
    rows = conn.execute(
        text(
            "SELECT n.notice_id, n.kind, n.target_office, n.target_ref, n.issued_at, "
            f"n.candidates, n.subject, o.closed_at, {NOTICE_STATE} AS state "
            f"{NOTICES_JOINED} ORDER BY n.issued_at LIMIT :limit"
        ),
        {"limit": limit},
    ).mappings()
    found = []
    for row in rows:
        notice = dict(row)
        for key in (
            "candidates",
            "subject",
        ):  # raw SQL hands JSON back as text on SQLite
            if isinstance(notice[key], str):
                notice[key] = json.loads(notice[key])
        found.append(notice)
    return found


def network_status(
    reg: Registry, *, actor: Actor, overdue_days: int = 30
) -> dict[str, Any]:
    """What the centre knows of each office and province: contact, backlogs, notices, alarms.

    The matching queue names the people its notices concern: supervisors and the
    ministry only, and each look is audited.

    ``backlog`` counts what the office holds and the centre does not; ``unapplied`` what
    the centre received and has not yet applied to its tables (``stalled_at``: the entry
    its projection stopped on, with an alarm).

    Everything is counted in the database, so the page costs the same for six offices
    and for 2,172.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "network.status", None)
        uow.audit(actor, "network.status", office=None)
    limit = stamp_of(reg.now() - timedelta(days=overdue_days))
    open_states = "('issued', 'delivered')"
    with reg.engine.connect() as conn:
        rows = (
            conn.execute(
                text(
                    "SELECT e.office_code AS office, f.province_code AS province, "
                    "s.last_contact, COALESCE(h.last_seq, 0) AS held, "
                    "COALESCE(s.reported_head, 0) AS reported, "
                    "COALESCE(c.applied_seq, 0) AS applied, c.stalled_seq AS stalled, "
                    "(SELECT COUNT(*) FROM alarms a WHERE a.office_code = e.office_code) AS alarms "
                    "FROM (SELECT DISTINCT office_code FROM enrolled_keys) e "
                    "LEFT JOIN offices f ON f.code = e.office_code "
                    "LEFT JOIN journal_heads h ON h.office_code = e.office_code "
                    "LEFT JOIN sync_status s ON s.office_code = e.office_code "
                    "LEFT JOIN projection_cursors c ON c.office_code = e.office_code "
                    "ORDER BY e.office_code"
                )
            )
            .mappings()
            .all()
        )
        pending = (
            conn.execute(
                text(
                    f"SELECT n.target_office AS office, COUNT(*) AS pending, "
                    f"SUM(CASE WHEN n.issued_at < :limit THEN 1 ELSE 0 END) AS overdue "
                    f"{NOTICES_JOINED} WHERE {NOTICE_STATE} IN {open_states} "
                    "GROUP BY n.target_office"
                ),
                {"limit": limit},
            )
            .mappings()
            .all()
        )
        totals: dict[str, int] = dict(
            conn.execute(
                text(
                    f"SELECT {NOTICE_STATE} AS state, COUNT(*) {NOTICES_JOINED} GROUP BY 1"
                )
            ).all()
        )
        matching = [
            r
            for r in notice_states(conn, limit=10_000)
            if r["state"] in ("matching", "returned")
        ][:200]
        alarms = [
            r._asdict()
            for r in conn.execute(
                select(t.alarms).order_by(t.alarms.c.at.desc()).limit(50)
            )
        ]
    by_office: dict[str, Any] = {p["office"]: dict(p) for p in pending}
    offices = [
        {
            "office": r["office"],
            "province": r["province"],
            "last_contact": r["last_contact"],
            "held": int(r["held"]),
            "backlog": max(0, int(r["reported"]) - int(r["held"])),
            "unapplied": int(r["held"]) - int(r["applied"]),
            "stalled_at": r["stalled"],
            "notices_pending": int(by_office.get(r["office"], {}).get("pending") or 0),
            "notices_overdue": int(by_office.get(r["office"], {}).get("overdue") or 0),
            "alarms": int(r["alarms"]),
        }
        for r in rows
    ]
    provinces: dict[str, dict[str, int]] = {}
    for o in offices:
        entry = provinces.setdefault(o["province"] or "—", {"pending": 0, "overdue": 0})
        entry["pending"] += o["notices_pending"]
        entry["overdue"] += o["notices_overdue"]
    return {
        "offices": offices,
        "provinces": provinces,
        "matching": matching,
        "alarms": alarms,
        "notices": {
            state: int(totals.get(state, 0))
            for state in ("matching", "issued", "delivered", "applied", "returned")
        },
    }


def stamp_of(moment: datetime) -> str:
    from sijill.services.context import stamp

    return stamp(moment)


class LocalCentre:
    """The centre's answers without a wire: for a demo or a centre that is also an office."""

    def __init__(self, reg: Registry, office: str) -> None:
        self.reg = reg
        self.office = office

    def push(
        self, batch: dict[str, Any], encoded: bytes | None = None
    ) -> dict[str, Any]:
        if batch.get("office") != self.office:
            raise Forbidden("office.unknown", {"code": str(batch.get("office"))})
        answer = receive_batch(self.reg, body=batch).to_json()
        project(self.reg, office=self.office)  # in one process: applied at once
        return answer

    def notices(self, after: int) -> dict[str, Any]:
        return notices_for(self.reg, office=self.office, after=after)

    def journal(self, after: int) -> dict[str, Any]:
        return journal_of(self.reg, office=self.office, after=after)

    def audit(self, batch: dict[str, Any]) -> dict[str, Any]:
        from sijill.sync.audit import receive_audit

        return receive_audit(self.reg, office=self.office, body=batch).to_json()
