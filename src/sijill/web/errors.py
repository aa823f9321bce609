"""The one place that turns errors into HTTP answers (JSON or a page).

Registry errors carry their message in three languages. Anything else — an unknown
address, a malformed request, a fault of the server — gets a page of its own too, in
Arabic and French: never a stack trace. The fault itself is logged with a reference
the page shows, so a supervisor can find it.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.exceptions import HTTPException

from sijill.domain.errors import DomainError, InvalidInput, Unauthenticated
from sijill.domain.messages import render
from sijill.web.deps import language

STATUS = {
    "invalid": 422,
    "not_found": 404,
    "forbidden": 403,
    "unauthenticated": 401,
    "conflict": 409,
    "integrity": 500,
}
log = logging.getLogger("sijill.web")


def _body(code: str, rule: str, **params: object) -> dict[str, Any]:
    return {
        "error": code,
        "rule": rule,
        "message": render(rule, "en", **params),
        "message_ar": render(rule, "ar", **params),
        "message_fr": render(rule, "fr", **params),
    }


def _answer(
    request: Request,
    body: dict[str, Any],
    status: int,
    headers: Mapping[str, str] | None = None,
) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(body, status_code=status, headers=headers)
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        "error.html",
        {
            "error": body,
            "status": status,
            "lang": language(request),
            "session": getattr(request.state, "session", None),
        },
        status_code=status,
        headers=headers,
    )


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, error: DomainError) -> Response:
        status = STATUS.get(error.code, 400)
        body: dict[str, object] = {
            "error": error.code,
            "rule": error.rule,
            "message": error.message("en"),
            "message_ar": error.message("ar"),
            "message_fr": error.message("fr"),
        }
        if isinstance(error, InvalidInput):
            body["violations"] = [v.as_dict() for v in error.violations]
        if isinstance(error, Unauthenticated) and not request.url.path.startswith(
            "/api/"
        ):
            target = request.url.path + (
                "?" + request.url.query if request.url.query else ""
            )
            return RedirectResponse(
                "/login?next=" + quote(target, safe=""), status_code=303
            )
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        return _answer(request, body, status, headers)

    @app.exception_handler(HTTPException)
    async def _http_error(request: Request, error: HTTPException) -> Response:
        if error.status_code == 404:
            body = _body("not_found", "page.not_found")
        else:
            body = {"error": "http", "detail": error.detail}
            body.update(_body("http", "request.malformed", fields=str(error.detail)))
        return _answer(request, body, error.status_code, error.headers)

    @app.exception_handler(RequestValidationError)
    async def _malformed(request: Request, error: RequestValidationError) -> Response:
        fields = ", ".join(
            ".".join(str(p) for p in e.get("loc", ())[1:]) or "body"
            for e in error.errors()
        )
        body = _body("invalid", "request.malformed", fields=fields)
        if request.url.path.startswith("/api/"):
            body["detail"] = [
                {k: e.get(k) for k in ("loc", "msg", "type")} for e in error.errors()
            ]
        return _answer(request, body, 422)

    @app.exception_handler(Exception)
    async def _fault(request: Request, error: Exception) -> Response:
        reference = secrets.token_hex(4)
        log.exception("page failed (reference %s): %s", reference, request.url.path)
        return _answer(request, _body("fault", "page.failed", reference=reference), 500)
