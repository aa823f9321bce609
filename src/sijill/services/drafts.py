"""Drafting acts: by hand, or from a pre-declaration (Law 36-21); amending, cancelling."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select

from sijill.domain import events as ev
from sijill.domain.acts import KINDS, read_declaration, to_data
from sijill.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Violation
from sijill.domain.journal import canonical_json
from sijill.domain.offices import Actor
from sijill.domain.parse import Reader
from sijill.domain.rules import Assessment, assess
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import geography
from sijill.store import tables as t
from sijill.store.uow import UnitOfWork

SENDER_KINDS = ("hospital", "local_authority", "citizen")
_MAX_PREDECLARATION_BYTES = 20_000


def validated(kind: str, data: object, now: Any) -> tuple[dict[str, Any], Assessment]:
    """The declaration's canonical data, once every rule of the day has been checked,
    and what the rules flagged (a first name accepted provisionally)."""
    if kind not in KINDS:
        raise InvalidInput([Violation("kind", "choice", {"choices": ", ".join(KINDS)})])
    declaration = read_declaration(kind, data)
    assessment = assess(declaration, at=now, place_names=geography.place_names())
    result: dict[str, Any] = to_data(declaration)
    return result, assessment


def draft_act(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    kind: str,
    data: Mapping[str, Any],
    predeclaration_id: str | None = None,
) -> str:
    """Draft a birth or death act for the officer to sign; returns the draft id."""
    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "draft.write", office)
        clean, _ = validated(kind, data, now)
        if predeclaration_id is not None:
            _open_predeclaration(uow.conn, office, predeclaration_id, kind)
        draft_id = reg.new_id()
        uow.record(
            office,
            ev.DraftCreated(
                draft_id=draft_id,
                kind=kind,
                data=clean,
                predeclaration_id=predeclaration_id,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(actor, "draft.create", office=office, target=draft_id)
    return draft_id


def register_birth(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    data: Mapping[str, Any],
    predeclaration_id: str | None = None,
) -> str:
    """Register a declared birth as a draft awaiting the officer's signature."""
    return draft_act(
        reg,
        actor=actor,
        office=office,
        kind="birth",
        data=data,
        predeclaration_id=predeclaration_id,
    )


def register_death(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    data: Mapping[str, Any],
    predeclaration_id: str | None = None,
) -> str:
    """Register a declared death as a draft awaiting the officer's signature."""
    return draft_act(
        reg,
        actor=actor,
        office=office,
        kind="death",
        data=data,
        predeclaration_id=predeclaration_id,
    )


def open_draft(conn: Connection, office: str, draft_id: str) -> Any:
    """The draft row, which must exist and still be open."""
    row = conn.execute(
        select(t.drafts).where(
            t.drafts.c.office_code == office, t.drafts.c.draft_id == draft_id
        )
    ).first()
    if row is None:
        raise NotFound("draft.unknown", {"id": draft_id})
    if row.status != "open":
        raise Conflict("draft.not_open", {"id": draft_id, "status": row.status})
    return row


def amend_draft(
    reg: Registry, *, actor: Actor, office: str, draft_id: str, data: Mapping[str, Any]
) -> None:
    """Replace a draft's content before signature (the whole declaration, re-checked)."""
    uow, now = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "draft.write", office, target=draft_id)
        row = open_draft(uow.conn, office, draft_id)
        clean, _ = validated(row.kind, data, now)
        uow.record(
            office,
            ev.DraftAmended(
                draft_id=draft_id, data=clean, at=uow.now, by=actor.username
            ),
        )
        uow.audit(actor, "draft.amend", office=office, target=draft_id)


def cancel_draft(
    reg: Registry, *, actor: Actor, office: str, draft_id: str, reason: str
) -> None:
    """Cancel a draft: it stays on record with the reason; no act number is consumed."""
    r = Reader({"reason": reason})
    reason_ = r.text("reason", max_length=400)
    r.raise_if_invalid()
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "draft.write", office, target=draft_id)
        open_draft(uow.conn, office, draft_id)
        uow.record(
            office,
            ev.DraftCancelled(
                draft_id=draft_id,
                reason=reason_,
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(actor, "draft.cancel", office=office, target=draft_id)


def _open_predeclaration(
    conn: Connection, office: str, predeclaration_id: str, kind: str
) -> None:
    row = conn.execute(
        select(t.predeclarations).where(
            t.predeclarations.c.office_code == office,
            t.predeclarations.c.predeclaration_id == predeclaration_id,
        )
    ).first()
    if row is None:
        raise NotFound("predeclaration.unknown", {"id": predeclaration_id})
    if row.status != "received":
        raise Conflict(
            "predeclaration.used", {"id": predeclaration_id, "status": row.status}
        )
    if row.kind != kind:
        raise InvalidInput([Violation("kind", "choice", {"choices": row.kind})])


def submit_predeclaration(
    reg: Registry,
    *,
    actor: Actor,
    office: str,
    kind: str,
    sender_kind: str,
    sender_name: str,
    sender_ref: str,
    data: object,
) -> str:
    """Receive a pre-declaration from a hospital, a local authority or a citizen.

    What the sender knows may be incomplete (a hospital does not choose the first
    name), so only its shape is checked here; the clerk completes it into a draft.
    """
    r = Reader(
        {
            "kind": kind,
            "sender_kind": sender_kind,
            "sender_name": sender_name,
            "sender_ref": sender_ref,
            "data": data,
        }
    )
    kind_ = r.choice("kind", KINDS)
    sender_kind_ = r.choice("sender_kind", SENDER_KINDS)
    sender_name_ = r.text("sender_name", max_length=120)
    sender_ref_ = r.text("sender_ref", max_length=60)
    if r.child("data") is not None and isinstance(data, Mapping):
        try:
            size = len(canonical_json(data))
        except (TypeError, ValueError):
            r.fail("data", "type.object")
        else:
            if size > _MAX_PREDECLARATION_BYTES:
                r.fail("data", "text.too_long", max=_MAX_PREDECLARATION_BYTES)
    r.raise_if_invalid()
    if actor.role in SENDER_KINDS and sender_kind_ != actor.role:
        # A hospital's token does not speak for a local authority or a citizen.
        raise Forbidden(
            "forbidden.role", {"role": actor.role, "action": f"send as {sender_kind_}"}
        )
    uow, _ = reg.unit_of_work()
    with uow:
        uow.lock(office)
        authorize(uow, actor, "predeclaration.submit", office)
        if (
            uow.conn.execute(
                select(t.offices.c.code).where(t.offices.c.code == office)
            ).first()
            is None
        ):
            raise NotFound("office.unknown", {"code": office})
        predeclaration_id = reg.new_id()
        uow.record(
            office,
            ev.PredeclarationReceived(
                predeclaration_id=predeclaration_id,
                kind=kind_,
                sender_kind=sender_kind_,
                sender_name=sender_name_,
                sender_ref=sender_ref_,
                data=dict(data),  # type: ignore[call-overload]
                at=uow.now,
                by=actor.username,
            ),
        )
        uow.audit(
            actor, "predeclaration.submit", office=office, target=predeclaration_id
        )
    return predeclaration_id


def predeclaration_data(
    uow: UnitOfWork, office: str, predeclaration_id: str
) -> dict[str, Any]:
    row = uow.conn.execute(
        select(t.predeclarations.c.data).where(
            t.predeclarations.c.office_code == office,
            t.predeclarations.c.predeclaration_id == predeclaration_id,
        )
    ).first()
    if row is None:
        raise NotFound("predeclaration.unknown", {"id": predeclaration_id})
    return dict(row.data)
