"""A remote order in a real browser, across real processes: the centre (``sijill serve
--role central`` on PostgreSQL), Fès's office server on SQLite with its ``sijill sync``
agent, and Debian's Chromium for each person.

A citizen signed in at the centre orders an extract of an act held by Fès; the centre
routes it; Fès's agent brings it; Fès's officer produces the document and hands it to
the post on the office's orders page; the agent takes the journal to the centre; the
post operator records each step on the envelopes page up to delivery against the
addressee's ID; the citizen's tracking page ends on "delivered", in Arabic and French.
Every wait polls a page until it shows the expected state: nothing is assumed to happen
at once between processes.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sijill.auth import accounts
from sijill.domain.offices import SYSTEM
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import days_ago, signed_birth
from tests.e2e.desk import PASSWORD, open_accounts, screenshots, sign_in
from tests.e2e.faults import Network, running_network
from tests.e2e.test_order_pages import ORDER

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(600)]

CITIZEN, POST = "ahmed.idrissi", "barid.fes"
CARD = ORDER["requester_id_number"]  # the citizen's identity card, C123456


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    """The centre on PostgreSQL, Fès and Rabat on SQLite, their agents at work."""
    with running_network(tmp_path, 2, "the end-to-end order test") as network:
        yield network


def _account(reg: Registry, username: str, role: str, **extra: str) -> None:
    enrolment = accounts.open_account(
        reg, actor=SYSTEM, username=username, role=role, **extra
    )
    accounts.choose_password(
        reg, username=username, code=enrolment.code, password=PASSWORD
    )


def _held_at_centre(net: Network, prefix: str) -> bool:
    with net.centre.engine.connect() as conn:
        found = conn.execute(
            select(t.acts.c.ref).where(t.acts.c.ref.startswith(prefix))
        ).first()
    return found is not None


def shown(page: Any, selector: str, text: str, timeout: float = 90) -> str:
    """Reload the page until ``selector`` shows ``text`` (other processes work behind)."""
    deadline = time.monotonic() + timeout
    while True:
        found = page.locator(selector)
        if found.count() and text in found.first.inner_text():
            return str(found.first.inner_text())
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {text!r} in {selector}")
        time.sleep(0.3)
        page.reload()


def test_a_citizen_orders_by_post_and_follows_the_envelope_to_delivery(
    net: Network, serve: Any, browser: Any
) -> None:
    fes, rabat = net.offices
    born = days_ago(fes.reg).isoformat()
    signed_birth(fes.reg, fes.staff, born=date.fromisoformat(born))  # held by Fès
    deadline = time.monotonic() + 90
    while not _held_at_centre(net, f"{fes.code}/"):
        assert time.monotonic() < deadline, "the act never reached the centre"
        time.sleep(0.2)
    _account(net.centre, CITIZEN, "citizen", civil_id="1988040212")
    _account(net.centre, POST, "post_operator")
    open_accounts(fes.reg, fes.directory, fes.staff.officer)
    office_server = serve(fes.directory)
    centre = net.server.url

    # The citizen, at no office, orders from home.
    citizen = browser.new_page()
    sign_in(citizen, centre, CITIZEN, fes.directory, "ar")
    citizen.get_by_role("link", name="طلب وثيقة").click()
    assert citizen.locator("html").get_attribute("dir") == "rtl"
    screenshots(citizen, "order-form")
    for name, value in ORDER.items():
        citizen.locator(f"[name={name}]").fill(value)
    citizen.locator("[name=subject_birth_date]").fill(born)
    citizen.locator("[name=requester_relationship]").select_option("parent")
    citizen.get_by_role("button", name="إرسال الطلب").click()
    assert "/orders/track?number=SJ-" in citizen.url
    number = citizen.locator("#order h2").inner_text()
    # Received first, matched and routed to Fès then (perhaps a moment later).
    shown(citizen, "#status", "أحيل على مكتب الرسم")
    assert "Youssef" not in citizen.content()

    # Fès's officer, with password and second factor, finds it on the orders page.
    officer = browser.new_page()
    sign_in(officer, office_server.url, fes.staff.officer.username, fes.directory, "ar")
    officer.get_by_role("link", name="الطلبات").click()
    row = shown(officer, "#to-produce", number)
    assert "Ahmed El Idrissi" in row and "نسخة موجزة" in row
    screenshots(officer, "orders-office")
    officer.locator("#to-produce tr", has_text=number).get_by_role(
        "button", name="إنجاز وتوقيع"
    ).click()
    envelope = officer.locator("#office-envelopes tr", has_text=number)
    assert "أنجزت الوثيقة ووقعت" in envelope.inner_text()
    tracking = envelope.locator("td").nth(1).inner_text()
    envelope.get_by_role("button", name="تسليم للبريد").click()
    assert "سلم للبريد" in envelope.inner_text()
    assert number not in officer.locator("#to-produce").inner_text()
    with rabat.reg.engine.connect() as conn:  # Rabat never saw the order
        assert conn.execute(select(t.office_notices)).first() is None

    # The post operator at the centre sees the envelope once Fès's journal is in.
    post = browser.new_page()
    sign_in(post, centre, POST, fes.directory, "ar")
    post.get_by_role("link", name="الأظرفة").click()
    shown(post, "#envelopes", tracking)
    page_text = post.content()
    assert "Youssef" not in page_text and born not in page_text
    screenshots(post, "envelopes")

    def record(status: str, id_number: str = "") -> Any:
        line = post.locator("#envelopes tr", has_text=tracking)
        line.locator("select[name=status]").select_option(status)
        line.locator("input[name=id_number]").fill(id_number)
        line.get_by_role("button", name="تسجيل").click()
        return post.locator("#envelopes tr", has_text=tracking)

    assert "تسلمه البريد" in record("picked_up").inner_text()
    assert "في الطريق" in record("in_transit").inner_text()
    assert "وصل إلى مكتب البريد" in record("at_post_office").inner_text()
    # Someone else's card: refused above the list, the envelope where it was.
    assert "وصل إلى مكتب البريد" in record("delivered", "ZZ999999").inner_text()
    assert "ليست للمرسل إليه" in post.locator("#errors").inner_text()
    assert "تسلمه البريد" not in post.locator("#errors").inner_text()
    record("picked_up")  # nor can it go back
    assert "لا يمكن نقل طلب" in post.locator("#errors").inner_text()
    assert record("delivered", CARD).count() == 0  # delivered: no longer with the post

    # The citizen comes back with the order's number; the page ends on delivery.
    citizen.goto(centre + "/")
    citizen.get_by_role("link", name="تتبع طلب").click()
    citizen.locator("input[name=number]").fill(number)
    citizen.get_by_role("button", name="تتبع").click()
    status = shown(citizen, "#status", "سلم للمرسل إليه")
    assert status == "سلم للمرسل إليه"
    steps = citizen.locator("#steps tbody tr").all_inner_texts()
    assert [s.split("\t")[0] for s in steps] == [
        "استلم الطلب",
        "عثر على الرسم",
        "أحيل على مكتب الرسم",
        "أنجزت الوثيقة ووقعت",
        "سلم للبريد",
        "تسلمه البريد",
        "في الطريق",
        "وصل إلى مكتب البريد",
        "سلم للمرسل إليه",
    ]
    screenshots(citizen, "order-track")
    citizen.get_by_role("link", name="Français").click()
    assert citizen.locator("#status").inner_text() == "Remise au destinataire"
    assert tracking in citizen.locator("#order").inner_text()
