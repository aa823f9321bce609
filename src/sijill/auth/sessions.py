"""Web sessions: a fresh random token at every sign-in, stored only as its hash, with
the CSRF token that every form of that session must send back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import insert, select, update

from sijill.auth.accounts import account_actor, authenticate
from sijill.auth.secrets import digest, new_token
from sijill.domain.offices import Actor
from sijill.services.context import Registry, stamp
from sijill.store import tables as t

LIFETIME = timedelta(hours=10)  # a working day


@dataclass(frozen=True)
class Session:
    """A signed-in user: who, the cookie's token, and the session's CSRF token."""

    actor: Actor
    token: str
    csrf: str


def sign_in(
    reg: Registry,
    *,
    username: str,
    password: str,
    totp: str | None = None,
    previous: str | None = None,
    source: str = "local",
) -> Session:
    """Check the credentials and open a new session; the ``previous`` one is closed,
    so a session id planted before sign-in is never the one signed in (no fixation)."""
    actor = authenticate(
        reg, username=username, password=password, totp=totp, source=source
    )
    token, csrf = new_token(), new_token()
    uow, now = reg.unit_of_work()
    with uow:
        if previous:
            _close(uow.conn, previous, uow.now)
        uow.conn.execute(
            insert(t.web_sessions).values(
                token_hash=digest(token),
                username=actor.username,
                csrf_token=csrf,
                created_at=uow.now,
                expires_at=stamp(now + LIFETIME),
            )
        )
    return Session(actor, token, csrf)


def current(reg: Registry, token: str) -> Session | None:
    """The open session of ``token``, with who it is today; None when closed or expired."""
    with reg.engine.connect() as conn:
        row = conn.execute(
            select(t.web_sessions).where(t.web_sessions.c.token_hash == digest(token))
        ).first()
        if (
            row is None
            or row.closed_at is not None
            or row.expires_at < stamp(reg.now())
        ):
            return None
        actor = account_actor(conn, row.username)
    return None if actor is None else Session(actor, token, row.csrf_token)


def sign_out(reg: Registry, *, token: str) -> None:
    """Close the session of ``token``."""
    uow, _ = reg.unit_of_work()
    with uow:
        _close(uow.conn, token, uow.now)


def _close(conn: object, token: str, now: str) -> None:
    from sqlalchemy import Connection

    assert isinstance(conn, Connection)
    conn.execute(
        update(t.web_sessions)
        .where(
            t.web_sessions.c.token_hash == digest(token),
            t.web_sessions.c.closed_at.is_(None),
        )
        .values(closed_at=now)
    )
