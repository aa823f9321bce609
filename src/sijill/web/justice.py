"""Courts and prosecutors submit their rulings (at the centre): a form over the same
use case as the API and the CLI, refusals shown next to their fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sijill.domain.errors import InvalidInput
from sijill.domain.mentions import correctable_fields
from sijill.services.context import Registry
from sijill.sync.justice import RULINGS, submit_ruling
from sijill.web.deps import CurrentActor

Page = Callable[[Request, str, dict[str, Any]], Response]
# What the form offers each authority (a recognition names a father: not on this form).
FORM_KINDS = {
    "court": ("correction_judgment", "annulment"),
    "prosecutor": ("correction_prosecutor",),
}
TEXT = ("kind", "act", "source.reference", "source.date", "data.field", "data.value",
        "data.reason")  # fmt: skip


def _fields(role: str) -> dict[str, tuple[str, ...]]:
    """The fields the role's correction may change, per kind of act (birth, death)."""
    kinds = [k for k in FORM_KINDS.get(role, ()) if k.startswith("correction")]
    if not kinds:
        return {}
    return {act: correctable_fields(kinds[0], act) for act in ("birth", "death")}


def justice_router(reg: Registry, page: Page) -> APIRouter:
    router = APIRouter(prefix="/rulings", default_response_class=HTMLResponse)

    def form_page(
        request: Request,
        actor: Any,
        values: dict[str, str],
        errors: dict[str, Any],
    ) -> Response:
        return page(
            request,
            "rulings.html",
            {
                "kinds": FORM_KINDS.get(actor.role, ()),
                "fields": _fields(actor.role),
                "values": values,
                "errors": errors,
                "sent": request.query_params.get("sent"),
            },
        )

    @router.get("")
    def ruling_form(request: Request, actor: CurrentActor) -> Response:
        if actor.role not in RULINGS:  # the page of a use case one may not call
            submit_ruling(reg, actor=actor, kind="", act="", source={}, data={})
        return form_page(request, actor, {}, {})

    @router.post("")
    async def submit(request: Request, actor: CurrentActor) -> Response:
        form = await request.form()
        values = {k: str(form.get(k, "")).strip() for k in TEXT}
        kind = values["kind"]
        data = (
            {"reason": values["data.reason"]}
            if kind == "annulment"
            else {"field": values["data.field"], "value": values["data.value"]}
        )
        try:
            record = await run_in_threadpool(
                lambda: submit_ruling(
                    reg,
                    actor=actor,
                    kind=kind,
                    act=values["act"],
                    source={
                        "reference": values["source.reference"],
                        "date": values["source.date"],
                    },
                    data=data,
                )
            )
        except InvalidInput as refusal:
            errors = {v.field: v for v in refusal.violations}
            response = form_page(request, actor, values, errors)
            response.status_code = 422
            return response
        return RedirectResponse(f"/rulings?sent={record}", 303)

    return router
