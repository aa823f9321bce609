"""Signing in and out, and choosing a password with an administrator's one-time code."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from sijill.auth import accounts, preferences, sessions
from sijill.auth.secrets import new_token, same
from sijill.domain.errors import InvalidInput, Unauthenticated
from sijill.web.deps import SESSION_COOKIE, CurrentActor, registry, session_of

# Before a session exists, the sign-in form is tied to this cookie (no login CSRF).
FORM_COOKIE = "sijill_form"


def _lang(request: Request) -> str:
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "ar"
    return lang if lang in ("ar", "fr") else "ar"


def _safe_next(target: str | None) -> str:
    """Only a path on this site: never "//elsewhere" or "https://elsewhere"."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    return target


def _form(
    request: Request, name: str, context: dict[str, object], status: int = 200
) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    token = new_token()
    response = templates.TemplateResponse(
        request,
        name,
        {"lang": _lang(request), "form_token": token, **context},
        status_code=status,
    )
    response.set_cookie(
        FORM_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=request.url.scheme == "https",
        max_age=3600,
    )
    if request.query_params.get("lang") in ("ar", "fr"):
        response.set_cookie("lang", _lang(request), max_age=365 * 86400, samesite="lax")
    return response


def _form_checked(request: Request, sent: str) -> None:
    cookie = request.cookies.get(FORM_COOKIE, "")
    if not cookie or not same(cookie, sent):
        from sijill.domain.errors import Forbidden

        raise Forbidden("auth.csrf")


def auth_router() -> APIRouter:
    router = APIRouter(default_response_class=HTMLResponse)

    @router.get("/login")
    def login_form(request: Request, next: str | None = None) -> Response:
        return _form(request, "login.html", {"next": _safe_next(next), "error": None})

    @router.post("/login")
    def login(
        request: Request,
        username: Annotated[str, Form(max_length=40)],
        password: Annotated[str, Form(max_length=200)],
        csrf_token: Annotated[str, Form(max_length=100)],
        totp: Annotated[str, Form(max_length=10)] = "",
        next: Annotated[str, Form(max_length=500)] = "/",
    ) -> Response:
        _form_checked(request, csrf_token)
        try:
            session = sessions.sign_in(
                registry(request),
                username=username.strip(),
                password=password,
                totp=totp or None,
                previous=request.cookies.get(SESSION_COOKIE),
                source=request.client.host if request.client else "unknown",
            )
        except Unauthenticated as refusal:
            return _form(
                request,
                "login.html",
                {"next": _safe_next(next), "error": refusal, "username": username},
                status=401,
            )
        response = RedirectResponse(_safe_next(next), status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            session.token,
            httponly=True,
            samesite="strict",
            secure=request.url.scheme == "https",
            max_age=int(sessions.LIFETIME.total_seconds()),
            path="/",
        )
        response.delete_cookie(FORM_COOKIE)
        chosen = preferences.language_of(
            registry(request), username=session.actor.username
        )
        if chosen is not None:
            response.set_cookie("lang", chosen, max_age=365 * 86400, samesite="lax")
        return response

    @router.post("/logout")
    def logout(request: Request, actor: CurrentActor) -> Response:
        session = session_of(request)
        if session is not None:
            sessions.sign_out(registry(request), token=session.token)
        response = RedirectResponse("/login", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @router.get("/account/password")
    def password_form(request: Request) -> Response:
        return _form(request, "password.html", {"error": None, "done": False})

    @router.post("/account/password")
    def choose_password(
        request: Request,
        username: Annotated[str, Form(max_length=40)],
        code: Annotated[str, Form(max_length=40)],
        password: Annotated[str, Form(max_length=200)],
        csrf_token: Annotated[str, Form(max_length=100)],
    ) -> Response:
        _form_checked(request, csrf_token)
        try:
            accounts.choose_password(
                registry(request),
                username=username.strip(),
                code=code,
                password=password,
            )
        except (Unauthenticated, InvalidInput) as refusal:
            return _form(
                request, "password.html", {"error": refusal, "done": False}, status=422
            )
        return _form(request, "password.html", {"error": None, "done": True})

    return router
