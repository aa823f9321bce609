"""Issuing extracts and full copies, and checking them offline and online."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import select

from sijill.documents import service, verify
from sijill.documents.pades import CHANGED, INTACT, check_pdf
from sijill.documents.reader import seal_from_bytes, seal_from_pdf
from sijill.documents.seal import (
    BAD_SIGNATURE,
    KEY_NOT_CERTIFIED,
    MALFORMED,
    verify_seal,
)
from sijill.documents.tables import documents
from sijill.documents.trust import TrustList, TrustStore
from sijill.domain.errors import DomainError, Forbidden
from sijill.domain.identifiers import ActRef
from sijill.domain.offices import SYSTEM
from sijill.services import acts, journal
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import RABAT, Staffed, marriage, open_office, signed_birth

PASS = b"correct horse battery staple"
PDFTOTEXT = shutil.which("pdftotext")
PDFTOPPM = shutil.which("pdftoppm")


@dataclass
class Setting:
    reg: Registry
    fes: Staffed
    ref: ActRef
    trust: TrustList


@pytest.fixture
def setting(registry: Registry) -> Setting:
    """Fès with a child's birth (married since), its key certified by the ministry."""
    fes = open_office(registry)
    ref = signed_birth(registry, fes)
    acts.add_mention(
        registry, actor=fes.officer, ref=str(ref), data=marriage(registry.now().date())
    )
    store = TrustStore(service.trust_directory(registry))
    store.init_root(PASS)
    service.certify_office_keys(registry, passphrase=PASS)
    return Setting(registry, fes, ref, store.publish(at="now", passphrase=PASS))


def _pdf_text(pdf: bytes, tmp_path: Path) -> str:
    if PDFTOTEXT is None:
        if os.environ.get("CI"):
            pytest.fail("CI must check the PDFs: install poppler-utils")
        pytest.skip("pdftotext (poppler-utils) is not installed")
    path = tmp_path / "document.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        [PDFTOTEXT, "-layout", str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def test_an_extract_shows_the_child_in_both_scripts_and_its_seal_verifies(
    setting: Setting, tmp_path: Path
) -> None:
    doc = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    text = _pdf_text(doc.pdf, tmp_path)
    for registered in (
        "يوسف",
        "الإدريسي",
        "خديجة",
        "Youssef",
        "El Idrissi",
        "Salma Berrada",
    ):
        assert registered in text, registered
    assert doc.number in text and "1448" in text  # the Hijri year of the birth
    verdict = verify_seal(doc.seal, setting.trust)
    assert verdict.valid, verdict.reason
    assert verdict.claims is not None
    assert verdict.claims.names == ("يوسف", "الإدريسي", "Youssef", "El Idrissi")
    assert verdict.claims.number == doc.number
    assert seal_from_pdf(doc.pdf) == doc.seal


def test_a_full_copy_reproduces_the_act_and_every_mention_in_order(
    setting: Setting, tmp_path: Path
) -> None:
    acts.add_mention(
        setting.reg,
        actor=setting.fes.officer,
        ref=str(setting.ref),
        data={
            "kind": "latin_transcription",
            "source": {
                "authority": "interior",
                "reference": "DGCL 77",
                "date": "2026-11-24",
            },
            "data": {"field": "child.first_name_lat", "value": "Yousef"},
        },
    )
    doc = service.issue_document(
        setting.reg,
        actor=setting.fes.officer,
        ref=str(setting.ref),
        kind="full_copy",
        lang="ar",
    )
    text = _pdf_text(doc.pdf, tmp_path)
    assert "نسخة كاملة" in text
    assert "أستاذ" in text  # the father's profession: only the full copy has it
    assert "Youssef" in text  # the act as signed, before the transcription
    assert text.index("زواج") < text.index("Yousef ")  # mentions in their order
    assert verify_seal(doc.seal, setting.trust).claims.names[2] == "Yousef"  # type: ignore[union-attr]


