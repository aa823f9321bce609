"""The clerk's and the officer's pages, through the web application as a browser uses it:
forms that answer next to the field and keep what was typed, duplicate warnings before
signing, the signing queue, documents, the language remembered per account, and no
page heavier than 100 KB or showing a stack trace."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from html.parser import HTMLParser
from typing import Any

import pyotp
import pytest
from fastapi.testclient import TestClient

from sijill.auth import accounts
from sijill.domain.calendars import to_hijri
from sijill.domain.offices import SYSTEM
from sijill.services import drafts
from sijill.services.context import Registry
from sijill.web.app import create_app
from sijill.web.forms import FORMS
from tests.builders import RABAT, Staffed, birth, open_office, signed_birth
from tests.web_forms import PASSWORD, form_token, sign_in

PAGE_BUDGET = 100_000  # bytes of HTML and CSS (the CSS is cached after the first page)


@dataclass
class Desk:
    reg: Registry
    fes: Staffed
    ref: str
    totp: str


@pytest.fixture
def desk(registry: Registry) -> Desk:
    fes = open_office(registry)
    open_office(registry, RABAT)
    ref = str(signed_birth(registry, fes))
    secret = ""
    for actor in (fes.clerk, fes.officer):
        enrolment = accounts.open_account(
            registry, actor=SYSTEM, username=actor.username, role=actor.role
        )
        accounts.choose_password(
            registry, username=actor.username, code=enrolment.code, password=PASSWORD
        )
        secret = enrolment.totp_secret or secret
    return Desk(registry, fes, ref, secret)


@pytest.fixture
def client(desk: Desk) -> Iterator[TestClient]:
    with TestClient(create_app(desk.reg), base_url="https://testserver") as c:
        yield c


def as_officer(client: TestClient, desk: Desk) -> str:
    code = pyotp.TOTP(desk.totp).at(desk.reg.clock())
    return sign_in(client, desk.fes.officer.username, totp=code)


def typed_birth(desk: Desk, **changes: Any) -> dict[str, str]:
    """A birth declaration as the form's fields carry it."""
    data = birth(desk.reg.now().date() - timedelta(days=2), **changes)
    fields = {f.name for section in FORMS["birth"] for f in section.fields}
    flat: dict[str, str] = {}
    for name in fields:
        node: Any = data
        for key in name.split("."):
            node = node.get(key) if isinstance(node, dict) else None
        if isinstance(node, str):
            flat[name] = node
    return flat


def test_an_invalid_field_is_answered_next_to_it_and_the_rest_is_kept(
    client: TestClient, desk: Desk
) -> None:
    csrf = sign_in(client, desk.fes.clerk.username)
    form = client.get("/declare/birth")
    assert "مولاي" in form.text and 'dir="ltr"' in form.text  # the name rules
    typed = typed_birth(desk)
    typed["child.first_name_lat"] = "Youss3f"
    answer = client.post("/declare/birth", data={**typed, "csrf_token": csrf})
    assert answer.status_code == 422
    error = re.search(r'id="f-child-first_name_lat-error">([^<]+)<', answer.text)
    assert error and error.group(1) == "لا يجوز أن يتضمن الاسم أرقاما"
    assert 'value="Youss3f"' in answer.text  # what was typed, kept
    assert 'value="خديجة"' in answer.text and 'value="C123456"' in answer.text
    assert re.search(r'<option value="father" selected>', answer.text)
    client.get("/?lang=fr")
    answer = client.post("/declare/birth", data={**typed, "csrf_token": csrf})
    error = re.search(r'id="f-child-first_name_lat-error">([^<]+)<', answer.text)
    assert error and error.group(1) == "un nom ne peut pas contenir de chiffres"
    assert drafts_of(desk) == []  # nothing written


def drafts_of(desk: Desk) -> list[Any]:
    from sijill.services import queries

    return queries.list_drafts(desk.reg, actor=desk.fes.officer, office=desk.fes.code)


def test_a_late_birth_is_answered_at_the_judgment(
    client: TestClient, desk: Desk
) -> None:
    csrf = sign_in(client, desk.fes.clerk.username)
    typed = typed_birth(desk)
    typed["birth_date"] = (desk.reg.now().date() - timedelta(days=60)).isoformat()
    answer = client.post("/declare/birth", data={**typed, "csrf_token": csrf})
    assert answer.status_code == 422
    assert 'id="f-judgment-error">صرح به بعد 60 يوما' in answer.text


