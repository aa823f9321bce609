"""Every read and write of personal data leaves an audit entry: who, role, office, what, when."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from sijill.domain.errors import Forbidden, InvalidInput
from sijill.services import drafts, queries
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import RABAT, birth, open_office, signed_birth


def _audit(reg: Registry) -> list[Any]:
    with reg.engine.connect() as conn:
        return list(conn.execute(select(t.audit_log).order_by(t.audit_log.c.at)))


def test_reading_an_act_is_audited_with_who_and_what(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    queries.get_act(registry, actor=office.clerk, ref=str(ref))
    reads = [a for a in _audit(registry) if a.action == "act.read"]
    assert len(reads) == 1
    read = reads[0]
    assert (
        read.username,
        read.role,
        read.actor_office,
        read.target,
        read.personal_data,
    ) == (office.clerk.username, "clerk", office.code, str(ref), True)
    assert read.at.endswith("Z")


def test_drafting_and_signing_are_audited_in_their_transaction(
    registry: Registry,
) -> None:
    office = open_office(registry)
    signed_birth(registry, office)
    actions = [(a.action, a.username) for a in _audit(registry) if a.personal_data]
    assert actions == [
        ("draft.create", office.clerk.username),
        ("act.sign", office.officer.username),
    ]


def test_a_refused_write_leaves_no_audit_of_a_write(registry: Registry) -> None:
    office = open_office(registry)
    before = len(_audit(registry))
    with pytest.raises(InvalidInput):
        drafts.register_birth(
            registry,
            actor=office.clerk,
            office=office.code,
            data=birth(registry.now().date(), sex="?"),
        )
    assert len(_audit(registry)) == before


def test_a_clerk_of_another_office_cannot_read_and_the_attempt_is_audited(
    registry: Registry,
) -> None:
    fes = open_office(registry)
    rabat = open_office(registry, RABAT)
    ref = signed_birth(registry, fes)
    with pytest.raises(Forbidden):
        queries.get_act(registry, actor=rabat.clerk, ref=str(ref))
    denied = [a for a in _audit(registry) if a.outcome == "denied"]
    assert [(a.username, a.action, a.target) for a in denied] == [
        (rabat.clerk.username, "act.read", str(ref))
    ]


def test_listing_a_register_is_audited(registry: Registry) -> None:
    office = open_office(registry)
    signed_birth(registry, office)
    rows = queries.list_acts(
        registry, actor=office.officer, office=office.code, year=2026, kind="birth"
    )
    assert [r["number"] for r in rows] == [1]
    reads = [a for a in _audit(registry) if a.action == "register.read"]
    assert len(reads) == 1 and reads[0].detail["count"] == 1
