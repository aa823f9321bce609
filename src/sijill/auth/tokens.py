"""API tokens for machines: random, shown once, stored hashed, scoped, revocable."""

from __future__ import annotations

import secrets

from sqlalchemy import insert, select, update

from sijill.auth.secrets import digest, new_token, same
from sijill.domain.errors import InvalidInput, NotFound, Violation
from sijill.domain.offices import Actor
from sijill.domain.roles import MACHINE_ROLES
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t

PREFIX = "sjt"


def issue_token(
    reg: Registry, *, actor: Actor, name: str, role: str, office: str | None = None
) -> str:
    """A new token acting as ``role`` (for ``office``); the plain text is shown once."""
    if role not in MACHINE_ROLES:
        raise InvalidInput(
            [Violation("role", "choice", {"choices": ", ".join(sorted(MACHINE_ROLES))})]
        )
    if not name.strip() or len(name) > 120:
        raise InvalidInput([Violation("name", "required")])
    token_id, secret = secrets.token_hex(8), new_token()
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "token.manage", office, target=token_id)
        uow.conn.execute(
            insert(t.api_tokens).values(
                token_id=token_id,
                token_hash=digest(secret),
                name=name.strip(),
                role=role,
                office_code=office,
                created_by=actor.username,
                created_at=uow.now,
            )
        )
        uow.audit(
            actor,
            "token.issue",
            office=office,
            target=token_id,
            personal=False,
            detail={"role": role, "name": name.strip()},
        )
    return f"{PREFIX}_{token_id}_{secret}"


def revoke_token(reg: Registry, *, actor: Actor, token_id: str) -> None:
    """Revoke a token: it is refused from now on."""
    uow, _ = reg.unit_of_work()
    with uow:
        row = uow.conn.execute(
            select(t.api_tokens).where(t.api_tokens.c.token_id == token_id)
        ).first()
        if row is None:
            raise NotFound("token.unknown", {"id": token_id})
        authorize(uow, actor, "token.manage", row.office_code, target=token_id)
        uow.conn.execute(
            update(t.api_tokens)
            .where(t.api_tokens.c.token_id == token_id)
            .values(revoked_at=uow.now)
        )
        uow.audit(
            actor,
            "token.revoke",
            office=row.office_code,
            target=token_id,
            personal=False,
        )


def token_actor(reg: Registry, token: str) -> Actor | None:
    """The actor a presented token stands for; None if unknown, forged or revoked."""
    prefix, _, rest = token.partition("_")
    token_id, _, secret = rest.partition("_")
    if prefix != PREFIX or not token_id or not secret:
        return None
    with reg.engine.connect() as conn:
        row = conn.execute(
            select(t.api_tokens).where(t.api_tokens.c.token_id == token_id)
        ).first()
    if row is None or row.revoked_at is not None:
        return None
    if not same(row.token_hash, digest(secret)):
        return None
    return Actor(f"token.{token_id}", row.role, row.office_code)
