"""The pages of orders by post: the citizen's order form and tracking page, the
office's orders to produce, the post's envelopes. Each calls the same use case as the
JSON API; forms of a signed-in user carry the session's CSRF token."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.domain.errors import Conflict, DomainError, InvalidInput
from sijill.orders import office, post
from sijill.orders.ports import OrderPorts
from sijill.orders.service import my_orders, place_order, track_order
from sijill.services.context import Registry
from sijill.web.deps import CurrentActor
from sijill.web.orders import requester_of

Page = Callable[[Request, str, dict[str, Any]], Response]

STEPS: dict[str, tuple[str, str]] = {
    "received": ("استلم الطلب", "Commande reçue"),
    "matched": ("عثر على الرسم", "Acte trouvé"),
    "routed": ("أحيل على مكتب الرسم", "Transmise au bureau de l'acte"),
    "produced": ("أنجزت الوثيقة ووقعت", "Document établi et signé"),
    "posted": ("سلم للبريد", "Remise à la poste"),
    "picked_up": ("تسلمه البريد", "Prise en charge par la poste"),
    "in_transit": ("في الطريق", "En cours d'acheminement"),
    "at_post_office": ("وصل إلى مكتب البريد", "Arrivée au bureau de poste"),
    "failed_attempt": ("تعذر التسليم", "Tentative de remise échouée"),
    "delivered": ("سلم للمرسل إليه", "Remise au destinataire"),
    "returned_to_sender": ("أعيد إلى المرسل", "Retournée à l'expéditeur"),
    "returned": ("عاد إلى المكتب", "Revenue au bureau"),
    "rejected": ("مرفوض", "Refusée"),
}
FORM_FIELDS = {
    "subject": (
        "first_name",
        "family_name",
        "birth_date",
        "father",
        "mother",
        "act_ref",
    ),
    "requester": (
        "first_name",
        "family_name",
        "id_number",
        "relationship",
        "authorization",
        "email",
        "phone",
    ),
    "delivery": ("addressee", "line1", "line2", "city", "postal_code", "country"),
}


def _body(form: dict[str, str]) -> dict[str, Any]:
    body: dict[str, Any] = {
        "idempotency_key": form.get("idempotency_key", ""),
        "kind": form.get("kind", "extract"),
        "lang": form.get("lang", "bilingual"),
        "copies": int(form["copies"]) if form.get("copies", "").isdigit() else 0,
        "payment": {"method": "online", "token": form.get("payment_token", "")},
    }
    for group, names in FORM_FIELDS.items():
        body[group] = {
            n: form[f"{group}_{n}"]
            for n in names
            if form.get(f"{group}_{n}", "").strip()
        }
    return body


def order_pages(
    reg: Registry,
    ports: OrderPorts,
    page: Page,
    accepted: Callable[[], None] | None = None,
) -> APIRouter:
    """The order pages, rendered with the application's ``page``."""
    router = APIRouter(default_response_class=HTMLResponse)

    def form_page(
        request: Request, form: dict[str, str], error: Any = None
    ) -> Response:
        context = {
            "form": form,
            "error": error,
            "key": form.get("idempotency_key") or secrets.token_urlsafe(18),
        }
        response = page(request, "order_form.html", context)
        if error is not None:
            response.status_code = 422
        return response

    @router.get("/orders/new")
    def new_order(request: Request) -> Response:
        """The order form: anyone may order, signed in or with their ID number."""
        return form_page(request, {})

    @router.post("/orders/new")
    async def send_order(request: Request) -> Response:
        form = {k: str(v)[:260] for k, v in (await request.form()).items()}
        actor = await requester_of(request)
        try:
            placed = place_order(reg, actor=actor, body=_body(form), ports=ports)
        except InvalidInput as error:
            return form_page(request, form, error)
        except DomainError as error:
            return form_page(request, form, error)
        if accepted is not None:
            accepted()
        return RedirectResponse(f"/orders/track?number={placed['number']}", 303)

    @router.get("/orders/track")
    async def track(
        request: Request, number: Annotated[str | None, Query(max_length=20)] = None
    ) -> Response:
        """Where an order stands, by its number."""
        found = None
        if number:
            actor = await requester_of(request)
            found = track_order(reg, actor=actor, number=number.strip().upper())
        response = page(
            request,
            "order_track.html",
            {"order": found, "number": number, "steps": STEPS},
        )
        if found is not None and found["status"] == "received":
            # Being matched and routed at the centre: the page looks again shortly.
            response.headers["Refresh"] = "2"
        return response

    @router.get("/orders/mine")
    def mine(request: Request, actor: CurrentActor) -> Response:
        """The orders a citizen placed from his account, each with where it stands."""
        found = my_orders(reg, actor=actor)
        return page(request, "orders_mine.html", {"orders": found, "steps": STEPS})

    @router.get("/orders/to-produce")
    def my_office(actor: CurrentActor) -> Response:
        """The orders of the signed-in member of staff's own office."""
        return RedirectResponse(f"/offices/{actor.office or '-'}/orders", 303)

    @router.get("/offices/{code}/orders")
    def to_produce(
        request: Request, code: Annotated[str, Path(max_length=24)], actor: CurrentActor
    ) -> Response:
        """The officer's orders to produce, and the envelopes to post."""
        found = office.orders_to_produce(reg, actor=actor, office=code)
        context = {"code": code, "steps": STEPS, **found}
        return page(request, "orders_office.html", context)

    @router.post("/offices/{code}/orders/{order_id}/{step}/form")
    def office_step(
        code: Annotated[str, Path(max_length=24)],
        order_id: Annotated[str, Path(max_length=36)],
        step: str,
        actor: CurrentActor,
    ) -> Response:
        if step == "produce":
            office.produce_order(reg, actor=actor, office=code, order_id=order_id)
        elif step == "post":
            office.post_order(reg, actor=actor, office=code, order_id=order_id)
        else:
            office.record_return(reg, actor=actor, office=code, order_id=order_id)
        return RedirectResponse(f"/offices/{code}/orders", 303)

    def envelopes_page(
        request: Request, actor: Any, error: DomainError | None = None
    ) -> Response:
        found = post.envelopes_for_post(reg, actor=actor)
        context = {"envelopes": found, "steps": STEPS, "error": error}
        response = page(request, "envelopes.html", context)
        if error is not None:
            response.status_code = 422 if isinstance(error, InvalidInput) else 409
        return response

    @router.get("/envelopes")
    def envelopes(request: Request, actor: CurrentActor) -> Response:
        """The post operator's envelopes, with a status form for each."""
        return envelopes_page(request, actor)

    @router.post("/envelopes/{tracking}/form")
    def envelope_step(
        request: Request,
        tracking: Annotated[str, Path(max_length=13)],
        status: Annotated[str, Form(max_length=20)],
        actor: CurrentActor,
        id_number: Annotated[str, Form(max_length=10)] = "",
    ) -> Response:
        """A refused step (a status going back, someone else's card) is answered
        above the list, which the operator keeps in front of them."""
        try:
            post.record_post_status(
                reg,
                actor=actor,
                tracking_number=tracking,
                status=status,
                id_number=id_number or None,
            )
        except (InvalidInput, Conflict) as error:
            return envelopes_page(request, actor, error)
        return RedirectResponse("/envelopes", 303)

    return router
