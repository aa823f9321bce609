"""Who is asking: a signed-in session (cookie, with CSRF on every change) or a
machine token (``Authorization: Bearer``). Pages ask for ``CurrentActor``."""

from __future__ import annotations

import dataclasses
from typing import Annotated

from fastapi import Depends, Request, Response

from sijill.auth import preferences, sessions, tokens
from sijill.auth.secrets import same
from sijill.domain.errors import Forbidden, Unauthenticated
from sijill.domain.offices import Actor
from sijill.services.context import Registry

SESSION_COOKIE = "sijill_session"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class SignInRequired(Unauthenticated):
    """A page was asked for without a session: the browser is sent to sign in."""

    def __init__(self) -> None:
        super().__init__("auth.required")


def registry(request: Request) -> Registry:
    reg = request.app.state.registry
    assert isinstance(reg, Registry)
    return reg


def session_of(request: Request) -> sessions.Session | None:
    """The open session of the request's cookie, looked up once per request."""
    if not hasattr(request.state, "session"):
        token = request.cookies.get(SESSION_COOKIE)
        request.state.session = (
            sessions.current(registry(request), token) if token else None
        )
    found = request.state.session
    assert found is None or isinstance(found, sessions.Session)
    return found


async def signed_in(request: Request) -> Actor:
    """The actor of the request, with the purpose it states (``X-Purpose``, checked by
    the services); a change through a session must carry its CSRF token."""
    actor = await _identified(request)
    purpose = request.headers.get("x-purpose")
    return actor if not purpose else dataclasses.replace(actor, purpose=purpose[:20])


async def _identified(request: Request) -> Actor:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        actor = tokens.token_actor(registry(request), header[7:].strip())
        if actor is None:
            raise Unauthenticated("auth.failed")
        return actor
    session = session_of(request)
    if session is None:
        raise SignInRequired()
    if request.method not in SAFE_METHODS:
        sent = request.headers.get("x-csrf-token")
        if sent is None and request.headers.get("content-type", "").startswith(
            ("application/x-www-form-urlencoded", "multipart/form-data")
        ):
            sent = str((await request.form()).get("csrf_token", ""))
        if not sent or not same(sent, session.csrf):
            raise Forbidden("auth.csrf")
    return session.actor


def language(request: Request) -> str:
    """The language of the page: asked for (``?lang=``), else remembered, else Arabic."""
    lang = request.query_params.get("lang") or request.cookies.get("lang") or "ar"
    return lang if lang in preferences.LANGS else "ar"


def remember_choice(request: Request, response: Response) -> None:
    """A language chosen with ``?lang=`` is kept in a cookie, and with the account of
    the signed-in user so that it follows them to another computer."""
    lang = request.query_params.get("lang")
    if lang not in preferences.LANGS:
        return
    response.set_cookie("lang", lang, max_age=365 * 86400, samesite="lax")
    session = session_of(request)
    if session is not None:
        preferences.remember_language(
            registry(request), username=session.actor.username, lang=lang
        )


CurrentActor = Annotated[Actor, Depends(signed_in)]
