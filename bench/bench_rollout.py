"""Roll out every office of a province (or region) through ``roll_out``, as
``sijill rollout`` does: the centre on PostgreSQL (or SQLite), each office on its own
SQLite file with fsync on every commit.

Prints offices/s, the time per office, where it goes, and the projected time for the
2,172 offices of the programme at that rate.

    .venv/bin/python bench/bench_rollout.py [--province 03.231 | --region 03]
        [--sqlite-centre] [--pg postgresql://...]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from shared import postgres_url
from sijill.documents.trust import TrustStore
from sijill.domain.offices import SYSTEM
from sijill.rollout.generalize import official_offices, roll_out
from sijill.rollout.onboarding import Ministry, make_template
from sijill.services.context import Registry
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.sync.centre import open_centre

PROGRAMME_OFFICES = 2172
PASSPHRASE = b"a passphrase for the benchmark only"


@contextmanager
def centre_url(args: argparse.Namespace, directory: Path) -> Iterator[str]:
    if args.sqlite_centre:
        yield f"sqlite:///{directory / 'centre.db'}"
        return
    with postgres_url(args.pg) as url:
        yield url


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--province", default=None)
    parser.add_argument("--region", default=None)
    parser.add_argument("--sqlite-centre", action="store_true")
    parser.add_argument(
        "--pg",
        default=os.environ.get(
            "SIJILL_BENCH_PG", "postgresql://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    scope = (
        {"region": args.region}
        if args.region
        else {"province": args.province or "03.231"}
    )
    communes = official_offices(**scope)
    with (
        tempfile.TemporaryDirectory() as scratch,
        centre_url(args, Path(scratch)) as url,
    ):
        directory = Path(scratch)
        engine = make_engine(url)
        upgrade(engine)
        centre = Registry(engine=engine, keys=KeyStore(directory / "keys"))
        open_centre(centre)
        trust = TrustStore(directory / "keys" / "trust")
        trust.init_root(PASSPHRASE)
        ministry = Ministry(
            centre=centre,
            offices_dir=directory / "offices",
            trust=trust,
            passphrase=PASSPHRASE,
            actor=SYSTEM,
            template=make_template(directory),
        )
        print(
            f"rolling out {len(communes)} offices of {scope} "
            f"(centre on {engine.dialect.name})",
            flush=True,
        )
        start = time.perf_counter()
        times: list[float] = []
        last = [start]

        def tick(_planned: object, _done: object) -> None:
            now = time.perf_counter()
            times.append(now - last[0])
            last[0] = now

        report = roll_out(ministry, communes, progress=tick)
        total = time.perf_counter() - start
        again_start = time.perf_counter()
        again = roll_out(ministry, communes)
        again_time = time.perf_counter() - again_start
        engine.dispose()
    rate = len(report.onboarded) / total
    times.sort()
    print(f"  onboarded: {len(report.onboarded)} offices in {total:,.1f} s")
    print(f"  rate: {rate:,.2f} offices/s")
    print(
        f"  per office: median {times[len(times) // 2] * 1000:,.0f} ms, "
        f"slowest {times[-1] * 1000:,.0f} ms"
    )
    print(
        f"  a second run (everything already done): {len(again.skipped)} skipped "
        f"in {again_time:,.2f} s"
    )
    projected = PROGRAMME_OFFICES / rate
    print(
        f"  projected for all {PROGRAMME_OFFICES:,} offices: {projected / 60:,.1f} min"
    )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  peak memory (RSS): {peak:,.0f} MiB")


if __name__ == "__main__":
    main()
