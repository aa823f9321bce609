"""The order pages in a real browser, served by a real ``sijill serve`` process: a
citizen orders an extract in Arabic without an account and follows it by its number; a
malformed address comes back with the field named, in French."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, NamedTuple

import pytest
from playwright.sync_api import expect

from sijill.sync.centre import open_centre
from tests.builders import days_ago, open_office, signed_birth
from tests.e2e.conftest import registry_at

pytestmark = pytest.mark.e2e


class Held(NamedTuple):
    """A registry directory and the birth date of the one act it holds."""

    directory: Path
    born: str


@pytest.fixture
def registry_with_an_act(tmp_path: Path) -> Held:
    reg = registry_at(tmp_path)
    open_centre(reg)
    born = days_ago(reg)
    signed_birth(reg, open_office(reg), born=born)  # Youssef El Idrissi
    reg.engine.dispose()
    return Held(tmp_path, born.isoformat())


def _fill(page: Any, values: dict[str, str]) -> None:
    for name, value in values.items():
        page.locator(f"[name={name}]").fill(value)


ORDER = {
    "copies": "1",
    "subject_first_name": "Youssef",
    "subject_family_name": "El Idrissi",
    "subject_father": "أحمد الإدريسي",
    "subject_mother": "Khadija Tazi",
    "requester_first_name": "Ahmed",
    "requester_family_name": "El Idrissi",
    "requester_id_number": "C123456",
    "delivery_addressee": "Ahmed El Idrissi",
    "delivery_line1": "12 rue des Orangers",
    "delivery_city": "Fès",
    "delivery_postal_code": "30000",
    "delivery_country": "MA",
    "payment_token": "tok_ok_card",
}


def test_a_citizen_orders_an_extract_and_follows_it_by_its_number(
    registry_with_an_act: Held, serve: Any, browser: Any
) -> None:
    server = serve(registry_with_an_act.directory)
    born = registry_with_an_act.born
    page = browser.new_page()
    page.goto(server.url + "/orders/new?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    _fill(page, ORDER)
    page.locator("[name=subject_birth_date]").fill(born)
    page.locator("[name=requester_relationship]").select_option("parent")
    page.get_by_role("button", name="إرسال الطلب").click()
    assert "/orders/track?number=SJ-" in page.url
    # Received at once; the page looks again until the centre has routed it.
    expect(page.locator("#status")).to_have_text("أحيل على مكتب الرسم", timeout=60_000)
    steps = page.locator("#steps tbody tr").all_inner_texts()
    assert len(steps) == 3 and "استلم الطلب" in steps[0]
    assert "Youssef" not in page.content()

    page.goto(server.url + "/orders/new?lang=fr")
    _fill(page, {**ORDER, "delivery_postal_code": "3O0OO"})
    page.locator("[name=subject_birth_date]").fill(born)
    page.locator("[name=requester_relationship]").select_option("parent")
    page.get_by_role("button", name="Envoyer la commande").click()
    errors = page.locator("#errors").inner_text()
    assert "delivery.postal_code" in errors and "code postal" in errors
    assert page.locator("[name=delivery_city]").input_value() == "Fès"


@pytest.fixture
def an_envelope_with_the_post(tmp_path: Path) -> Held:
    """One server that is the centre and Fès: an order produced, signed and posted."""
    from sijill.auth import accounts
    from sijill.domain.offices import SYSTEM
    from sijill.orders import office
    from sijill.orders.ports import OrderPorts
    from sijill.orders.processing import process_orders
    from sijill.orders.service import PUBLIC, place_order
    from sijill.sync import office as remote
    from sijill.sync.centre import notices_for
    from tests.integration.test_orders import order_body

    reg = registry_at(tmp_path)
    open_centre(reg)
    fes = open_office(reg)
    born = days_ago(reg).isoformat()
    signed_birth(reg, fes, born=date.fromisoformat(born))
    body = order_body(subject__birth_date=born)
    place_order(reg, actor=PUBLIC, body=body, ports=OrderPorts())
    process_orders(reg, OrderPorts())
    for notice in notices_for(reg, office=fes.code, after=0)["notices"]:
        remote.receive_notice(reg, office=fes.code, notice=notice)
    waiting = office.orders_to_produce(reg, actor=fes.clerk, office=fes.code)
    order_id = waiting["to_produce"][0]["order_id"]
    office.produce_order(reg, actor=fes.officer, office=fes.code, order_id=order_id)
    office.post_order(reg, actor=fes.clerk, office=fes.code, order_id=order_id)
    enrolment = accounts.open_account(
        reg, actor=SYSTEM, username="laposte.fes", role="post_operator"
    )
    accounts.choose_password(
        reg, username="laposte.fes", code=enrolment.code, password=PASSWORD
    )
    reg.engine.dispose()
    return Held(tmp_path, born)


PASSWORD = "correct horse battery"


def test_the_post_operator_sees_envelopes_only_and_records_a_step_forward(
    an_envelope_with_the_post: Held, serve: Any, browser: Any
) -> None:
    server = serve(an_envelope_with_the_post.directory, role="central")
    born = an_envelope_with_the_post.born
    page = browser.new_page()
    page.goto(server.url + "/login?lang=fr")
    page.get_by_label("Identifiant").fill("laposte.fes")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("link", name="Enveloppes").click()
    rows = page.locator("#envelopes tbody tr")
    assert rows.count() == 1
    text = rows.first.inner_text()
    assert "Ahmed El Idrissi" in text and "30000" in text
    assert "Remise à la poste" in text
    assert "Youssef" not in page.content() and born not in page.content()
    rows.first.locator("select[name=status]").select_option("picked_up")
    rows.first.get_by_role("button", name="Enregistrer").click()
    assert "Prise en charge par la poste" in page.locator("#envelopes").inner_text()
    rows.first.locator("select[name=status]").select_option("picked_up")
    rows.first.get_by_role("button", name="Enregistrer").click()
    assert "ne peut passer" in page.content()
