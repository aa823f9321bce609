"""The office's side of the network: push its journal, take and apply its notices."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Literal, cast

from sqlalchemy import select

from sijill.domain import events as ev
from sijill.domain.errors import (
    Conflict,
    DomainError,
    InvalidInput,
    Violation,
)
from sijill.domain.identifiers import ActRef
from sijill.domain.journal import StoredEntry, canonical_json
from sijill.domain.mentions import MENTION_KINDS, read_mention
from sijill.domain.offices import Actor
from sijill.services import acts
from sijill.services.authz import authorize
from sijill.services.context import Registry, stamp
from sijill.store import projection
from sijill.store import tables as t
from sijill.store.holders import holds
from sijill.store.journal import (
    Head,
    decode,
    entries,
    lock_office,
    replica_row,
    store_replicas,
    verify_office,
)
from sijill.store.keys import verify
from sijill.sync.centre import issue_notices
from sijill.sync.client import CentreLink
from sijill.sync.protocol import (
    CENTRE,
    MAX_BATCH,
    MAX_BODY,
    WireEntry,
    b64,
    batch_digest,
    notices_digest,
    unb64,
)
from sijill.sync.routing import routes_for
from sijill.sync.status import link_status, note_link

PUSH_BATCH = 500


@dataclass
class SyncReport:
    """What one round of synchronization did."""

    pushed: int = 0
    held: int = 0
    notices: int = 0
    audit: int = 0
    refused: str | None = None


def _save_status(reg: Registry, office: str, **values: Any) -> None:
    with reg.engine.begin() as conn:
        note_link(conn, office, **values)


def push(
    reg: Registry, client: CentreLink, office: str, *, batch_size: int = PUSH_BATCH
) -> SyncReport:
    """Send the journal entries the centre does not hold yet, in order, in signed batches.

    The cursor moves only to what the centre says it holds, so a lost answer, a crash
    or a retry sends entries again and the centre ignores what it already has. While a
    batch travels, the next one is read from the journal, signed and encoded; it is
    used only if the centre took the whole batch.
    """
    report = SyncReport()
    size = min(batch_size, MAX_BATCH)
    with reg.engine.connect() as conn:
        cursor = link_status(conn, office).pushed_seq
        conn.commit()
    with ThreadPoolExecutor(1, thread_name_prefix="sijill-push") as reader:
        coming = reader.submit(_outgoing, reg, office, cursor, size)
        while True:
            batch = coming.result()
            coming = reader.submit(_outgoing, reg, office, batch.last or cursor, size)
            answer = client.push(batch.body, encoded=batch.encoded)
            head, sent_at = batch.body["head"], batch.body["sent_at"]
            held = int(answer["held"])
            _save_status(
                reg,
                office,
                pushed_seq=held,
                last_contact=sent_at,
                reported_head=head,
                last_error=(answer.get("refused") or {}).get("reason"),
            )
            report.pushed += int(answer.get("accepted", 0))
            report.held = held
            if answer.get("refused"):
                report.refused = (
                    f"entry {answer['refused']['seq']}: {answer['refused']['reason']}"
                )
                return report
            if held >= head or not batch.last:
                return report
            if (
                held != batch.last
            ):  # the centre holds more or less than was sent: ask again
                coming.result()
                coming = reader.submit(_outgoing, reg, office, held, size)


@dataclass(frozen=True)
class _Outgoing:
    """A batch ready to travel: signed, and encoded once."""

    body: dict[str, Any]
    encoded: bytes
    last: int  # the last entry it carries (0: none)


def _outgoing(reg: Registry, office: str, after: int, size: int) -> _Outgoing:
    """The next entries after ``after`` as they travel, with the journal head.

    One query, read in order up to ``size`` entries or until their payloads fill half
    a request body (at least one): a chunk of digitized acts makes an entry of a few
    hundred kilobytes, so a batch of them is cut by size, not only by count, and never
    exceeds MAX_BODY once encoded.
    """
    wire: list[dict[str, Any]] = []
    weight = 0
    with reg.engine.connect() as conn:
        head = (
            conn.execute(
                select(t.journal_heads.c.last_seq).where(
                    t.journal_heads.c.office_code == office
                )
            ).scalar_one_or_none()
            or 0
        )
        rows = conn.execute(
            select(
                t.journal.c.seq,
                t.journal.c.prev_hash,
                t.journal.c.entry_hash,
                t.journal.c.key_id,
                t.journal.c.payload,
                t.journal.c.signature,
                t.journal.c.recorded_at,
            )
            .where(t.journal.c.office_code == office, t.journal.c.seq > after)
            .order_by(t.journal.c.seq)
            .limit(size)
        )
        for seq, prev, digest, key_id, payload, signature, recorded_at in rows:
            weight += len(payload)
            if wire and weight > MAX_BODY // 2:
                break
            entry = StoredEntry(
                office, seq, prev, digest, key_id, bytes(payload), bytes(signature)
            )
            wire.append(WireEntry(entry, recorded_at).to_json())
        rows.close()
    sent_at = stamp(reg.now())
    signer = reg.keys.signer(office)
    body = {
        "office": office,
        "entries": wire,
        "head": head,
        "sent_at": sent_at,
        "signature": b64(signer.sign(batch_digest(office, wire, head, sent_at))),
    }
    return _Outgoing(body, canonical_json(body), wire[-1]["seq"] if wire else 0)


def pull(reg: Registry, client: CentreLink, office: str, centre_key: str) -> SyncReport:
    """Take delivery of the notices routed to this office, each recorded once."""
    report = SyncReport()
    while True:
        with reg.engine.connect() as conn:
            cursor = link_status(conn, office).notice_cursor
            conn.commit()
        answer = client.notices(cursor)
        notices = answer.get("notices") or []
        if not verify(
            centre_key,
            notices_digest(office, notices),
            unb64(answer.get("signature", "")),
        ):
            raise DomainError("sync.centre_key")
        if not notices:
            return report
        for notice in notices:
            report.notices += receive_notice(reg, office=office, notice=notice)
        _save_status(
            reg, office, notice_cursor=max(int(n["notice_seq"]) for n in notices)
        )


def receive_notice(reg: Registry, *, office: str, notice: dict[str, Any]) -> int:
    """Record a notice in the office journal (once: a notice seen before is skipped)."""
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        seen = uow.conn.execute(
            select(t.office_notices.c.notice_id).where(
                t.office_notices.c.office_code == office,
                t.office_notices.c.notice_id == notice["notice_id"],
            )
        ).first()
        if seen is not None:
            return 0
        uow.record(
            office,
            ev.NoticeReceived(
                notice_id=str(notice["notice_id"]),
                notice_seq=int(notice["notice_seq"]),
                kind=str(notice["kind"]),
                target_ref=notice.get("target_ref"),
                mention=dict(notice["mention"]),
                source=dict(notice["source"]),
                at=uow.now,
                by="sync",
            ),
        )
    return 1


def pending_notices(
    reg: Registry, *, actor: Actor, office: str
) -> list[dict[str, Any]]:
    """The notices waiting for the officer of ``office`` to write as mentions.

    Orders of documents arrive as notices too; they wait in the orders to produce
    (``sijill.orders.office``), not here.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", office)
        rows = uow.conn.execute(
            select(t.office_notices)
            .where(
                t.office_notices.c.office_code == office,
                t.office_notices.c.status == "received",
                t.office_notices.c.kind != "order",
            )
            .order_by(t.office_notices.c.notice_seq)
        ).all()
        uow.audit(actor, "notices.read", office=office, detail={"count": len(rows)})
    return [r._asdict() for r in rows]


