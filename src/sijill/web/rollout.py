"""The roll-out dashboard for the ministry: ``/rollout`` and ``/api/rollout/status``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, Response

from sijill.rollout.dashboard import rollout_status
from sijill.services.context import Registry
from sijill.web.deps import CurrentActor

Province = Annotated[str | None, Query(max_length=16)]


def rollout_router(
    reg: Registry, page: Callable[[Request, str, dict[str, Any]], Response]
) -> APIRouter:
    router = APIRouter()

    @router.get("/api/rollout/status")
    def status(actor: CurrentActor, province: Province = None) -> dict[str, Any]:
        """Offices per province, and each onboarded office's state (ministry)."""
        return rollout_status(reg, actor=actor, province=province)

    @router.get("/rollout", response_class=HTMLResponse)
    def dashboard(
        request: Request, actor: CurrentActor, province: Province = None
    ) -> Response:
        found = rollout_status(reg, actor=actor, province=province)
        return page(request, "rollout.html", {"status": found, "province": province})

    return router
