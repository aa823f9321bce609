"""Orders at the centre: placed, matched to exactly one act, routed to its office.

An order names the person of a birth act by their details; the centre looks for the act
with the registry's search and routes the order, as a notice over the network, to the
office holding it. Details matching no act, or several, reject the order with the
reason; nothing is guessed. The same idempotency key always gives the same order.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Connection, insert, select
from sqlalchemy.exc import IntegrityError

from sijill.domain import events as ev
from sijill.domain.errors import Conflict, Forbidden, InvalidInput, NotFound, Violation
from sijill.domain.journal import canonical_json
from sijill.domain.mentions import current_state
from sijill.domain.namekeys import SAME
from sijill.domain.offices import Actor
from sijill.domain.orders import (
    ORDER_ALPHABET,
    OrderRequest,
    read_order,
    tracking_number,
)
from sijill.orders.ports import OrderPorts, PaymentRefused
from sijill.orders.tables import order_events, orders
from sijill.search.criteria import Criteria, read_criteria
from sijill.search.query import find_candidates
from sijill.search.ranking import Names, best_match, names_of
from sijill.services.authz import STAFF, authorize
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.engine import upsert
from sijill.store.projection import mentions_of
from sijill.store.uow import UnitOfWork
from sijill.sync.protocol import CENTRE

CHANNELS = {"citizen": "account", "public": "remote"}
PUBLIC = Actor("public", "public", None)


def _digest(request: OrderRequest) -> str:
    asked = {
        "kind": request.kind,
        "lang": request.lang,
        "copies": request.copies,
        "subject": request.subject,
        "requester": request.requester,
        "delivery": request.delivery,
    }
    return hashlib.sha256(canonical_json(asked)).hexdigest()


def _order_number(reg: Registry) -> str:
    chars = "".join(ORDER_ALPHABET[reg.random_below(32)] for _ in range(10))
    return f"SJ-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def search_criteria(request: OrderRequest) -> tuple[Criteria, Criteria]:
    """The search for the order's act (all names), and its narrow form (no parents).

    Details the search cannot take are refused naming the field under ``subject``.
    """
    s = request.subject
    asked = {
        "name": f"{s['first_name']} {s['family_name']}",
        "father": s.get("father"),
        "mother": s.get("mother"),
        "kind": "birth",
        "date_from": s["birth_date"],
        "date_to": s["birth_date"],
        "ref": s.get("act_ref"),
    }
    try:
        criteria = read_criteria(asked)
        narrow = read_criteria({**asked, "father": None, "mother": None})
    except InvalidInput as error:
        raise InvalidInput(
            [
                Violation(f"subject.{v.field}", v.rule, v.params)
                for v in error.violations
            ]
        ) from None
    return criteria, narrow


def match(conn: Connection, request: OrderRequest) -> tuple[list[Any], int]:
    """The birth acts the order's details designate exactly, and how many that is.

    The search is asked for the person's name on the day of birth (and the act
    reference when given): few acts share both, so the parents' names are then
    compared on those candidates with the search's own name comparison.
    """
    criteria, narrow = search_criteria(request)
    assert narrow.date_to is not None  # the day of birth, which an order must give
    rows = find_candidates(conn, narrow, None, today=narrow.date_to)
    exact = [
        r
        for r in rows
        if all(
            _same(words, names_of(field, r.kind, r.data))
            for field, words in criteria.names.items()
        )
    ]
    return exact[:10], len(exact)


def _same(words: list[str], names: Names) -> bool:
    """The asked name is the act's (as spelled there, or judged the same by the keys)."""
    asked = " ".join(words).casefold()
    if any(asked == name.casefold() for name in names.full + names.fields):
        return True
    return best_match(words, names)[0] >= SAME


def as_it_stands(conn: Connection, row: Any) -> dict[str, Any]:
    """The act's data with its mentions applied: what entitlement is checked against."""
    return current_state(
        row.kind, row.data, mentions_of(conn, row.office_code, row.act_id)
    )


def requester_act(conn: Connection, request: OrderRequest) -> dict[str, Any] | None:
    ref = request.requester.get("birth_act_ref")
    if not ref:
        return None
    row = conn.execute(select(t.acts).where(t.acts.c.ref == ref)).first()
    return as_it_stands(conn, row) if row is not None else None


