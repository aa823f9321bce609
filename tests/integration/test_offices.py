"""Offices come from the official commune codes; each has one officer and one delegate."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from sijill.domain.errors import Conflict, Forbidden, InvalidInput
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import offices
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import FES, open_office


def test_a_commune_office_takes_its_names_and_place_from_the_official_code(
    registry: Registry,
) -> None:
    office = offices.create_office(registry, actor=SYSTEM, commune_code=FES)
    assert (office.name_ar, office.name_fr, office.kind) == ("فاس", "Fès", "commune")
    assert (office.region_code, office.province_code, office.setting) == (
        "03",
        "03.231",
        "urban",
    )


def test_an_arrondissement_office_belongs_to_its_commune(registry: Registry) -> None:
    office = offices.create_office(registry, actor=SYSTEM, commune_code="01.511.01.05")
    assert office.kind == "arrondissement"
    assert office.commune_code == "01.511.01.0"


def test_a_rural_commune_is_marked_rural(registry: Registry) -> None:
    office = offices.create_office(registry, actor=SYSTEM, commune_code="03.231.81.03")
    assert office.setting == "rural"


def test_an_unknown_commune_code_is_refused_naming_the_field(
    registry: Registry,
) -> None:
    with pytest.raises(InvalidInput) as refused:
        offices.create_office(registry, actor=SYSTEM, commune_code="99.999.99.9")
    assert [(v.field, v.rule) for v in refused.value.violations] == [
        ("commune_code", "office.unknown_commune")
    ]
    with registry.engine.connect() as conn:
        assert conn.execute(select(t.offices)).first() is None


def test_an_office_is_opened_once(registry: Registry) -> None:
    offices.create_office(registry, actor=SYSTEM, commune_code=FES)
    with pytest.raises(Conflict):
        offices.create_office(registry, actor=SYSTEM, commune_code=FES)


def test_a_consulate_is_an_office_named_by_country_and_city(registry: Registry) -> None:
    office = offices.create_office(
        registry,
        actor=SYSTEM,
        consulate=(
            "FR",
            "Paris",
            "القنصلية العامة للمملكة المغربية بباريس",
            "Consulat général du Royaume du Maroc à Paris",
        ),
    )
    assert (office.code, office.kind, office.country) == (
        "C-FR-PARIS",
        "consulate",
        "FR",
    )


def test_annexes_of_a_commune_are_numbered(registry: Registry) -> None:
    offices.create_office(registry, actor=SYSTEM, commune_code=FES)
    first = offices.create_office(registry, actor=SYSTEM, annex_of=FES)
    second = offices.create_office(registry, actor=SYSTEM, annex_of=FES)
    assert (first.code, second.code) == (f"{FES}-A1", f"{FES}-A2")
    assert first.parent_code == FES and first.kind == "annex"


def test_each_office_gets_its_own_signing_key(registry: Registry) -> None:
    offices.create_office(registry, actor=SYSTEM, commune_code=FES)
    offices.create_office(registry, actor=SYSTEM, commune_code="04.421.01.0")
    with registry.engine.connect() as conn:
        keys = conn.execute(
            select(t.office_keys.c.office_code, t.office_keys.c.public_key)
        ).all()
    assert len({k.public_key for k in keys}) == 2
    assert registry.keys.signer(FES).public_key_hex in {k.public_key for k in keys}


def test_an_office_has_one_officer_and_at_most_one_delegate(registry: Registry) -> None:
    office = open_office(registry)
    for role in ("officer", "delegate"):
        with pytest.raises(Conflict) as refused:
            offices.appoint_staff(
                registry,
                actor=SYSTEM,
                office=office.code,
                username=f"second.{role}",
                role=role,
                full_name_ar="كريم التازي",
                full_name_fr="Karim Tazi",
            )
        assert refused.value.rule == f"staff.{role}_taken"
    offices.appoint_staff(
        registry,
        actor=SYSTEM,
        office=office.code,
        username="clerk.two",
        role="clerk",
        full_name_ar="كريم التازي",
        full_name_fr="Karim Tazi",
    )


def test_a_relieved_officer_can_be_replaced(registry: Registry) -> None:
    office = open_office(registry)
    offices.relieve_staff(
        registry, actor=SYSTEM, office=office.code, username=office.officer.username
    )
    offices.appoint_staff(
        registry,
        actor=SYSTEM,
        office=office.code,
        username="new.officer",
        role="officer",
        full_name_ar="كريم التازي",
        full_name_fr="Karim Tazi",
    )
    assert offices.staff_actor(registry, "new.officer") == Actor(
        "new.officer", "officer", office.code
    )


def test_a_clerk_cannot_open_an_office(registry: Registry) -> None:
    office = open_office(registry)
    with pytest.raises(Forbidden):
        offices.create_office(registry, actor=office.clerk, commune_code="04.421.01.0")


def test_staff_input_is_checked_field_by_field(registry: Registry) -> None:
    office = open_office(registry)
    with pytest.raises(InvalidInput) as refused:
        offices.appoint_staff(
            registry,
            actor=SYSTEM,
            office=office.code,
            username="X",
            role="boss",
            full_name_ar="Karim",
            full_name_fr="كريم",
        )
    assert {(v.field, v.rule) for v in refused.value.violations} == {
        ("username", "choice"),
        ("role", "choice"),
        ("full_name_ar", "script.arabic"),
        ("full_name_fr", "script.latin"),
    }
