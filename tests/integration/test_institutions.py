"""Institutions check data against an act and learn only whether it matches."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from sijill.documents.institutions import (
    DATA_FIELDS,
    FIELDS,
    Registration,
    check_act_data,
    institution_actor,
    register_institution,
    revoke_institution,
    token_hash,
)
from sijill.domain.errors import (
    Conflict,
    DomainError,
    Forbidden,
    InvalidInput,
    NotFound,
    Unauthenticated,
)
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, queries
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import Staffed, open_office, signed_birth

PURPOSE = "acte de vente immobilière, étude Me Bennis"
# What a notary was told by a client born in Fès: right, in other spellings.
HELD = {
    "first_name": "Yousef",
    "family_name": "الإدريسي",
    "father": "Ahmed Idrissi",
    "mother": "خديجة التازي",
    "sex": "M",
}


@dataclass
class Setting:
    reg: Registry
    fes: Staffed
    ref: ActRef
    civil_id: str
    notary: Registration

    @property
    def actor(self) -> Actor:
        return institution_actor(self.reg, self.notary.token)

    def registered(self) -> dict[str, Any]:
        view = queries.get_act(self.reg, actor=self.fes.clerk, ref=str(self.ref))
        return {"data": view.data, "civil_id": view.civil_id}


@pytest.fixture
def setting(registry: Registry) -> Setting:
    fes = open_office(registry)
    ref = signed_birth(registry, fes)
    view = queries.get_act(registry, actor=fes.clerk, ref=str(ref))
    assert view.civil_id is not None
    notary = register_institution(
        registry, actor=SYSTEM, name="Étude de Maître Bennis, Fès", kind="notary"
    )
    return Setting(registry, fes, ref, view.civil_id, notary)


def _born(s: Setting) -> str:
    return str(s.registered()["data"]["birth_date"])


def _audit(reg: Registry, action: str) -> list[Any]:
    with reg.engine.connect() as conn:
        return conn.execute(
            select(t.audit_log)
            .where(t.audit_log.c.action == action)
            .order_by(t.audit_log.c.at)
        ).all()


def test_data_held_in_other_spellings_match_the_act(setting: Setting) -> None:
    answer = check_act_data(
        setting.reg,
        actor=setting.actor,
        act=str(setting.ref),
        purpose=PURPOSE,
        data={**HELD, "birth_date": _born(setting)},
        detail=True,
    )
    assert answer.match
    assert answer.fields == dict.fromkeys([*HELD, "birth_date"], "match")


def test_the_act_can_be_named_by_the_civil_identifier(setting: Setting) -> None:
    answer = check_act_data(
        setting.reg,
        actor=setting.actor,
        civil_id=setting.civil_id,
        purpose=PURPOSE,
        data={"first_name": "يوسف", "family_name": "El Idrissi"},
    )
    assert answer.match
    assert answer.fields == {}  # no detail unless asked


def test_a_wrong_datum_is_no_match_and_named_only_when_detail_is_asked(
    setting: Setting,
) -> None:
    wrong = {**HELD, "mother": "Fatima Bennani", "birth_date": "1990-01-01"}
    answer = check_act_data(
        setting.reg,
        actor=setting.actor,
        act=str(setting.ref),
        civil_id=setting.civil_id,
        purpose=PURPOSE,
        data=wrong,
        detail=True,
    )
    assert not answer.match
    assert answer.fields["mother"] == answer.fields["birth_date"] == "no_match"
    assert answer.fields["first_name"] == answer.fields["civil_id"] == "match"
    plain = check_act_data(
        setting.reg,
        actor=setting.actor,
        act=str(setting.ref),
        purpose=PURPOSE,
        data=wrong,
    )
    assert not plain.match and plain.fields == {}


def test_a_doubtful_name_is_not_confirmed(setting: Setting) -> None:
    answer = check_act_data(
        setting.reg,
        actor=setting.actor,
        act=str(setting.ref),
        purpose=PURPOSE,
        data={"first_name": "Youness"},  # "maybe" for Youssef: not a match
        detail=True,
    )
    assert answer.fields == {"first_name": "no_match"}


def test_data_a_later_correction_changed_no_longer_match(setting: Setting) -> None:
    acts.add_mention(
        setting.reg,
        actor=setting.fes.officer,
        ref=str(setting.ref),
        data={
            "kind": "correction_judgment",
            "source": {"authority": "court", "reference": "حكم 12/2026", "date": "2026-11-24"},
            "data": {"field": "child.first_name_lat", "value": "Yassine"},
        },
    )  # fmt: skip
    corrected = check_act_data(
        setting.reg,
        actor=setting.actor,
        act=str(setting.ref),
        purpose=PURPOSE,
        data={"first_name": "Yassine"},
    )
    assert corrected.match


def test_the_answer_contains_none_of_the_registered_values(setting: Setting) -> None:
    answer = check_act_data(
        setting.reg,
        actor=setting.actor,
        act=str(setting.ref),
        purpose=PURPOSE,
        data={"first_name": "Karim", "family_name": "Bennani", "birth_date": "1990-01-01"},
        detail=True,
    )  # fmt: skip
    text = json.dumps(answer.as_dict(), ensure_ascii=False)
    registered = setting.registered()
    child, father = registered["data"]["child"], registered["data"]["father"]
    for value in (
        *child.values(),
        father["first_name_ar"],
        father["first_name_lat"],
        "خديجة",
        "Khadija",
        registered["data"]["birth_date"],
        registered["civil_id"],
        registered["data"]["birth_place"],
    ):
        assert str(value) not in text, value
    assert set(answer.as_dict()) == {"check_id", "match", "fields", "checked_at"}


def test_every_check_is_audited_with_the_institution_act_purpose_and_result(
    setting: Setting,
) -> None:
    answer = check_act_data(
        setting.reg,
        actor=setting.actor,
        act=str(setting.ref),
        purpose=PURPOSE,
        data={"first_name": "Karim"},
    )
    (entry,) = _audit(setting.reg, "institution.check")
    assert entry.username == setting.notary.institution_id
    assert entry.role == "institution"
    assert entry.target == str(setting.ref) and entry.office_code == setting.fes.code
    assert entry.detail["institution"] == setting.notary.name
    assert entry.detail["purpose"] == PURPOSE
    assert entry.detail["result"] == "no_match"
    assert entry.detail["check_id"] == answer.check_id
    assert "Karim" not in json.dumps(entry.detail)  # what was submitted is not kept


def test_only_the_hash_of_a_token_is_stored(setting: Setting) -> None:
    token = setting.notary.token
    assert token.startswith("sji_") and len(token) >= 4 + 43  # 32 random bytes
    with setting.reg.engine.connect() as conn:
        row = conn.execute(select(t.institutions)).one()
    assert token not in json.dumps(row._asdict())
    assert row.token_hash == token_hash(token)


def test_an_unknown_or_missing_token_is_refused_and_audited(setting: Setting) -> None:
    for token in ("sji_" + "A" * 43, "", None):
        with pytest.raises(Unauthenticated) as refused:
            institution_actor(setting.reg, token)
        assert refused.value.code == "unauthenticated"
    denied = _audit(setting.reg, "institution.authenticate")
    assert [d.outcome for d in denied] == ["denied"] * 3
    assert denied[0].detail["rule"] == "institution.unknown_token"


def test_a_revoked_token_is_refused_and_a_revoked_actor_too(setting: Setting) -> None:
    actor = setting.actor
    revoke_institution(
        setting.reg, actor=SYSTEM, institution_id=setting.notary.institution_id
    )
    with pytest.raises(Unauthenticated) as refused:
        institution_actor(setting.reg, setting.notary.token)
    assert refused.value.rule == "institution.revoked"
    assert "Bennis" in refused.value.message("fr")
    with pytest.raises(Forbidden):  # an actor obtained before the revocation
        check_act_data(
            setting.reg,
            actor=actor,
            act=str(setting.ref),
            purpose=PURPOSE,
            data=HELD,
        )
    with pytest.raises(Conflict):
        revoke_institution(
            setting.reg, actor=SYSTEM, institution_id=setting.notary.institution_id
        )


def test_only_an_institution_checks_and_only_the_ministry_registers(
    setting: Setting,
) -> None:
    with pytest.raises(Forbidden):
        check_act_data(
            setting.reg,
            actor=setting.fes.clerk,
            act=str(setting.ref),
            purpose=PURPOSE,
            data=HELD,
        )
    with pytest.raises(Forbidden):  # a made-up institution actor
        check_act_data(
            setting.reg,
            actor=Actor("not-registered", "institution", None),
            act=str(setting.ref),
            purpose=PURPOSE,
            data=HELD,
        )
    with pytest.raises(Forbidden):
        register_institution(
            setting.reg, actor=setting.fes.officer, name="Banque X", kind="bank"
        )
    with pytest.raises(Forbidden):
        revoke_institution(
            setting.reg,
            actor=setting.actor,
            institution_id=setting.notary.institution_id,
        )
    assert [d.outcome for d in _audit(setting.reg, "institution.check")] == [
        "denied",
        "denied",
    ]


@pytest.mark.parametrize(
    ("request_", "field", "rule"),
    [
        ({"data": HELD, "purpose": PURPOSE}, "act", "check.act_or_civil_id"),
        ({"act": "03.231.01.0/2026/N/1", "purpose": " ", "data": HELD}, "purpose", "required"),
        ({"act": "03.231.01.0/2026/N/1", "purpose": PURPOSE, "data": {}}, "data", "check.nothing_to_check"),
        ({"act": "Fès 12", "purpose": PURPOSE, "data": HELD}, "act", "act.ref_format"),
        ({"civil_id": "1234567891", "purpose": PURPOSE, "data": HELD}, "civil_id", "search.civil_id_format"),
        ({"act": "03.231.01.0/2026/N/1", "purpose": PURPOSE, "data": {"birth_place": "فاس"}}, "data.birth_place", "check.unknown_field"),
        ({"act": "03.231.01.0/2026/N/1", "purpose": PURPOSE, "data": {"birth_date": "12/03/1990"}}, "data.birth_date", "date.format"),
        ({"act": "03.231.01.0/2026/N/1", "purpose": PURPOSE, "data": {"sex": "X"}}, "data.sex", "choice"),
        ({"act": "03.231.01.0/2026/N/1", "purpose": PURPOSE, "data": ["Youssef"]}, "data", "type.object"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_the_rule(
    setting: Setting, request_: dict[str, Any], field: str, rule: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_act_data(setting.reg, actor=setting.actor, **request_)
    assert (field, rule) in [(v.field, v.rule) for v in refused.value.violations]
    (entry,) = _audit(setting.reg, "institution.check")
    assert entry.outcome == "refused" and entry.detail["rule"] == "input.invalid"


def test_an_unknown_act_or_civil_identifier_is_not_found(setting: Setting) -> None:
    for request_ in (
        {"act": f"{setting.fes.code}/2026/N/999"},
        {"civil_id": "1000000009"},
    ):
        with pytest.raises(NotFound):
            check_act_data(
                setting.reg,
                actor=setting.actor,
                purpose=PURPOSE,
                data=HELD,
                **request_,
            )
    assert [e.outcome for e in _audit(setting.reg, "institution.check")] == [
        "refused",
        "refused",
    ]


def test_an_institution_name_is_registered_once(setting: Setting) -> None:
    with pytest.raises(Conflict):
        register_institution(
            setting.reg, actor=SYSTEM, name=setting.notary.name, kind="bank"
        )
    with pytest.raises(DomainError) as refused:
        register_institution(setting.reg, actor=SYSTEM, name="Banque", kind="insurer")
    assert refused.value.code == "invalid"


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    data=st.dictionaries(
        st.sampled_from([*DATA_FIELDS, "x"]),
        st.one_of(st.text(max_size=30), st.integers(), st.none()),
        max_size=4,
    )
)
def test_any_submitted_data_gets_an_answer_or_a_named_refusal_never_a_value(
    setting: Setting, data: dict[str, Any]
) -> None:
    try:
        answer = check_act_data(
            setting.reg,
            actor=setting.actor,
            act=str(setting.ref),
            purpose=PURPOSE,
            data=data,
            detail=True,
        )
    except InvalidInput as refused:
        assert all(v.field for v in refused.violations)
        return
    assert set(answer.fields) <= set(FIELDS)
    assert set(answer.fields.values()) <= {"match", "no_match"}
    assert "الإدريسي" not in json.dumps(answer.as_dict(), ensure_ascii=False)


def test_the_api_answers_an_institution_with_its_token(setting: Setting) -> None:
    from fastapi.testclient import TestClient

    from sijill.web.app import create_app

    body = {
        "act": str(setting.ref),
        "purpose": PURPOSE,
        "data": {**HELD, "birth_date": _born(setting)},
        "detail": True,
    }
    bearer = {"Authorization": f"Bearer {setting.notary.token}"}
    with TestClient(create_app(setting.reg)) as client:
        answer = client.post("/api/institutions/check", json=body, headers=bearer)
        assert answer.status_code == 200, answer.text
        assert answer.json()["match"] is True
        assert "يوسف" not in answer.text and "Youssef" not in answer.text
        unknown = client.post(
            "/api/institutions/check",
            json=body,
            headers={"Authorization": "Bearer sji_nope"},
        )
        assert unknown.status_code == 401
        assert unknown.json()["rule"] == "institution.unknown_token"
        assert client.post("/api/institutions/check", json=body).status_code == 401
        bad = client.post(
            "/api/institutions/check",
            json={**body, "purpose": None},
            headers=bearer,
        )
        assert bad.status_code == 422
        assert bad.json()["violations"][0]["field"] == "purpose"
        revoke_institution(
            setting.reg, actor=SYSTEM, institution_id=setting.notary.institution_id
        )
        revoked = client.post("/api/institutions/check", json=body, headers=bearer)
        assert revoked.status_code == 401
        assert revoked.json()["rule"] == "institution.revoked"
