"""The counter and the officer's desk in a real browser, against a real server process:
a birth from its declaration to a printed extract whose QR code the public page
verifies, and a refused field answered next to itself in Arabic and in French."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.builders import open_office
from tests.e2e.conftest import registry_at
from tests.e2e.desk import (
    birth_form,
    days_ago,
    fill,
    open_accounts,
    qr_text_of,
    screenshot,
    screenshots,
    sign_in,
    sign_out,
)

pytestmark = pytest.mark.e2e


@pytest.fixture
def fes(tmp_path: Path) -> Path:
    """One office, Fès, with a clerk and an officer who can sign in."""
    reg = registry_at(tmp_path)
    staff = open_office(reg)
    open_accounts(reg, tmp_path, staff.clerk, staff.officer)
    (tmp_path / "born").write_text(days_ago(reg, 2).isoformat())
    reg.engine.dispose()
    return tmp_path


def test_a_birth_goes_from_the_counter_to_a_printed_extract_that_verifies(
    fes: Path, serve: Any, browser: Any
) -> None:
    from datetime import date

    from sijill.domain.calendars import to_hijri

    server = serve(fes)
    born = date.fromisoformat((fes / "born").read_text())
    page = browser.new_page()
    sign_in(page, server.url, "clerk.03231010", fes, "ar")
    page.get_by_role("link", name="تصريح بولادة").click()
    assert "مولاي" in page.locator("#hint-child").inner_text()  # the name rules
    assert page.locator("#f-child-first_name_lat").get_attribute("dir") == "ltr"
    fill(page, birth_form(born))
    hijri = to_hijri(born)
    assert hijri is not None  # shown as soon as the day is typed
    page.locator("#f-birth_date-hijri").filter(has_text=hijri.spelled("ar")).wait_for()
    screenshot(page, "declare-birth-ar")
    page.get_by_role("button", name="تسجيل المسودة").click()
    assert "في انتظار توقيع الضابط" in page.locator("#draft-status").inner_text()
    # The clerk reads the draft back to the declarant and corrects it before signing.
    page.get_by_role("link", name="تعديل المسودة").click()
    page.locator("#f-birth_place").fill("دار الولادة الزهور، فاس")
    page.get_by_role("button", name="تسجيل التعديل").click()
    draft = page.locator("#draft").inner_text()
    assert "يوسف الإدريسي" in draft and "Youssef El Idrissi" in draft
    assert "دار الولادة الزهور" in draft
    assert hijri.spelled("ar") in draft  # the Hijri date beside the Gregorian one
    screenshots(page, "draft")
    sign_out(page)

    sign_in(page, server.url, "officer.03231010", fes, "ar")
    page.get_by_role("link", name="المسودات للتوقيع").click()
    assert "يوسف الإدريسي" in page.locator("#queue").inner_text()
    screenshots(page, "queue")
    page.get_by_role("button", name="توقيع الرسم").click()
    act = page.locator("#act")
    assert "رسم ولادة" in act.inner_text() and "03.231.01.0/" in act.inner_text()
    screenshots(page, "act-signed")
    with page.expect_download() as download:
        page.get_by_role("button", name="تسليم وطبع").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    qr = qr_text_of(pdf)
    assert qr.startswith("SJ1:")

    # Whoever is handed the paper checks it, without an account.
    public = browser.new_page()
    public.goto(server.url + "/")
    assert "/login" in public.url
    public.get_by_role("link", name="التحقق من وثيقة").click()
    public.get_by_label("رقم الوثيقة أو نص الرمز").fill(qr)
    public.get_by_role("button", name="تحقق").click()
    assert "وثيقة صحيحة" in public.locator("#verdict").inner_text()
    assert "Youssef" in public.locator("#verdict").inner_text()
    screenshot(public, "verify-ar")
    public.get_by_role("link", name="Français").click()
    assert "Document authentique" in public.locator("#verdict").inner_text()
    screenshot(public, "verify-fr")


@pytest.mark.parametrize(
    ("lang", "submit", "message"),
    [
        ("ar", "تسجيل المسودة", "لا يجوز أن يتضمن الاسم أرقاما"),
        ("fr", "Enregistrer le projet", "un nom ne peut pas contenir de chiffres"),
    ],
)
def test_a_refused_field_is_answered_next_to_it_and_the_rest_is_kept(
    fes: Path, serve: Any, browser: Any, lang: str, submit: str, message: str
) -> None:
    from datetime import date

    server = serve(fes)
    born = date.fromisoformat((fes / "born").read_text())
    page = browser.new_page()
    sign_in(page, server.url, "clerk.03231010", fes, lang)
    page.goto(server.url + "/declare/birth")
    typed = birth_form(born) | {"child-first_name_lat": "Youss3f"}
    fill(page, typed)
    page.get_by_role("button", name=submit).click()
    error = page.locator("#f-child-first_name_lat-error")
    assert error.inner_text() == message
    field = page.locator("#f-child-first_name_lat")
    assert field.get_attribute("aria-invalid") == "true"
    assert "f-child-first_name_lat-error" in (
        field.get_attribute("aria-describedby") or ""
    )
    for key, value in typed.items():  # everything typed is still there
        assert page.locator(f"#f-{key}").input_value() == value, key
    assert message in page.locator("#refused").inner_text()
    # The summary leads to the field, by keyboard too.
    page.locator("#refused a").first.focus()
    page.keyboard.press("Enter")
    # Following a link within the page is not instant: wait for the address.
    expect(page).to_have_url(re.compile(r"#f-child-first_name_lat$"))
    screenshot(page, f"declare-refused-{lang}")
    page.set_viewport_size({"width": 375, "height": 800})  # a phone
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375
    screenshot(page, f"declare-phone-{lang}")
