"""Accounts, passwords, the second factor, lockout, sessions and machine tokens."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from sijill.auth import accounts, sessions, tokens
from sijill.domain.errors import Forbidden, InvalidInput, Unauthenticated
from sijill.domain.offices import SYSTEM, Actor
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import open_office
from tests.fakes import FakeClock

PASSWORD = "correct horse battery"


def _enrol(reg: Registry, username: str, role: str, **kw: str) -> accounts.Enrolment:
    enrolment = accounts.open_account(
        reg, actor=SYSTEM, username=username, role=role, **kw
    )
    accounts.choose_password(
        reg, username=username, code=enrolment.code, password=PASSWORD
    )
    return enrolment


def _code(reg: Registry, secret: str | None) -> str:
    assert secret is not None
    return pyotp.TOTP(secret).at(reg.clock())


def test_a_clerk_signs_in_with_a_password_stored_as_argon2(registry: Registry) -> None:
    office = open_office(registry)
    enrolment = _enrol(registry, office.clerk.username, "clerk")
    assert enrolment.totp_secret is None
    actor = accounts.authenticate(
        registry, username=office.clerk.username, password=PASSWORD
    )
    assert actor == office.clerk
    with registry.engine.connect() as conn:
        stored = conn.execute(select(t.accounts.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


def test_an_officer_needs_the_second_factor(registry: Registry) -> None:
    office = open_office(registry)
    enrolment = _enrol(registry, office.officer.username, "officer")
    with pytest.raises(Unauthenticated):
        accounts.authenticate(
            registry, username=office.officer.username, password=PASSWORD
        )
    with pytest.raises(Unauthenticated):
        accounts.authenticate(
            registry,
            username=office.officer.username,
            password=PASSWORD,
            totp="000000",
        )
    actor = accounts.authenticate(
        registry,
        username=office.officer.username,
        password=PASSWORD,
        totp=_code(registry, enrolment.totp_secret),
    )
    assert actor == office.officer
    assert enrolment.totp_uri and enrolment.totp_uri.startswith("otpauth://totp/")


def test_five_failures_lock_the_account_for_fifteen_minutes(
    registry: Registry, clock: FakeClock
) -> None:
    office = open_office(registry)
    _enrol(registry, office.clerk.username, "clerk")
    for _ in range(5):
        with pytest.raises(Unauthenticated) as wrong:
            accounts.authenticate(
                registry, username=office.clerk.username, password="guess" * 3
            )
        assert wrong.value.rule == "auth.failed"
    with pytest.raises(Unauthenticated) as locked:
        accounts.authenticate(
            registry, username=office.clerk.username, password=PASSWORD
        )
    assert locked.value.rule == "auth.locked"
    clock.advance(minutes=16)
    assert accounts.authenticate(
        registry, username=office.clerk.username, password=PASSWORD
    )


def test_a_stranger_guessing_cannot_lock_a_colleague_out(
    registry: Registry, clock: FakeClock
) -> None:
    office = open_office(registry)
    _enrol(registry, office.clerk.username, "clerk")
    for _ in range(accounts.MAX_FAILURES + 3):
        with pytest.raises(Unauthenticated):
            accounts.authenticate(
                registry,
                username=office.clerk.username,
                password="guess" * 3,
                source="198.51.100.7",
            )
    with pytest.raises(Unauthenticated) as locked:
        accounts.authenticate(
            registry,
            username=office.clerk.username,
            password=PASSWORD,
            source="198.51.100.7",
        )
    assert locked.value.rule == "auth.locked"
    # The clerk, at the office's own machine, still signs in.
    assert accounts.authenticate(
        registry, username=office.clerk.username, password=PASSWORD, source="10.0.0.4"
    )


def test_guessing_spread_over_many_addresses_still_locks_the_account(
    registry: Registry, clock: FakeClock
) -> None:
    office = open_office(registry)
    _enrol(registry, office.clerk.username, "clerk")
    for n in range(accounts.MAX_FAILURES_ANYWHERE):
        with pytest.raises(Unauthenticated):
            accounts.authenticate(
                registry,
                username=office.clerk.username,
                password="guess" * 3,
                source=f"203.0.113.{n % 40}",
            )
    with pytest.raises(Unauthenticated) as locked:
        accounts.authenticate(
            registry,
            username=office.clerk.username,
            password=PASSWORD,
            source="10.0.0.4",
        )
    assert locked.value.rule == "auth.locked"
    clock.advance(minutes=16)
    assert accounts.authenticate(
        registry, username=office.clerk.username, password=PASSWORD, source="10.0.0.4"
    )


def test_an_administrator_resets_a_password_with_a_one_time_code(
    registry: Registry,
) -> None:
    office = open_office(registry)
    _enrol(registry, office.clerk.username, "clerk")
    session = sessions.sign_in(
        registry, username=office.clerk.username, password=PASSWORD
    )
    reset = accounts.reset_account(
        registry, actor=SYSTEM, username=office.clerk.username
    )
    assert sessions.current(registry, session.token) is None  # signed out everywhere
    with pytest.raises(Unauthenticated):
        accounts.authenticate(
            registry, username=office.clerk.username, password=PASSWORD
        )
    with pytest.raises(InvalidInput) as weak:
        accounts.choose_password(
            registry, username=office.clerk.username, code=reset.code, password="short"
        )
    assert [(v.field, v.rule) for v in weak.value.violations] == [
        ("password", "password.too_short")
    ]
    accounts.choose_password(
        registry,
        username=office.clerk.username,
        code=reset.code,
        password="a new long passphrase",
    )
    with pytest.raises(Unauthenticated):  # the code is spent
        accounts.choose_password(
            registry,
            username=office.clerk.username,
            code=reset.code,
            password="another long passphrase",
        )
    assert accounts.authenticate(
        registry, username=office.clerk.username, password="a new long passphrase"
    )


def test_only_an_administrator_opens_or_resets_accounts(registry: Registry) -> None:
    office = open_office(registry)
    with pytest.raises(Forbidden):
        accounts.open_account(
            registry, actor=office.officer, username="someone", role="ministry"
        )
    _enrol(registry, office.clerk.username, "clerk")
    with pytest.raises(Forbidden):
        accounts.reset_account(
            registry, actor=office.officer, username=office.clerk.username
        )


def test_a_relieved_member_of_staff_can_no_longer_sign_in(registry: Registry) -> None:
    from sijill.services import offices

    office = open_office(registry)
    _enrol(registry, office.clerk.username, "clerk")
    session = sessions.sign_in(
        registry, username=office.clerk.username, password=PASSWORD
    )
    offices.relieve_staff(
        registry, actor=SYSTEM, office=office.code, username=office.clerk.username
    )
    assert sessions.current(registry, session.token) is None
    with pytest.raises(Unauthenticated):
        accounts.authenticate(
            registry, username=office.clerk.username, password=PASSWORD
        )


def test_each_sign_in_opens_a_new_session_and_closes_the_one_presented(
    registry: Registry,
) -> None:
    _enrol(registry, "citizen.one", "citizen", civil_id="1234567890")
    first = sessions.sign_in(registry, username="citizen.one", password=PASSWORD)
    second = sessions.sign_in(
        registry, username="citizen.one", password=PASSWORD, previous=first.token
    )
    assert second.token != first.token and second.csrf != first.csrf
    assert sessions.current(registry, first.token) is None
    now = sessions.current(registry, second.token)
    assert now is not None and now.actor == Actor("citizen.one", "citizen", None)
    sessions.sign_out(registry, token=second.token)
    assert sessions.current(registry, second.token) is None


def test_a_machine_token_is_scoped_stored_hashed_and_revocable(
    registry: Registry,
) -> None:
    office = open_office(registry)
    token = tokens.issue_token(
        registry,
        actor=SYSTEM,
        name="CHU Hassan II",
        role="hospital",
        office=office.code,
    )
    actor = tokens.token_actor(registry, token)
    assert actor is not None and (actor.role, actor.office) == ("hospital", office.code)
    with registry.engine.connect() as conn:
        stored = conn.execute(select(t.api_tokens.c.token_hash)).scalar_one()
    assert token.split("_", 2)[2] not in stored
    assert tokens.token_actor(registry, token[:-2] + "xx") is None
    tokens.revoke_token(registry, actor=SYSTEM, token_id=token.split("_")[1])
    assert tokens.token_actor(registry, token) is None
    with pytest.raises(InvalidInput):
        tokens.issue_token(registry, actor=SYSTEM, name="x", role="officer")


def test_a_totp_code_is_good_once(registry: Registry, clock: FakeClock) -> None:
    office = open_office(registry)
    enrolment = _enrol(registry, office.officer.username, "officer")
    code = _code(registry, enrolment.totp_secret)
    accounts.authenticate(
        registry, username=office.officer.username, password=PASSWORD, totp=code
    )
    with pytest.raises(Unauthenticated):  # replayed within its 30 seconds
        accounts.authenticate(
            registry, username=office.officer.username, password=PASSWORD, totp=code
        )
    clock.advance(seconds=30)
    assert accounts.authenticate(
        registry,
        username=office.officer.username,
        password=PASSWORD,
        totp=_code(registry, enrolment.totp_secret),
    )


def test_a_session_ends_after_a_working_day(
    registry: Registry, clock: FakeClock
) -> None:
    _enrol(registry, "citizen.two", "citizen", civil_id="1234567891")
    session = sessions.sign_in(registry, username="citizen.two", password=PASSWORD)
    clock.advance(hours=9, minutes=59)
    assert sessions.current(registry, session.token) is not None
    clock.advance(minutes=2)
    assert sessions.current(registry, session.token) is None


def test_sign_ins_and_their_failures_are_audited(registry: Registry) -> None:
    from tests.integration.test_audit import _audit

    _enrol(registry, "citizen.three", "citizen", civil_id="1234567892")
    with pytest.raises(Unauthenticated):
        accounts.authenticate(registry, username="citizen.three", password="x" * 12)
    accounts.authenticate(registry, username="citizen.three", password=PASSWORD)
    logins = [a for a in _audit(registry) if a.action == "session.login"]
    assert [(a.username, a.outcome, a.detail) for a in logins] == [
        ("citizen.three", "denied", {"rule": "auth.failed"}),
        ("citizen.three", "ok", {}),
    ]
    assert all(PASSWORD not in str(a.detail) for a in logins)
