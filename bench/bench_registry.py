"""Register and sign N acts through the service layer, on SQLite and on PostgreSQL.

Prints, per database: acts/s (draft + signature, two transactions each), latency
percentiles of each use case, journal verification speed, and peak memory.

    .venv/bin/python bench/bench_registry.py [--acts 2000] [--pg postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path

import psycopg

from shared import percentile, postgres_url
from sijill.domain.offices import SYSTEM, Actor
from sijill.services import acts, drafts, journal, offices
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.synthetic import Generator

OFFICE = "03.231.01.0"
TODAY = date(2026, 11, 25)


@contextmanager
def sqlite_url() -> Iterator[str]:
    with tempfile.TemporaryDirectory() as directory:
        yield f"sqlite:///{Path(directory) / 'bench.db'}"


def timed(samples: list[float], call: Callable[[], object]) -> object:
    start = time.perf_counter()
    result = call()
    samples.append(time.perf_counter() - start)
    return result


def run(label: str, url: str, count: int) -> None:
    engine = make_engine(url)
    upgrade(engine)
    with tempfile.TemporaryDirectory() as keys:
        clock_now = datetime(2026, 11, 25, 9, tzinfo=UTC)
        reg = Registry(
            engine=engine, keys=KeyStore(Path(keys)), clock=lambda: clock_now
        )
        offices.create_office(reg, actor=SYSTEM, commune_code=OFFICE)
        for username, role in (("officer.bench", "officer"), ("clerk.bench", "clerk")):
            offices.appoint_staff(
                reg,
                actor=SYSTEM,
                office=OFFICE,
                username=username,
                role=role,
                full_name_ar="سعيد العمراني",
                full_name_fr="Said Amrani",
            )
        clerk, officer = (
            Actor("clerk.bench", "clerk", OFFICE),
            Actor("officer.bench", "officer", OFFICE),
        )
        gen = Generator(99)
        declarations = [
            gen.birth(TODAY, office_commune_code=OFFICE) for _ in range(count)
        ]
        drafting: list[float] = []
        signing: list[float] = []
        start = time.perf_counter()
        for data in declarations:
            draft = timed(
                drafting,
                lambda data=data: drafts.register_birth(
                    reg, actor=clerk, office=OFFICE, data=data
                ),
            )
            timed(
                signing,
                lambda draft=draft: acts.sign_act(
                    reg, actor=officer, office=OFFICE, draft_id=str(draft)
                ),
            )
        elapsed = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        verify_start = time.perf_counter()
        report = journal.verify_journal(reg, actor=SYSTEM)[0]
        verify_elapsed = time.perf_counter() - verify_start
        assert report.ok
    engine.dispose()
    ms = 1000
    print(f"\n{label}: {count} births registered and signed in {elapsed:.1f} s")
    print(
        f"  throughput           {count / elapsed:8.1f} acts/s  ({2 * count / elapsed:.0f} transactions/s)"
    )
    for name, samples in (("draft (register)", drafting), ("sign", signing)):
        print(
            f"  {name:<20} p50 {percentile(samples, 0.5) * ms:6.2f} ms   p95 "
            f"{percentile(samples, 0.95) * ms:6.2f} ms   p99 {percentile(samples, 0.99) * ms:6.2f} ms"
            f"   mean {statistics.fmean(samples) * ms:6.2f} ms"
        )
    print(
        f"  journal verify       {report.entries} entries in {verify_elapsed:.2f} s "
        f"({report.entries / verify_elapsed:,.0f} entries/s)"
    )
    print(f"  peak memory (RSS)    {peak / 2**20:.0f} MiB at the end of the run")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--acts", type=int, default=2000)
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "SIJILL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    print(
        f"Sijill registry benchmark — Python {sys.version.split()[0]}, {os.cpu_count()} CPUs"
    )
    with sqlite_url() as url:
        run("SQLite (WAL, synchronous=FULL)", url, args.acts)
    try:
        psycopg.connect(args.pg, connect_timeout=3).close()
    except psycopg.Error as error:
        print(f"\nPostgreSQL skipped: {error}")
    else:
        with postgres_url(args.pg) as url:
            run("PostgreSQL", url, args.acts)
    print(
        f"\nprocess max RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB"
    )


if __name__ == "__main__":
    main()