def test_a_declared_birth_is_a_draft_with_its_duplicates_then_signed_by_the_officer(
    client: TestClient, desk: Desk
) -> None:
    csrf = sign_in(client, desk.fes.clerk.username)
    typed = typed_birth(desk)  # the same child as the act already signed
    answer = client.post(
        "/declare/birth", data={**typed, "csrf_token": csrf}, follow_redirects=False
    )
    assert answer.status_code == 303
    draft_url = answer.headers["location"]
    page = client.get(draft_url).text
    assert desk.ref in page and "رسوم يرجح أنها لنفس الشخص" in page
    assert "هـ" in page  # the Hijri date beside the Gregorian one
    assert "/sign" not in page  # a clerk does not sign
    csrf = as_officer(client, desk)
    queue = client.get("/drafts").text
    assert draft_url.rsplit("/", 1)[1] in queue and desk.ref in queue
    sign = draft_url + "/sign"
    refused = client.post(sign, data={"csrf_token": csrf}, follow_redirects=False)
    assert refused.status_code == 409
    assert "راجعها ثم أكد التوقيع" in refused.text
    signed = client.post(
        sign,
        data={"csrf_token": csrf, "despite_duplicates": "on"},
        follow_redirects=False,
    )
    assert signed.status_code == 303
    assert signed.headers["location"] == "/acts/03.231.01.0/2026/N/2"
    document = client.post(
        "/documents/issue",
        data={"csrf_token": csrf, "ref": "03.231.01.0/2026/N/2", "kind": "extract"},
    )
    assert document.headers["content-type"] == "application/pdf"
    number = document.headers["x-document-number"]
    assert number in client.get("/documents").text
    verdict = client.get("/verify/" + number)
    assert "وثيقة صحيحة" in verdict.text


