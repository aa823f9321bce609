"""Documents: PDFs rendered and sealed per second, seals verified per second.

Sets up one office with one birth act (with a marriage mention) on SQLite, a
ministry root key certifying the office key, then times, on one core:

- content + seal + PDF (bilingual extract), without the database;
- the PAdES signature of that PDF;
- ``issue_document`` end to end (read, lock, number, journal, audit, seal, PDF);
- ``verify_seal`` offline on the seal text.

    .venv/bin/python bench/bench_documents.py [--pdfs 40] [--issues 20] [--seals 5000]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sijill.documents import service
from sijill.documents.content import Issue, build_content, claims_of
from sijill.documents.pades import sign_pdf
from sijill.documents.render import render_pdf
from sijill.documents.seal import seal, verify_seal
from sijill.documents.trust import TrustStore
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, drafts, offices, queries
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade

OFFICE = "03.231.01.0"
PASS = b"benchmark root passphrase"


def _names(first_ar: str, family_ar: str, first: str, family: str) -> dict[str, str]:
    return {
        "first_name_ar": first_ar,
        "family_name_ar": family_ar,
        "first_name_lat": first,
        "family_name_lat": family,
    }


def _setup(directory: Path) -> tuple[Registry, Actor, str]:
    engine = make_engine(f"sqlite:///{directory / 'bench.db'}")
    upgrade(engine)
    reg = Registry(
        engine=engine,
        keys=KeyStore(directory / "keys"),
        clock=lambda: datetime(2026, 11, 25, 9, tzinfo=UTC),
    )
    offices.create_office(reg, actor=SYSTEM, commune_code=OFFICE)
    for role, ar, fr in (
        ("officer", "عبد الرحيم الفاسي", "Abderrahim El Fassi"),
        ("clerk", "سعيد العمراني", "Said El Amrani"),
    ):
        offices.appoint_staff(
            reg,
            actor=SYSTEM,
            office=OFFICE,
            username=role,
            role=role,
            full_name_ar=ar,
            full_name_fr=fr,
        )
    officer, clerk = (
        Actor("officer", "officer", OFFICE),
        Actor("clerk", "clerk", OFFICE),
    )
    born = reg.now().date() - timedelta(days=3)
    draft = drafts.register_birth(
        reg,
        actor=clerk,
        office=OFFICE,
        data={
            "child": _names("يوسف", "الإدريسي", "Youssef", "El Idrissi"),
            "sex": "M",
            "birth_date": born.isoformat(),
            "birth_time": "08:30",
            "birth_place": "المستشفى الجامعي الحسن الثاني، فاس",
            "birth_commune": OFFICE,
            "father": {
                **_names("أحمد", "الإدريسي", "Ahmed", "El Idrissi"),
                "nationality": "MA",
            },
            "mother": {
                **_names("خديجة", "التازي", "Khadija", "Tazi"),
                "nationality": "MA",
            },
            "declarant": {"full_name": "أحمد الإدريسي", "relationship": "father"},
        },
    )
    ref = str(acts.sign_act(reg, actor=officer, office=OFFICE, draft_id=draft))
    acts.add_mention(
        reg,
        actor=officer,
        ref=ref,
        data={
            "kind": "marriage",
            "source": {
                "authority": "adouls",
                "reference": "عقد 345",
                "date": "2026-11-24",
            },
            "data": {
                "spouse": _names("سلمى", "برادة", "Salma", "Berrada"),
                "event_date": "2026-11-24",
                "place": "فاس",
            },
        },
    )
    return reg, clerk, ref


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdfs", type=int, default=40)
    parser.add_argument("--issues", type=int, default=20)
    parser.add_argument("--seals", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        reg, clerk, ref = _setup(Path(tmp))
        store = TrustStore(service.trust_directory(reg))
        store.init_root(PASS)
        service.certify_office_keys(reg, passphrase=PASS)
        trust = store.publish(at="2026-11-25", passphrase=PASS)
        view = queries.get_act(reg, actor=clerk, ref=ref)
        signer = reg.keys.signer(OFFICE)
        issue = Issue(
            f"{OFFICE}:2026:000001:BENCH1", date(2026, 11, 25), OFFICE, "فاس", "Fès",
            "عبد الرحيم الفاسي", "Abderrahim El Fassi",
        )  # fmt: skip
        certificate = store.office_certificate_pem(signer.key_id)
        assert certificate is not None
        content = build_content(view, kind="extract", issue=issue)
        sign_pdf(render_pdf(content, seal="SJ1:", lang="ar"), signer, certificate)

        start = time.perf_counter()
        for _ in range(args.pdfs):
            content = build_content(view, kind="extract", issue=issue)
            text = seal(claims_of(view, kind="extract", issue=issue), signer)
            pdf = render_pdf(content, seal=text, lang="bilingual")
        rendered = args.pdfs / (time.perf_counter() - start)

        start = time.perf_counter()
        for _ in range(args.pdfs):
            signed = sign_pdf(pdf, signer, certificate)
        pades = args.pdfs / (time.perf_counter() - start)

        start = time.perf_counter()
        for _ in range(args.issues):
            service.issue_document(reg, actor=clerk, ref=ref, kind="extract")
        issued = args.issues / (time.perf_counter() - start)

        start = time.perf_counter()
        for _ in range(args.seals):
            assert verify_seal(text, trust).valid
        verified = args.seals / (time.perf_counter() - start)

    print(
        f"PDF size (bilingual extract): {len(pdf) / 1024:.0f} KiB; seal {len(text)} chars"
    )
    print(f"rendered + sealed (no database): {rendered:8.1f} PDFs/s")
    print(
        f"PAdES signature (pyHanko):       {pades:8.1f} PDFs/s ({len(signed) // 1024} KiB)"
    )
    print(
        f"issue_document end to end:       {issued:8.1f} documents/s (SQLite, signed)"
    )
    print(f"seals verified offline:          {verified:8.0f} seals/s")


if __name__ == "__main__":
    main()
