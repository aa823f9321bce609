"""The supervisor's pages and the court's and prosecutor's form, as the signed-in user."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from sijill.auth import accounts
from sijill.domain.offices import SYSTEM
from sijill.search import review
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.web.app import create_app
from tests import web_forms
from tests.builders import FES, RABAT, signed_birth
from tests.fakes import FakeClock
from tests.integration.test_supervision_and_justice import (  # noqa: F401
    PROSECUTOR,
    Province,
    province,
)
from tests.web_forms import PASSWORD, form_token

JUSTICE = (("tpi.fes", "court"), ("parquet.fes", "prosecutor"))


@pytest.fixture
def client(registry: Registry, province: Province) -> Iterator[TestClient]:  # noqa: F811
    secrets = {}
    for username, role in (
        ("supervisor.03", "supervisor"),
        ("supervisor.04", "supervisor"),
        (province.fes.officer.username, "officer"),
        *JUSTICE,
    ):
        enrolment = accounts.open_account(
            registry, actor=SYSTEM, username=username, role=role
        )
        accounts.choose_password(
            registry, username=username, code=enrolment.code, password=PASSWORD
        )
        secrets[username] = enrolment.totp_secret or ""
    app = create_app(registry, role="central")
    app.state.secrets = secrets
    with TestClient(app, base_url="https://testserver") as c:
        yield c


def sign_in(client: TestClient, username: str) -> str:
    state = client.app.state  # type: ignore[attr-defined]
    secret, now = state.secrets[username], state.registry.clock()
    totp = pyotp.TOTP(secret).at(now) if secret else ""
    return web_forms.sign_in(client, username, totp=totp, landing="/login", fresh=True)


def _session_token(client: TestClient, path: str) -> str:
    return form_token(client.get(path).text)


def test_the_supervisor_sees_the_province_and_nothing_beyond(
    client: TestClient,
    registry: Registry,
    province: Province,  # noqa: F811
    clock: FakeClock,
) -> None:
    from sijill.orders.service import PUBLIC
    from tests.integration.test_orders import order_body, place

    order = place(registry, actor=PUBLIC, body=order_body())
    assert order["status"] == "routed"  # to Fès, where nothing comes of it
    signed_birth(registry, province.fes)  # registered twice
    review.queue_duplicates(registry, actor=province.fes.clerk)
    from sijill.sync.justice import submit_ruling

    submit_ruling(
        registry,
        actor=PROSECUTOR,
        kind="correction_prosecutor",
        act=province.ref,
        source={"reference": "إذن 7/2026", "date": "2026-11-20"},
        data={"field": "child.first_name_lat", "value": "Mohammed"},
    )
    clock.advance(days=40)
    sign_in(client, "supervisor.03")
    page = client.get("/supervise?lang=fr")
    assert page.status_code == 200
    offices = page.text.split('id="quality-offices"')[1].split("</table>")[0]
    assert FES in offices and RABAT not in offices
    overdue = page.text.split('id="overdue"')[1].split("</table>")[0]
    assert FES in overdue and province.ref in overdue
    assert 'href="/audit"' in page.text and 'href="/duplicates"' in page.text
    late = page.text.split('id="late-orders"')[1].split("</table>")[0]
    assert order["number"] in late and "Transmise" in late
    assert 'id="delivery-histogram"' in page.text and "Remises: 0" in page.text
    assert client.get("/supervise?province=04.421").status_code == 403
    pairs = client.get("/duplicates")
    assert pairs.text.count('class="pair"') >= 1
    assert 'name="decision"' not in pairs.text  # the officer decides, not him
    sign_in(client, "supervisor.04")
    elsewhere = client.get("/supervise").text
    assert 'id="no-overdue"' in elsewhere and order["number"] not in elsewhere
    assert 'id="no-pairs"' in client.get("/duplicates").text


def test_the_officer_decides_a_pair_in_the_browser(
    client: TestClient,
    registry: Registry,
    province: Province,  # noqa: F811
) -> None:
    signed_birth(registry, province.fes)
    review.queue_duplicates(registry, actor=province.fes.clerk)
    sign_in(client, province.fes.officer.username)
    page = client.get("/duplicates")
    review_id = re.search(r'action="/duplicates/([^"]+)"', page.text)
    assert review_id, page.text
    decided = client.post(
        f"/duplicates/{review_id.group(1)}",
        data={"csrf_token": form_token(page.text), "decision": "not_same"},
        follow_redirects=True,
    )
    assert 'id="decided"' in decided.text
    assert review.review_queue(registry, actor=province.fes.clerk) == []


def test_a_court_submits_a_judgment_and_bad_fields_come_back_next_to_them(
    client: TestClient,
    registry: Registry,
    province: Province,  # noqa: F811
) -> None:
    sign_in(client, "tpi.fes")
    form = client.get("/rulings")
    assert 'value="correction_judgment"' in form.text
    assert 'value="correction_prosecutor"' not in form.text
    typed = {
        "csrf_token": form_token(form.text),
        "kind": "correction_judgment",
        "act": province.ref,
        "source.reference": "حكم عدد 1123/2026",
        "source.date": "2026-02-30",
        "data.field": "child.first_name_lat",
        "data.value": "Mohammed",
    }
    refused = client.post("/rulings", data=typed)
    assert refused.status_code == 422
    assert re.search(r'id="e-source.date" role="alert"', refused.text)
    assert "حكم عدد 1123/2026" in refused.text and 'value="Mohammed"' in refused.text
    sent = client.post(
        "/rulings", data={**typed, "source.date": "2026-11-20"}, follow_redirects=True
    )
    assert 'id="sent"' in sent.text
    with registry.engine.connect() as conn:
        notice = conn.execute(select(t.notices)).one()
    assert (notice.target_ref, notice.kind) == (province.ref, "correction_judgment")


def test_only_courts_and_prosecutors_reach_the_rulings_form(
    client: TestClient,
    province: Province,  # noqa: F811
) -> None:
    sign_in(client, "supervisor.03")
    refused = client.get("/rulings")
    assert refused.status_code == 403 and 'id="error-message"' in refused.text
    sign_in(client, "parquet.fes")
    form = client.get("/rulings?lang=fr")
    assert 'value="correction_prosecutor"' in form.text
    assert "child.first_name_lat" in form.text and 'value="sex"' not in form.text


def test_a_court_orders_a_late_birth_registered_and_the_office_draws_it_up(
    client: TestClient,
    registry: Registry,
    province: Province,  # noqa: F811
) -> None:
    from datetime import timedelta

    from sijill.sync import office as remote
    from sijill.web.forms import DECLARATORY_FORMS
    from tests.builders import birth

    born = registry.now().date() - timedelta(days=400)
    data = birth(born, child__first_name_ar="سلمى", sex="F")
    data["child"]["first_name_lat"] = "Salma"
    data["judgment"] = {"court": "المحكمة الابتدائية بفاس", "number": "77/2026"}
    typed: dict[str, str] = {"office": FES}
    for section in DECLARATORY_FORMS["birth"]:
        for f in section.fields:
            node: object = data
            for key in f.name.split("."):
                node = node.get(key) if isinstance(node, dict) else None
            if isinstance(node, str):
                typed[f.name] = node
    sign_in(client, "tpi.fes")
    assert 'href="/rulings/declaratory/birth"' in client.get("/rulings").text
    form = client.get("/rulings/declaratory/birth")
    assert form.status_code == 200 and "الحكم التصريحي" in form.text
    typed["csrf_token"] = form_token(form.text)
    refused = client.post("/rulings/declaratory/birth", data=typed)  # no date
    assert refused.status_code == 422
    assert 'id="f-judgment-date-error"' in refused.text
    assert 'value="Salma"' in refused.text and 'value="77/2026"' in refused.text
    sent = client.post(
        "/rulings/declaratory/birth",
        data={**typed, "judgment.date": "2026-11-02"},
        follow_redirects=True,
    )
    assert 'id="sent"' in sent.text
    with registry.engine.connect() as conn:
        notice = conn.execute(select(t.notices)).one()
    assert (notice.kind, notice.target_office) == ("declaratory_birth", FES)
    remote.receive_notice(
        registry, office=FES, notice={**notice._asdict(), "source": notice.source}
    )

    sign_in(client, province.fes.officer.username)
    notices = client.get("/notices").text
    link = f'href="/declare/birth?predeclaration={notice.notice_id}"'
    assert link in notices and "سلمى" in notices
    drawn = client.get(f"/declare/birth?predeclaration={notice.notice_id}")
    assert 'value="Salma"' in drawn.text and 'value="77/2026"' in drawn.text
    values = {**typed, "judgment.date": "2026-11-02"}
    values.pop("office")
    values["predeclaration_id"] = notice.notice_id
    values["csrf_token"] = form_token(drawn.text)
    draft = client.post("/declare/birth", data=values, follow_redirects=False)
    assert draft.status_code == 303
    signed = client.post(
        draft.headers["location"] + "/sign",
        data={"csrf_token": values["csrf_token"], "despite_duplicates": "on"},
    )
    assert signed.status_code == 200 and "رسم ولادة" in signed.text
    assert 'id="notices"' in client.get("/notices").text
    assert notice.notice_id not in client.get("/notices").text  # carried out
