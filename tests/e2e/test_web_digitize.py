"""Scenario 4: two keyers key the same act in the browser with the keyboard alone, the
adjudicator decides the field they wrote differently, the reviewer accepts the batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sijill.auth import accounts
from sijill.digitize.tables import batch_acts, disagreements
from sijill.domain.offices import SYSTEM
from sijill.services import offices
from tests.builders import FES
from tests.e2e.conftest import cli, registry_at

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"
BATCH = "FES-1962-N-07"
TEAM = (
    ("officer.fes", "officer"),
    ("keyer.one", "keyer"),
    ("keyer.two", "keyer"),
    ("adjudicator.fes", "adjudicator"),
    ("reviewer.fes", "reviewer"),
)
# The act as the first keyer types it, field after field, in the form's tab order.
TYPED = (
    "412",  # number
    "محمد",
    "العلوي",
    "Mohamed",
    "Alaoui",
    "M",
    "1962-03-04",
    "",  # Hijri date: not on this page
    "",  # hour: not on this page
    "فاس",
    "03.231.01.0",
    "أحمد العلوي",
    "فاطمة الزهراء",
)


@pytest.fixture
def office(tmp_path: Path) -> Path:
    reg = registry_at(tmp_path)
    offices.create_office(reg, actor=SYSTEM, commune_code=FES)
    for username, role in TEAM:
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=FES,
            username=username,
            role=role,
            full_name_ar="سعيد العمراني",
            full_name_fr="Said El Amrani",
        )
        if role != "officer":
            enrolment = accounts.open_account(
                reg, actor=SYSTEM, username=username, role=role
            )
            accounts.choose_password(
                reg, username=username, code=enrolment.code, password=PASSWORD
            )
    reg.engine.dispose()
    opened = cli(
        tmp_path,
        "digitize",
        "open",
        BATCH,
        "--office",
        FES,
        "--kind",
        "birth",
        "--year",
        "1962",
        "--pages",
        "1-40",
        "--scans",
        "/static/scans/1962-N-{page:04d}.png",
        "--as",
        "officer.fes",
    )
    assert opened.returncode == 0, opened.stdout + opened.stderr
    return tmp_path


def _signed_in(browser: Any, url: str, username: str) -> Any:
    page = browser.new_page()
    page.goto(url + "/login")
    page.get_by_label("اسم المستخدم").fill(username)
    page.get_by_label("كلمة المرور").fill(PASSWORD)
    page.get_by_role("button", name="دخول").click()
    assert username in page.locator("#signed-in").inner_text()
    return page


def _focused(page: Any, condition: str) -> None:
    """Wait until the page has put the cursor where ``condition`` says (autofocus is
    applied by the browser after the page has loaded)."""
    page.wait_for_function(f"() => document.activeElement && ({condition})")


def _key(page: Any, url: str, typed: tuple[str, ...]) -> None:
    """Key page 3 line 12 with the keyboard alone: type, Tab, type, ... Enter."""
    page.goto(f"{url}/digitize/{BATCH}/key")
    _focused(page, "document.activeElement.id === 'f-page'")
    for value in ("3", "12", *typed):
        if value:
            page.keyboard.type(value)
        page.keyboard.press("Tab")
    page.keyboard.press("Shift+Tab")  # back on the last field: Enter submits
    page.keyboard.press("Enter")
    page.wait_for_selector("#keyed")
    # The next line is open, its first field ready to type.
    assert page.get_by_label("السطر").input_value() == "13"
    _focused(page, "document.activeElement.id === 'f-number'")


def test_two_keyers_an_adjudicator_and_a_reviewer_in_the_browser(
    office: Path, serve: Any, browser: Any
) -> None:
    server = serve(office)
    first = _signed_in(browser, server.url, "keyer.one")
    _key(first, server.url, TYPED)
    second = _signed_in(browser, server.url, "keyer.two")
    # The second keyer reads the Latin first name differently.
    _key(second, server.url, (*TYPED[:3], "Mohammed", *TYPED[4:]))
    second.goto(server.url + "/digitize")
    second.get_by_role("button", name="مقارنة الرقنين").focus()
    with second.expect_navigation():
        second.keyboard.press("Enter")
    assert "reconciled" in second.locator("#batches").inner_text()

    judge = _signed_in(browser, server.url, "adjudicator.fes")
    judge.goto(f"{server.url}/digitize/{BATCH}/adjudicate")
    row = judge.locator("#queue tbody tr").first
    assert "Mohamed" in row.inner_text() and "Mohammed" in row.inner_text()
    assert "1962-N-0003.png" in row.locator("a.scan").get_attribute("href")
    # The first keyer's value has the focus; Tab reaches the second's, Enter takes it.
    _focused(judge, "document.activeElement.value === 'first'")
    judge.keyboard.press("Tab")
    judge.keyboard.press("Enter")
    judge.wait_for_selector("#decided")
    assert judge.locator("#queue-empty").is_visible()

    reg = registry_at(office)
    with reg.engine.connect() as conn:
        act = conn.execute(select(batch_acts)).one()
        decided = conn.execute(select(disagreements)).one()
    reg.engine.dispose()
    assert (act.open, act.failures, act.adjudicator) == (0, [], "adjudicator.fes")
    assert act.data["child"]["first_name_lat"] == "Mohammed"
    assert act.number == 412
    assert (decided.decided_value, decided.decided_by) == (
        "Mohammed",
        "adjudicator.fes",
    )

    # The act is ready: the reviewer draws the sample and finds it as the scan reads.
    reviewer = _signed_in(browser, server.url, "reviewer.fes")
    reviewer.goto(f"{server.url}/digitize/{BATCH}/review")
    _focused(reviewer, "document.activeElement.form?.id === 'draw'")
    with reviewer.expect_navigation():
        reviewer.keyboard.press("Enter")  # the draw button has the focus
    reviewer.wait_for_selector("#plan")
    reviewer.get_by_role("button", name="تسجيل المراجعة").focus()
    reviewer.keyboard.press("Enter")
    reviewer.wait_for_selector("#verdict")
    assert "جاهزة للتحميل" in reviewer.locator("#verdict").inner_text()
