"""The officer's desk: the signing queue, the notices to apply, closing a register,
issuing an extract or a full copy.

The same use cases as ``sijill act sign``, ``sijill notice apply|return``,
``sijill register close`` and ``sijill document issue``; the office is the signed-in
officer's own.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Path, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from sijill.documents.service import issue_document, list_documents
from sijill.domain.errors import Conflict, InvalidInput
from sijill.domain.offices import Actor
from sijill.search.service import draft_duplicates
from sijill.services import acts, queries, worklists
from sijill.services.context import Registry
from sijill.sync.office import apply_notice, pending_notices, return_notice
from sijill.web import forms
from sijill.web.counter import Page, draft_context, own_office
from sijill.web.deps import CurrentActor, language

DraftId = Annotated[str, Path(max_length=36)]
# The oldest drafts first, a page at a time: the page stays light on a slow link.
QUEUE_PAGE = 15


def officer_router(reg: Registry, page: Page) -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse, include_in_schema=False)

    @router.get("/drafts")
    def queue(request: Request, actor: CurrentActor) -> Response:
        """The drafts waiting for signature, each with its duplicate warnings."""
        office = own_office(actor)
        rows = queries.list_drafts(reg, actor=actor, office=office)
        items = [
            draft_context(
                row,
                draft_duplicates(
                    reg, actor=actor, office=office, draft_id=row["draft_id"]
                ),
            )
            for row in rows[:QUEUE_PAGE]
        ]
        return page(request, "queue.html", {"items": items, "waiting": len(rows)})

    @router.post("/drafts/{draft_id}/sign")
    def sign(
        request: Request,
        draft_id: DraftId,
        actor: CurrentActor,
        despite_duplicates: Annotated[str, Form(max_length=5)] = "",
    ) -> Response:
        """Sign a draft; with probable duplicates, only once the officer confirms."""
        office = own_office(actor)
        found = draft_duplicates(reg, actor=actor, office=office, draft_id=draft_id)
        if found and despite_duplicates != "on":
            row = worklists.get_draft(
                reg, actor=actor, office=office, draft_id=draft_id
            )
            refusal = Conflict("draft.duplicates_unconfirmed")
            response = page(
                request,
                "draft.html",
                {**draft_context(row, found), "refusal": refusal},
            )
            response.status_code = 409
            return response
        ref = acts.sign_act(reg, actor=actor, office=office, draft_id=draft_id)
        return RedirectResponse(f"/acts/{ref}", status_code=303)

    @router.get("/notices")
    def notices(request: Request, actor: CurrentActor) -> Response:
        """Notices from the centre waiting to be applied as mentions, or sent back."""
        return _notices_page(request, actor)

    def _notices_page(
        request: Request,
        actor: Actor,
        refused: dict[str, forms.Refusal] | None = None,
        typed: dict[str, str] | None = None,
    ) -> Response:
        office = own_office(actor)
        rows = pending_notices(reg, actor=actor, office=office)
        response = page(
            request,
            "notices.html",
            {"notices": rows, "refused": refused or {}, "typed": typed or {}},
        )
        if refused:
            response.status_code = 422
        return response

    @router.post("/notices/{notice_id}/apply")
    def apply(request: Request, notice_id: DraftId, actor: CurrentActor) -> Response:
        """Apply a notice: its mention, signed, on the act it names."""
        office = own_office(actor)
        notice = next(
            (
                n
                for n in pending_notices(reg, actor=actor, office=office)
                if n["notice_id"] == notice_id
            ),
            None,
        )
        apply_notice(reg, actor=actor, office=office, notice_id=notice_id)
        target = notice["target_ref"] if notice else None
        return RedirectResponse(
            f"/acts/{target}" if target else "/notices", status_code=303
        )

    @router.post("/notices/{notice_id}/return")
    def send_back(
        request: Request,
        notice_id: DraftId,
        actor: CurrentActor,
        reason: Annotated[str, Form(max_length=400)] = "",
    ) -> Response:
        """Send a notice back to the centre, with the reason it does not concern us."""
        office = own_office(actor)
        try:
            return_notice(
                reg, actor=actor, office=office, notice_id=notice_id, reason=reason
            )
        except InvalidInput as error:
            refused = {notice_id: forms.refusal(error, language(request))}
            return _notices_page(request, actor, refused, {notice_id: reason})
        return RedirectResponse("/notices", status_code=303)

    @router.get("/offices/{code}/registers/{year}/{kind}/close")
    def close_form(
        request: Request,
        code: str,
        year: Annotated[int, Path(ge=1, le=9999)],
        kind: Annotated[str, Path(pattern="^(birth|death)$")],
        actor: CurrentActor,
    ) -> Response:
        """What closing means, before the officer confirms it."""
        found = [
            r
            for r in queries.list_registers(reg, office=code)
            if r["year"] == year and r["kind"] == kind
        ]
        return page(
            request,
            "close.html",
            {
                "code": code,
                "year": year,
                "kind": kind,
                "register": found[0] if found else None,
            },
        )

    @router.post("/offices/{code}/registers/{year}/{kind}/close")
    def close(
        request: Request,
        code: str,
        year: Annotated[int, Path(ge=1, le=9999)],
        kind: Annotated[str, Path(pattern="^(birth|death)$")],
        actor: CurrentActor,
    ) -> Response:
        """Close a yearly register, on or after 31 December."""
        acts.close_register(reg, actor=actor, office=code, year=year, kind=kind)
        return RedirectResponse(f"/offices/{code}", status_code=303)

    @router.post("/documents/issue")
    def issue(
        request: Request,
        actor: CurrentActor,
        ref: Annotated[str, Form(max_length=48)],
        kind: Annotated[str, Form(max_length=12)],
        lang: Annotated[str, Form(max_length=10)] = "bilingual",
        requested_for: Annotated[str, Form(max_length=160)] = "",
    ) -> Response:
        """Issue an extract or a full copy: the sealed PDF, to print."""
        document = issue_document(
            reg,
            actor=actor,
            ref=ref,
            kind=kind,
            lang=lang,
            requested_for=requested_for.strip() or None,
        )
        name = document.number.replace(":", "-") + ".pdf"
        return Response(
            document.pdf,
            media_type="application/pdf",
            headers={
                "Content-Disposition": f'attachment; filename="{name}"',
                "X-Document-Number": document.number,
            },
        )

    @router.get("/documents")
    def register_of_documents(request: Request, actor: CurrentActor) -> Response:
        """The office's document register, newest first, each with its public check."""
        office = own_office(actor)
        rows = list_documents(reg, actor=actor, office=office)
        return page(request, "documents.html", {"documents": rows})

    return router