def test_documents_in_a_row_each_show_their_own_names_and_tifinagh(
    setting: Setting, tmp_path: Path
) -> None:
    """Fonts and shapes are shared between documents: nothing leaks from one to the next."""
    other = signed_birth(
        setting.reg,
        setting.fes,
        child__first_name_ar="إيدير",
        child__first_name_lat="Idir",
        child__first_name_tfng="ⵉⴷⵉⵔ",
        mother__first_name_ar="تودة",
        mother__first_name_lat="Touda",
    )
    first = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    second = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(other), kind="extract"
    )
    third = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    text = _pdf_text(second.pdf, tmp_path)
    for registered in ("إيدير", "ⵉⴷⵉⵔ", "Idir", "تودة", "Touda"):
        assert registered in text, registered
    assert "يوسف" not in text
    assert "يوسف" in _pdf_text(first.pdf, tmp_path)
    words_first = _pdf_text(first.pdf, tmp_path).replace(first.number, "").split()
    words_third = _pdf_text(third.pdf, tmp_path).replace(third.number, "").split()
    assert words_third == words_first


def test_documents_read_right_after_the_glyph_codes_are_given_out_anew(
    setting: Setting, tmp_path: Path
) -> None:
    """Lines are drawn with codes given once per process; when they are given out
    anew, nothing laid out with the old ones is drawn again."""
    from sijill.documents.fonts import face
    from sijill.documents.render import amiri

    first = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    for style in ("Regular", "Bold"):
        face(amiri(style)).forget_codes()
    other = signed_birth(
        setting.reg,
        setting.fes,
        child__first_name_ar="سلمى",
        child__first_name_lat="Salma",
    )
    second = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(other), kind="extract"
    )
    again = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    text = _pdf_text(second.pdf, tmp_path)
    assert "سلمى" in text and "Salma" in text and "الإدريسي" in text
    words_first = _pdf_text(first.pdf, tmp_path).replace(first.number, "").split()
    words_again = _pdf_text(again.pdf, tmp_path).replace(again.number, "").split()
    assert words_again == words_first


