"""The order pages in a real browser, served by a real ``sijill serve`` process: a
citizen orders an extract in Arabic without an account and follows it by its number; a
malformed address comes back with the field named, in French."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sijill.sync.centre import open_centre
from tests.builders import open_office, signed_birth
from tests.e2e.conftest import registry_at

pytestmark = pytest.mark.e2e


@pytest.fixture
def registry_with_an_act(tmp_path: Path) -> Path:
    reg = registry_at(tmp_path)
    open_centre(reg)
    signed_birth(reg, open_office(reg))  # Youssef El Idrissi, born 2026-11-22
    reg.engine.dispose()
    return tmp_path


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
    registry_with_an_act: Path, serve: Any, browser: Any
) -> None:
    server = serve(registry_with_an_act)
    page = browser.new_page()
    page.goto(server.url + "/orders/new?lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    _fill(page, ORDER)
    page.locator("[name=subject_birth_date]").fill("2026-11-22")
    page.locator("[name=requester_relationship]").select_option("parent")
    page.get_by_role("button", name="إرسال الطلب").click()
    assert "/orders/track?number=SJ-" in page.url
    assert page.locator("#status").inner_text() == "أحيل على مكتب الرسم"
    steps = page.locator("#steps tbody tr").all_inner_texts()
    assert len(steps) == 3 and "استلم الطلب" in steps[0]
    assert "Youssef" not in page.content()

    page.goto(server.url + "/orders/new?lang=fr")
    _fill(page, {**ORDER, "delivery_postal_code": "3O0OO"})
    page.locator("[name=subject_birth_date]").fill("2026-11-22")
    page.locator("[name=requester_relationship]").select_option("parent")
    page.get_by_role("button", name="Envoyer la commande").click()
    errors = page.locator("#errors").inner_text()
    assert "delivery.postal_code" in errors and "code postal" in errors
    assert page.locator("[name=delivery_city]").input_value() == "Fès"
