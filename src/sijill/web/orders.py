"""Orders by post over HTTP: the JSON API under ``/api/orders`` and ``/api/envelopes``.

Anyone may place an order (a one-off order names the requester's identity document);
a signed-in citizen or clerk, or a machine with a token, places it as themselves.
The post's system records envelope statuses with a ``post_operator`` token.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, ConfigDict, Field

from sijill.domain.offices import Actor
from sijill.orders import levels, office, post
from sijill.orders.authorizations import record_authorization
from sijill.orders.ports import OrderPorts
from sijill.orders.service import PUBLIC, my_orders, place_order, track_order
from sijill.services.context import Registry
from sijill.web.deps import SESSION_COOKIE, CurrentActor, signed_in

Text = Annotated[str, Field(max_length=120)]
Code = Annotated[str, Field(max_length=24)]


class Subject(BaseModel):
    """The person of the birth act, as the requester knows them."""

    model_config = ConfigDict(extra="forbid")
    first_name: Text
    family_name: Text
    birth_date: Annotated[str, Field(max_length=10)]
    father: Text | None = None
    mother: Text | None = None
    act_ref: Annotated[str | None, Field(max_length=48)] = None


class Requester(BaseModel):
    """Who orders, their identity document and who they are to the person."""

    model_config = ConfigDict(extra="forbid")
    first_name: Text
    family_name: Text
    id_number: Annotated[str, Field(max_length=10)]
    relationship: Literal[
        "self", "parent", "child", "spouse", "guardian", "authorized", "other"
    ]
    authorization: Annotated[str | None, Field(max_length=40)] = None
    birth_act_ref: Annotated[str | None, Field(max_length=48)] = None
    email: Annotated[str | None, Field(max_length=254)] = None
    phone: Annotated[str | None, Field(max_length=16)] = None


class Delivery(BaseModel):
    """Where the post takes the envelope, in Morocco or abroad."""

    model_config = ConfigDict(extra="forbid")
    addressee: Text
    addressee_id_number: Annotated[str | None, Field(max_length=10)] = None
    line1: Text
    line2: Text | None = None
    city: Annotated[str, Field(max_length=60)]
    postal_code: Annotated[str, Field(max_length=10)]
    country: Annotated[str, Field(max_length=2)]


class Payment(BaseModel):
    model_config = ConfigDict(extra="forbid")
    method: Literal["online", "counter"] = "online"
    token: Annotated[str | None, Field(max_length=80)] = None


class OrderBody(BaseModel):
    """An order of an extract or full copy of a birth act, delivered by post."""

    model_config = ConfigDict(extra="forbid")
    idempotency_key: Annotated[str, Field(max_length=64)]
    kind: Literal["extract", "full_copy"] = "extract"
    lang: Literal["ar", "fr", "bilingual"] = "bilingual"
    copies: Annotated[int, Field(ge=1, le=5)] = 1
    subject: Subject
    requester: Requester
    delivery: Delivery
    payment: Payment = Payment()


class PostStatus(BaseModel):
    """What happened to an envelope; delivery names the identity document shown."""

    model_config = ConfigDict(extra="forbid")
    status: Literal[
        "picked_up",
        "in_transit",
        "at_post_office",
        "failed_attempt",
        "delivered",
        "returned_to_sender",
    ]
    id_number: Annotated[str | None, Field(max_length=10)] = None


class AuthorizationBody(BaseModel):
    """A person (or a judge, for a guardian) lets someone order their full copy."""

    model_config = ConfigDict(extra="forbid")
    act_ref: Annotated[str, Field(max_length=48)]
    kind: Literal["authorization", "guardianship"]
    holder_id_number: Annotated[str, Field(max_length=10)]
    holder_name: Text
    granted_by: Text


def _clean(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(exclude_none=True)


async def requester_of(request: Request) -> Actor:
    """The signed-in actor or token holder; otherwise the public (a one-off order)."""
    if request.headers.get("authorization") or request.cookies.get(SESSION_COOKIE):
        return await signed_in(request)
    return PUBLIC


def orders_router(
    reg: Registry, ports: OrderPorts, accepted: Callable[[], None] | None = None
) -> APIRouter:
    """The orders API of the centre (and of an office, for what it produces).

    ``accepted`` is told of each order accepted (the centre's processor wakes up)."""
    router = APIRouter(prefix="/api")

    @router.post("/orders", status_code=201)
    async def place(request: Request, body: OrderBody) -> dict[str, Any]:
        """Place an order; the same ``idempotency_key`` always gives the same order.

        The answer comes once the order is accepted (status ``received``); it is then
        matched and routed, or rejected with the reason: follow it by its number."""
        actor = await requester_of(request)
        placed = await run_in_threadpool(
            place_order, reg, actor=actor, body=_clean(body), ports=ports
        )
        if accepted is not None:
            accepted()
        return placed

    @router.get("/orders/overdue")
    def overdue(
        actor: CurrentActor, days: Annotated[int, Query(ge=0, le=365)] = 7
    ) -> dict[str, Any]:
        """Orders open beyond the target, per office, province and nation."""
        return levels.overdue_orders(reg, actor=actor, days=days)

    @router.get("/orders/delivery-times")
    def delivery_times(actor: CurrentActor) -> dict[str, Any]:
        """The distribution of order-to-delivery times, in days."""
        return levels.delivery_times(reg, actor=actor)

    @router.post("/orders/authorizations", status_code=201)
    def authorize_holder(
        body: AuthorizationBody, actor: CurrentActor
    ) -> dict[str, str]:
        """Record an authorization or a guardianship, at a counter."""
        code = record_authorization(reg, actor=actor, **_clean(body))
        return {"authorization": code}

    @router.get("/orders/mine")
    def mine(actor: CurrentActor) -> dict[str, Any]:
        """A citizen's own orders, placed from his account, newest first."""
        return {"orders": my_orders(reg, actor=actor)}

    @router.get("/orders/{number}")
    async def track(
        request: Request, number: Annotated[str, Path(max_length=20)]
    ) -> dict[str, Any]:
        """Where an order stands, step by step, by its number."""
        actor = await requester_of(request)
        return track_order(reg, actor=actor, number=number)

    @router.get("/envelopes")
    def envelopes(
        actor: CurrentActor,
        status: Annotated[str | None, Query(max_length=20)] = None,
    ) -> list[dict[str, Any]]:
        """The envelopes with the post: number, addressee, address, tracking number."""
        return post.envelopes_for_post(reg, actor=actor, status=status)

    @router.post("/envelopes/{tracking_number}/status")
    def envelope_status(
        tracking_number: Annotated[str, Path(max_length=13)],
        body: PostStatus,
        actor: CurrentActor,
    ) -> dict[str, Any]:
        """The post records a step of an envelope; never a step back."""
        return post.record_post_status(
            reg,
            actor=actor,
            tracking_number=tracking_number,
            status=body.status,
            id_number=body.id_number,
        )

    @router.get("/offices/{code}/orders")
    def to_produce(code: Code, actor: CurrentActor) -> dict[str, Any]:
        """The orders routed to this office, and its envelopes."""
        return office.orders_to_produce(reg, actor=actor, office=code)

    @router.post("/offices/{code}/orders/{order_id}/{step}")
    def office_step(
        code: Code,
        order_id: Annotated[str, Path(max_length=36)],
        step: Literal["produce", "post", "return"],
        actor: CurrentActor,
    ) -> dict[str, Any]:
        """The office produces an order, hands it to the post, or takes it back."""
        if step == "produce":
            return office.produce_order(
                reg, actor=actor, office=code, order_id=order_id
            )
        done = office.post_order if step == "post" else office.record_return
        return {
            "tracking_number": done(reg, actor=actor, office=code, order_id=order_id)
        }

    return router
