"""The current-state tables as a projection of the journal.

``apply`` is the only code that writes the derived tables; services call it right
after appending the event, and a rebuild calls it again for every stored entry, so
the two paths cannot drift apart.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from sijill.digitize.tables import legacy_acts
from sijill.documents.tables import documents
from sijill.domain import events as ev
from sijill.search.index import index_act, index_acts
from sijill.store import tables as t
from sijill.store.bulk import insert_tuples
from sijill.store.engine import upsert


def _office_opened(conn: Connection, office: str, e: ev.OfficeOpened) -> None:
    conn.execute(insert(t.offices), dict(**e.office, opened_at=e.at))
    conn.execute(
        insert(t.office_keys),
        {
            "key_id": e.key_id,
            "office_code": office,
            "public_key": e.public_key,
            "created_at": e.at,
        },
    )


def _office_key_rotated(conn: Connection, office: str, e: ev.OfficeKeyRotated) -> None:
    conn.execute(
        insert(t.office_keys),
        {
            "key_id": e.key_id,
            "office_code": office,
            "public_key": e.public_key,
            "created_at": e.at,
        },
    )


def _staff_appointed(conn: Connection, office: str, e: ev.StaffAppointed) -> None:
    conn.execute(
        insert(t.staff),
        {
            "user_id": e.user_id,
            "office_code": office,
            "username": e.username,
            "role": e.role,
            "full_name_ar": e.full_name_ar,
            "full_name_fr": e.full_name_fr,
            "active": True,
            "appointed_at": e.at,
        },
    )


def _staff_relieved(conn: Connection, office: str, e: ev.StaffRelieved) -> None:
    conn.execute(
        update(t.staff)
        .where(t.staff.c.user_id == e.user_id)
        .values(active=False, relieved_at=e.at)
    )


def _predeclaration_received(
    conn: Connection, office: str, e: ev.PredeclarationReceived
) -> None:
    conn.execute(
        insert(t.predeclarations),
        {
            "office_code": office,
            "predeclaration_id": e.predeclaration_id,
            "kind": e.kind,
            "sender_kind": e.sender_kind,
            "sender_name": e.sender_name,
            "sender_ref": e.sender_ref,
            "data": e.data,
            "status": "received",
            "received_at": e.at,
        },
    )


def _draft_created(conn: Connection, office: str, e: ev.DraftCreated) -> None:
    conn.execute(
        insert(t.drafts),
        {
            "office_code": office,
            "draft_id": e.draft_id,
            "kind": e.kind,
            "data": e.data,
            "status": "open",
            "predeclaration_id": e.predeclaration_id,
            "created_by": e.by,
            "created_at": e.at,
            "updated_at": e.at,
        },
    )
    if e.predeclaration_id is not None:
        conn.execute(
            update(t.predeclarations)
            .where(
                t.predeclarations.c.office_code == office,
                t.predeclarations.c.predeclaration_id == e.predeclaration_id,
            )
            .values(status="drafted", draft_id=e.draft_id)
        )


def _draft_row(office: str, draft_id: str) -> Any:
    return (t.drafts.c.office_code == office) & (t.drafts.c.draft_id == draft_id)


def _draft_amended(conn: Connection, office: str, e: ev.DraftAmended) -> None:
    conn.execute(
        update(t.drafts)
        .where(_draft_row(office, e.draft_id))
        .values(data=e.data, updated_at=e.at)
    )


def _draft_cancelled(conn: Connection, office: str, e: ev.DraftCancelled) -> None:
    conn.execute(
        update(t.drafts)
        .where(_draft_row(office, e.draft_id))
        .values(status="cancelled", cancel_reason=e.reason, updated_at=e.at)
    )
    # A court's judgment must still be carried out: its draft cancelled, it is to be
    # drafted again (a hospital's pre-declaration is not: the clerk cancelled it).
    conn.execute(
        update(t.predeclarations)
        .where(
            t.predeclarations.c.office_code == office,
            t.predeclarations.c.draft_id == e.draft_id,
            t.predeclarations.c.sender_kind == "court",
        )
        .values(status="received", draft_id=None)
    )


def _act_signed(
    conn: Connection,
    office: str,
    e: ev.ActSigned,
    keys: list[tuple[str, str, Any]] | None = None,
) -> None:
    person = e.data["child"] if e.kind == "birth" else e.data["deceased"]
    event_day = e.data["birth_date"] if e.kind == "birth" else e.data["death_date"]
    conn.execute(
        insert(t.acts),
        {
            "office_code": office,
            "act_id": e.act_id,
            "ref": e.ref,
            "kind": e.kind,
            "year": e.year,
            "number": e.number,
            "civil_id": e.civil_id,
            "draft_id": e.draft_id,
            "first_name_ar": person["first_name_ar"],
            "family_name_ar": person["family_name_ar"],
            "first_name_lat": person["first_name_lat"],
            "family_name_lat": person["family_name_lat"],
            "sex": e.data["sex"],
            "event_date": date.fromisoformat(event_day),
            "data": e.data,
            "provisional": e.provisional,
            "signed_by": e.by,
            "signed_at": e.at,
        },
    )
    predeclaration = conn.execute(
        update(t.drafts)
        .where(_draft_row(office, e.draft_id))
        .values(status="signed", act_id=e.act_id, updated_at=e.at)
        .returning(t.drafts.c.predeclaration_id)
    ).scalar_one_or_none()
    if predeclaration is not None:
        # Drafted from a declaratory judgment's notice (its id is the
        # pre-declaration's): the act signed, the judgment is carried out.
        conn.execute(
            update(t.office_notices)
            .where(
                _office_notice_row(office, predeclaration),
                t.office_notices.c.status == "received",
                t.office_notices.c.kind.like("declaratory_%"),
            )
            .values(status="applied", closed_at=e.at)
        )
    _set_register(conn, office, e.year, e.kind, last_number=e.number)
    if keys is None:
        index_act(conn, office, e)
    else:
        keys.append((e.act_id, e.kind, e.data))


def _mention_added(conn: Connection, office: str, e: ev.MentionAdded) -> None:
    conn.execute(
        insert(t.mentions),
        {
            "office_code": office,
            "mention_id": e.mention_id,
            "act_id": e.act_id,
            "seq": e.seq,
            "kind": e.kind,
            "authority": e.authority,
            "source_ref": e.source_ref,
            "source_date": date.fromisoformat(e.source_date),
            "data": e.data,
            "signed_by": e.by,
            "signed_at": e.at,
            "notice_id": e.notice_id,
        },
    )
    if e.notice_id is not None:
        conn.execute(
            update(t.office_notices)
            .where(_office_notice_row(e.notice_office or office, e.notice_id))
            .values(status="applied", closed_at=e.at, mention_id=e.mention_id)
        )


def _register_closed(conn: Connection, office: str, e: ev.RegisterClosed) -> None:
    _set_register(
        conn,
        office,
        e.year,
        e.kind,
        last_number=e.last_number,
        closed_at=e.at,
        closed_by=e.by,
    )


def _register_opened(conn: Connection, office: str, e: ev.RegisterOpened) -> None:
    conn.execute(
        upsert(conn, t.registers)
        .values(office_code=office, year=e.year, kind=e.kind, last_number=0)
        .on_conflict_do_nothing()
    )


def _set_register(
    conn: Connection, office: str, year: int, kind: str, **values: Any
) -> None:
    """A register comes into being with its first act, or with its closing if empty."""
    conn.execute(
        upsert(conn, t.registers)
        .values(office_code=office, year=year, kind=kind, **values)
        .on_conflict_do_update(
            index_elements=[
                t.registers.c.office_code,
                t.registers.c.year,
                t.registers.c.kind,
            ],
            set_=values,
        )
    )


def _notice_received(conn: Connection, office: str, e: ev.NoticeReceived) -> None:
    conn.execute(
        insert(t.office_notices),
        {
            "office_code": office,
            "notice_id": e.notice_id,
            "notice_seq": e.notice_seq,
            "kind": e.kind,
            "target_ref": e.target_ref,
            "mention": e.mention,
            "source": e.source,
            "status": "received",
            "received_at": e.at,
        },
    )
    if e.kind.startswith("declaratory_"):
        # A late registration ordered by a court: no act to write on yet. The clerk
        # drafts it like a pre-declaration, under the notice's id.
        judgment = e.mention.get("source") or {}
        conn.execute(
            insert(t.predeclarations),
            {
                "office_code": office,
                "predeclaration_id": e.notice_id,
                "kind": e.kind.removeprefix("declaratory_"),
                "sender_kind": "court",
                "sender_name": str(judgment.get("court", ""))[:120],
                "sender_ref": str(judgment.get("reference", ""))[:60],
                "data": e.mention.get("data") or {},
                "status": "received",
                "received_at": e.at,
            },
        )
    # At the centre, the journals of a merged office and of the office holding its
    # registers are applied independently: the mention may already be there.
    applied = conn.execute(
        select(t.mentions.c.mention_id, t.mentions.c.signed_at).where(
            t.mentions.c.notice_id == e.notice_id
        )
    ).first()
    if applied is not None:
        conn.execute(
            update(t.office_notices)
            .where(_office_notice_row(office, e.notice_id))
            .values(
                status="applied",
                closed_at=applied.signed_at,
                mention_id=applied.mention_id,
            )
        )


def _notice_returned(conn: Connection, office: str, e: ev.NoticeReturned) -> None:
    conn.execute(
        update(t.office_notices)
        .where(_office_notice_row(office, e.notice_id))
        .values(status="returned", closed_at=e.at, return_reason=e.reason)
    )
    conn.execute(  # a declaratory judgment sent back is no longer to be drafted
        update(t.predeclarations)
        .where(
            t.predeclarations.c.office_code == office,
            t.predeclarations.c.predeclaration_id == e.notice_id,
        )
        .values(status="returned")
    )


def _office_notice_row(office: str, notice_id: str) -> Any:
    return (t.office_notices.c.office_code == office) & (
        t.office_notices.c.notice_id == notice_id
    )


def _event_recorded(conn: Connection, office: str, e: ev.EventRecorded) -> None:
    conn.execute(
        insert(t.recorded_events),
        {
            "office_code": office,
            "record_id": e.record_id,
            "kind": e.kind,
            "parties": e.parties,
            "mention": e.mention,
            "recorded_at": e.at,
            "recorded_by": e.by,
        },
    )


def _office_enrolled(conn: Connection, office: str, e: ev.OfficeEnrolled) -> None:
    conn.execute(
        insert(t.enrolled_keys),
        {
            "key_id": e.key_id,
            "office_code": e.office,
            "public_key": e.public_key,
            "enrolled_at": e.at,
        },
    )


def _office_key_revoked(conn: Connection, office: str, e: ev.OfficeKeyRevoked) -> None:
    conn.execute(
        update(t.enrolled_keys)
        .where(t.enrolled_keys.c.key_id == e.key_id)
        .values(revoked_at=e.at)
    )


def _notice_issued(conn: Connection, office: str, e: ev.NoticeIssued) -> None:
    routed = e.target_office is not None
    conn.execute(
        insert(t.notices),
        {
            "notice_id": e.notice_id,
            "notice_seq": _next_notice_seq(conn) if routed else None,
            "target_office": e.target_office,
            "target_ref": e.target_ref,
            "kind": e.kind,
            "source": e.source,
            "subject": e.subject,
            "mention": e.mention,
            "candidates": e.candidates,
            "status": "issued" if routed else "matching",
            "issued_at": e.at,
            "routed_at": e.at if routed else None,
        },
    )


def _notice_matched(conn: Connection, office: str, e: ev.NoticeMatched) -> None:
    conn.execute(
        update(t.notices)
        .where(t.notices.c.notice_id == e.notice_id)
        .values(
            notice_seq=_next_notice_seq(conn),
            target_office=e.target_office,
            target_ref=e.target_ref,
            status="issued",
            routed_at=e.at,
            matched_by=e.by,
        )
    )


def _next_notice_seq(conn: Connection) -> int:
    """Notices are numbered in the order they are routed: offices pull them by cursor."""
    last = conn.execute(select(func.max(t.notices.c.notice_seq))).scalar_one()
    return int(last or 0) + 1


def _document_issued(conn: Connection, office: str, e: ev.DocumentIssued) -> None:
    conn.execute(
        insert(documents),
        {
            "office_code": office,
            "number": e.number,
            "year": e.year,
            "seq": e.seq,
            "kind": e.kind,
            "lang": e.lang,
            "act_id": e.act_id,
            "act_ref": e.ref,
            "mentions": e.mentions,
            "key_id": e.key_id,
            "claims": e.claims,
            "seal": e.seal,
            "requested_for": e.requested_for,
            "issued_at": e.at,
            "issued_by": e.by,
        },
    )


_ACT_COLUMNS = (
    "office_code",
    "act_id",
    "ref",
    "kind",
    "year",
    "number",
    "civil_id",
    "draft_id",
    "first_name_ar",
    "family_name_ar",
    "first_name_lat",
    "family_name_lat",
    "sex",
    "event_date",
    "data",
    "provisional",
    "signed_by",
    "signed_at",
    "status",
)
_PROVENANCE_COLUMNS = (
    "office_code",
    "act_id",
    "batch_id",
    "page",
    "line",
    "keyers",
    "adjudicator",
    "reviewer",
)


def _legacy_acts_loaded(conn: Connection, office: str, e: ev.LegacyActsLoaded) -> None:
    """A chunk of digitized acts: set-based inserts of the acts, their provenance, keys."""
    person, day = (
        ("child", "birth_date") if e.kind == "birth" else ("deceased", "death_date")
    )
    acts: list[tuple[Any, ...]] = []
    provenance: list[tuple[Any, ...]] = []
    for a in e.acts:
        data, act_id = a["data"], a["act_id"]
        names = data[person]
        acts.append(
            (
                office,
                act_id,
                a["ref"],
                e.kind,
                e.year,
                a["number"],
                None,  # no civil identifier
                act_id,  # a legacy act had no draft
                names["first_name_ar"],
                names["family_name_ar"],
                names["first_name_lat"],
                names["family_name_lat"],
                data["sex"],
                date.fromisoformat(data[day]),
                data,
                [],
                e.by,
                e.at,
                "digitized",
            )
        )
        provenance.append(
            (
                office,
                act_id,
                e.batch_id,
                a["page"],
                a["line"],
                a["keyers"],
                a.get("adjudicator"),
                e.reviewer,
            )
        )
    insert_tuples(conn, t.acts, _ACT_COLUMNS, acts)
    insert_tuples(conn, legacy_acts, _PROVENANCE_COLUMNS, provenance)
    index_acts(conn, office, ((a["act_id"], e.kind, a["data"]) for a in e.acts))
    if e.acts:
        _raise_register(conn, office, e.year, e.kind, max(a["number"] for a in e.acts))


def _raise_register(
    conn: Connection, office: str, year: int, kind: str, highest: int
) -> None:
    register = (
        (t.registers.c.office_code == office)
        & (t.registers.c.year == year)
        & (t.registers.c.kind == kind)
    )
    last = conn.execute(select(t.registers.c.last_number).where(register)).scalar()
    if last is None or last < highest:
        _set_register(conn, office, year, kind, last_number=highest)


_HANDLERS: dict[type[ev.Event], Callable[[Connection, str, Any], None]] = {
    ev.OfficeOpened: _office_opened,
    ev.OfficeKeyRotated: _office_key_rotated,
    ev.StaffAppointed: _staff_appointed,
    ev.StaffRelieved: _staff_relieved,
    ev.PredeclarationReceived: _predeclaration_received,
    ev.DraftCreated: _draft_created,
    ev.DraftAmended: _draft_amended,
    ev.DraftCancelled: _draft_cancelled,
    ev.ActSigned: _act_signed,
    ev.MentionAdded: _mention_added,
    ev.RegisterClosed: _register_closed,
    ev.RegisterOpened: _register_opened,
    ev.NoticeReceived: _notice_received,
    ev.NoticeReturned: _notice_returned,
    ev.EventRecorded: _event_recorded,
    ev.OfficeEnrolled: _office_enrolled,
    ev.OfficeKeyRevoked: _office_key_revoked,
    ev.NoticeIssued: _notice_issued,
    ev.NoticeMatched: _notice_matched,
    ev.DocumentIssued: _document_issued,
    ev.LegacyActsLoaded: _legacy_acts_loaded,
}


def _join_order_handlers() -> None:
    from sijill.orders.projection import ORDER_HANDLERS

    _HANDLERS.update(ORDER_HANDLERS)


_join_order_handlers()


def apply(conn: Connection, office: str, event: ev.Event) -> None:
    """Bring the current-state tables up to date with one event of ``office``."""
    _HANDLERS[type(event)](conn, office, event)


def apply_many(conn: Connection, office: str, events: Iterable[ev.Event]) -> None:
    """``apply`` each event in order; the name keys of their acts are written once, last.

    Nothing in the projection reads the name keys, so the tables end exactly as with
    ``apply`` one event at a time, with one bulk write of keys instead of one per act.
    """
    keys: list[tuple[str, str, Any]] = []
    for event in events:
        if isinstance(event, ev.ActSigned):
            _act_signed(conn, office, event, keys)
        else:
            apply(conn, office, event)
    index_acts(conn, office, keys)


def cursors_to_heads(conn: Connection) -> None:
    """After a full replay, every journal the centre follows is applied up to its head."""
    heads = select(t.journal_heads.c.last_seq).where(
        t.journal_heads.c.office_code == t.projection_cursors.c.office_code
    )
    conn.execute(
        update(t.projection_cursors).values(
            applied_seq=func.coalesce(heads.scalar_subquery(), 0),
            stalled_seq=None,
            stalled_reason=None,
        )
    )


def mentions_of(conn: Connection, office: str, act_id: str) -> list[dict[str, Any]]:
    """The marginal mentions of an act, in the order they were added."""
    return [
        m._asdict()
        for m in conn.execute(
            select(t.mentions)
            .where(t.mentions.c.office_code == office, t.mentions.c.act_id == act_id)
            .order_by(t.mentions.c.seq)
        )
    ]
