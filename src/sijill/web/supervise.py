"""The supervisor's screens: the province's quality figures and overdue notices, and
the queue of suspected duplicates. Each calls the use case the CLI calls."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.quality.province import province_quality
from sijill.search import review
from sijill.services.context import Registry
from sijill.sync.overdue import OVERDUE_DAYS, overdue_notices
from sijill.web.deps import CurrentActor

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
        return page(
            request,
            "supervise.html",
            {
                "offices": offices,
                "batches": batches,
                "overdue": overdue,
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
