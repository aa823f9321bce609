"""A death declared and signed in Rabat's browser becomes, through the centre, a death
mention that Fès's officer applies in his browser: the central registry, two offices,
their sync agents and their web servers, all real processes on loopback."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from sijill.services import acts, drafts
from sijill.store import tables as t
from sijill.sync import centre as central
from tests.builders import birth
from tests.e2e.desk import (
    days_ago,
    death_form,
    fill,
    open_accounts,
    screenshot,
    screenshots,
    sign_in,
    sign_out,
)
from tests.e2e.faults import Network, need_postgres, postgres_database, wait_for

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def pg() -> None:
    need_postgres("the network browser test")


def test_a_death_in_rabat_becomes_a_mention_applied_in_fes_through_the_browser(
    pg: None, tmp_path: Path, serve: Any, browser: Any
) -> None:
    with postgres_database() as url:
        net = Network(tmp_path, url, 2, seed=0)
        try:
            fes, rabat = net.offices
            born = days_ago(fes.reg, 20)
            draft = drafts.register_birth(
                fes.reg, actor=fes.staff.clerk, office=fes.code, data=birth(born)
            )
            ref = str(
                acts.sign_act(
                    fes.reg, actor=fes.staff.officer, office=fes.code, draft_id=draft
                )
            )
            open_accounts(fes.reg, fes.directory, fes.staff.officer)
            open_accounts(
                rabat.reg, rabat.directory, rabat.staff.clerk, rabat.staff.officer
            )
            fes_web, rabat_web = serve(fes.directory), serve(rabat.directory)
            net.start()  # the centre, and each office's agent at work
            wait_for("Fès's birth at the centre", lambda: net.held(fes.code) >= 2, 120)
            net.applied()

            page = browser.new_page()
            sign_in(
                page, rabat_web.url, rabat.staff.clerk.username, rabat.directory, "ar"
            )
            page.get_by_role("link", name="تصريح بوفاة").click()
            fill(page, death_form(days_ago(rabat.reg, 1), ref, born))
            screenshot(page, "declare-death-ar")
            page.get_by_role("button", name="تسجيل المسودة").click()
            assert (
                "في انتظار توقيع الضابط" in page.locator("#draft-status").inner_text()
            )
            sign_out(page)
            sign_in(
                page, rabat_web.url, rabat.staff.officer.username, rabat.directory, "ar"
            )
            page.goto(rabat_web.url + "/drafts")
            page.get_by_role("button", name="توقيع الرسم").click()
            assert "رسم وفاة" in page.locator("#act").inner_text()

            wait_for(
                "the death notice at Fès", lambda: _notices(fes.reg, fes.code), 120
            )
            officer = browser.new_page()
            sign_in(
                officer, fes_web.url, fes.staff.officer.username, fes.directory, "fr"
            )
            officer.get_by_role("link", name="Avis à appliquer").click()
            notices = officer.locator("#notices").inner_text()
            assert "décès" in notices and ref in notices
            screenshots(officer, "notices", back="fr")
            officer.get_by_role("button", name="Appliquer et signer la mention").click()
            assert officer.url.endswith("/acts/" + ref)
            assert "décès" in officer.locator("#mentions").inner_text().lower()
            officer.goto(fes_web.url + "/notices?lang=ar")
            assert (
                "لا توجد إشعارات في الانتظار"
                in officer.locator("#notices").inner_text()
            )

            with fes.reg.engine.connect() as conn:
                kinds = (
                    conn.execute(
                        select(t.mentions.c.kind)
                        .join(t.acts, t.acts.c.act_id == t.mentions.c.act_id)
                        .where(t.acts.c.ref == ref)
                    )
                    .scalars()
                    .all()
                )
            assert kinds == ["death"]

            def applied_at_centre() -> bool:
                with net.centre.engine.connect() as conn:
                    states = central.notice_states(conn)
                return [(n["target_ref"], n["state"]) for n in states] == [
                    (ref, "applied")
                ]

            wait_for("the centre to know the notice applied", applied_at_centre, 120)
        finally:
            net.close()


def _notices(reg: Any, office: str) -> list[Any]:
    with reg.engine.connect() as conn:
        return list(
            conn.execute(
                select(t.office_notices.c.notice_id).where(
                    t.office_notices.c.office_code == office,
                    t.office_notices.c.status == "received",
                )
            ).all()
        )