def apply_notice(reg: Registry, *, actor: Actor, office: str, notice_id: str) -> str:
    """The officer applies a notice: the mention it carries, signed, on the act it names."""
    with reg.engine.connect() as conn:
        row = acts.open_notice(conn, office, notice_id)
        if row.kind.startswith(
            "declaratory_"
        ):  # no act yet: it is drafted, then signed
            raise Conflict("notice.to_draft", {"id": notice_id})
        act_office = (
            None if row.target_ref is None else ActRef.parse(row.target_ref).office
        )
        held = act_office is not None and (
            act_office == office or holds(conn, office, act_office)
        )
    if not held:
        raise Conflict("notice.wrong_act", {"id": notice_id, "ref": row.target_ref})
    return acts.add_mention(
        reg,
        actor=actor,
        ref=row.target_ref,
        data=dict(row.mention),
        notice_id=notice_id,
        notice_office=office,
    )


def return_notice(
    reg: Registry, *, actor: Actor, office: str, notice_id: str, reason: str
) -> None:
    """Send a notice back to the centre: it does not concern the act it names."""
    if not isinstance(reason, str) or not reason.strip():
        raise InvalidInput([Violation("reason", "required")])
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "mention.add", office, target=notice_id)
        acts.open_notice(uow.conn, office, notice_id)
        uow.record(
            office,
            ev.NoticeReturned(
                notice_id=notice_id,
                reason=reason.strip()[:400],
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(actor, "notice.return", office=office, target=notice_id)


def restore(reg: Registry, client: CentreLink, office: str) -> int:
    """Rebuild a lost office from the centre's copy of its journal; returns its head.

    The office key must be back in the key store (from its backup): the restored
    journal is verified against it, and the office continues its own sequence.
    """
    with reg.engine.begin() as conn:  # all or nothing: a failed restore leaves no trace
        head = lock_office(conn, office)
        if head.seq:
            raise Conflict("office.exists", {"code": office})
        while True:
            answer = client.journal(head.seq)
            rows = [
                WireEntry.from_json(office, raw) for raw in answer.get("entries") or []
            ]
            if not rows:
                break
            store_replicas(
                conn,
                office,
                [
                    replica_row(w.entry, w.recorded_at, decode(w.entry).type)
                    for w in rows
                ],
            )
            head = Head(rows[-1].entry.seq, rows[-1].entry.entry_hash)
        report = verify_office(conn, office, reg.keys.signer(office).public_key_hex)
        if not report.ok:
            raise DomainError(
                "journal.broken",
                {"office": office, "seq": report.broken_at, "reason": report.reason},
            )
        for entry in entries(conn, office):
            projection.apply(conn, office, decode(entry))
        note_link(conn, office, pushed_seq=head.seq)
    return head.seq


def record_event(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    kind: str,
    parties: object,
    mention: object,
) -> str:
    """Enter a marriage, divorce or judgment to be routed to the birth office of each party.

    ``parties`` name each person concerned (names, and when known birth act reference,
    civil identifier, birth date); ``mention`` is what their birth acts will carry.
    """
    checked, body = check_event(kind, parties, mention)
    return enter_event(
        reg,
        actor=actor,
        office=office,
        kind=kind,
        parties=checked,
        mention=body,
        action="event.record",
    )


def check_event(
    kind: str, parties: object, mention: object, *, act_kind: str = "birth"
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The parties and the mention of an event to record, checked as each act (a
    birth act, or for a ruling on a death act, that act) will carry it; raises
    InvalidInput naming each problem."""
    problems: list[Violation] = []
    if kind not in MENTION_KINDS or kind in ("death",):
        problems.append(
            Violation(
                "kind",
                "choice",
                {"choices": ", ".join(k for k in MENTION_KINDS if k != "death")},
            )
        )
    if (
        not isinstance(parties, list)
        or not parties
        or len(parties) > 2
        or not all(
            isinstance(p, dict) and isinstance(p.get("names"), dict) for p in parties
        )
    ):
        problems.append(Violation("parties", "required"))
    if (
        kind in ("marriage", "divorce")
        and isinstance(parties, list)
        and len(parties) != 2
    ):
        problems.append(Violation("parties", "choice", {"choices": "two spouses"}))
    if not isinstance(mention, dict):
        problems.append(Violation("mention", "type.object"))
    if problems:
        raise InvalidInput(problems)
    parties = cast(list[dict[str, Any]], parties)
    mention = cast(dict[str, Any], mention)
    try:
        canonical_json([parties, mention])
    except (TypeError, ValueError):
        raise InvalidInput([Violation("mention", "type.object")]) from None
    body = {**mention, "kind": kind}
    sample = body
    if kind in ("marriage", "divorce"):
        sample = {
            **body,
            "data": {**(body.get("data") or {}), "spouse": parties[1]["names"]},
        }
    read_mention(sample, act_kind=act_kind)  # what each act will carry, checked now
    return parties, body


def enter_event(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    kind: str,
    parties: list[dict[str, Any]],
    mention: dict[str, Any],
    action: Literal["event.record", "judgment.submit"],
) -> str:
    """Journal a checked event under the use case ``action``; at the centre, route it."""
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        if action == "judgment.submit":  # courts and prosecutors, for the nation
            authorize(uow, actor, "judgment.submit", office)
        else:
            national = actor.role in ("system", "ministry")
            authorize(uow, actor, "event.record", None if national else office)
        record_id = reg.new_id()
        event = ev.EventRecorded(
            record_id=record_id,
            kind=kind,
            parties=parties,
            mention=mention,
            at=uow.now,
            by=actor.username,
        )
        seq = uow.record(office, event)
        if office == CENTRE:  # recorded at the centre: routed at once
            routes = routes_for(uow.conn, CENTRE, event)
            issue_notices(uow, reg, CENTRE, seq, event, routes)
        uow.audit(
            actor,
            action,
            office=office,
            target=record_id,
            detail={"kind": kind},
        )
    return record_id
