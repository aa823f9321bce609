"""A citizen sees who accessed their record and why; a confidential inquiry's
investigator is not named, though the access is shown."""

from __future__ import annotations

import pytest

from sijill.auth import accounts
from sijill.domain.errors import Forbidden
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import audit, queries
from sijill.services.context import Registry
from tests.builders import open_office, signed_birth


def test_a_citizen_lists_who_accessed_their_record(registry: Registry) -> None:
    office = open_office(registry)
    ref = str(signed_birth(registry, office))
    other = str(signed_birth(registry, office))
    civil_id = queries.get_act(registry, actor=office.clerk, ref=ref).civil_id
    assert civil_id is not None
    accounts.open_account(
        registry, actor=SYSTEM, username="youssef", role="citizen", civil_id=civil_id
    )
    citizen = Actor("youssef", "citizen", None)
    prosecutor = Actor("substitut.fes", "prosecutor", None)
    queries.get_act(registry, actor=prosecutor, ref=ref)
    queries.get_act(registry, actor=office.officer, ref=other)  # not his record

    trail = audit.citizen_trail(registry, actor=citizen)
    assert [(a.action, a.username, a.purpose) for a in trail] == [
        ("act.sign", office.officer.username, "registration"),
        ("act.read", office.clerk.username, "service"),
        ("act.read", None, "investigation"),
    ]
    hidden = trail[-1]
    assert hidden.role is None and hidden.office is None and hidden.target == ref
    assert all(a.target == ref for a in trail)


def test_only_a_citizen_reads_a_citizen_trail(registry: Registry) -> None:
    office = open_office(registry)
    with pytest.raises(Forbidden):
        audit.citizen_trail(registry, actor=office.clerk)


def test_a_citizen_with_no_act_sees_an_empty_trail(registry: Registry) -> None:
    accounts.open_account(
        registry, actor=SYSTEM, username="amina", role="citizen", civil_id="1234567890"
    )
    assert audit.citizen_trail(registry, actor=Actor("amina", "citizen")) == []


def test_only_investigators_may_flag_their_purpose_confidential(
    registry: Registry,
) -> None:
    import dataclasses

    office = open_office(registry)
    ref = str(signed_birth(registry, office))
    hiding = dataclasses.replace(office.clerk, purpose="investigation")
    with pytest.raises(Forbidden) as refused:
        queries.get_act(registry, actor=hiding, ref=ref)
    assert refused.value.rule == "forbidden.purpose"
    with pytest.raises(Forbidden):
        queries.get_act(
            registry,
            actor=dataclasses.replace(office.clerk, purpose="curiosity"),
            ref=ref,
        )
    civil_id = queries.get_act(registry, actor=office.clerk, ref=ref).civil_id
    accounts.open_account(
        registry, actor=SYSTEM, username="youssef", role="citizen", civil_id=civil_id
    )
    # A court reading openly, for a named purpose, is shown by name.
    court = Actor("tribunal.fes", "court", None, purpose="service")
    queries.get_act(registry, actor=court, ref=ref)
    trail = audit.citizen_trail(registry, actor=Actor("youssef", "citizen"))
    assert ("tribunal.fes", "service") in [(a.username, a.purpose) for a in trail]