def test_documents_rendered_in_parallel_threads_read_as_rendered_alone(
    setting: Setting, registry: Registry
) -> None:
    """Threads share the parsed fonts and the remembered shapes, never a document's."""
    from concurrent.futures import ThreadPoolExecutor

    from pypdf import PdfReader

    from sijill.documents.content import Issue, build_content, claims_of
    from sijill.documents.render import render_pdf
    from sijill.documents.seal import seal
    from sijill.services import queries

    refs = [setting.ref] + [
        signed_birth(
            registry, setting.fes, child__first_name_ar=ar, child__first_name_lat=lat
        )
        for ar, lat in (("سلمى", "Salma"), ("إدريس", "Driss"), ("ليلى", "Leila"))
    ]
    views = [
        queries.get_act(registry, actor=setting.fes.clerk, ref=str(r)) for r in refs
    ]
    signer = registry.keys.signer(setting.fes.code)

    def text_of(i: int) -> str:
        view = views[i % len(views)]
        issue = Issue(
            f"{setting.fes.code}:2026:{i + 1:06d}:PARALL",
            registry.now().date(),
            setting.fes.code,
            "فاس",
            "Fès",
            "عبد الرحيم الفاسي",
            "Abderrahim El Fassi",
        )
        sealed = seal(claims_of(view, kind="extract", issue=issue), signer)
        pdf = render_pdf(
            build_content(view, kind="extract", issue=issue),
            seal=sealed,
            lang="bilingual",
        )
        return PdfReader(io.BytesIO(pdf)).pages[0].extract_text()

    alone = [text_of(i) for i in range(8)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        together = list(pool.map(text_of, range(8)))
    assert together == alone
    assert "Leila" in alone[3] and "Leila" not in alone[2]


def test_document_numbers_are_unique_journaled_and_survive_a_rebuild(
    setting: Setting,
) -> None:
    reg = setting.reg
    numbers = [
        service.issue_document(
            reg,
            actor=setting.fes.clerk,
            ref=str(setting.ref),
            kind="extract",
            lang="fr",
        ).number
        for _ in range(3)
    ]
    assert len(set(numbers)) == 3
    assert [n.split(":")[2] for n in numbers] == ["000001", "000002", "000003"]
    with reg.engine.connect() as conn:
        before = conn.execute(select(documents).order_by(documents.c.seq)).all()
        issued = conn.execute(
            select(t.journal.c.seq).where(t.journal.c.event_type == "DocumentIssued")
        ).all()
        audit = conn.execute(
            select(t.audit_log.c.username, t.audit_log.c.target).where(
                t.audit_log.c.action == "document.issue"
            )
        ).all()
    assert len(issued) == 3
    assert sorted(a.target for a in audit) == sorted(numbers)
    assert {a.username for a in audit} == {setting.fes.clerk.username}
    journal.rebuild_state(reg, actor=SYSTEM)
    with reg.engine.connect() as conn:
        after = conn.execute(select(documents).order_by(documents.c.seq)).all()
    assert after == before


def test_nobody_issues_a_document_of_another_offices_act(setting: Setting) -> None:
    rabat = open_office(setting.reg, RABAT)
    with pytest.raises(Forbidden):
        service.issue_document(
            setting.reg, actor=rabat.clerk, ref=str(setting.ref), kind="extract"
        )
    with setting.reg.engine.connect() as conn:
        assert conn.execute(select(documents)).first() is None


def test_online_a_document_is_valid_then_superseded_by_a_later_mention(
    setting: Setting,
) -> None:
    reg = setting.reg
    doc = service.issue_document(
        reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    assert verify.verify_document(reg, number=doc.number).status == verify.VALID
    assert verify.verify_document(reg, payload=doc.seal).status == verify.VALID
    acts.add_mention(
        reg,
        actor=setting.fes.officer,
        ref=str(setting.ref),
        data={
            "kind": "death",
            "source": {
                "authority": "officer",
                "reference": "رسم وفاة 03.231.01.0/2026/D/9",
                "date": "2026-11-24",
            },
            "data": {"death_date": "2026-11-24", "death_place": "فاس"},
        },
    )
    verdict = verify.verify_document(reg, number=doc.number)
    assert verdict.status == verify.SUPERSEDED
    assert [m["kind"] for m in verdict.later_mentions] == ["death"]
    assert "décès" in verdict.reason
    assert verdict.changed == ["deceased_on"]


def test_online_an_unknown_number_or_an_altered_seal_is_not_valid(
    setting: Setting, tmp_path: Path
) -> None:
    reg = setting.reg
    doc = service.issue_document(
        reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    assert verify.verify_document(reg, number=doc.number + "X").status == verify.UNKNOWN
    altered = doc.seal[:-12] + ("A" if doc.seal[-12] != "A" else "B") + doc.seal[-11:]
    assert verify.verify_document(reg, payload=altered).status == verify.FORGED
    assert (
        verify.verify_document(reg, number=doc.number, payload=altered).status
        == verify.FORGED
    )
    assert verify_seal(altered, setting.trust).status in (MALFORMED, BAD_SIGNATURE)


def test_online_a_revoked_key_is_reported(setting: Setting) -> None:
    reg = setting.reg
    doc = service.issue_document(
        reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    store = TrustStore(service.trust_directory(reg))
    store.revoke(
        key_id=reg.keys.signer(setting.fes.code).key_id,
        at="2026-11-25",
        reason="compromised",
        passphrase=PASS,
    )
    verdict = verify.verify_document(reg, number=doc.number)
    assert verdict.status == verify.REVOKED
    assert "compromised" in verdict.reason


def test_an_uncertified_office_cannot_be_trusted_offline(setting: Setting) -> None:
    rabat = open_office(setting.reg, RABAT)
    ref = signed_birth(setting.reg, rabat)
    doc = service.issue_document(
        setting.reg, actor=rabat.clerk, ref=str(ref), kind="extract"
    )
    assert verify_seal(doc.seal, setting.trust).status == KEY_NOT_CERTIFIED


@pytest.mark.skipif(
    PDFTOPPM is None, reason="pdftoppm (poppler-utils) is not installed"
)
def test_the_qr_code_printed_on_the_pdf_reads_back(
    setting: Setting, tmp_path: Path
) -> None:
    doc = service.issue_document(
        setting.reg,
        actor=setting.fes.clerk,
        ref=str(setting.ref),
        kind="extract",
        lang="ar",
    )
    pdf = tmp_path / "extract.pdf"
    pdf.write_bytes(doc.pdf)
    assert PDFTOPPM is not None
    subprocess.run(
        [
            PDFTOPPM,
            "-r",
            "110",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(tmp_path / "page"),
        ],
        check=True,
    )
    (page,) = tmp_path.glob("page*.png")
    assert seal_from_bytes(page.read_bytes()) == doc.seal
    blank = tmp_path / "blank.png"
    from PIL import Image

    Image.new("L", (200, 200), 255).save(blank)
    assert seal_from_bytes(blank.read_bytes()) is None


def test_the_public_page_and_api_check_a_document(setting: Setting) -> None:
    from fastapi.testclient import TestClient

    from sijill.web.app import create_app

    doc = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="extract"
    )
    with TestClient(create_app(setting.reg)) as client:
        answer = client.get(f"/api/verify/{doc.number}").json()
        assert answer["status"] == "valid"
        assert answer["sealed"]["first_name_ar"] == "يوسف"
        page = client.get(f"/verify/{doc.number}?lang=fr")
        assert page.status_code == 200 and "Document authentique" in page.text
        assert client.get("/verify/03.231.01.0:2026:000009:ZZZZZZ").status_code == 404
        pasted = client.post("/api/verify", json={"seal": doc.seal}).json()
        assert pasted["status"] == "valid"
        altered = doc.seal[:-3] + ("A" if doc.seal[-3] != "A" else "B") + doc.seal[-2:]
        assert (
            client.post("/api/verify", json={"seal": altered}).json()["status"]
            == "forged"
        )
        assert client.get("/verify", params={"q": doc.seal}).status_code == 200


def test_the_pdf_is_signed_and_a_reader_detects_any_change(setting: Setting) -> None:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    doc = service.issue_document(
        setting.reg, actor=setting.fes.clerk, ref=str(setting.ref), kind="full_copy"
    )
    root = TrustStore(service.trust_directory(setting.reg)).root_certificate_pem()
    assert root is not None
    assert check_pdf(doc.pdf, root).status == INTACT
    assert seal_from_pdf(doc.pdf) == doc.seal  # the seal survives the signature
    at = doc.pdf.find(b"stream", len(doc.pdf) // 3) + 200
    edited = doc.pdf[:at] + bytes([doc.pdf[at] ^ 1]) + doc.pdf[at + 1 :]
    assert check_pdf(edited, root).status == CHANGED
    writer = IncrementalPdfFileWriter(io.BytesIO(doc.pdf))
    writer.root["/Lang"] = generic.TextStringObject("en")
    writer.update_root()
    appended = io.BytesIO()
    writer.write(appended)
    assert check_pdf(appended.getvalue(), root).status == CHANGED
    assert check_pdf(b"%PDF-1.7 not really", root).status == CHANGED


def test_every_pdf_an_office_signs_validates_not_only_the_first(
    setting: Setting,
) -> None:
    """The first signature is pyHanko's; the next ones are filled into its template."""
    from sijill.documents.pades import pdf_signer

    reg = setting.reg
    root = TrustStore(service.trust_directory(reg)).root_certificate_pem()
    assert root is not None
    docs = [
        service.issue_document(
            reg, actor=setting.fes.clerk, ref=str(setting.ref), kind=kind, lang=lang
        )
        for kind, lang in (("extract", "fr"), ("full_copy", "ar"), ("extract", "ar"))
    ]
    signer = reg.keys.signer(setting.fes.code)
    certificate = TrustStore(service.trust_directory(reg)).office_certificate_pem(
        signer.key_id
    )
    assert certificate is not None
    assert pdf_signer(signer, certificate).uses_template
    assert [check_pdf(d.pdf, root).status for d in docs] == [INTACT] * 3
    at = docs[2].pdf.find(b"stream", len(docs[2].pdf) // 3) + 200
    edited = docs[2].pdf[:at] + bytes([docs[2].pdf[at] ^ 1]) + docs[2].pdf[at + 1 :]
    assert check_pdf(edited, root).status == CHANGED


def test_a_request_for_an_unknown_kind_or_language_is_refused(setting: Setting) -> None:
    for kind, lang, requested_for in (
        ("birth_certificate", "ar", None),
        ("extract", "en", None),
        ("extract", "ar", "x" * 161),
        ("extract", "ar", "a\x00b"),
    ):
        with pytest.raises(DomainError) as refused:
            service.issue_document(
                setting.reg,
                actor=setting.fes.clerk,
                ref=str(setting.ref),
                kind=kind,
                lang=lang,
                requested_for=requested_for,
            )
        assert refused.value.code == "invalid"
        assert refused.value.message("fr") != refused.value.rule  # a real message
