"""The keying, adjudication and review screens, and the keying-by-form use case."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.auth import accounts
from sijill.digitize import reconcile as rec
from sijill.digitize.batches import import_keyed_file
from sijill.digitize.keying import key_act, list_batches, open_batch
from sijill.digitize.tables import batch_acts, keyings
from sijill.domain.errors import Forbidden, InvalidInput
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import offices
from sijill.services.context import Registry
from sijill.web.app import create_app
from tests import web_forms
from tests.builders import RABAT
from tests.integration.test_digitize import BATCH, Team, digitization_team, spec
from tests.web_forms import PASSWORD

ACT = {
    "number": "17",
    "first_name_ar": "محمد",
    "family_name_ar": "العلوي",
    "first_name_lat": "Mohamed",
    "family_name_lat": "Alaoui",
    "sex": "M",
    "birth_date": "1962-03-04",
    "birth_place": "فاس",
    "father_name": "أحمد",
    "mother_name": "فاطمة",
}


@pytest.fixture
def team(registry: Registry) -> Team:
    found = digitization_team(registry)
    open_batch(registry, actor=found.officer, spec=spec())
    return found


def test_two_keyers_key_an_act_on_forms_and_reconciliation_queues_their_difference(
    registry: Registry, team: Team
) -> None:
    key_act(registry, actor=team.first, batch_id=BATCH, page=3, line=1, fields=ACT)
    done = key_act(
        registry,
        actor=team.second,
        batch_id=BATCH,
        page="3",
        line="1",
        fields={**ACT, "first_name_lat": "Mohammed"},
    )
    assert done == {"page": 3, "line": 1, "keyed_by_me": 1}
    rec.reconcile_batch(registry, actor=team.officer, batch_id=BATCH)
    queue = rec.adjudication_queue(registry, actor=team.adjudicator, batch_id=BATCH)
    [disputed] = queue["disagreements"]
    assert (disputed["field"], disputed["first_value"], disputed["second_value"]) == (
        "first_name_lat",
        "Mohamed",
        "Mohammed",
    )
    assert disputed["scan"] == "archive/fes/1962/N/0003.tif"
    [listed] = list_batches(registry, actor=team.adjudicator)
    assert (listed["status"], listed["open"], listed["keyed_rows"]) == (
        "reconciled",
        1,
        2,
    )


def test_a_keyed_form_is_checked_like_a_file_row_and_names_each_field(
    registry: Registry, team: Team
) -> None:
    with pytest.raises(InvalidInput) as refused:
        key_act(
            registry,
            actor=team.first,
            batch_id=BATCH,
            page=99,
            line="x",
            fields={**ACT, "father_name": "a" * 200},
        )
    rules = {(v.field, v.rule) for v in refused.value.violations}
    assert rules == {
        ("page", "keying.page_outside"),
        ("line", "keying.position"),
        ("father_name", "text.too_long"),
    }
    key_act(registry, actor=team.first, batch_id=BATCH, page=1, line=1, fields=ACT)
    with pytest.raises(InvalidInput) as twice:
        key_act(registry, actor=team.first, batch_id=BATCH, page=1, line=1, fields=ACT)
    assert [(v.field, v.rule) for v in twice.value.violations] == [
        ("line", "keying.same_keyer_twice")
    ]
    key_act(registry, actor=team.second, batch_id=BATCH, page=1, line=1, fields=ACT)
    offices.appoint_staff(
        registry,
        actor=SYSTEM,
        office=team.first.office or "",
        username="keyer.three",
        role="keyer",
        full_name_ar="سعيد",
        full_name_fr="Said",
    )
    third = Actor("keyer.three", "keyer", team.first.office)
    with pytest.raises(InvalidInput) as thrice:
        key_act(registry, actor=third, batch_id=BATCH, page=1, line=1, fields=ACT)
    assert [v.rule for v in thrice.value.violations] == ["keying.third"]
    with registry.engine.connect() as conn:
        assert len(conn.execute(select(keyings)).all()) == 2


def test_only_a_keyer_of_the_office_keys(registry: Registry, team: Team) -> None:
    for actor in (team.adjudicator, team.officer, Actor("keyer.one", "keyer", RABAT)):
        with pytest.raises(Forbidden):
            key_act(registry, actor=actor, batch_id=BATCH, page=1, line=1, fields=ACT)


# --- the screens -------------------------------------------------------------------


def _accounts(reg: Registry, *names: tuple[str, str]) -> None:
    for username, role in names:
        enrolment = accounts.open_account(
            reg, actor=SYSTEM, username=username, role=role
        )
        accounts.choose_password(
            reg, username=username, code=enrolment.code, password=PASSWORD
        )


@pytest.fixture
def client(registry: Registry, team: Team) -> Iterator[TestClient]:
    _accounts(
        registry,
        ("keyer.one", "keyer"),
        ("adjudicator.fes", "adjudicator"),
        ("reviewer.fes", "reviewer"),
    )
    with TestClient(create_app(registry), base_url="https://testserver") as c:
        yield c


def sign_in(client: TestClient, username: str) -> str:
    return web_forms.sign_in(client, username, landing="/digitize", fresh=True)


def test_the_keying_form_keeps_what_was_typed_and_answers_next_to_the_field(
    client: TestClient, registry: Registry
) -> None:
    csrf = sign_in(client, "keyer.one")
    form = client.get(f"/digitize/{BATCH}/key")
    assert re.search(r'id="f-page"[^>]*autofocus', form.text)
    assert re.search(r'id="f-first_name_ar"[^>]*dir="rtl"', form.text)
    assert re.search(r'id="f-first_name_lat"[^>]*dir="ltr"', form.text)
    refused = client.post(
        f"/digitize/{BATCH}/key",
        data={"csrf_token": csrf, "page": "99", "line": "4", **ACT},
    )
    assert refused.status_code == 422
    # In the user's language, next to the field, and the cursor back on it.
    assert re.search(r'id="e-page" role="alert">الصفحة 99 خارج', refused.text)
    assert re.search(r'id="f-page"[^>]*autofocus', refused.text)
    assert 'value="العلوي"' in refused.text and 'value="Mohamed"' in refused.text
    assert 'value="4"' in refused.text
    keyed = client.post(
        f"/digitize/{BATCH}/key",
        data={"csrf_token": csrf, "page": "2", "line": "4", **ACT},
        follow_redirects=False,
    )
    assert keyed.status_code == 303
    assert (
        keyed.headers["location"] == f"/digitize/{BATCH}/key?page=2&line=5&done=2%3A4"
    )
    following = client.get(keyed.headers["location"])
    assert re.search(r'id="f-number"[^>]*autofocus', following.text)
    assert 'id="keyed"' in following.text
    with registry.engine.connect() as conn:
        row = conn.execute(select(keyings)).one()
    assert (row.keyer, row.page, row.line, row.fields["family_name_ar"]) == (
        "keyer.one",
        2,
        4,
        "العلوي",
    )


def test_an_adjudicator_who_keyed_the_batch_is_refused_on_the_page(
    client: TestClient, registry: Registry, team: Team, tmp_path: Path
) -> None:
    # The adjudicator's name is on a keyed file of the batch.
    keyed = tmp_path / "keyed.csv"
    keyed.write_text(
        "page,line,keyer,first_name_lat\n1,1,adjudicator.fes,Ali\n1,1,keyer.two,Aly\n",
        encoding="utf-8",
    )
    import_keyed_file(registry, actor=team.officer, spec=spec(), path=keyed)
    rec.reconcile_batch(registry, actor=team.officer, batch_id=BATCH)
    csrf = sign_in(client, "adjudicator.fes")
    queue = client.get(f"/digitize/{BATCH}/adjudicate?lang=fr")
    assert "Aly" in queue.text and "autofocus" in queue.text
    refused = client.post(
        f"/digitize/{BATCH}/adjudicate",
        data={"csrf_token": csrf, "page": "1", "line": "1", "field": "first_name_lat",
              "take": "second"},
    )  # fmt: skip
    assert refused.status_code == 403
    assert "ni ne contrôle son lot" in refused.text
    assert 'id="queue"' in refused.text  # the queue is still there, undecided
    with registry.engine.connect() as conn:
        assert conn.execute(select(batch_acts.c.open)).scalar_one() == 1


def test_a_reviewer_of_another_office_is_refused(
    client: TestClient, registry: Registry
) -> None:
    offices.create_office(registry, actor=SYSTEM, commune_code=RABAT)
    offices.appoint_staff(
        registry,
        actor=SYSTEM,
        office=RABAT,
        username="reviewer.rabat",
        role="reviewer",
        full_name_ar="سعيد",
        full_name_fr="Said",
    )
    _accounts(registry, ("reviewer.rabat", "reviewer"))
    csrf = sign_in(client, "reviewer.rabat")
    assert client.get("/digitize").text.count(BATCH) == 0
    refused = client.post(
        f"/digitize/{BATCH}/review",
        data={"csrf_token": csrf, "page": "1", "line": "1"},
    )
    assert refused.status_code == 403
    assert 'id="error-message"' in refused.text
