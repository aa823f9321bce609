"""The one place that turns registry errors into HTTP answers (JSON or a page)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from sijill.domain.errors import DomainError, InvalidInput, Unauthenticated

STATUS = {
    "invalid": 422,
    "not_found": 404,
    "forbidden": 403,
    "unauthenticated": 401,
    "conflict": 409,
    "integrity": 500,
}


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
        if request.url.path.startswith("/api/"):
            headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
            return JSONResponse(body, status_code=status, headers=headers)
        if isinstance(error, Unauthenticated):
            target = request.url.path + (
                "?" + request.url.query if request.url.query else ""
            )
            return RedirectResponse(
                "/login?next=" + quote(target, safe=""), status_code=303
            )
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request,
            "error.html",
            {
                "error": body,
                "status": status,
                "session": getattr(request.state, "session", None),
            },
            status_code=status,
        )
