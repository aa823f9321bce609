"""The centre's network endpoints: journals in, notices out, a lost office's journal back."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from sijill.domain.errors import InvalidInput, Violation
from sijill.services.context import Registry
from sijill.sync import centre
from sijill.sync.audit import receive_audit
from sijill.sync.projector import Worker
from sijill.sync.protocol import MAX_BODY, request_digest, unb64
from sijill.web.deps import CurrentActor


async def _body(request: Request) -> bytes:
    declared = int(request.headers.get("content-length") or 0)
    if declared > MAX_BODY:
        raise InvalidInput([Violation("body", "text.too_long", {"max": MAX_BODY})])
    body = await request.body()
    if len(body) > MAX_BODY:
        raise InvalidInput([Violation("body", "text.too_long", {"max": MAX_BODY})])
    return body


def _authenticate(reg: Registry, request: Request, office: str, body: bytes) -> None:
    """The caller must be ``office``, proven by a fresh signature of its key."""
    headers = request.headers
    try:
        signature = unb64(headers.get("x-sijill-signature", ""))
    except ValueError:
        signature = b""
    at = headers.get("x-sijill-time", "")
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    digest = request_digest(office, request.method, path, at, body)
    if headers.get("x-sijill-office") != office:
        signature = b""
    centre.verify_request(reg, office, digest, signature, at, reg.now())


def router(reg: Registry, projector: Worker) -> APIRouter:
    api = APIRouter(prefix="/api/sync")

    @api.post("/journal")
    async def receive(request: Request) -> JSONResponse:
        import json

        body = await _body(request)
        try:
            parsed: Any = json.loads(body)
        except ValueError:
            raise InvalidInput([Violation("body", "type.object")]) from None
        with projector.receiving():
            result = await run_in_threadpool(centre.receive_batch, reg, body=parsed)
        status = 200 if result.refused_seq is None else 409
        return JSONResponse(result.to_json(), status_code=status)

    @api.get("/notices/{office}")
    async def notices(
        request: Request, office: str, after: Annotated[int, Query(ge=0)] = 0
    ) -> dict[str, Any]:
        _authenticate(reg, request, office, await _body(request))
        return await run_in_threadpool(
            centre.notices_for, reg, office=office, after=after
        )

    @api.get("/journal/{office}")
    async def journal(
        request: Request, office: str, after: Annotated[int, Query(ge=0)] = 0
    ) -> dict[str, Any]:
        _authenticate(reg, request, office, await _body(request))
        return await run_in_threadpool(
            centre.journal_of, reg, office=office, after=after
        )

    @api.post("/audit/{office}")
    async def audit(request: Request, office: str) -> JSONResponse:
        import json

        body = await _body(request)
        _authenticate(reg, request, office, body)
        try:
            parsed: Any = json.loads(body)
        except ValueError:
            raise InvalidInput([Violation("body", "type.object")]) from None
        result = await run_in_threadpool(receive_audit, reg, office=office, body=parsed)
        status = 200 if result.refused_seq is None else 409
        return JSONResponse(result.to_json(), status_code=status)

    @api.get("/status")
    def status(actor: CurrentActor) -> dict[str, Any]:
        return centre.network_status(reg, actor=actor)

    return api
