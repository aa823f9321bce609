"""Helpers of the browser tests of the counter and the desk: accounts, signing in, the
birth form filled as a clerk fills it, the QR code read back from a printed PDF, and
screenshots kept under ``docs/screenshots`` when ``SIJILL_SCREENSHOTS=1``."""

from __future__ import annotations

import os
import subprocess
import tempfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sijill.auth import accounts
from sijill.documents.reader import seal_from_image
from sijill.domain.offices import SYSTEM, Actor
from sijill.services.context import Registry

PASSWORD = "correct horse battery"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def open_accounts(reg: Registry, data_dir: Path, *staff: Actor) -> None:
    """An account for each member of staff; TOTP secrets kept in ``data_dir``."""
    for actor in staff:
        enrolment = accounts.open_account(
            reg, actor=SYSTEM, username=actor.username, role=actor.role
        )
        accounts.choose_password(
            reg, username=actor.username, code=enrolment.code, password=PASSWORD
        )
        if enrolment.totp_secret:
            (data_dir / f"{actor.username}.totp").write_text(enrolment.totp_secret)


def sign_in(page: Any, url: str, username: str, data_dir: Path, lang: str) -> None:
    """Sign in through the form, with the TOTP code when the role needs one."""
    import pyotp

    page.goto(f"{url}/login?lang={lang}")
    page.locator("input[name=username]").fill(username)
    page.locator("input[name=password]").fill(PASSWORD)
    secret = data_dir / f"{username}.totp"
    if secret.exists():
        page.locator("input[name=totp]").fill(pyotp.TOTP(secret.read_text()).now())
    page.locator("#login button[type=submit]").click()
    assert username in page.locator("#signed-in").inner_text()


def sign_out(page: Any) -> None:
    page.locator("#signed-in button[type=submit]").click()


def birth_form(born: date) -> dict[str, str]:
    """What a clerk types for a birth declared by the father (field id → value)."""
    return {
        "child-first_name_ar": "يوسف",
        "child-family_name_ar": "الإدريسي",
        "child-first_name_lat": "Youssef",
        "child-family_name_lat": "El Idrissi",
        "sex": "M",
        "birth_date": born.isoformat(),
        "birth_time": "08:30",
        "birth_place": "المستشفى الجامعي الحسن الثاني، فاس",
        "birth_commune": "03.231.01.0",
        "father-first_name_ar": "أحمد",
        "father-family_name_ar": "الإدريسي",
        "father-first_name_lat": "Ahmed",
        "father-family_name_lat": "El Idrissi",
        "father-birth_date": "1988-04-02",
        "father-profession": "أستاذ",
        "mother-first_name_ar": "خديجة",
        "mother-family_name_ar": "التازي",
        "mother-first_name_lat": "Khadija",
        "mother-family_name_lat": "Tazi",
        "mother-birth_date": "1992-09-15",
        "declarant-full_name": "أحمد الإدريسي",
        "declarant-relationship": "father",
        "declarant-id_document": "C123456",
    }


def death_form(died: date, birth_act_ref: str, born: date) -> dict[str, str]:
    """What a clerk types for the death of someone born in another office."""
    return {
        "deceased-first_name_ar": "يوسف",
        "deceased-family_name_ar": "الإدريسي",
        "deceased-first_name_lat": "Youssef",
        "deceased-family_name_lat": "El Idrissi",
        "sex": "M",
        "birth_date": born.isoformat(),
        "birth_act_ref": birth_act_ref,
        "death_date": died.isoformat(),
        "death_time": "06:10",
        "death_place": "مستشفى ابن سينا، الرباط",
        "declarant-full_name": "أحمد الإدريسي",
        "declarant-relationship": "father",
    }


def fill(page: Any, values: dict[str, str]) -> None:
    """Type each value into its field, as a clerk would (selects chosen)."""
    for key, value in values.items():
        field = page.locator(f"#f-{key}")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)


def days_ago(reg: Registry, days: int) -> date:
    return reg.now().date() - timedelta(days=days)


def qr_text_of(pdf: bytes) -> str:
    """The text of the QR code printed on the PDF's first page, read from its image."""
    with tempfile.TemporaryDirectory() as work:
        source = Path(work) / "document.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "150",
                "-f",
                "1",
                "-l",
                "1",
                str(source),
                str(Path(work) / "page"),
            ],
            check=True,
            timeout=60,
        )
        image = next(Path(work).glob("page*.png")).read_bytes()
    text = seal_from_image(image)
    assert text is not None, "no QR code found on the printed page"
    return text


def screenshots(page: Any, name: str, back: str = "ar") -> None:
    """Keep the page as shown, in Arabic and in French, then back in ``back``."""
    if os.environ.get("SIJILL_SCREENSHOTS") != "1":
        return
    for lang in ("ar", "fr"):
        page.goto(_in(page.url, lang))
        screenshot(page, f"{name}-{lang}")
    page.goto(_in(page.url, back))


def _in(url: str, lang: str) -> str:
    parts = urlsplit(url)
    query = dict(parse_qsl(parts.query))
    query["lang"] = lang
    return urlunsplit(parts._replace(query=urlencode(query), fragment=""))


def screenshot(page: Any, name: str) -> None:
    """Keep the page under docs/screenshots when asked (SIJILL_SCREENSHOTS=1)."""
    if os.environ.get("SIJILL_SCREENSHOTS") == "1":
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
