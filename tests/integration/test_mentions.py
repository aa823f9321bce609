"""Marginal mentions: every change after signature, signed, in order, never in place."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sijill.domain.errors import Conflict, Forbidden, InvalidInput
from sijill.services import acts, drafts, queries
from sijill.services.context import Registry
from tests.builders import death, marriage, open_office, signed_birth


def _source(authority: str, on: str) -> dict[str, str]:
    return {"authority": authority, "reference": "قرار عدد 77/2026", "date": on}


def test_a_marriage_mention_is_written_in_the_margin_of_the_birth_act(
    registry: Registry,
) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office, days_old=20)
    acts.add_mention(
        registry,
        actor=office.officer,
        ref=str(ref),
        data=marriage(registry.now().date()),
    )
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert [(m["seq"], m["kind"], m["authority"]) for m in view.mentions] == [
        (1, "marriage", "adouls")
    ]
    assert view.current["status"]["marital"] == "married"
    assert view.current["status"]["spouse"]["first_name_lat"] == "Salma"


def test_a_correction_changes_the_current_state_never_the_signed_text(
    registry: Registry,
) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    today = registry.now().date().isoformat()
    acts.add_mention(
        registry,
        actor=office.officer,
        ref=str(ref),
        data={
            "kind": "correction_judgment",
            "source": _source("court", today),
            "data": {"field": "mother.first_name_ar", "value": "خدوج"},
        },
    )
    acts.add_mention(
        registry,
        actor=office.officer,
        ref=str(ref),
        data={
            "kind": "latin_transcription",
            "source": _source("interior", today),
            "data": {"field": "child.family_name_lat", "value": "Idrissi"},
        },
    )
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert view.data["mother"]["first_name_ar"] == "خديجة"
    assert view.current["mother"]["first_name_ar"] == "خدوج"
    assert view.data["child"]["family_name_lat"] == "El Idrissi"
    assert view.current["child"]["family_name_lat"] == "Idrissi"
    assert [m["seq"] for m in view.mentions] == [1, 2]


def test_the_interior_may_change_only_latin_transcriptions(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    with pytest.raises(InvalidInput) as refused:
        acts.add_mention(
            registry,
            actor=office.officer,
            ref=str(ref),
            data={
                "kind": "latin_transcription",
                "source": _source("interior", registry.now().date().isoformat()),
                "data": {"field": "child.first_name_ar", "value": "يوسف"},
            },
        )
    assert [(v.field, v.rule) for v in refused.value.violations] == [
        ("data.field", "choice")
    ]


def test_the_prosecutor_cannot_change_the_sex_or_a_date(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    with pytest.raises(InvalidInput):
        acts.add_mention(
            registry,
            actor=office.officer,
            ref=str(ref),
            data={
                "kind": "correction_prosecutor",
                "source": _source("prosecutor", registry.now().date().isoformat()),
                "data": {"field": "sex", "value": "F"},
            },
        )


def test_a_mention_names_its_source_authority(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    with pytest.raises(InvalidInput) as refused:
        acts.add_mention(
            registry,
            actor=office.officer,
            ref=str(ref),
            data={
                "kind": "marriage",
                "source": {"authority": "interior", "reference": "x"},
                "data": {},
            },
        )
    assert {(v.field, v.rule) for v in refused.value.violations} == {
        ("source.authority", "choice"),
        ("source.date", "required"),
        ("data.spouse", "required"),
        ("data.event_date", "required"),
    }


def test_a_death_is_mentioned_once(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office, days_old=10)
    today = registry.now().date()
    mention = {
        "kind": "death",
        "source": _source("officer", today.isoformat()),
        "data": {"death_date": today.isoformat(), "death_place": "فاس"},
    }
    acts.add_mention(registry, actor=office.officer, ref=str(ref), data=mention)
    with pytest.raises(Conflict):
        acts.add_mention(registry, actor=office.officer, ref=str(ref), data=mention)
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert view.current["status"]["deceased"] == today.isoformat()


def test_a_marriage_cannot_be_mentioned_on_a_death_act(registry: Registry) -> None:
    office = open_office(registry)
    draft = drafts.register_death(
        registry,
        actor=office.clerk,
        office=office.code,
        data=death(registry.now().date()),
    )
    ref = acts.sign_act(
        registry, actor=office.officer, office=office.code, draft_id=draft
    )
    with pytest.raises(InvalidInput) as refused:
        acts.add_mention(
            registry,
            actor=office.officer,
            ref=str(ref),
            data=marriage(registry.now().date()),
        )
    assert refused.value.violations[0].rule == "mention.kind_not_on_act"


def test_a_source_dated_in_the_future_is_refused(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    with pytest.raises(InvalidInput):
        acts.add_mention(
            registry,
            actor=office.officer,
            ref=str(ref),
            data=marriage(registry.now().date() + timedelta(days=2)),
        )


def test_only_the_officer_or_delegate_signs_a_mention(registry: Registry) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    with pytest.raises(Forbidden):
        acts.add_mention(
            registry,
            actor=office.clerk,
            ref=str(ref),
            data=marriage(registry.now().date()),
        )
    acts.add_mention(
        registry,
        actor=office.delegate,
        ref=str(ref),
        data=marriage(registry.now().date()),
    )


def test_a_mention_on_an_unknown_act_names_the_reference(registry: Registry) -> None:
    office = open_office(registry)
    from sijill.domain.errors import NotFound

    with pytest.raises(NotFound) as refused:
        acts.add_mention(
            registry,
            actor=office.officer,
            ref=f"{office.code}/2026/N/99",
            data=marriage(registry.now().date()),
        )
    assert refused.value.params["ref"] == f"{office.code}/2026/N/99"
    with pytest.raises(InvalidInput):
        acts.add_mention(
            registry,
            actor=office.officer,
            ref="not-a-ref",
            data=marriage(registry.now().date()),
        )
