"""The exhaustive matrix: every use case's gate, for every role, inside and outside
its scope, answers as the declared policy table says; and the table in the docs is
the one the code declares."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from sijill.documents.institutions import register_institution
from sijill.domain.errors import Forbidden
from sijill.domain.offices import SYSTEM, Actor
from sijill.domain.roles import APPOINTED_ROLES, ROLE_SCOPES
from sijill.services import offices
from sijill.services.authz import POLICY, authorize
from sijill.services.context import Registry
from sijill.services.policy import policy_table
from tests.builders import FES, RABAT, Staffed, open_office

AIN_BIDA = "03.231.81.03"  # a rural commune of the province of Fès
# Use cases called for the whole nation: no office to be outside of (a supervisor's
# answers are narrowed to his province instead).
NATIONAL_CALLS = frozenset({"audit.query", "audit.verify", "citizen.trail"})
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
    # An institution acts only while the ministry's registration of it stands.
    notary = register_institution(
        registry, actor=SYSTEM, name="Étude Bennani", kind="notary"
    )
    actors["institution"] = Actor(notary.institution_id, "institution", None)
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


def test_the_use_cases_themselves_follow_the_table_for_every_role(
    registry: Registry,
) -> None:
    """Not only the gate: the real use cases, called by every role, inside its scope
    (Fès; Aïn Bida's province for a supervisor) and outside it (Rabat)."""
    from datetime import timedelta
    from itertools import count
    from typing import Any

    from sijill.services import acts, audit, drafts, journal, queries
    from tests.builders import birth, marriage, signed_birth

    actors = _staffed_registry(registry)
    fes = Staffed(FES, actors["officer"], actors["delegate"], actors["clerk"])
    rabat = Staffed(
        RABAT,
        Actor("officer.04421010", "officer", RABAT),
        Actor("delegate.04421010", "delegate", RABAT),
        Actor("clerk.04421010", "clerk", RABAT),
    )
    teams = {FES: fes, RABAT: rabat}
    refs = {code: str(signed_birth(registry, team)) for code, team in teams.items()}
    born = registry.now().date() - timedelta(days=2)
    serial = count()

    def draft(office: str) -> str:
        return drafts.register_birth(
            registry, actor=teams[office].clerk, office=office, data=birth(born)
        )

    cases: dict[str, Any] = {
        "act.read": lambda a, o: queries.get_act(registry, actor=a, ref=refs[o]),
        "draft.write": lambda a, o: drafts.register_birth(
            registry, actor=a, office=o, data=birth(born)
        ),
        "act.sign": lambda a, o: acts.sign_act(
            registry, actor=a, office=o, draft_id=draft(o)
        ),
        "mention.add": lambda a, o: acts.add_mention(
            registry, actor=a, ref=refs[o], data=marriage(born)
        ),
        "staff.appoint": lambda a, o: offices.appoint_staff(
            registry,
            actor=a,
            office=o,
            username=f"new{next(serial)}.staff",
            role="clerk",
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        ),
        "predeclaration.submit": lambda a, o: drafts.submit_predeclaration(
            registry,
            actor=a,
            office=o,
            kind="birth",
            sender_kind=a.role
            if a.role in ("hospital", "local_authority", "citizen")
            else "hospital",
            sender_name="CHU",
            sender_ref="CHU-1",
            data={"sex": "F"},
        ),
        "journal.verify": lambda a, o: journal.verify_journal(
            registry, actor=a, office=o
        ),
        "audit.query": lambda a, o: audit.query_audit(
            registry, actor=a, person=refs[o]
        ),
        "audit.verify": lambda a, o: audit.verify_audit(registry, actor=a),
        "citizen.trail": lambda a, o: audit.citizen_trail(registry, actor=a),
    }
    differences, outcomes = [], []
    for action, call in cases.items():
        for role, actor in sorted(actors.items()):
            for where, office in (("inside", FES), ("outside", RABAT)):
                try:
                    call(actor, office)
                except Forbidden:
                    allowed = False
                except Exception:
                    allowed = True
                else:
                    allowed = True
                expected = (
                    role in POLICY[action]
                    if action in NATIONAL_CALLS
                    else _declared(role, action, where == "inside")
                )
                if allowed != expected:
                    differences.append((action, role, where))
                outcomes.append(allowed)
    assert differences == []
    assert len(outcomes) == len(cases) * len(ROLE_SCOPES) * 2
    assert 0 < sum(outcomes) < len(outcomes)
