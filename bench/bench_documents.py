"""Documents: PDFs rendered, rendered and signed, and seals verified, per second per core.

Sets up one office on SQLite with generated births (names, parents and places all
different; each timed PDF is of an act no earlier PDF showed, with its own number, so
only what every document shares — labels, headings — is already known to the caches),
a marriage mention on the first, and a ministry root key certifying the office key; then, in this one process
(one core):

- content + seal + PDF (bilingual extract), without the database;
- the same, and the PDF's PAdES signature: the issue's throughput goal (>= 50/s);
- ``issue_document`` end to end (read, lock, number, journal, audit, seal, PDF, PAdES);
- ``verify_seal`` offline on seals of different documents (goal >= 5,000/s).

Throughput is counted on the process's CPU time (the machine may be shared), latency
percentiles on the wall clock; peak memory is the process's maximum RSS.

    .venv/bin/python bench/bench_documents.py [--pdfs 60] [--issues 20] [--seals 5000]
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
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
from sijill.services.queries import ActView
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.synthetic import Generator

OFFICE = "03.231.01.0"
TODAY = date(2026, 11, 25)
PASS = b"benchmark root passphrase"


def _setup(directory: Path, count: int) -> tuple[Registry, Actor, list[str]]:
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
    gen = Generator(7)
    refs = []
    for _ in range(count):
        data = gen.birth(TODAY, office_commune_code=OFFICE)
        draft = drafts.register_birth(reg, actor=clerk, office=OFFICE, data=data)
        refs.append(
            str(acts.sign_act(reg, actor=officer, office=OFFICE, draft_id=draft))
        )
    acts.add_mention(
        reg,
        actor=officer,
        ref=refs[0],
        data={
            "kind": "marriage",
            "source": {"authority": "adouls", "reference": "عقد 345", "date": "2026-11-24"},
            "data": {
                "spouse": {
                    "first_name_ar": "سلمى",
                    "family_name_ar": "برادة",
                    "first_name_lat": "Salma",
                    "family_name_lat": "Berrada",
                },
                "event_date": "2026-11-24",
                "place": "فاس",
            },
        },
    )  # fmt: skip
    return reg, clerk, refs


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


class Run:
    """Times ``count`` calls: CPU-time throughput and wall-clock latencies."""

    def __init__(self, name: str, unit: str, count: int, call: Callable[[int], object]):
        self.name, self.unit, self.samples = name, unit, []
        cpu = time.process_time()
        for i in range(count):
            start = time.perf_counter()
            call(i)
            self.samples.append(time.perf_counter() - start)
        self.rate = count / max(time.process_time() - cpu, 1e-9)

    def line(self) -> str:
        p50, p95, p99 = (_percentile(self.samples, q) * 1000 for q in (0.5, 0.95, 0.99))
        return (
            f"{self.name:<34} {self.rate:8.1f} {self.unit:<12} "
            f"p50 {p50:7.2f} ms  p95 {p95:7.2f} ms  p99 {p99:7.2f} ms"
        )


def _issue(number: int) -> Issue:
    return Issue(
        f"{OFFICE}:2026:{number:06d}:BENCH1", TODAY, OFFICE, "فاس", "Fès",
        "عبد الرحيم الفاسي", "Abderrahim El Fassi",
    )  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--pdfs", type=int, default=60)
    parser.add_argument("--issues", type=int, default=20)
    parser.add_argument("--seals", type=int, default=5000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        # one act for the warm-up, then new acts for each of the two rendering runs
        reg, clerk, refs = _setup(Path(tmp), 1 + 2 * args.pdfs)
        store = TrustStore(service.trust_directory(reg))
        store.init_root(PASS)
        service.certify_office_keys(reg, passphrase=PASS)
        trust = store.publish(at="2026-11-25", passphrase=PASS)
        views: list[ActView] = [
            queries.get_act(reg, actor=clerk, ref=ref) for ref in refs
        ]
        signer = reg.keys.signer(OFFICE)
        certificate = store.office_certificate_pem(signer.key_id)
        assert certificate is not None

        def rendered(i: int) -> bytes:
            view, issue = views[i % len(views)], _issue(i + 1)  # i: a new act
            content = build_content(view, kind="extract", issue=issue)
            text = seal(claims_of(view, kind="extract", issue=issue), signer)
            return render_pdf(content, seal=text, lang="bilingual")

        first = time.perf_counter()
        pdf = rendered(0)
        signed = sign_pdf(pdf, signer, certificate)
        warm = time.perf_counter() - first
        runs = [
            Run(
                "rendered + sealed (no database)",
                "PDFs/s",
                args.pdfs,
                lambda i: rendered(1 + i),
            ),
            Run(
                "rendered + sealed + PAdES-signed",
                "PDFs/s",
                args.pdfs,
                lambda i: sign_pdf(rendered(1 + args.pdfs + i), signer, certificate),
            ),
            Run(
                "PAdES signature alone (pyHanko)",
                "PDFs/s",
                args.pdfs,
                lambda i: sign_pdf(pdf, signer, certificate),
            ),
            Run(
                "issue_document end to end",
                "docs/s",
                args.issues,
                lambda i: service.issue_document(
                    reg, actor=clerk, ref=refs[i % len(refs)], kind="extract"
                ),
            ),
        ]
        seals = [
            seal(claims_of(v, kind="extract", issue=_issue(i + 1)), signer)
            for i, v in enumerate(views)
        ]
        runs.append(
            Run(
                "seals verified offline",
                "seals/s",
                args.seals,
                lambda i: verify_seal(seals[i % len(seals)], trust),
            )
        )
        assert all(verify_seal(s, trust).valid for s in seals)

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"{len(refs)} different acts; bilingual extract {len(pdf) / 1024:.0f} KiB, "
        f"signed {len(signed) / 1024:.0f} KiB; seal {len(seals[0])} chars; "
        f"first document (fonts parsed, signer set up) {warm * 1000:.0f} ms"
    )
    for run in runs:
        print(run.line())
    print(f"peak memory (max RSS of the process)  {peak:.0f} MiB")


if __name__ == "__main__":
    main()
