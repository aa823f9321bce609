"""The web answers as the signed-in user: sign-in, sessions, CSRF, scopes, attacks."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pyotp
import pytest
from fastapi.testclient import TestClient

from sijill.auth import accounts, tokens
from sijill.domain.offices import SYSTEM
from sijill.services.context import Registry
from sijill.web.app import create_app
from tests.builders import RABAT, Staffed, birth, open_office, signed_birth
from tests.web_forms import PASSWORD, form_token, sign_in


@dataclass
class Site:
    reg: Registry
    fes: Staffed
    rabat: Staffed
    ref: str
    officer_totp: str


@pytest.fixture
def site(registry: Registry) -> Site:
    fes = open_office(registry)
    rabat = open_office(registry, RABAT)
    ref = str(signed_birth(registry, fes))
    secret = ""
    for staffed in (fes, rabat):
        for actor in (staffed.clerk, staffed.officer):
            enrolment = accounts.open_account(
                registry, actor=SYSTEM, username=actor.username, role=actor.role
            )
            accounts.choose_password(
                registry,
                username=actor.username,
                code=enrolment.code,
                password=PASSWORD,
            )
            if actor == fes.officer:
                secret = enrolment.totp_secret or ""
    return Site(registry, fes, rabat, ref, secret)


@pytest.fixture
def client(site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(site.reg), base_url="https://testserver") as c:
        yield c


def test_pages_send_the_browser_to_sign_in_and_the_api_answers_401(
    client: TestClient, site: Site
) -> None:
    page = client.get(f"/acts/{site.ref}", follow_redirects=False)
    assert page.status_code == 303
    assert page.headers["location"].startswith("/login?next=%2Facts%2F")
    api = client.get(f"/api/acts/{site.ref}")
    assert api.status_code == 401 and api.json()["rule"] == "auth.required"
    login = client.get("/login")
    assert "تسجيل الدخول" in login.text
    assert "Connexion" in client.get("/login?lang=fr").text


def test_the_session_cookie_is_httponly_strict_secure_and_new_at_each_sign_in(
    client: TestClient, site: Site
) -> None:
    client.cookies.set("sijill_session", "planted-by-an-attacker", "testserver.local")
    sign_in(client, site.fes.clerk.username)
    first = client.cookies.get("sijill_session")
    assert first and first != "planted-by-an-attacker"
    form = client.get("/login")
    answer = client.post(
        "/login",
        data={
            "username": site.fes.clerk.username,
            "password": PASSWORD,
            "csrf_token": form_token(form.text),
        },
        follow_redirects=False,
    )
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and "Secure" in cookie
    second = client.cookies.get("sijill_session")
    assert second and second != first
    # The session that was presented at sign-in is closed: fixation gets nothing.
    stale = TestClient(create_app(site.reg), base_url="https://testserver")
    stale.cookies.set("sijill_session", first)
    assert stale.get(f"/api/acts/{site.ref}").status_code == 401


def test_a_clerk_reads_his_office_acts_as_himself_and_is_audited(
    client: TestClient, site: Site
) -> None:
    from tests.integration.test_audit import _audit

    sign_in(client, site.fes.clerk.username)
    page = client.get(f"/acts/{site.ref}")
    assert page.status_code == 200 and site.fes.clerk.username in page.text
    reads = [a for a in _audit(site.reg) if a.action == "act.read"]
    assert [(a.username, a.target) for a in reads] == [
        (site.fes.clerk.username, site.ref)
    ]


def test_another_office_act_by_changing_the_url_is_refused_with_a_bilingual_page(
    client: TestClient, site: Site
) -> None:
    sign_in(client, site.rabat.clerk.username)
    page = client.get(f"/acts/{site.ref}")
    assert page.status_code == 403
    assert "لا يحق" in page.text or "يعمل بالمكتب" in page.text
    assert "travaille au bureau" in page.text
    register = client.get(f"/offices/{site.fes.code}/registers/2026/birth")
    assert register.status_code == 403
    assert client.get(f"/api/acts/{site.ref}").status_code == 403


def test_an_officer_needs_the_totp_code_on_the_form(
    client: TestClient, site: Site
) -> None:
    form = client.get("/login")
    refused = client.post(
        "/login",
        data={
            "username": site.fes.officer.username,
            "password": PASSWORD,
            "csrf_token": form_token(form.text),
        },
        follow_redirects=False,
    )
    assert refused.status_code == 401 and "login-error" in refused.text
    code = pyotp.TOTP(site.officer_totp).at(site.reg.clock())
    sign_in(client, site.fes.officer.username, totp=code)
    assert client.get(f"/acts/{site.ref}").status_code == 200


def test_brute_force_locks_the_account(client: TestClient, site: Site) -> None:
    for attempt in range(6):
        form = client.get("/login")
        answer = client.post(
            "/login",
            data={
                "username": site.fes.clerk.username,
                "password": PASSWORD if attempt == 5 else f"guess-{attempt}",
                "csrf_token": form_token(form.text),
            },
            follow_redirects=False,
        )
        assert answer.status_code == 401
    assert "مقفل" in answer.text


def test_a_form_without_its_csrf_token_is_refused(
    client: TestClient, site: Site
) -> None:
    client.get("/login")
    forged_login = client.post(
        "/login",
        data={
            "username": site.fes.clerk.username,
            "password": PASSWORD,
            "csrf_token": "guessed",
        },
    )
    assert forged_login.status_code == 403
    csrf = sign_in(client, site.fes.clerk.username)
    assert client.post("/logout", data={}).status_code == 403
    assert client.post("/logout", data={"csrf_token": "x" * 43}).status_code == 403
    assert client.get(f"/acts/{site.ref}").status_code == 200  # still signed in
    out = client.post("/logout", data={"csrf_token": csrf}, follow_redirects=False)
    assert out.status_code == 303
    assert client.get(f"/acts/{site.ref}", follow_redirects=False).status_code == 303


def test_a_json_post_through_a_session_needs_the_csrf_header(
    client: TestClient, site: Site
) -> None:
    csrf = sign_in(client, site.fes.clerk.username)
    body = {
        "kind": "birth",
        "sender_kind": "hospital",
        "sender_name": "CHU",
        "sender_ref": "CHU-1",
        "data": {"sex": "F"},
    }
    url = f"/api/offices/{site.fes.code}/predeclarations"
    assert client.post(url, json=body).status_code == 403
    done = client.post(url, json=body, headers={"x-csrf-token": csrf})
    assert done.status_code == 201


def test_privilege_escalation_through_the_api_is_refused(
    client: TestClient, site: Site
) -> None:
    hospital = tokens.issue_token(
        site.reg, actor=SYSTEM, name="CHU", role="hospital", office=site.fes.code
    )
    auth = {"authorization": f"Bearer {hospital}"}
    body = {
        "kind": "birth",
        "sender_kind": "hospital",
        "sender_name": "CHU",
        "sender_ref": "CHU-1",
        "data": {"sex": "F"},
    }
    ok = client.post(
        f"/api/offices/{site.fes.code}/predeclarations", json=body, headers=auth
    )
    assert ok.status_code == 201
    # another office, another sender kind, reading acts: all refused
    other = client.post(
        f"/api/offices/{site.rabat.code}/predeclarations", json=body, headers=auth
    )
    assert other.status_code == 403
    posing = client.post(
        f"/api/offices/{site.fes.code}/predeclarations",
        json={**body, "sender_kind": "local_authority"},
        headers=auth,
    )
    assert posing.status_code == 403
    assert client.get(f"/api/acts/{site.ref}", headers=auth).status_code == 403
    assert client.get("/api/search?name=Youssef", headers=auth).status_code == 403
    forged = {"authorization": "Bearer sjt_0000000000000000_nothing"}
    assert client.get(f"/api/acts/{site.ref}", headers=forged).status_code == 401


def test_names_are_rendered_escaped_in_arabic_and_latin(
    client: TestClient, site: Site
) -> None:
    from sijill.services import acts, drafts

    script = "<script>alert(1)</script>"
    data = birth(site.reg.now().date())
    data["place_note"] = script
    data["birth_place"] = f"فاس{script}"
    data["father"]["profession"] = '"><img src=x onerror=alert(1)>'
    draft = drafts.register_birth(
        site.reg, actor=site.fes.clerk, office=site.fes.code, data=data
    )
    ref = str(
        acts.sign_act(
            site.reg, actor=site.fes.officer, office=site.fes.code, draft_id=draft
        )
    )
    sign_in(client, site.fes.clerk.username)
    page = client.get(f"/acts/{ref}").text
    assert "<script>alert(1)</script>" not in page and "<img src=x" not in page
    assert "&lt;script&gt;" in page or "&#34;&gt;&lt;img" in page


def test_a_citizen_sees_their_trail_in_the_browser_pages(
    client: TestClient, site: Site
) -> None:
    from sijill.services import queries

    civil_id = queries.get_act(site.reg, actor=site.fes.clerk, ref=site.ref).civil_id
    enrolment = accounts.open_account(
        site.reg, actor=SYSTEM, username="youssef", role="citizen", civil_id=civil_id
    )
    accounts.choose_password(
        site.reg, username="youssef", code=enrolment.code, password=PASSWORD
    )
    sign_in(client, "youssef")
    page = client.get("/me/trail?lang=fr")
    assert page.status_code == 200
    assert site.fes.clerk.username in page.text and site.ref in page.text
    # ... and nobody else's acts
    assert client.get(f"/acts/{site.ref}").status_code == 403


INJECTIONS = (
    "' OR '1'='1",
    "'; DROP TABLE acts; --",
    '" OR ""="',
    "%' UNION SELECT username, password_hash FROM accounts --",
    "1; DELETE FROM audit_log",
    "\\' OR 1=1 /*",
    "*",
    "%_%",
)
SEARCH_FIELDS = (
    "name",
    "father",
    "mother",
    "sex",
    "kind",
    "date_from",
    "date_to",
    "place",
    "ref",
    "civil_id",
    "office",
    "page",
    "page_size",
)


def test_sql_injection_through_every_search_field_is_inert(
    client: TestClient, site: Site
) -> None:
    from sqlalchemy import func, select

    from sijill.store import tables as t

    ministry = tokens.issue_token(site.reg, actor=SYSTEM, name="desk", role="ministry")
    auth = {"authorization": f"Bearer {ministry}"}
    for field in SEARCH_FIELDS:
        for payload in INJECTIONS:
            params = {field: payload}
            if field not in ("name", "father", "mother", "ref", "civil_id"):
                params["name"] = "Youssef"
            answer = client.get("/api/search", params=params, headers=auth)
            assert answer.status_code in (200, 422), (field, payload, answer.text)
            if answer.status_code == 200:
                leaked = answer.text
                assert "$argon2" not in leaked and "password_hash" not in leaked
                assert len(answer.json()["hits"]) <= 1  # the one Youssef, at most
    with site.reg.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(t.acts)).scalar() == 1
        assert conn.execute(select(func.count()).select_from(t.accounts)).scalar() == 4


def test_sign_in_never_redirects_off_the_site(client: TestClient, site: Site) -> None:
    for target in ("https://evil.example/", "//evil.example/x", "/\\evil.example"):
        form = client.get("/login", params={"next": target})
        answer = client.post(
            "/login",
            data={
                "username": site.fes.clerk.username,
                "password": PASSWORD,
                "csrf_token": form_token(form.text),
                "next": target,
            },
            follow_redirects=False,
        )
        assert answer.status_code == 303 and answer.headers["location"] == "/"


def test_a_user_chooses_a_password_with_the_administrators_code(
    client: TestClient, site: Site
) -> None:
    reset = accounts.reset_account(
        site.reg, actor=SYSTEM, username=site.fes.clerk.username
    )
    form = client.get("/account/password?lang=fr")
    short = client.post(
        "/account/password",
        data={
            "username": site.fes.clerk.username,
            "code": reset.code,
            "password": "short",
            "csrf_token": form_token(form.text),
        },
    )
    assert short.status_code == 422 and "12 caractères" in short.text
    done = client.post(
        "/account/password",
        data={
            "username": site.fes.clerk.username,
            "code": reset.code.lower(),
            "password": PASSWORD,
            "csrf_token": form_token(short.text),
        },
    )
    assert done.status_code == 200 and "password-done" in done.text
    sign_in(client, site.fes.clerk.username)


def test_the_ministry_queries_the_audit_and_a_clerk_may_not(
    client: TestClient, site: Site
) -> None:
    ministry = tokens.issue_token(site.reg, actor=SYSTEM, name="desk", role="ministry")
    auth = {"authorization": f"Bearer {ministry}"}
    page = client.get(
        "/audit", params={"person": site.ref, "day": "2026-11-25"}, headers=auth
    )
    assert page.status_code == 200
    assert "act.sign" in page.text and site.fes.officer.username in page.text
    assert 'id="unusual"' in page.text
    bad = client.get("/audit", params={"day": "soon"}, headers=auth)
    assert bad.status_code == 422
    sign_in(client, site.fes.clerk.username)
    assert client.get("/audit").status_code == 403


def test_pages_forbid_framing_foreign_scripts_and_caching(
    client: TestClient, site: Site
) -> None:
    sign_in(client, site.fes.clerk.username)
    page = client.get(f"/acts/{site.ref}")
    assert "script-src" not in page.headers["content-security-policy"]
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert page.headers["x-frame-options"] == "DENY"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.headers["cache-control"] == "no-store"