def charge(
    ports: OrderPorts, request: OrderRequest, number: str, placed_by: str
) -> tuple[str, str] | None:
    """Take the fee (once per order number, however often asked); None if declined."""
    if request.payment["method"] == "counter":
        return "counter", f"counter:{placed_by}"
    try:
        reference = ports.payments.charge(
            amount_centimes=ports.fee(request.copies),
            token=str(request.payment.get("token")),
            key=number,
        )
    except PaymentRefused:
        return None
    return "online", reference


def place_order(
    reg: Registry, *, actor: Actor, body: object, ports: OrderPorts
) -> dict[str, Any]:
    """Accept an order: checked, numbered and kept as received, in one short transaction.

    Malformed input (naming the field), a counter payment asked by anyone but a clerk,
    or a key already used for another order is refused at once and writes nothing. The
    centre's processor (``sijill.orders.processing``) then matches the act, checks the
    requester's entitlement, takes the fee and routes the order, or rejects it with the
    reason. The same idempotency key always gives the same order.
    """
    request = read_order(body)
    if request.payment["method"] == "counter" and actor.role not in STAFF:
        raise InvalidInput([Violation("payment.method", "order.counter_only")])
    if not reg.keys.has(CENTRE):
        raise Conflict("order.not_centre", {})
    search_criteria(request)
    try:
        return _accept(reg, actor, request, ports)
    except IntegrityError:
        # The order number drawn was taken (one chance in 32¹⁰): draw another.
        return _accept(reg, actor, request, ports)


def _existing(uow: UnitOfWork, request: OrderRequest) -> Any:
    row = uow.conn.execute(
        select(orders).where(orders.c.idempotency_key == request.idempotency_key)
    ).first()
    if row is not None and row.request_digest != _digest(request):
        raise Conflict("order.idempotency_conflict", {})
    return row


def _accept(
    reg: Registry, actor: Actor, request: OrderRequest, ports: OrderPorts
) -> dict[str, Any]:
    # The audit entries are queued (chained a moment later, in batches): orders
    # accepted at once never wait for each other on the chain's end.
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "order.place", None)
        row = _insert(reg, uow, actor, request, ports)
        if row is None:  # the key was used: the same order, or a conflict
            existing = _existing(uow, request)
            if existing is None:  # not seen under READ COMMITTED nor SQLite's writer
                raise Conflict("order.idempotency_conflict", {})
            uow.audit(
                actor,
                "order.resend",
                office=existing.office_code,
                target=existing.number,
                queued=True,
            )
            return order_view(existing)
        uow.audit(
            actor,
            "order.place",
            office=None,
            target=row.number,
            detail={"order": row.number, "status": row.status},
            queued=True,
        )
    return order_view(row)


def _insert(
    reg: Registry,
    uow: UnitOfWork,
    actor: Actor,
    request: OrderRequest,
    ports: OrderPorts,
) -> Any:
    """The order kept as received, with its first step; None if its key was used."""
    conn, at = uow.conn, uow.now
    order_id, number = reg.new_id(), _order_number(reg)
    values: dict[str, Any] = {
        "order_id": order_id,
        "number": number,
        "idempotency_key": request.idempotency_key,
        "request_digest": _digest(request),
        "channel": "counter"
        if actor.role in STAFF
        else CHANNELS.get(actor.role, "remote"),
        "placed_by": actor.username,
        "kind": request.kind,
        "lang": request.lang,
        "copies": request.copies,
        "relationship": request.relationship,
        "subject": request.subject,
        "requester": request.requester,
        "delivery": request.delivery,
        "authorization_id": None,
        "act_ref": None,
        "office_code": None,
        "province_code": None,
        "status": "received",
        "reason": None,
        "reason_params": None,
        "fee_centimes": ports.fee(request.copies),
        "payment_method": None,
        "payment_ref": None,
        "payment": dict(request.payment),
        "notice_id": None,
        "tracking_number": None,
        "created_at": at,
        "updated_at": at,
        "delivered_at": None,
    }
    # One statement whether the key is new or not: the resend is the rare case.
    new = (
        upsert(conn, orders)
        .on_conflict_do_nothing(index_elements=[orders.c.idempotency_key])
        .returning(orders.c.order_id)
    )
    if conn.execute(new, values).first() is None:
        return None
    conn.execute(
        insert(order_events),
        {
            "order_id": order_id,
            "seq": 1,
            "status": "received",
            "at": at,
            "by": actor.username,
            "detail": {},
        },
    )
    return _Row(values)


