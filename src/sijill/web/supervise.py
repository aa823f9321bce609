"""The supervisor's screens: the province's quality figures, overdue notices and
orders, the time orders take to be delivered, and the queue of suspected duplicates.
Each calls the use case the CLI and the API call."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.orders import levels
from sijill.quality.province import province_quality
from sijill.search import review
from sijill.services.context import Registry
from sijill.sync.overdue import OVERDUE_DAYS, overdue_notices
from sijill.web.deps import CurrentActor
from sijill.web.order_pages import STEPS

Page = Callable[[Request, str, dict[str, Any]], Response]
# Who may decide on a pair (search.review.decide): the officer, or the ministry.
DECIDERS = frozenset({"officer", "delegate", "ministry"})


def supervise_router(reg: Registry, page: Page) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse)

    @router.get("/supervise")
    def overview(
        request: Request,
        actor: CurrentActor,
        province: Annotated[str | None, Query(max_length=12)] = None,
        days: Annotated[int, Query(ge=1, le=3650)] = OVERDUE_DAYS,
    ) -> Response:
        offices = province_quality(reg, actor=actor, by="office", province=province)
        batches = province_quality(reg, actor=actor, by="batch", province=province)
        overdue = overdue_notices(
            reg, actor=actor, province=province, overdue_days=days
        )
        late_orders = levels.overdue_orders(reg, actor=actor)
        delivery = levels.delivery_times(reg, actor=actor)
        return page(
            request,
            "supervise.html",
            {
                "offices": offices,
                "batches": batches,
                "overdue": overdue,
                "late_orders": late_orders,
                "delivery": delivery,
                "order_steps": STEPS,
                "worst_field": _worst_field,
            },
        )

    @router.get("/duplicates")
    def duplicates(request: Request, actor: CurrentActor) -> Response:
        return page(
            request,
            "duplicates.html",
            {
                "pairs": review.review_queue(reg, actor=actor),
                "may_decide": actor.role in DECIDERS,
                "outcome": request.query_params.get("decided"),
            },
        )

    @router.post("/duplicates/{review_id}")
    def decide(
        review_id: str,
        actor: CurrentActor,
        decision: Annotated[str, Form(max_length=10)],
        note: Annotated[str, Form(max_length=500)] = "",
    ) -> Response:
        review.decide(
            reg, actor=actor, review_id=review_id, decision=decision, note=note
        )
        return RedirectResponse(f"/duplicates?decided={decision}", 303)

    return router


def _worst_field(figure: dict[str, Any]) -> tuple[str, float] | None:
    """The field the two keyings disagree on most often, and its rate per act."""
    rates: dict[str, float] = figure["disagreement_rate"]
    return max(rates.items(), key=lambda item: item[1]) if rates else None
