"""The clerk's counter: declare a birth or a death, complete a pre-declaration, read a
draft with its duplicate warnings, search the office's acts.

Every screen calls the use cases the CLI and the API call (``services.drafts``,
``search``); the office is the signed-in member of staff's own.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sijill.domain.calendars import to_hijri
from sijill.domain.errors import Conflict, Forbidden, InvalidInput
from sijill.domain.offices import Actor
from sijill.search.service import draft_duplicates, search_acts
from sijill.services import drafts, worklists
from sijill.services.context import Registry
from sijill.web import forms
from sijill.web.deps import CurrentActor, language

Page = Callable[..., Response]
Kind = Annotated[str, Path(pattern="^(birth|death)$")]
Text = Annotated[str | None, Query(max_length=200)]


def own_office(actor: Actor) -> str:
    """The office a member of staff works in: the counter screens act there only."""
    if actor.office is None:
        raise Forbidden("forbidden.role", {"role": actor.role, "action": "counter"})
    return actor.office


def counter_router(reg: Registry, page: Page) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

    def form_page(
        request: Request,
        kind: str,
        values: dict[str, str],
        refused: forms.Refusal | None = None,
        predeclaration: dict[str, Any] | None = None,
        amending: str | None = None,
    ) -> Response:
        context = {
            "kind": kind,
            "sections": forms.FORMS[kind],
            "values": values,
            "predeclaration": predeclaration,
            "amending": amending,
        }
        return forms.answered(page, request, "declare.html", context, refused)

    @router.get("/declare/{kind}")
    def declare_form(
        request: Request,
        kind: Kind,
        actor: CurrentActor,
        predeclaration: Annotated[str | None, Query(max_length=36)] = None,
    ) -> Response:
        """The guided form; from a pre-declaration, what the sender knew is filled in."""
        office = own_office(actor)
        values = dict(forms.DEFAULTS[kind])
        found = None
        if predeclaration:
            found = worklists.get_predeclaration(
                reg, actor=actor, office=office, predeclaration_id=predeclaration
            )
            values.update(forms.prefill(found["data"], kind))
        return form_page(request, kind, values, predeclaration=found)

    @router.post("/declare/{kind}")
    async def declare(request: Request, kind: Kind, actor: CurrentActor) -> Response:
        """A draft for the officer to sign, or the form again with its refusals."""
        office = own_office(actor)
        form = await request.form()
        values = forms.typed(form, kind)
        predeclaration = str(form.get("predeclaration_id") or "") or None
        try:
            draft_id = drafts.draft_act(
                reg,
                actor=actor,
                office=office,
                kind=kind,
                data=forms.declaration(values, kind),
                predeclaration_id=predeclaration,
            )
        except InvalidInput as error:
            refused = forms.refusal(error, language(request), kind)
            found = {"predeclaration_id": predeclaration} if predeclaration else None
            return form_page(request, kind, values, refused, found)
        return RedirectResponse(f"/drafts/{draft_id}", status_code=303)

    @router.get("/drafts/{draft_id}")
    def draft(
        request: Request,
        draft_id: Annotated[str, Path(max_length=36)],
        actor: CurrentActor,
    ) -> Response:
        """A draft as keyed, its Hijri date, and the acts that may be the same person."""
        office = own_office(actor)
        row = worklists.get_draft(reg, actor=actor, office=office, draft_id=draft_id)
        found = (
            draft_duplicates(reg, actor=actor, office=office, draft_id=draft_id)
            if row["status"] == "open"
            else []
        )
        return page(request, "draft.html", draft_context(row, found))

    @router.get("/drafts/{draft_id}/amend")
    def amend_form(
        request: Request,
        draft_id: Annotated[str, Path(max_length=36)],
        actor: CurrentActor,
    ) -> Response:
        """The declaration form again, filled in with the draft as it stands."""
        office = own_office(actor)
        row = worklists.get_draft(reg, actor=actor, office=office, draft_id=draft_id)
        if row["status"] != "open":
            raise Conflict("draft.not_open", {"id": draft_id, "status": row["status"]})
        values = forms.prefill(row["data"], row["kind"])
        return form_page(request, row["kind"], values, amending=draft_id)

    @router.post("/drafts/{draft_id}/amend")
    async def amend(
        request: Request,
        draft_id: Annotated[str, Path(max_length=36)],
        actor: CurrentActor,
    ) -> Response:
        """The draft replaced by what is typed, re-checked whole; or the form again
        with its refusals and everything typed."""
        office = own_office(actor)
        row = await run_in_threadpool(
            lambda: worklists.get_draft(
                reg, actor=actor, office=office, draft_id=draft_id
            )
        )
        kind = row["kind"]
        values = forms.typed(await request.form(), kind)
        try:
            await run_in_threadpool(
                lambda: drafts.amend_draft(
                    reg,
                    actor=actor,
                    office=office,
                    draft_id=draft_id,
                    data=forms.declaration(values, kind),
                )
            )
        except InvalidInput as error:
            refused = forms.refusal(error, language(request), kind)
            return form_page(request, kind, values, refused, amending=draft_id)
        return RedirectResponse(f"/drafts/{draft_id}", status_code=303)

    @router.post("/drafts/{draft_id}/cancel")
    def cancel(
        request: Request,
        draft_id: Annotated[str, Path(max_length=36)],
        actor: CurrentActor,
        reason: Annotated[str, Form(max_length=400)] = "",
    ) -> Response:
        """Cancel a draft, with the reason: it stays on record, no number is used."""
        office = own_office(actor)
        try:
            drafts.cancel_draft(
                reg, actor=actor, office=office, draft_id=draft_id, reason=reason
            )
        except InvalidInput as error:
            row = worklists.get_draft(
                reg, actor=actor, office=office, draft_id=draft_id
            )
            found = draft_duplicates(reg, actor=actor, office=office, draft_id=draft_id)
            refused = forms.refusal(error, language(request))
            response = page(
                request,
                "draft.html",
                {
                    **draft_context(row, found),
                    "errors": refused.by_field,
                    "values": {"reason": reason},
                },
            )
            response.status_code = 422
            return response
        return RedirectResponse(f"/drafts/{draft_id}", status_code=303)

    @router.get("/predeclarations")
    def predeclarations(request: Request, actor: CurrentActor) -> Response:
        """Pre-declarations from hospitals, local authorities and citizens, to complete."""
        office = own_office(actor)
        rows = worklists.list_predeclarations(reg, actor=actor, office=office)
        return page(request, "predeclarations.html", {"rows": rows})

    @router.get("/search")
    def search(
        request: Request,
        actor: CurrentActor,
        name: Text = None,
        father: Text = None,
        mother: Text = None,
        date_from: Text = None,
        date_to: Text = None,
        ref: Text = None,
        civil_id: Text = None,
        kind: Text = None,
    ) -> Response:
        """The office's acts by name in either script, date, parents or reference."""
        asked = {
            k: v
            for k, v in {
                "name": name,
                "father": father,
                "mother": mother,
                "date_from": date_from,
                "date_to": date_to,
                "ref": ref,
                "civil_id": civil_id,
                "kind": kind,
            }.items()
            if v
        }
        result, refused = None, None
        if asked:
            try:
                result = search_acts(reg, actor=actor, **asked)
            except InvalidInput as error:
                refused = forms.refusal(error, language(request))
        context = {"values": asked, "result": result}
        return forms.answered(page, request, "search.html", context, refused)

    return router


def draft_context(row: dict[str, Any], found: list[Any]) -> dict[str, Any]:
    """What the draft page and the signing queue show of one draft."""
    data = row["data"]
    day = data.get("birth_date" if row["kind"] == "birth" else "death_date")
    return {
        "draft": row,
        "d": data,
        "hijri": to_hijri(date.fromisoformat(day)) if day else None,
        "duplicates": found,
    }
