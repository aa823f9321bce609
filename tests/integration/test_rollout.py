"""The roll-out: onboarding an office, a whole province, and the dashboard.

The centre runs on SQLite and on PostgreSQL (the parametrized ``registry``); each
office gets its own SQLite database under the ministry's data directory.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, insert, select

from sijill.documents.errors import TrustProblem
from sijill.documents.trust import TrustList, TrustStore
from sijill.domain.errors import Forbidden, InvalidInput
from sijill.domain.offices import SYSTEM, Actor
from sijill.orders.tables import orders
from sijill.rollout import generalize
from sijill.rollout.dashboard import rollout_status
from sijill.rollout.onboarding import (
    ALREADY,
    CONFIG_NAME,
    Ministry,
    commune_request,
    consulate_request,
    make_template,
    onboard_office,
)
from sijill.services.context import Registry, stamp
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.sync.centre import open_centre

PASSPHRASE = b"the ministry's own passphrase"
FES = "03.231.01.0"
SMALL_PROVINCE = "11.121"  # four communes


@pytest.fixture
def ministry(registry: Registry, tmp_path: Path) -> Ministry:
    trust = TrustStore(tmp_path / "keys" / "trust")
    trust.init_root(PASSPHRASE)
    open_centre(registry)
    return Ministry(
        centre=registry,
        offices_dir=tmp_path / "offices",
        trust=trust,
        passphrase=PASSPHRASE,
        actor=SYSTEM,
        template=make_template(tmp_path),
    )


def _count(reg_or_url: Registry | str, table: Any, **where: str) -> int:
    engine = (
        reg_or_url.engine
        if isinstance(reg_or_url, Registry)
        else make_engine(reg_or_url)
    )
    query = select(func.count()).select_from(table)
    for column, value in where.items():
        query = query.where(table.c[column] == value)
    with engine.connect() as conn:
        found = int(conn.execute(query).scalar_one())
    if not isinstance(reg_or_url, Registry):
        engine.dispose()
    return found


def _office_db(ministry: Ministry, code: str) -> str:
    return f"sqlite:///{ministry.offices_dir / code / 'sijill.db'}"


def _snapshot(ministry: Ministry, code: str) -> dict[str, int]:
    db = _office_db(ministry, code)
    return {
        "office journal": _count(db, t.journal, office_code=code),
        "officers": _count(db, t.staff, office_code=code),
        "accounts": _count(db, t.accounts),
        "registers": _count(db, t.registers, office_code=code),
        "centre journal": _count(ministry.centre, t.journal, office_code=code),
        "enrolled": _count(ministry.centre, t.enrolled_keys, office_code=code),
        "t.onboardings": _count(ministry.centre, t.onboardings, office_code=code),
        "certificates": len(
            list((ministry.trust.directory / "certificates").glob("*"))
        ),
    }


def test_an_office_is_brought_into_service_by_one_call(ministry: Ministry) -> None:
    done = onboard_office(ministry, commune_request(FES))

    assert done.changed and done.enrolment is not None
    assert done.enrolment.totp_secret  # officers sign in with a second factor
    assert _snapshot(ministry, FES) == {
        "office journal": 4,  # opened, officer appointed, two registers opened
        "officers": 1,
        "accounts": 1,
        "registers": 2,
        "centre journal": 4,  # the office's journal reached the centre
        "enrolled": 1,
        "t.onboardings": 1,
        "certificates": 2,  # the COSE certificate and the X.509 one
    }
    with ministry.centre.engine.connect() as conn:
        at_centre = conn.execute(
            select(t.offices.c.name_fr).where(t.offices.c.code == FES)
        ).scalar_one()
    assert at_centre == "Fès"
    trust = TrustList.load(done.office_dir / "keys" / "trust")
    assert [k.office for k in trust.keys.values()] == [FES]
    config = (done.office_dir / CONFIG_NAME).read_text(encoding="utf-8")
    assert f'code = "{FES}"' in config and "centre_key" in config
    sheet = (done.office_dir / "officer-credentials.txt").read_text(encoding="utf-8")
    assert done.enrolment.code in sheet
    assert any("sijill serve --config" in item for item in done.checklist())
    assert any("sijill serve --config" in item for item in done.checklist("ar"))


def test_onboarding_twice_changes_nothing_and_says_so(ministry: Ministry) -> None:
    onboard_office(ministry, commune_request(FES, officer_username="chef.fes"))
    before = _snapshot(ministry, FES)
    config = (ministry.offices_dir / FES / CONFIG_NAME).read_bytes()

    # Run again without the officer's name: the one in office is kept.
    again = onboard_office(ministry, commune_request(FES))

    assert not again.changed
    assert {state for _, state in again.steps} == {ALREADY}
    assert again.enrolment is None  # no second one-time password
    assert _snapshot(ministry, FES) == before
    assert (ministry.offices_dir / FES / CONFIG_NAME).read_bytes() == config


def test_a_half_finished_onboarding_is_completed_by_a_retry(
    ministry: Ministry,
) -> None:
    wrong = Ministry(**{**ministry.__dict__, "passphrase": b"not the passphrase"})
    wrong.trust = TrustStore(ministry.trust.directory)
    with pytest.raises(TrustProblem) as refused:
        onboard_office(wrong, commune_request(FES))  # stops at the certificate
    assert refused.value.rule == "trust.bad_passphrase"
    half = _snapshot(ministry, FES)
    assert half["officers"] == 1 and half["enrolled"] == 0

    done = onboard_office(ministry, commune_request(FES))

    states = dict(done.steps)
    assert states["office"] == ALREADY and states["account"] == ALREADY
    assert states["certificate"] == "done" and states["enrolment"] == "done"
    assert _snapshot(ministry, FES) == {
        **half,
        "centre journal": 4,
        "enrolled": 1,
        "certificates": 2,
    }


def test_an_unknown_commune_is_refused_naming_the_field() -> None:
    with pytest.raises(InvalidInput) as refused:
        commune_request("99.999.99.9")
    (violation,) = refused.value.violations
    assert (violation.field, violation.rule) == ("commune", "office.unknown_commune")
    assert "99.999.99.9" in violation.message("fr")


def test_a_consulate_is_onboarded_like_a_commune(ministry: Ministry) -> None:
    request = consulate_request(
        ("FR", "Paris", "القنصلية العامة بباريس", "Consulat général à Paris")
    )
    done = onboard_office(ministry, request)
    assert done.office == "C-FR-PARIS" and done.changed


def test_only_the_ministry_onboards(ministry: Ministry) -> None:
    clerk = Ministry(**{**ministry.__dict__, "actor": Actor("clerk.fes", "clerk", FES)})
    with pytest.raises(Forbidden):
        onboard_office(clerk, commune_request(FES))
    assert _count(ministry.centre, t.onboardings) == 0


def test_a_province_is_rolled_out_and_resumed_after_an_interruption(
    ministry: Ministry,
) -> None:
    communes = generalize.official_offices(province=SMALL_PROVINCE)
    assert len(communes) == 4

    class Interrupted(Exception):
        pass

    seen: list[str] = []

    def cut_after_two(planned: generalize.Planned, _done: object) -> None:
        seen.append(planned.code)
        if len(seen) == 2:
            raise Interrupted

    with pytest.raises(Interrupted):
        generalize.roll_out(ministry, communes, progress=cut_after_two)
    states = [p.state for p in generalize.plan(ministry.centre, communes)]
    assert states == ["done", "done", "new", "new"]

    report = generalize.roll_out(ministry, communes)

    assert report.skipped == seen and len(report.onboarded) == 2
    assert _count(ministry.centre, t.onboardings) == 4
    assert _count(ministry.centre, t.enrolled_keys) == 4 + 0  # one key per office
    for commune in communes:
        assert _snapshot(ministry, commune.code)["officers"] == 1
        trust = TrustList.load(ministry.offices_dir / commune.code / "keys" / "trust")
        assert len(trust.keys) == 4  # published once, after the whole province
    again = generalize.roll_out(ministry, communes)
    assert again.onboarded == [] and len(again.skipped) == 4


def test_a_rollout_scope_must_be_one_known_province_or_region() -> None:
    for options, field, rule in (
        ({"province": "99.999"}, "province", "rollout.unknown_province"),
        ({"region": "77"}, "region", "rollout.unknown_region"),
        ({}, "province", "rollout.one_scope"),
        ({"province": "11.121", "everything": True}, "province", "rollout.one_scope"),
    ):
        with pytest.raises(InvalidInput) as refused:
            generalize.official_offices(**options)  # type: ignore[arg-type]
        (violation,) = refused.value.violations
        assert (violation.field, violation.rule) == (field, rule)


def test_the_dashboard_shows_offices_per_province_and_each_office(
    ministry: Ministry,
) -> None:
    onboard_office(ministry, commune_request(FES))
    onboard_office(ministry, commune_request("03.231.81.03"), publish=True)
    ministry_actor = Actor("ministry.one", "ministry", None)

    status = rollout_status(ministry.centre, actor=SYSTEM)

    fes_province = next(p for p in status["provinces"] if p["code"] == "03.231")
    assert fes_province["onboarded"] == 2 and fes_province["offices"] > 2
    assert status["totals"]["onboarded"] == 2
    assert status["totals"]["official"] == 1544
    line = next(o for o in status["offices"] if o["office"] == FES)
    assert line["state"] == "in service"
    assert line["last_contact"] is not None and line["backlog"] == 0
    assert line["legacy_registers"] == 2 * (2026 - 1915)
    assert line["digitized_share"] == 0.0
    assert line["notices_overdue"] == 0 and line["orders_overdue"] == 0
    # An order for one of Fès's acts, still open after the 7 days of the target.
    placed = stamp(ministry.centre.now() - timedelta(days=8))
    with ministry.centre.engine.begin() as conn:
        conn.execute(
            insert(orders).values(
                order_id="o-1",
                number="SJ-1",
                idempotency_key="k-1",
                request_digest="0" * 64,
                channel="remote",
                placed_by="public",
                kind="extract",
                lang="ar",
                copies=1,
                relationship="self",
                subject={},
                requester={},
                delivery={},
                office_code=FES,
                province_code="03.231",
                status="routed",
                fee_centimes=2000,
                created_at=placed,
                updated_at=placed,
            )
        )
    again = rollout_status(ministry.centre, actor=SYSTEM)
    assert (
        next(o for o in again["offices"] if o["office"] == FES)["orders_overdue"] == 1
    )
    one = rollout_status(ministry.centre, actor=SYSTEM, province="03.231")
    assert [p["code"] for p in one["provinces"]] == ["03.231"]
    with pytest.raises(Forbidden):
        rollout_status(ministry.centre, actor=Actor("clerk.x", "clerk", FES))
    assert ministry_actor.role == "ministry"


def test_the_ministry_sees_the_rollout_on_its_page_and_in_the_api(
    ministry: Ministry,
) -> None:
    import pyotp
    from fastapi.testclient import TestClient

    from sijill.auth import accounts, tokens
    from sijill.web.app import create_app
    from tests.web_forms import PASSWORD, sign_in

    onboard_office(ministry, commune_request(FES))
    reg = ministry.centre
    enrolment = accounts.open_account(
        reg, actor=SYSTEM, username="ministry.one", role="ministry"
    )
    accounts.choose_password(
        reg, username="ministry.one", code=enrolment.code, password=PASSWORD
    )
    token = tokens.issue_token(reg, actor=SYSTEM, name="tableau", role="ministry")
    with TestClient(
        create_app(reg, role="central"), base_url="https://testserver"
    ) as client:
        assert client.get("/api/rollout/status").status_code == 401
        answer = client.get(
            "/api/rollout/status",
            params={"province": "03.231"},
            headers={"authorization": f"Bearer {token}"},
        )
        assert answer.status_code == 200
        (line,) = answer.json()["offices"]
        assert line["office"] == FES and line["state"] == "in service"
        code = pyotp.TOTP(enrolment.totp_secret or "").at(reg.now())
        sign_in(client, "ministry.one", code)
        page = client.get("/rollout", params={"lang": "fr"})
        assert page.status_code == 200
        assert 'href="/rollout"' in page.text  # the ministry's menu leads there
        assert FES in page.text and "en service" in page.text
        assert "1 / 1544" in page.text
        arabic = client.get("/rollout", params={"lang": "ar"})
        assert "تعميم المكاتب" in arabic.text and "في الخدمة" in arabic.text


AIN_BIDA, TANGER = "03.231.81.03", "01.511.01.0"


def test_a_merged_office_hands_its_registers_over_and_its_notices_follow(
    ministry: Ministry,
) -> None:
    from datetime import timedelta

    from sijill.rollout.merge import merge_offices
    from sijill.rollout.onboarding import office_registry
    from sijill.services import acts, drafts
    from sijill.sync import centre as central
    from sijill.sync import office as remote
    from sijill.sync.protocol import CENTRE
    from tests.builders import birth, death

    for code in (FES, AIN_BIDA, TANGER):
        onboard_office(ministry, commune_request(code))
    centre = ministry.centre
    local = {
        code: office_registry(ministry.offices_dir / code, centre.clock)
        for code in (FES, AIN_BIDA, TANGER)
    }
    officer = {
        code: Actor(f"officer.{tag}", "officer", code)
        for code, tag in (
            (FES, "03231010"),
            (AIN_BIDA, "032318103"),
            (TANGER, "01511010"),
        )
    }
    today = centre.now().date()

    def sign(code: str, kind: str, data: dict[str, Any]) -> str:
        register = drafts.register_birth if kind == "birth" else drafts.register_death
        draft = register(local[code], actor=officer[code], office=code, data=data)
        ref = acts.sign_act(
            local[code], actor=officer[code], office=code, draft_id=draft
        )
        remote.push(local[code], central.LocalCentre(centre, code), code)
        return str(ref)

    born = sign(AIN_BIDA, "birth", birth(today - timedelta(days=3)))

    merged = merge_offices(
        centre,
        actor=SYSTEM,
        closed=AIN_BIDA,
        into=FES,
        offices_dir=ministry.offices_dir,
    )

    assert (merged.acts, merged.handed_over) == (1, True)
    sign(TANGER, "death", death(today - timedelta(days=1), birth_act_ref=born))
    with centre.engine.connect() as conn:
        notice = conn.execute(
            select(t.notices).where(t.notices.c.target_ref == born)
        ).one()
    assert notice.target_office == FES  # no longer the closed office
    fes = local[FES]
    centre_key = centre.keys.signer(CENTRE).public_key_hex
    remote.pull(fes, central.LocalCentre(centre, FES), FES, centre_key)
    remote.apply_notice(fes, actor=officer[FES], office=FES, notice_id=notice.notice_id)
    for code in (AIN_BIDA, FES):  # the receiving office pushes both journals
        remote.push(fes, central.LocalCentre(centre, code), code)
    with centre.engine.connect() as conn:
        act = conn.execute(select(t.acts).where(t.acts.c.ref == born)).one()
        mentions = (
            conn.execute(
                select(t.mentions.c.kind).where(t.mentions.c.act_id == act.act_id)
            )
            .scalars()
            .all()
        )
        state = conn.execute(
            select(t.office_notices.c.status).where(
                t.office_notices.c.notice_id == notice.notice_id
            )
        ).scalar_one()
    assert act.office_code == AIN_BIDA and mentions == ["death"]  # same reference
    assert state == "applied"
    line = next(
        o
        for o in rollout_status(centre, actor=SYSTEM)["offices"]
        if o["office"] == AIN_BIDA
    )
    assert (line["state"], line["merged_into"]) == ("closed", FES)
    for engine_of in local.values():
        engine_of.engine.dispose()


def test_a_merge_names_what_is_wrong(ministry: Ministry) -> None:
    from sijill.domain.errors import Conflict, NotFound
    from sijill.rollout.merge import merge_offices

    for code in (FES, AIN_BIDA):
        onboard_office(ministry, commune_request(code))
    centre = ministry.centre
    with pytest.raises(InvalidInput) as itself:
        merge_offices(centre, actor=SYSTEM, closed=FES, into=FES)
    assert itself.value.violations[0].rule == "office.merge_self"
    with pytest.raises(NotFound):
        merge_offices(centre, actor=SYSTEM, closed="01.511.01.0", into=FES)
    with pytest.raises(Forbidden):
        merge_offices(
            centre, actor=Actor("clerk.x", "clerk", FES), closed=AIN_BIDA, into=FES
        )
    merge_offices(centre, actor=SYSTEM, closed=AIN_BIDA, into=FES)
    with pytest.raises(Conflict) as again:
        merge_offices(centre, actor=SYSTEM, closed=AIN_BIDA, into=FES)
    assert again.value.rule == "office.closed"
    with pytest.raises(Conflict):
        merge_offices(centre, actor=SYSTEM, closed=FES, into=AIN_BIDA)


def test_an_office_key_is_rotated_and_the_journal_still_verifies_at_both_ends(
    ministry: Ministry,
) -> None:
    from datetime import timedelta

    from sijill.rollout.keys import rotate_and_certify
    from sijill.rollout.onboarding import office_registry
    from sijill.services import acts, drafts, journal
    from sijill.sync import centre as central
    from sijill.sync import office as remote
    from tests.builders import birth

    onboard_office(ministry, commune_request(FES))
    rotated = rotate_and_certify(ministry, FES)
    assert rotated.key_id != rotated.previous_key_id

    office = office_registry(ministry.offices_dir / FES, ministry.centre.clock)
    officer = Actor("officer.03231010", "officer", FES)
    assert office.keys.signer(FES).key_id == rotated.key_id
    born = office.now().date() - timedelta(days=2)
    draft = drafts.register_birth(office, actor=officer, office=FES, data=birth(born))
    ref = acts.sign_act(office, actor=officer, office=FES, draft_id=draft)
    pushed = remote.push(office, central.LocalCentre(ministry.centre, FES), FES)
    assert pushed.refused is None
    assert _count(ministry.centre, t.acts, ref=str(ref)) == 1  # new key enrolled
    assert all(r.ok for r in journal.verify_journal(office, actor=SYSTEM))
    assert all(r.ok for r in journal.verify_journal(ministry.centre, actor=SYSTEM))
    trust = TrustList.load(office.keys.directory / "trust")
    assert {rotated.key_id, rotated.previous_key_id} <= set(trust.keys)
    again = rotate_and_certify(ministry, FES)  # a second rotation chains on
    assert again.previous_key_id == rotated.key_id
    office.engine.dispose()


@pytest.mark.postgres
def test_an_office_may_keep_its_database_on_postgresql(
    ministry: Ministry, postgres: Any
) -> None:
    from sijill.rollout.onboarding import office_registry

    url = postgres.new()
    done = onboard_office(ministry, commune_request(FES, database_url=url))
    assert done.changed
    assert _count(url, t.staff, office_code=FES) == 1
    assert _count(url, t.registers, office_code=FES) == 2
    office = office_registry(done.office_dir, ministry.centre.clock)
    assert office.engine.dialect.name == "postgresql"
    office.engine.dispose()
    assert not onboard_office(ministry, commune_request(FES, database_url=url)).changed


def test_the_ministry_onboards_an_office_and_manages_its_keys_in_the_browser(
    ministry: Ministry,
) -> None:
    import re

    import pyotp
    from fastapi.testclient import TestClient

    from sijill.auth import accounts
    from sijill.web.app import create_app
    from tests.integration.test_web_desk import Labels
    from tests.web_forms import PASSWORD, sign_in

    reg = ministry.centre
    enrolment = accounts.open_account(
        reg, actor=SYSTEM, username="ministry.one", role="ministry"
    )
    accounts.choose_password(
        reg, username="ministry.one", code=enrolment.code, password=PASSWORD
    )
    secret = PASSPHRASE.decode()
    with TestClient(
        create_app(reg, role="central"), base_url="https://testserver"
    ) as client:
        code = pyotp.TOTP(enrolment.totp_secret or "").at(reg.now())
        csrf = sign_in(client, "ministry.one", code, landing="/rollout/onboard")
        form = client.get("/rollout/onboard")
        assert (
            'href="/rollout/onboard"' in form.text
            and 'href="/rollout/keys"' in form.text
        )
        for path in ("/rollout/onboard", "/rollout/keys"):  # every field named
            fields = Labels()
            fields.feed(client.get(path).text)
            assert [i for i in fields.inputs if i not in fields.named] == [], path
        wrong = client.post(
            "/rollout/onboard",
            data={"commune": FES, "passphrase": "not it at all", "csrf_token": csrf},
        )
        assert wrong.status_code == 422
        assert 'id="f-passphrase-error"' in wrong.text
        assert f'value="{FES}"' in wrong.text  # what was typed, kept
        assert "not it at all" not in wrong.text  # the passphrase never comes back
        neither = client.post(
            "/rollout/onboard", data={"passphrase": secret, "csrf_token": csrf}
        )
        assert neither.status_code == 422 and 'id="f-commune-error"' in neither.text
        unknown = client.post(
            "/rollout/onboard",
            data={"commune": "99.999.99.9", "passphrase": secret, "csrf_token": csrf},
        )
        assert unknown.status_code == 422 and 'id="f-commune-error"' in unknown.text
        assert _count(reg, t.onboardings) == 0  # nothing written by any refusal

        done = client.post(
            "/rollout/onboard",
            data={"commune": FES, "passphrase": secret, "csrf_token": csrf},
        )
        assert done.status_code == 200 and "أدمج المكتب" in done.text
        shown = re.search(
            r'id="officer-credentials".*?<code dir="ltr">([^<]+)<', done.text, re.S
        )
        assert shown and shown.group(1).startswith("officer.")  # handed over in person
        assert "sijill serve --config office.toml" in done.text
        assert "سلم ضابط الحالة المدنية" in done.text  # the checklist, in Arabic
        status = rollout_status(reg, actor=SYSTEM, province="03.231")
        (line,) = status["offices"]
        assert line["office"] == FES and line["state"] == "in service"
        again = client.post(
            "/rollout/onboard?lang=fr",
            data={"commune": FES, "passphrase": secret, "csrf_token": csrf},
        )
        assert "rien n’a changé" in again.text
        assert 'id="officer-credentials"' not in again.text  # no second account

        with reg.engine.connect() as conn:
            (first,) = conn.execute(select(t.enrolled_keys.c.key_id)).scalars()
        keys = client.get("/rollout/keys", params={"lang": "fr"})
        row = re.search(rf'id="key-{first}">(.*?)</tr>', keys.text, re.S)
        assert row and FES in row.group(1)
        assert "oui" in row.group(1) and "en vigueur" in row.group(1)

        astray = client.post(
            "/rollout/keys/rotate",
            data={"office": "../../etc", "passphrase": secret, "csrf_token": csrf},
        )
        assert astray.status_code == 422
        assert 'id="f-rotate-office-error"' in astray.text
        rotated = client.post(
            "/rollout/keys/rotate",
            data={"office": FES, "passphrase": secret, "csrf_token": csrf},
            follow_redirects=False,
        )
        assert rotated.status_code == 303
        new = rotated.headers["location"].rsplit(":", 1)[1]
        assert new != first and ministry.trust.is_certified(new)

        reasonless = client.post(
            "/rollout/keys/revoke",
            data={"key_id": first, "passphrase": secret, "csrf_token": csrf},
        )
        assert reasonless.status_code == 422
        assert 'id="f-revoke-reason-error"' in reasonless.text
        assert ministry.trust.revocations() == []
        revoked = client.post(
            "/rollout/keys/revoke",
            data={
                "key_id": first,
                "reason": "rotated out",
                "passphrase": secret,
                "csrf_token": csrf,
            },
        )
        assert revoked.status_code == 200 and 'id="keys-done"' in revoked.text
        row = re.search(rf'id="key-{first}">(.*?)</tr>', revoked.text, re.S)
        assert row and "révoquée" in row.group(1)  # French, as chosen before
        assert "rotated out" in row.group(1)
        assert [r["k"] for r in ministry.trust.revocations()] == [first]
        assert TrustList.load(ministry.trust.directory).revoked.keys() == {first}
        with reg.engine.connect() as conn:
            refused_since = conn.execute(
                select(t.enrolled_keys.c.revoked_at).where(
                    t.enrolled_keys.c.key_id == first
                )
            ).scalar_one()
        assert (
            refused_since is not None
        )  # the centre takes no more entries signed by it
