"""Registering births and deaths: drafted by a clerk, signed by the officer."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from sijill.domain.errors import Conflict, Forbidden, InvalidInput
from sijill.domain.identifiers import is_valid_civil_id
from sijill.services import acts, drafts, queries
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import RABAT, birth, death, open_office, signed_birth
from tests.fakes import FakeClock


def _count(reg: Registry, table: str) -> int:
    with reg.engine.connect() as conn:
        return int(
            conn.execute(
                select(func.count()).select_from(t.metadata.tables[table])
            ).scalar_one()
        )


def _rules(error: InvalidInput) -> set[tuple[str, str]]:
    return {(v.field, v.rule) for v in error.violations}


def test_a_signed_birth_gets_the_next_number_and_a_civil_identifier(
    registry: Registry,
) -> None:
    office = open_office(registry)
    first = signed_birth(registry, office)
    second = signed_birth(registry, office)
    assert str(first) == f"{office.code}/2026/N/1"
    assert second.number == 2
    view = queries.get_act(registry, actor=office.clerk, ref=str(first))
    assert view.civil_id is not None and is_valid_civil_id(view.civil_id)
    assert view.data["child"]["first_name_lat"] == "Youssef"
    assert view.hijri_event_date is not None


def test_the_hijri_date_is_derived_from_the_gregorian_birth_date(
    registry: Registry, clock: FakeClock
) -> None:
    clock.set(2024, 3, 14)
    office = open_office(registry)
    ref = signed_birth(
        registry, office, days_old=3
    )  # born 11 March 2024 = 1 Ramadan 1445
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert view.hijri_event_date is not None
    assert view.hijri_event_date.isoformat() == "1445-09-01"


def test_a_late_birth_needs_a_declaratory_judgment(registry: Registry) -> None:
    office = open_office(registry)
    entries = _count(registry, "journal")
    born = registry.now().date() - timedelta(days=45)
    with pytest.raises(InvalidInput) as refused:
        drafts.register_birth(
            registry, actor=office.clerk, office=office.code, data=birth(born)
        )
    assert ("judgment", "declaration.late_needs_judgment") in _rules(refused.value)
    assert _count(registry, "journal") == entries and _count(registry, "drafts") == 0


def test_a_late_birth_with_its_judgment_goes_into_this_years_register(
    registry: Registry,
) -> None:
    office = open_office(registry)
    born = date(2019, 6, 1)
    judgment = {
        "court": "المحكمة الابتدائية بفاس",
        "number": "1432/2026",
        "date": "2026-10-02",
    }
    data = birth(
        born,
        judgment=judgment,
        father__birth_date="1980-01-01",
        mother__birth_date="1985-01-01",
    )
    draft = drafts.register_birth(
        registry, actor=office.clerk, office=office.code, data=data
    )
    ref = acts.sign_act(
        registry, actor=office.officer, office=office.code, draft_id=draft
    )
    assert ref.year == 2026
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert view.data["judgment"]["number"] == "1432/2026"


def test_a_birth_in_the_future_is_refused(registry: Registry) -> None:
    office = open_office(registry)
    with pytest.raises(InvalidInput) as refused:
        drafts.register_birth(
            registry,
            actor=office.clerk,
            office=office.code,
            data=birth(registry.now().date() + timedelta(days=1)),
        )
    assert ("birth_date", "date.future") in _rules(refused.value)


def test_parents_must_be_plausibly_older_than_the_child(registry: Registry) -> None:
    office = open_office(registry)
    born = registry.now().date()
    with pytest.raises(InvalidInput) as refused:
        drafts.register_birth(
            registry,
            actor=office.clerk,
            office=office.code,
            data=birth(
                born,
                mother__birth_date=(born - timedelta(days=3650)).isoformat(),
                father__birth_date="1940-01-01",
            ),
        )
    assert _rules(refused.value) == {("mother.birth_date", "parent.too_young")}


def test_every_missing_field_is_named_at_once(registry: Registry) -> None:
    office = open_office(registry)
    data = birth(
        registry.now().date(),
        child__first_name_lat=None,
        sex="X",
        birth_time="25:00",
        mother__nationality="Maroc",
    )
    with pytest.raises(InvalidInput) as refused:
        drafts.register_birth(
            registry, actor=office.clerk, office=office.code, data=data
        )
    assert _rules(refused.value) == {
        ("child.first_name_lat", "required"),
        ("sex", "choice"),
        ("birth_time", "time.format"),
        ("mother.nationality", "text.too_long"),
    }


@pytest.mark.parametrize(
    ("first_ar", "first_lat", "rule"),
    [
        ("مولاي علي", "Moulay Ali", "name.title"),
        ("يوسف", "Youssef2", "script.digits"),
        ("محمد أمين يوسف", "Mohamed Amine Youssef", "name.too_many"),
        ("الإدريسي", "Idrissi", "name.family_name"),
        ("زيان", "Zayane", "name.place"),
    ],
)
def test_a_first_name_against_decree_2_22_04_is_refused(
    registry: Registry, first_ar: str, first_lat: str, rule: str
) -> None:
    office = open_office(registry)
    data = birth(
        registry.now().date(),
        child__first_name_ar=first_ar,
        child__first_name_lat=first_lat,
    )
    with pytest.raises(InvalidInput) as refused:
        drafts.register_birth(
            registry, actor=office.clerk, office=office.code, data=data
        )
    assert rule in {v.rule for v in refused.value.violations}


def test_a_compound_first_name_counts_as_one_name(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(
        registry,
        office,
        child__first_name_ar="عبد الله يوسف",
        child__first_name_lat="Abdellah Youssef",
    )
    assert ref.number == 1


def test_a_contested_first_name_is_accepted_provisionally_and_flagged(
    registry: Registry,
) -> None:
    office = open_office(registry)
    ref = signed_birth(
        registry,
        office,
        child__first_name_ar="لالة سلمى",
        child__first_name_lat="Lalla Salma",
        child__family_name_ar="العلوي",
        child__family_name_lat="Alaoui",
        sex="F",
        first_name_contested=True,
    )
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert {p["rule"] for p in view.provisional} == {"name.title"}
    assert {p["field"] for p in view.provisional} == {
        "child.first_name_ar",
        "child.first_name_lat",
    }


def test_a_clerk_drafts_but_cannot_sign(registry: Registry) -> None:
    office = open_office(registry)
    draft = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(registry.now().date()),
    )
    with pytest.raises(Forbidden):
        acts.sign_act(registry, actor=office.clerk, office=office.code, draft_id=draft)
    assert _count(registry, "acts") == 0
    with registry.engine.connect() as conn:
        denied = conn.execute(
            select(t.audit_log).where(t.audit_log.c.outcome == "denied")
        ).one()
    assert (denied.username, denied.action) == (office.clerk.username, "act.sign")


def test_the_named_delegate_signs_like_the_officer(registry: Registry) -> None:
    office = open_office(registry)
    draft = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(registry.now().date()),
    )
    ref = acts.sign_act(
        registry, actor=office.delegate, office=office.code, draft_id=draft
    )
    assert ref.number == 1


def test_an_officer_cannot_sign_for_another_office(registry: Registry) -> None:
    fes = open_office(registry)
    rabat = open_office(registry, RABAT)
    draft = drafts.register_birth(
        registry, actor=fes.clerk, office=fes.code, data=birth(registry.now().date())
    )
    with pytest.raises(Forbidden) as refused:
        acts.sign_act(registry, actor=rabat.officer, office=fes.code, draft_id=draft)
    assert refused.value.rule == "forbidden.office"


def test_a_signed_act_cannot_be_edited_or_signed_again(registry: Registry) -> None:
    office = open_office(registry)
    draft = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(registry.now().date()),
    )
    acts.sign_act(registry, actor=office.officer, office=office.code, draft_id=draft)
    with pytest.raises(Conflict):
        drafts.amend_draft(
            registry,
            actor=office.clerk,
            office=office.code,
            draft_id=draft,
            data=birth(registry.now().date(), child__first_name_lat="Yousef"),
        )
    with pytest.raises(Conflict):
        acts.sign_act(
            registry, actor=office.officer, office=office.code, draft_id=draft
        )
    assert _count(registry, "acts") == 1


def test_a_cancelled_draft_stays_on_record_and_takes_no_number(
    registry: Registry,
) -> None:
    office = open_office(registry)
    cancelled = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(registry.now().date()),
    )
    drafts.cancel_draft(
        registry,
        actor=office.clerk,
        office=office.code,
        draft_id=cancelled,
        reason="تصريح مكرر / déclaration en double",
    )
    ref = signed_birth(registry, office)
    assert ref.number == 1
    with registry.engine.connect() as conn:
        row = conn.execute(
            select(t.drafts).where(t.drafts.c.draft_id == cancelled)
        ).one()
    assert (row.status, row.cancel_reason) == (
        "cancelled",
        "تصريح مكرر / déclaration en double",
    )
    with pytest.raises(Conflict):
        acts.sign_act(
            registry, actor=office.officer, office=office.code, draft_id=cancelled
        )


def test_a_draft_is_checked_again_when_signed(
    registry: Registry, clock: FakeClock
) -> None:
    office = open_office(registry)
    draft = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(registry.now().date() - timedelta(days=25)),
    )
    clock.advance(days=10)  # the officer signs after the 30-day delay has run out
    with pytest.raises(InvalidInput) as refused:
        acts.sign_act(
            registry, actor=office.officer, office=office.code, draft_id=draft
        )
    assert ("judgment", "declaration.late_needs_judgment") in _rules(refused.value)


def test_a_hospital_predeclaration_becomes_a_draft(registry: Registry) -> None:
    office = open_office(registry)
    from sijill.domain.offices import Actor

    hospital = Actor("chu-fes", "hospital", None)
    born = registry.now().date()
    pre = drafts.submit_predeclaration(
        registry,
        actor=hospital,
        office=office.code,
        kind="birth",
        sender_kind="hospital",
        sender_name="CHU Hassan II Fès",
        sender_ref="CHU-2026-88812",
        data={"sex": "M", "birth_date": born.isoformat(), "birth_time": "08:30"},
    )
    draft = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(born),
        predeclaration_id=pre,
    )
    with registry.engine.connect() as conn:
        row = conn.execute(select(t.predeclarations)).one()
    assert (row.status, row.draft_id) == ("drafted", draft)
    with pytest.raises(Conflict):
        drafts.register_birth(
            registry,
            actor=office.clerk,
            office=office.code,
            data=birth(born),
            predeclaration_id=pre,
        )


def test_a_death_is_registered_with_the_reference_of_the_birth_act(
    registry: Registry,
) -> None:
    office = open_office(registry)
    born_ref = signed_birth(registry, office)
    died = registry.now().date() - timedelta(days=1)
    draft = drafts.register_death(
        registry,
        actor=office.clerk,
        office=office.code,
        data=death(died, birth_act_ref=str(born_ref)),
    )
    ref = acts.sign_act(
        registry, actor=office.officer, office=office.code, draft_id=draft
    )
    assert str(ref) == f"{office.code}/2026/D/1"
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert view.civil_id is None and view.data["birth_act_ref"] == str(born_ref)


def test_a_death_before_the_birth_is_refused(registry: Registry) -> None:
    office = open_office(registry)
    with pytest.raises(InvalidInput) as refused:
        drafts.register_death(
            registry,
            actor=office.clerk,
            office=office.code,
            data=death(registry.now().date(), birth_date="2030-01-01"),
        )
    assert ("death_date", "death.before_birth") in _rules(refused.value)