def test_a_predeclaration_is_completed_into_a_draft(
    client: TestClient, desk: Desk
) -> None:
    sent = drafts.submit_predeclaration(
        desk.reg,
        actor=desk.fes.clerk,
        office=desk.fes.code,
        kind="birth",
        sender_kind="hospital",
        sender_name="CHU Hassan II",
        sender_ref="CHU-2026-88812",
        data={"sex": "F", "birth_date": "2026-11-24", "birth_time": "04:10"},
    )
    csrf = sign_in(client, desk.fes.clerk.username)
    listing = client.get("/predeclarations").text
    assert "CHU-2026-88812" in listing
    form = client.get(f"/declare/birth?predeclaration={sent}").text
    assert 'value="2026-11-24"' in form and 'value="04:10"' in form
    assert re.search(r'<option value="F" selected>', form)
    typed = typed_birth(desk, sex="F", child__first_name_ar="سلمى")
    typed.update({"child.first_name_lat": "Salma", "birth_date": "2026-11-24"})
    answer = client.post(
        "/declare/birth",
        data={**typed, "predeclaration_id": sent, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert answer.status_code == 303
    assert "CHU-2026-88812" not in client.get("/predeclarations").text


def test_a_form_without_its_csrf_token_is_refused(
    client: TestClient, desk: Desk
) -> None:
    sign_in(client, desk.fes.clerk.username)
    answer = client.post("/declare/birth", data=typed_birth(desk))
    assert answer.status_code == 403
    assert drafts_of(desk) == []


def test_the_language_chosen_follows_the_account_to_another_browser(
    desk: Desk,
) -> None:
    app = create_app(desk.reg)
    with TestClient(app, base_url="https://testserver") as first:
        sign_in(first, desk.fes.clerk.username)
        assert 'lang="fr"' in first.get("/search?lang=fr").text
    with TestClient(app, base_url="https://testserver") as second:
        sign_in(second, desk.fes.clerk.username)
        assert second.cookies.get("lang") == "fr"
        assert 'lang="fr"' in second.get("/search").text


def test_no_page_shows_a_stack_trace(client: TestClient, desk: Desk) -> None:
    sign_in(client, desk.fes.clerk.username)
    missing = client.get("/no/such/page")
    assert missing.status_code == 404 and "لا توجد صفحة بهذا العنوان" in missing.text
    malformed = client.get("/offices/03.231.01.0/registers/notayear/birth")
    assert malformed.status_code == 422 and "Traceback" not in malformed.text

    def broken() -> None:
        raise RuntimeError("a fault deep inside")

    client.app.add_api_route("/broken", broken)  # type: ignore[attr-defined]
    with TestClient(client.app, raise_server_exceptions=False) as other:  # type: ignore[arg-type]
        page = other.get("/broken")
    assert page.status_code == 500
    assert "Traceback" not in page.text and "deep inside" not in page.text
    assert "لم يسجل أي شيء" in page.text and "rien n&#39;a été enregistré" in page.text


@pytest.mark.parametrize("lang", ["ar", "fr"])
def test_the_main_screens_weigh_less_than_100_kb(
    client: TestClient, desk: Desk, lang: str
) -> None:
    # The style sheet and the one script, cached after the first page.
    css = len(client.get("/static/sijill.css").content)
    css += len(client.get("/static/hijri.js").content)
    sign_in(client, desk.fes.clerk.username)
    client.get(f"/?lang={lang}")
    clerk = ["/", "/declare/birth", "/declare/death", "/predeclarations", "/search"]
    clerk += [f"/acts/{desk.ref}", "/offices/03.231.01.0", "/documents"]
    for path in clerk:
        page = client.get(path)
        assert page.status_code == 200, path
        assert len(page.content) + css < PAGE_BUDGET, path
    client.post("/logout", data={"csrf_token": form_token(client.get("/").text)})
    as_officer(client, desk)
    for path in ["/drafts", "/notices", "/offices/03.231.01.0/registers/2026/birth"]:
        page = client.get(path)
        assert page.status_code == 200, path
        assert len(page.content) + css < PAGE_BUDGET, path
    assert len(client.get("/verify").content) + css < PAGE_BUDGET


def salma_drafted(client: TestClient, desk: Desk) -> tuple[str, dict[str, str], str]:
    """The clerk signed in and a birth (no duplicate of the signed one) drafted:
    the session's CSRF token, what was typed and the draft's address."""
    csrf = sign_in(client, desk.fes.clerk.username)
    typed = typed_birth(desk, child__first_name_ar="سلمى", sex="F")
    typed["child.first_name_lat"] = "Salma"
    draft_url = client.post(
        "/declare/birth", data={**typed, "csrf_token": csrf}, follow_redirects=False
    ).headers["location"]
    return csrf, typed, draft_url


def test_a_draft_is_cancelled_with_its_reason_and_stays_on_record(
    client: TestClient, desk: Desk
) -> None:
    csrf, _, draft_url = salma_drafted(client, desk)
    refused = client.post(draft_url + "/cancel", data={"csrf_token": csrf})
    assert refused.status_code == 422
    assert 'id="f-reason-error">حقل إلزامي<' in refused.text
    done = client.post(
        draft_url + "/cancel",
        data={"csrf_token": csrf, "reason": "تصريح مكرر"},
    )
    assert done.status_code == 200 and "ملغاة" in done.text
    assert "تصريح مكرر" in done.text
    assert drafts_of(desk) == []


def test_a_draft_is_amended_through_the_same_form_and_rechecked_whole(
    client: TestClient, desk: Desk
) -> None:
    csrf, typed, draft_url = salma_drafted(client, desk)
    form = client.get(draft_url + "/amend")
    assert form.status_code == 200
    assert f'action="{draft_url}/amend"' in form.text
    assert 'value="سلمى"' in form.text and 'value="Salma"' in form.text  # as it stands
    day = typed["birth_date"]
    hijri = to_hijri(date.fromisoformat(day))
    assert hijri is not None and hijri.spelled("ar") in form.text  # beside the date
    wrong = {**typed, "child.first_name_lat": "Salm4", "csrf_token": csrf}
    refused = client.post(draft_url + "/amend", data=wrong)
    assert refused.status_code == 422
    assert 'id="f-child-first_name_lat-error">' in refused.text
    assert 'value="Salm4"' in refused.text and 'value="سلمى"' in refused.text
    draft_id = draft_url.rsplit("/", 1)[1]
    (row,) = drafts_of(desk)
    assert row["data"]["child"]["first_name_lat"] == "Salma"  # nothing written
    fixed = {**typed, "child.first_name_lat": "Selma", "csrf_token": csrf}
    done = client.post(draft_url + "/amend", data=fixed, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == draft_url
    (row,) = drafts_of(desk)
    assert row["draft_id"] == draft_id
    assert row["data"]["child"]["first_name_lat"] == "Selma"
    assert "Selma" in client.get(draft_url).text
    client.post(draft_url + "/cancel", data={"csrf_token": csrf, "reason": "خطأ"})
    assert client.get(draft_url + "/amend").status_code == 409  # no longer open


def test_the_hijri_date_of_a_typed_day_is_spelled_by_the_server(
    client: TestClient, desk: Desk
) -> None:
    answer = client.get("/api/calendar/hijri", params={"day": "2026-03-20"})
    hijri = to_hijri(date(2026, 3, 20))
    assert answer.status_code == 200 and hijri is not None
    assert answer.json() == {
        "day": "2026-03-20",
        "hijri": hijri.isoformat(),
        "spelled": hijri.spelled("ar"),
    }
    french = client.get("/api/calendar/hijri?day=2026-03-20&lang=fr").json()
    assert french["spelled"] == hijri.spelled("fr")
    assert client.get("/api/calendar/hijri?day=1800-01-01").json()["hijri"] is None
    refused = client.get("/api/calendar/hijri?day=2026-13-40")
    assert refused.status_code == 422 and "day" in refused.text


class Labels(HTMLParser):
    """Inputs of a page and the labels that name them (by ``for``, or around them)."""

    def __init__(self) -> None:
        super().__init__()
        self.inputs: list[str] = []
        self.named: set[str] = set()
        self.open_labels = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "label":
            self.open_labels += 1
            if a.get("for"):
                self.named.add(str(a["for"]))
        elif tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            name = str(a.get("id") or a.get("name"))
            self.inputs.append(name)
            if self.open_labels:
                self.named.add(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "label":
            self.open_labels -= 1


def test_every_field_of_the_main_screens_has_a_label(
    client: TestClient, desk: Desk
) -> None:
    as_officer(client, desk)
    for path in [
        "/declare/birth",
        "/declare/death",
        "/search",
        "/drafts",
        "/notices",
        f"/acts/{desk.ref}",
        "/verify",
        "/login",
    ]:
        for lang in ("ar", "fr"):
            page = Labels()
            page.feed(client.get(f"{path}?lang={lang}").text)
            unnamed = [i for i in page.inputs if i not in page.named]
            assert unnamed == [], (path, unnamed)
