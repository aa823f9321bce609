"""Courts and prosecutors submit their rulings (at the centre): a form over the same
use case as the API and the CLI, refusals shown next to their fields."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sijill.domain.errors import InvalidInput
from sijill.domain.mentions import correctable_fields
from sijill.services.authz import POLICY
from sijill.services.context import Registry
from sijill.sync.justice import RULINGS, submit_declaratory_judgment, submit_ruling
from sijill.web import forms
from sijill.web.deps import CurrentActor, language

Page = Callable[[Request, str, dict[str, Any]], Response]
Kind = Annotated[str, Path(pattern="^(birth|death)$")]
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

    def declaratory_page(
        request: Request,
        kind: str,
        values: dict[str, str],
        refused: forms.Refusal | None = None,
    ) -> Response:
        context = {
            "kind": kind,
            "sections": forms.DECLARATORY_FORMS[kind],
            "values": values,
            "sent": request.query_params.get("sent"),
        }
        return forms.answered(page, request, "declaratory.html", context, refused)

    @router.get("/declaratory/{kind}")
    def declaratory_form(request: Request, kind: Kind, actor: CurrentActor) -> Response:
        """A court orders a birth or a death registered late."""
        if actor.role not in POLICY["judgment.declare"]:  # a use case one may not call
            submit_declaratory_judgment(
                reg, actor=actor, kind=kind, office="", judgment={}, declaration={}
            )
        return declaratory_page(request, kind, dict(forms.DEFAULTS[kind]))

    @router.post("/declaratory/{kind}")
    async def declaratory(
        request: Request, kind: Kind, actor: CurrentActor
    ) -> Response:
        form = await request.form()
        values = forms.typed(form, kind)
        values["office"] = str(form.get("office") or "").strip()
        declaration = forms.declaration(values, kind)
        judgment = declaration.pop("judgment", None) or {}
        try:
            record = await run_in_threadpool(
                lambda: submit_declaratory_judgment(
                    reg,
                    actor=actor,
                    kind=kind,
                    office=values["office"],
                    judgment=judgment,
                    declaration=declaration,
                )
            )
        except InvalidInput as refusal:
            found = forms.refusal(refusal, language(request), kind)
            return declaratory_page(request, kind, values, found)
        return RedirectResponse(f"/rulings/declaratory/{kind}?sent={record}", 303)

    return router
