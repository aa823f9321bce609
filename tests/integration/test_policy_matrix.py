"""The exhaustive matrix: every use case's gate, for every role, inside and outside
its scope, answers as the declared policy table says; and the table in the docs is
the one the code declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sijill.domain.errors import Forbidden
from sijill.domain.offices import SYSTEM, Actor
from sijill.domain.roles import APPOINTED_ROLES, ROLE_SCOPES
from sijill.services import offices
from sijill.services.authz import POLICY, authorize
from sijill.services.context import Registry
from sijill.services.policy import policy_table
from tests.builders import FES, RABAT, Staffed, open_office

AIN_BIDA = "03.231.81.03"  # a rural commune of the province of Fès
ROOT = Path(__file__).resolve().parents[2]


def _staffed_registry(registry: Registry) -> dict[str, Actor]:
    """Fès with someone in every appointed role, Rabat and Aïn Bida open."""
    fes = open_office(registry)
    open_office(registry, RABAT)
    offices.create_office(registry, actor=SYSTEM, commune_code=AIN_BIDA)
    actors = {"officer": fes.officer, "delegate": fes.delegate, "clerk": fes.clerk}
    for role in sorted(APPOINTED_ROLES - set(actors)):
        offices.appoint_staff(
            registry,
            actor=SYSTEM,
            office=FES,
            username=f"{role}.fes",
            role=role,
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        )
        actors[role] = Actor(f"{role}.fes", role, FES)
    for role, scope in ROLE_SCOPES.items():
        if role not in actors:
            office = FES if scope == "office" else None
            actors[role] = Actor(f"{role}.someone", role, office)
    return actors


def _declared(role: str, action: str, inside: bool) -> bool:
    """What the policy table says, read the way a person reads it."""
    if role not in POLICY[action]:
        return False
    return inside or ROLE_SCOPES[role] in ("nation", "own record")


def _allowed(registry: Registry, actor: Actor, action: str, office: str) -> bool:
    uow, _ = registry.unit_of_work()
    try:
        with uow:
            authorize(uow, actor, action, office)
    except Forbidden:
        return False
    return True


def test_every_use_case_for_every_role_inside_and_outside_its_scope(
    registry: Registry,
) -> None:
    actors = _staffed_registry(registry)
    assert set(actors) == set(ROLE_SCOPES)
    differences = []
    for action in sorted(POLICY):
        for role, actor in sorted(actors.items()):
            inside = AIN_BIDA if ROLE_SCOPES[role] == "province" else FES
            for where, office in (("inside", inside), ("outside", RABAT)):
                expected = _declared(role, action, where == "inside")
                if _allowed(registry, actor, action, office) != expected:
                    differences.append((action, role, where, expected))
    assert differences == []


def test_a_role_claimed_without_an_appointment_is_refused_everywhere(
    registry: Registry,
) -> None:
    _staffed_registry(registry)
    for role in sorted(APPOINTED_ROLES):
        impostor = Actor(f"{role}.impostor", role, FES)
        for action in sorted(POLICY):
            assert not _allowed(registry, impostor, action, FES), (role, action)


def test_a_supervisor_oversees_his_province_only(registry: Registry) -> None:
    actors = _staffed_registry(registry)
    supervisor = actors["supervisor"]
    assert _allowed(registry, supervisor, "digitize.quality", FES)
    assert _allowed(registry, supervisor, "digitize.quality", AIN_BIDA)
    assert not _allowed(registry, supervisor, "digitize.quality", RABAT)


def test_every_declared_use_case_is_guarded_by_a_service() -> None:
    source = "\n".join(
        path.read_text()
        for path in (ROOT / "src" / "sijill").rglob("*.py")
        if path.name != "authz.py"
    )
    called = set(
        re.findall(r'authorize\(\s*\w+,\s*[\w.]+,\s*"([a-z_]+\.[a-z_]+)"', source)
    )
    assert called <= set(POLICY)
    assert set(POLICY) - called == set()


def test_the_policy_table_in_the_docs_is_up_to_date() -> None:
    written = (ROOT / "docs" / "roles.md").read_text(encoding="utf-8")
    assert written == policy_table(), (
        "run: python -m sijill.services.policy > docs/roles.md"
    )


@pytest.mark.parametrize("role", sorted(ROLE_SCOPES))
def test_reading_an_act_through_the_use_case_follows_the_table(
    registry: Registry, role: str
) -> None:
    from sijill.services import queries
    from tests.builders import signed_birth

    actors = _staffed_registry(registry)
    fes = Staffed(FES, actors["officer"], actors["delegate"], actors["clerk"])
    ref = str(signed_birth(registry, fes))
    try:
        queries.get_act(registry, actor=actors[role], ref=ref)
    except Forbidden:
        allowed = False
    else:
        allowed = True
    inside = ROLE_SCOPES[role] != "province"  # a supervisor's office reads Fès
    assert allowed == _declared(role, "act.read", inside)
