"""The digitization teams' screens: keying, adjudication, sampling review.

Each screen calls the same use cases as ``sijill digitize``; what a form gets wrong
comes back next to its field, with everything else that was typed kept.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from sijill.digitize import reconcile as rec
from sijill.digitize.keying import key_act, list_batches
from sijill.digitize.load import load_accepted_batch
from sijill.digitize.quality import draw_sample, review_act
from sijill.domain.errors import Forbidden, InvalidInput, NotFound, Violation
from sijill.domain.keying import FIELDS
from sijill.services.context import Registry
from sijill.web.deps import CurrentActor

Page = Callable[[Request, str, dict[str, Any]], Response]
# Fields written in Arabic on the legacy page; the others (Latin names, dates,
# numbers, codes) are typed left to right.
ARABIC = frozenset(
    {
        "first_name_ar",
        "family_name_ar",
        "birth_place",
        "death_place",
        "father_name",
        "mother_name",
        "birth_date_hijri",
        "death_date_hijri",
    }
)


def direction(field: str) -> str:
    return "rtl" if field in ARABIC else "ltr"


def _batch(reg: Registry, actor: Any, batch_id: str) -> dict[str, Any]:
    for found in list_batches(reg, actor=actor):
        if found["batch"] == batch_id:
            return found
    raise NotFound("digitize.batch_unknown", {"batch": batch_id})


async def _form(request: Request) -> dict[str, Any]:
    form = await request.form()
    return {k: v for k, v in form.multi_items() if isinstance(v, str)}


def _back(path: str, **query: object) -> Response:
    return RedirectResponse(f"{path}?{urlencode(query)}" if query else path, 303)


def digitize_router(reg: Registry, page: Page) -> APIRouter:
    router = APIRouter(prefix="/digitize", default_response_class=HTMLResponse)

    @router.get("")
    def batches(request: Request, actor: CurrentActor) -> Response:
        return page(
            request,
            "digitize_batches.html",
            {"batches": list_batches(reg, actor=actor)},
        )

    @router.get("/{batch_id}/key")
    def key_form(request: Request, batch_id: str, actor: CurrentActor) -> Response:
        batch = _batch(reg, actor, batch_id)
        q = request.query_params
        values = {"page": q.get("page", ""), "line": q.get("line", "")}
        return page(
            request,
            "digitize_key.html",
            _key_context(batch, values, {}, q.get("done")),
        )

    @router.post("/{batch_id}/key")
    async def key(request: Request, batch_id: str, actor: CurrentActor) -> Response:
        form = await _form(request)
        batch = await run_in_threadpool(_batch, reg, actor, batch_id)
        fields = {f: form.get(f, "") for f in FIELDS[batch["kind"]]}
        try:
            done = await run_in_threadpool(
                lambda: key_act(
                    reg,
                    actor=actor,
                    batch_id=batch_id,
                    page=form.get("page", ""),
                    line=form.get("line", ""),
                    fields=fields,
                )
            )
        except InvalidInput as refusal:
            errors = {v.field: v for v in refusal.violations}
            values = {
                **fields,
                "page": form.get("page", ""),
                "line": form.get("line", ""),
            }
            response = page(
                request, "digitize_key.html", _key_context(batch, values, errors, None)
            )
            response.status_code = 422
            return response
        return _back(
            f"/digitize/{batch_id}/key",
            page=done["page"],
            line=done["line"] + 1,
            done=f"{done['page']}:{done['line']}",
        )

    @router.post("/{batch_id}/reconcile")
    def reconcile(batch_id: str, actor: CurrentActor) -> Response:
        rec.reconcile_batch(reg, actor=actor, batch_id=batch_id)
        return _back("/digitize")

    @router.get("/{batch_id}/adjudicate")
    def queue(request: Request, batch_id: str, actor: CurrentActor) -> Response:
        return _queue_page(request, batch_id, actor, None)

    def _queue_page(
        request: Request, batch_id: str, actor: Any, refusal: Forbidden | None
    ) -> Response:
        batch = _batch(reg, actor, batch_id)
        found = rec.adjudication_queue(reg, actor=actor, batch_id=batch_id)
        response = page(
            request,
            "digitize_adjudicate.html",
            {
                "batch": batch,
                "queue": found,
                "refusal": refusal,
                "fields": FIELDS[batch["kind"]],
                "direction": direction,
                "decided": request.query_params.get("decided"),
            },
        )
        if refusal is not None:
            response.status_code = 403
        return response

    @router.post("/{batch_id}/adjudicate")
    async def decide(request: Request, batch_id: str, actor: CurrentActor) -> Response:
        form = await _form(request)
        take = form.get("take") or None
        value = None if take else form.get("value", "")
        try:
            await run_in_threadpool(
                lambda: rec.adjudicate(
                    reg,
                    actor=actor,
                    batch_id=batch_id,
                    page=_number("page", form.get("page")),
                    line=_number("line", form.get("line")),
                    field=form.get("field", ""),
                    value=value,
                    take=take,
                )
            )
        except Forbidden as refusal:
            if refusal.rule != "digitize.own_batch":
                raise
            return await run_in_threadpool(
                _queue_page, request, batch_id, actor, refusal
            )
        return _back(
            f"/digitize/{batch_id}/adjudicate",
            decided=f"{form.get('page')}:{form.get('line')}:{form.get('field')}",
        )

    @router.get("/{batch_id}/review")
    def sample(request: Request, batch_id: str, actor: CurrentActor) -> Response:
        batch = _batch(reg, actor, batch_id)
        drawn = (
            draw_sample(reg, actor=actor, batch_id=batch_id)
            if batch["status"] == "sampled"
            else None
        )
        return page(
            request,
            "digitize_review.html",
            {
                "batch": batch,
                "sample": drawn,
                "fields": FIELDS[batch["kind"]],
                "direction": direction,
            },
        )

    @router.post("/{batch_id}/sample")
    def draw(batch_id: str, actor: CurrentActor) -> Response:
        draw_sample(reg, actor=actor, batch_id=batch_id)
        return _back(f"/digitize/{batch_id}/review")

    @router.post("/{batch_id}/review")
    async def review(request: Request, batch_id: str, actor: CurrentActor) -> Response:
        form = await request.form()
        wrong = [str(v) for v in form.getlist("errors")]
        await run_in_threadpool(
            lambda: review_act(
                reg,
                actor=actor,
                batch_id=batch_id,
                page=_number("page", str(form.get("page", ""))),
                line=_number("line", str(form.get("line", ""))),
                errors=wrong,
            )
        )
        return _back(f"/digitize/{batch_id}/review")

    @router.post("/{batch_id}/load")
    def load(batch_id: str, actor: CurrentActor) -> Response:
        load_accepted_batch(reg, actor=actor, batch_id=batch_id)
        return _back("/digitize")

    return router


def _number(name: str, text: str | None) -> int:
    """A page or line sent back by the screen's own forms."""
    if text is None or not text.isascii() or not text.isdigit():
        raise InvalidInput([Violation(name, "keying.position")])
    return int(text)


def _key_context(
    batch: dict[str, Any],
    values: dict[str, str],
    errors: dict[str, Any],
    done: str | None,
) -> dict[str, Any]:
    return {
        "batch": batch,
        "fields": FIELDS[batch["kind"]],
        "values": values,
        "errors": errors,
        "done": done,
        "direction": direction,
        "first": _first(values, errors, FIELDS[batch["kind"]]),
    }


def _first(
    values: dict[str, str], errors: dict[str, Any], fields: tuple[str, ...]
) -> str:
    """Where the cursor starts: the first field refused; on a fresh form the page; on
    the next line of a page, its first field."""
    for name in ("page", "line", *fields):
        if name in errors:
            return name
    return "page" if not values.get("page") else fields[0]
