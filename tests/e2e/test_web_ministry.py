"""The ministry's work in a real browser, against a real central server: an office
brought into service from the onboarding page (a wrong passphrase refused next to its
field first), its key listed on the keys page, the office on the roll-out dashboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from sijill.bootstrap import bootstrap
from sijill.config import Settings
from sijill.documents.service import trust_directory
from sijill.documents.trust import TrustStore
from sijill.domain.offices import Actor
from sijill.sync.centre import open_centre
from tests.e2e.desk import open_accounts, screenshot, screenshots, sign_in

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]

PASSPHRASE = "the ministry's own passphrase"
AIN_BIDA = "03.231.81.03"


@pytest.fixture
def ministry(tmp_path: Path) -> Path:
    """A ministry machine: the centre's database, its root key, one official."""
    reg = bootstrap(Settings(data_dir=tmp_path, durable=False))
    open_centre(reg)
    TrustStore(trust_directory(reg)).init_root(PASSPHRASE.encode())
    open_accounts(reg, tmp_path, Actor("ministry.one", "ministry", None))
    reg.engine.dispose()
    return tmp_path


def test_the_ministry_brings_an_office_into_service_from_its_browser(
    ministry: Path, serve: Any, browser: Any
) -> None:
    server = serve(ministry, role="central")
    page = browser.new_page()
    sign_in(page, server.url, "ministry.one", ministry, "ar")
    page.get_by_role("navigation", name="القائمة").get_by_role(
        "link", name="إدماج مكتب"
    ).click()
    page.locator("#f-commune").fill(AIN_BIDA)
    page.locator("#f-passphrase").fill("not the passphrase")
    page.get_by_role("button", name="إدماج المكتب").click()
    assert page.locator("#f-passphrase-error").is_visible()
    assert page.locator("#f-commune").input_value() == AIN_BIDA  # kept
    assert page.locator("#f-passphrase").input_value() == ""  # never sent back

    page.locator("#f-passphrase").fill(PASSPHRASE)
    page.get_by_role("button", name="إدماج المكتب").click()
    done = page.locator("#onboarded")
    assert "أدمج المكتب" in done.inner_text() and AIN_BIDA in done.inner_text()
    assert "officer.032318103" in page.locator("#officer-credentials").inner_text()
    assert page.locator("#onboard-checklist li").count() >= 6
    screenshot(page, "onboarded-ar")
    assert (ministry / "offices" / AIN_BIDA / "office.toml").exists()

    page.get_by_role("navigation", name="القائمة").get_by_role(
        "link", name="مفاتيح المكاتب"
    ).click()
    keys = page.locator("#office-keys").inner_text()
    assert AIN_BIDA in keys and "سار" in keys  # certified, in force
    screenshots(page, "office-keys")
    page.get_by_role("navigation", name="القائمة").get_by_role(
        "link", name="تعميم المكاتب"
    ).click()
    assert AIN_BIDA in page.locator("#rollout-offices").inner_text()
    screenshots(page, "rollout")