class _Row(dict[str, Any]):
    """A just-written order row, read like a database row."""

    def __getattr__(self, name: str) -> Any:
        return self[name]


def province_of(conn: Connection, office: str) -> str | None:
    return conn.execute(
        select(t.offices.c.province_code).where(t.offices.c.code == office)
    ).scalar_one_or_none()


def route(
    reg: Registry, uow: UnitOfWork, values: dict[str, Any], request: OrderRequest
) -> tuple[str, str]:
    """Issue the order's notice to the office holding the act; its tracking number."""
    notice_id = reg.new_id()
    requester = request.requester
    uow.record(
        CENTRE,
        ev.NoticeIssued(
            notice_id=notice_id,
            target_office=values["office_code"],
            target_ref=values["act_ref"],
            kind="order",
            source={"office": CENTRE, "order": values["number"]},
            subject={"order_id": values["order_id"]},
            mention={
                "order_id": values["order_id"],
                "number": values["number"],
                "kind": request.kind,
                "lang": request.lang,
                "copies": request.copies,
                "requested_for": f"{requester['first_name']} {requester['family_name']}"
                f" ({requester['relationship']})",
                "delivery": request.delivery,
            },
            candidates=[],
            at=uow.now,
        ),
    )
    seq = uow.conn.execute(
        select(t.notices.c.notice_seq).where(t.notices.c.notice_id == notice_id)
    ).scalar_one()
    return notice_id, tracking_number(int(seq))


def order_view(row: Any) -> dict[str, Any]:
    """What the requester is told of an order: no content of the act."""
    from sijill.domain.messages import render

    reason = row.reason
    params = dict(row.reason_params or {})
    return {
        "number": row.number,
        "status": row.status,
        "kind": row.kind,
        "lang": row.lang,
        "copies": row.copies,
        "fee_centimes": row.fee_centimes,
        "payment": row.payment_method,
        "office": row.office_code,
        "tracking_number": row.tracking_number,
        "created_at": row.created_at,
        "updated_at": row.updated_at,
        "reason": reason,
        "reason_messages": None
        if reason is None
        else {lang: render(reason, lang, **params) for lang in ("en", "ar", "fr")},
    }


def track_order(reg: Registry, *, actor: Actor, number: str) -> dict[str, Any]:
    """Where an order stands, step by step, by its number (which is hard to guess)."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "order.track", None)
        row = uow.conn.execute(select(orders).where(orders.c.number == number)).first()
        if row is None:
            raise NotFound("order.unknown", {"number": number[:20]})
        steps = uow.conn.execute(
            select(order_events.c.status, order_events.c.at)
            .where(order_events.c.order_id == row.order_id)
            .order_by(order_events.c.seq)
        ).all()
        uow.audit(
            actor, "order.track", office=row.office_code, target=number, personal=False
        )
    return {
        **order_view(row),
        "steps": [{"status": s.status, "at": s.at} for s in steps],
    }


def my_orders(reg: Registry, *, actor: Actor, limit: int = 100) -> list[dict[str, Any]]:
    """The orders a citizen placed from his account, newest first (what tracking shows
    of each; no content of any act). One-off orders, placed without an account, are
    followed by their number only."""
    if actor.role != "citizen":
        raise Forbidden("forbidden.role", {"role": actor.role, "action": "order.mine"})
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "order.track", None)
        rows = uow.conn.execute(
            select(orders)
            .where(orders.c.placed_by == actor.username, orders.c.channel == "account")
            .order_by(orders.c.created_at.desc(), orders.c.number)
            .limit(limit)
        ).all()
        uow.audit(
            actor,
            "order.track",
            office=None,
            personal=False,
            detail={"mine": len(rows)},
        )
    return [order_view(row) for row in rows]
