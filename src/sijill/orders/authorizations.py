"""Authorizations and guardianships: who may order a full copy for someone else.

A person lets someone order their full copy (an authorization), or a judgment names a
guardian; either is recorded at a counter and checked when the holder orders: an
unknown code, or one recorded for another act or another holder, is refused.
"""

from __future__ import annotations

from sqlalchemy import insert, select

from sijill.domain.errors import InvalidInput, NotFound, Violation
from sijill.domain.offices import Actor
from sijill.domain.orders import AUTHORIZED_BY_RECORD, ORDER_ALPHABET, OrderRequest
from sijill.orders.tables import order_authorizations
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.uow import UnitOfWork


def check_authorization(
    uow: UnitOfWork, actor: Actor, request: OrderRequest, ref: str
) -> tuple[bool, str | None]:
    """Whether the requester may order for ``ref``, and the authorization they hold.

    A code unknown, of another kind, or recorded for another act or another holder is
    refused, and the refusal audited.
    """
    kind = AUTHORIZED_BY_RECORD.get(request.relationship)
    if kind is None:
        return True, None
    code = str(request.requester.get("authorization"))
    row = uow.conn.execute(
        select(order_authorizations).where(
            order_authorizations.c.authorization_id == code
        )
    ).first()
    if (
        row is None
        or row.kind != kind
        or row.act_ref != ref
        or row.holder_id_number != request.requester.get("id_number")
    ):
        uow.audit(
            actor,
            "order.place",
            office=ref.split("/")[0],
            target=ref,
            outcome="denied",
            detail={"rule": "order.authorization_unknown", "authorization": code[:40]},
        )
        return False, None
    return True, str(row.authorization_id)


def record_authorization(
    reg: Registry,
    *,
    actor: Actor,
    act_ref: str,
    kind: str,
    holder_id_number: str,
    holder_name: str,
    granted_by: str,
) -> str:
    """Record, at a counter, that a person (or a judge) lets someone order their full copy."""
    from sijill.domain.identifiers import ActRef
    from sijill.domain.orders import is_id_number

    problems: list[Violation] = []
    try:
        ref: ActRef | None = ActRef.parse(act_ref, field="act_ref")
    except InvalidInput as refusal:  # named with the other fields, not alone
        ref, problems = None, list(refusal.violations)
    if kind not in ("authorization", "guardianship"):
        problems.append(
            Violation("kind", "choice", {"choices": "authorization, guardianship"})
        )
    if not is_id_number(holder_id_number or ""):
        problems.append(Violation("holder_id_number", "order.id_number"))
    for field, value in (("holder_name", holder_name), ("granted_by", granted_by)):
        if not value or not value.strip() or len(value) > 120:
            problems.append(Violation(field, "required"))
    if problems or ref is None:
        raise InvalidInput(problems)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "order.authorize", None, target=str(ref))
        if (
            uow.conn.execute(
                select(t.acts.c.act_id).where(t.acts.c.ref == str(ref))
            ).first()
            is None
        ):
            raise NotFound("act.unknown", {"ref": str(ref)})
        code = "AUT-" + "".join(ORDER_ALPHABET[reg.random_below(32)] for _ in range(12))
        uow.conn.execute(
            insert(order_authorizations).values(
                authorization_id=code,
                kind=kind,
                act_ref=str(ref),
                holder_id_number=holder_id_number,
                holder_name=holder_name.strip(),
                granted_by=granted_by.strip(),
                recorded_at=uow.now,
                recorded_by=actor.username,
                recorded_office=actor.office,
            )
        )
        uow.audit(
            actor,
            "order.authorize",
            office=ref.office,
            target=str(ref),
            detail={"kind": kind},
        )
    return code
