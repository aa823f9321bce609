"""Accounts: opened and reset by an administrator with a one-time code, signed in with
a password (and a TOTP code for officers, delegates, supervisors and the ministry),
locked for a while after repeated failures."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import pyotp
from sqlalchemy import Connection, case, func, insert, select, update

from sijill.auth.secrets import (
    check_password_rules,
    digest,
    hash_password,
    new_code,
    password_matches,
    same,
)
from sijill.domain.errors import (
    Conflict,
    InvalidInput,
    NotFound,
    Unauthenticated,
    Violation,
)
from sijill.domain.offices import Actor
from sijill.domain.roles import APPOINTED_ROLES, ROLE_SCOPES, SECOND_FACTOR_ROLES
from sijill.services.authz import authorize
from sijill.services.context import Registry, stamp
from sijill.store import tables as t

# Failures that lock an account for LOCKOUT: from one address, or from anywhere. The
# first stops a guesser; the second, much higher, stops guessing spread over many
# addresses without letting one stranger lock a colleague out by typing badly.
MAX_FAILURES = 5
MAX_FAILURES_ANYWHERE = 50
LOCKOUT = timedelta(minutes=15)
CODE_LIFETIME = timedelta(hours=24)
_USERNAME = re.compile(r"^[a-z][a-z0-9._-]{2,39}$")
_CIVIL_ID = re.compile(r"^[0-9]{10}$")


@dataclass(frozen=True)
class Enrolment:
    """What the administrator hands over, once: a one-time code and the TOTP secret."""

    username: str
    code: str
    totp_secret: str | None

    @property
    def totp_uri(self) -> str | None:
        if self.totp_secret is None:
            return None
        return pyotp.TOTP(self.totp_secret).provisioning_uri(
            name=self.username, issuer_name="Sijill"
        )


def account_actor(conn: Connection, username: str) -> Actor | None:
    """The actor an account signs in as today; None if disabled or no longer appointed."""
    row = conn.execute(
        select(t.accounts).where(t.accounts.c.username == username)
    ).first()
    if row is None or row.disabled_at is not None:
        return None
    if row.role not in APPOINTED_ROLES:
        return Actor(username, row.role, row.office_code)
    staff = conn.execute(
        select(t.staff.c.role, t.staff.c.office_code).where(
            t.staff.c.username == username, t.staff.c.active.is_(True)
        )
    ).first()
    return None if staff is None else Actor(username, staff.role, staff.office_code)


def open_account(
    reg: Registry,
    *,
    actor: Actor,
    username: str,
    role: str,
    office: str | None = None,
    civil_id: str | None = None,
) -> Enrolment:
    """Open an account; staff accounts follow their appointment at the office."""
    violations = []
    if not _USERNAME.match(username):
        violations.append(Violation("username", "choice", {"choices": "a-z 0-9 . _ -"}))
    if role not in ROLE_SCOPES or role == "system":
        violations.append(
            Violation("role", "choice", {"choices": ", ".join(sorted(ROLE_SCOPES))})
        )
    if role == "citizen" and not _CIVIL_ID.match(civil_id or ""):
        violations.append(Violation("civil_id", "account.civil_id"))
    if violations:
        raise InvalidInput(violations)
    uow, now = reg.unit_of_work()
    with uow:
        staff = None
        if role in APPOINTED_ROLES:
            staff = uow.conn.execute(
                select(t.staff.c.role, t.staff.c.office_code).where(
                    t.staff.c.username == username, t.staff.c.active.is_(True)
                )
            ).first()
            if staff is None or staff.role != role:
                raise NotFound(
                    "forbidden.unknown_actor", {"username": username, "office": office}
                )
            office = staff.office_code
        authorize(uow, actor, "account.manage", office, target=username)
        taken = uow.conn.execute(
            select(t.accounts.c.username).where(t.accounts.c.username == username)
        ).first()
        if taken is not None:
            raise Conflict("staff.username_taken", {"username": username})
        code = new_code()
        secret = pyotp.random_base32() if role in SECOND_FACTOR_ROLES else None
        uow.conn.execute(
            insert(t.accounts).values(
                username=username,
                role=role,
                office_code=office,
                civil_id=civil_id if role == "citizen" else None,
                totp_secret=secret,
                reset_code_hash=digest(code),
                reset_expires_at=stamp(now + CODE_LIFETIME),
                created_at=uow.now,
            )
        )
        uow.audit(actor, "account.open", office=office, target=username, personal=False)
    return Enrolment(username, code, secret)


def reset_account(
    reg: Registry, *, actor: Actor, username: str, new_second_factor: bool = False
) -> Enrolment:
    """An administrator resets a password: a new one-time code; every session ends."""
    uow, now = reg.unit_of_work()
    with uow:
        row = uow.conn.execute(
            select(t.accounts).where(t.accounts.c.username == username)
        ).first()
        if row is None:
            raise NotFound("account.unknown", {"username": username})
        authorize(uow, actor, "account.manage", row.office_code, target=username)
        code = new_code()
        secret = row.totp_secret
        if new_second_factor and row.role in SECOND_FACTOR_ROLES:
            secret = pyotp.random_base32()
        uow.conn.execute(
            update(t.accounts)
            .where(t.accounts.c.username == username)
            .values(
                password_hash=None,
                totp_secret=secret,
                reset_code_hash=digest(code),
                reset_expires_at=stamp(now + CODE_LIFETIME),
            )
        )
        _close_sessions(uow.conn, username, uow.now)
        uow.audit(
            actor,
            "account.reset",
            office=row.office_code,
            target=username,
            personal=False,
        )
    return Enrolment(username, code, secret if new_second_factor else None)


def choose_password(reg: Registry, *, username: str, code: str, password: str) -> None:
    """The user redeems the one-time code and chooses a password."""
    check_password_rules(password, username)
    uow, _ = reg.unit_of_work()
    with uow:
        row = uow.conn.execute(
            select(t.accounts).where(t.accounts.c.username == username)
        ).first()
        if (
            row is None
            or row.reset_code_hash is None
            or not same(row.reset_code_hash, digest(code.strip().upper()))
            or (row.reset_expires_at or "") < uow.now
        ):
            raise Unauthenticated("auth.bad_code")
        uow.conn.execute(
            update(t.accounts)
            .where(t.accounts.c.username == username)
            .values(
                password_hash=hash_password(password),
                reset_code_hash=None,
                reset_expires_at=None,
            )
        )
        _close_sessions(uow.conn, username, uow.now)
        actor = Actor(username, row.role, row.office_code)
        uow.audit(actor, "account.password", office=None, personal=False)


def _close_sessions(conn: Connection, username: str, now: str) -> None:
    conn.execute(
        update(t.web_sessions)
        .where(
            t.web_sessions.c.username == username, t.web_sessions.c.closed_at.is_(None)
        )
        .values(closed_at=now)
    )


def authenticate(
    reg: Registry,
    *,
    username: str,
    password: str,
    totp: str | None = None,
    source: str = "local",
) -> Actor:
    """The actor of a correct sign-in; ``Unauthenticated`` otherwise (the same answer
    whatever was wrong), and ``auth.locked`` after 5 failures in 15 minutes from the
    ``source`` address (or 50 from anywhere)."""
    uow, now = reg.unit_of_work()
    refusal: Unauthenticated | None = None
    source = source[:64]
    with uow:
        since = stamp(now - LOCKOUT)
        failures = t.login_failures
        anywhere, here = uow.conn.execute(
            select(
                func.count(),
                func.coalesce(
                    func.sum(case((failures.c.source == source, 1), else_=0)), 0
                ),
            ).where(failures.c.username == username, failures.c.at >= since)
        ).one()
        row = uow.conn.execute(
            select(t.accounts).where(t.accounts.c.username == username)
        ).first()
        good_password = password_matches(row.password_hash if row else None, password)
        actor = account_actor(uow.conn, username) if row is not None else None
        step = _second_factor(row, totp, now)
        if here >= MAX_FAILURES or anywhere >= MAX_FAILURES_ANYWHERE:
            refusal = Unauthenticated("auth.locked", {"minutes": 15})
        elif actor is None or not good_password or step is None:
            refusal = Unauthenticated("auth.failed")
        elif step:
            uow.conn.execute(
                update(t.accounts)
                .where(t.accounts.c.username == username)
                .values(totp_last_step=step)
            )
        someone = actor or Actor(username[:40], row.role if row else "unknown", None)
        if refusal is not None:
            uow.conn.execute(
                insert(t.login_failures).values(
                    failure_id=str(uuid.uuid4()),
                    username=username[:40],
                    at=uow.now,
                    source=source,
                )
            )
        uow.audit(
            someone,
            "session.login",
            office=None,
            personal=False,
            outcome="ok" if refusal is None else "denied",
            detail={} if refusal is None else {"rule": refusal.rule},
        )
    if refusal is not None:
        raise refusal
    assert actor is not None
    return actor


def _second_factor(row: Any, totp: str | None, now: datetime) -> int | None:
    """The TOTP time step the code matches (0 when no second factor is needed), or
    None; a step already used is refused, so a code seen over a shoulder is spent."""
    if row is None or row.role not in SECOND_FACTOR_ROLES:
        return 0
    if row.totp_secret is None or not totp:
        return None
    generator = pyotp.TOTP(row.totp_secret)
    current = generator.timecode(now)
    for step in (current - 1, current, current + 1):
        if step > (row.totp_last_step or 0) and same(
            generator.generate_otp(step), totp.strip()
        ):
            return step
    return None
