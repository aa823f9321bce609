"""The one place that turns registry errors into HTTP answers (JSON or a page)."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.templating import Jinja2Templates

from sijill.domain.errors import DomainError, InvalidInput

STATUS = {
    "invalid": 422,
    "not_found": 404,
    "unauthenticated": 401,
    "forbidden": 403,
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
            return JSONResponse(body, status_code=status)
        templates: Jinja2Templates = request.app.state.templates
        return templates.TemplateResponse(
            request, "error.html", {"error": body, "status": status}, status_code=status
        )
