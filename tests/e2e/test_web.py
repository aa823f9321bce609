"""The first web pages, served by a real `sijill serve` process, in a real browser."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest

from sijill.auth import accounts, tokens
from sijill.domain.offices import SYSTEM
from sijill.services import acts
from tests.builders import RABAT, marriage, open_office, signed_birth
from tests.e2e.conftest import registry_at

pytestmark = pytest.mark.e2e

PASSWORD = "correct horse battery"


@pytest.fixture
def populated(tmp_path: Path) -> Path:
    reg = registry_at(tmp_path)
    fes = open_office(reg)
    open_office(reg, RABAT)
    ref = signed_birth(reg, fes)
    (tmp_path / "act.ref").write_text(str(ref))  # its year is the real clock's
    acts.add_mention(
        reg, actor=fes.officer, ref=str(ref), data=marriage(reg.now().date())
    )
    for staff in (fes.clerk, fes.officer):
        enrolment = accounts.open_account(
            reg, actor=SYSTEM, username=staff.username, role=staff.role
        )
        accounts.choose_password(
            reg, username=staff.username, code=enrolment.code, password=PASSWORD
        )
        if enrolment.totp_secret:
            (tmp_path / f"{staff.username}.totp").write_text(enrolment.totp_secret)
    ministry = accounts.open_account(
        reg, actor=SYSTEM, username="ministry.hcp", role="ministry"
    )
    accounts.choose_password(
        reg, username="ministry.hcp", code=ministry.code, password=PASSWORD
    )
    (tmp_path / "ministry.hcp.totp").write_text(str(ministry.totp_secret))
    for name, role, office in (
        ("hospital", "hospital", fes.code),
        ("ministry", "ministry", None),
    ):
        token = tokens.issue_token(
            reg, actor=SYSTEM, name=name, role=role, office=office
        )
        (tmp_path / f"{name}.token").write_text(token)
    reg.engine.dispose()
    return tmp_path


def _bearer(data_dir: Path, name: str) -> dict[str, str]:
    return {"authorization": f"Bearer {(data_dir / f'{name}.token').read_text()}"}


def _act_ref(populated: Path) -> str:
    return (populated / "act.ref").read_text()


def _yesterday() -> str:
    return (datetime.now(UTC).date() - timedelta(days=1)).isoformat()


def test_a_clerk_browses_from_the_offices_to_an_act_in_arabic_and_french(
    populated: Path, serve: Any, browser: Any, tmp_path: Path
) -> None:
    server = serve(populated)
    page = browser.new_page()
    page.goto(server.url + "/")
    # Sent to sign in first, in Arabic; back where he was going afterwards.
    assert "/login" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_label("اسم المستخدم").fill("clerk.03231010")
    page.get_by_label("كلمة المرور").fill("wrong password!")
    page.get_by_role("button", name="دخول").click()
    assert "غير صحيح" in page.locator("#login-error").inner_text()
    page.get_by_label("كلمة المرور").fill(PASSWORD)
    page.get_by_role("button", name="دخول").click()
    assert "clerk.03231010" in page.locator("#signed-in").inner_text()
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("#offices").inner_text().count("فاس") == 1
    page.get_by_role("link", name="فاس").click()
    page.get_by_role("link", name="الولادات").click()
    page.get_by_role("link", name="1", exact=True).click()
    act = page.locator("#act")
    assert "رسم ولادة" in act.inner_text()
    assert "يوسف الإدريسي" in act.inner_text()
    assert "Youssef El Idrissi" in act.inner_text()
    assert "زواج" in page.locator("#mentions").inner_text()
    page.screenshot(path=str(tmp_path / "act-ar.png"), full_page=True)
    page.get_by_role("link", name="Français").click()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert "Acte de naissance" in page.locator("#act").inner_text()
    assert "mariage" in page.locator("#mentions").inner_text()
    page.goto(server.url + "/")  # the choice of language is remembered
    assert page.locator("html").get_attribute("lang") == "fr"
    # Rabat's register is not his to read: a clear page, in both languages.
    year = _act_ref(populated).split("/")[1]
    answer = page.goto(server.url + f"/offices/04.421.01.0/registers/{year}/birth")
    assert answer is not None and answer.status == 403
    assert "travaille au bureau" in page.locator("#error-message").inner_text()
    page.get_by_role("button", name="Déconnexion").click()
    assert "/login" in page.url
    page.goto(server.url + "/acts/" + _act_ref(populated))
    assert "/login" in page.url


def test_an_unknown_act_gets_a_clear_page_and_the_api_a_clear_error(
    populated: Path, serve: Any
) -> None:
    server = serve(populated)
    ministry = _bearer(populated, "ministry")
    unknown = _act_ref(populated).rsplit("/", 1)[0] + "/99"
    page = httpx.get(server.url + "/acts/" + unknown, headers=ministry)
    assert page.status_code == 404 and "لا يوجد رسم بالمرجع" in page.text
    api = httpx.get(server.url + "/api/acts/nonsense", headers=ministry)
    assert api.status_code == 422
    assert api.json()["violations"][0]["rule"] == "act.ref_format"


def test_a_hospital_predeclares_a_birth_through_the_api(
    populated: Path, serve: Any
) -> None:
    server = serve(populated)
    hospital = _bearer(populated, "hospital")
    anonymous = httpx.post(
        server.url + "/api/offices/03.231.01.0/predeclarations", json={}
    )
    assert anonymous.status_code == 401
    good = httpx.post(
        headers=hospital,
        url=server.url + "/api/offices/03.231.01.0/predeclarations",
        json={
            "kind": "birth",
            "sender_kind": "hospital",
            "sender_name": "CHU Hassan II",
            "sender_ref": "CHU-77",
            "data": {"sex": "F", "birth_date": _yesterday()},
        },
    )
    assert good.status_code == 201 and len(good.json()["predeclaration_id"]) == 36
    bad = httpx.post(
        headers=hospital,
        url=server.url + "/api/offices/03.231.01.0/predeclarations",
        json={
            "kind": "marriage",
            "sender_kind": "hospital",
            "sender_name": "",
            "sender_ref": "X",
            "data": [],
        },
    )
    assert bad.status_code == 422
    fields = {v["field"]: v["rule"] for v in bad.json()["violations"]}
    assert fields == {
        "kind": "choice",
        "sender_name": "required",
        "data": "type.object",
    }


def test_an_officer_signs_in_in_french_with_his_totp_code(
    populated: Path, serve: Any, browser: Any
) -> None:
    import pyotp

    server = serve(populated)
    secret = (populated / "officer.03231010.totp").read_text()
    page = browser.new_page()
    page.goto(server.url + "/login?lang=fr")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.get_by_label("Identifiant").fill("officer.03231010")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    assert "incorrect" in page.locator("#login-error").inner_text()  # no code
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_label("Code de vérification", exact=False).fill(
        pyotp.TOTP(secret).now()
    )
    page.get_by_role("button", name="Se connecter").click()
    assert "officer.03231010" in page.locator("#signed-in").inner_text()
    cookies = {c["name"]: c for c in page.context.cookies()}
    session = cookies["sijill_session"]
    assert session["httpOnly"] and session["sameSite"] == "Strict"


def test_the_ministry_reads_the_vital_statistics_and_a_clerk_may_not(
    populated: Path, serve: Any, browser: Any
) -> None:
    import pyotp

    server = serve(populated)
    year = str(registry_year(populated))
    page = browser.new_page()
    page.goto(server.url + "/login?lang=ar")
    page.get_by_label("اسم المستخدم").fill("ministry.hcp")
    page.get_by_label("كلمة المرور").fill(PASSWORD)
    secret = (populated / "ministry.hcp.totp").read_text()
    page.locator("input[name=totp]").fill(pyotp.TOTP(secret).now())
    page.get_by_role("button", name="دخول").click()
    assert "ministry.hcp" in page.locator("#signed-in").inner_text()
    page.goto(server.url + f"/stats/births?year={year}&lang=ar")
    assert page.locator("html").get_attribute("dir") == "rtl"
    months = page.locator("section#births\\.month")
    assert "الولادات الحية حسب الشهر والجنس" in months.inner_text()
    # The one birth of the year, in the total row of the month table.
    assert months.locator("tr.total td").last.inner_text() == "1"
    csv = page.request.get(
        server.url + f"/api/stats/births.month?year={year}&format=csv"
    )
    assert csv.ok and "1" in csv.text()
    clerk = browser.new_page()
    clerk.goto(server.url + "/login?lang=fr")
    clerk.get_by_label("Identifiant").fill("clerk.03231010")
    clerk.get_by_label("Mot de passe").fill(PASSWORD)
    clerk.get_by_role("button", name="Se connecter").click()
    answer = clerk.goto(server.url + f"/stats/births?year={year}")
    assert answer is not None and answer.status == 403


def registry_year(data_dir: Path) -> int:
    reg = registry_at(data_dir)
    try:
        return reg.now().year
    finally:
        reg.engine.dispose()
