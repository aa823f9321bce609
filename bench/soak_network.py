"""Soak the office network: many seeded fault schedules, longer than CI runs them.

Each schedule is the one ``tests/e2e/test_network_faults.py`` runs (real ``sijill serve
--role central`` on PostgreSQL, offices on SQLite, ``sijill sync`` agents behind a fault
proxy; kill -9 of agents, centre and proxy; cuts, stalls, delays, duplicated, replayed
and forged batches), then the full check: every entry at the centre exactly once,
every notice applied once, every chain verifying, no alarm but the forged batches'.

    .venv/bin/python bench/soak_network.py [--schedules 10] [--seconds 120] [--seed N]
                                           [--offices 3] [--keep-going]

Prints each schedule's seed and counts, then the totals; exits 1 if any schedule
found a problem (rerun one with ``--seed N --schedules 1``).
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e.faults import PG_ADMIN, Result, postgres_reason, run_schedule


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--schedules", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--offices", type=int, default=3, choices=(2, 3))
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="run every schedule even after a failure",
    )
    parser.add_argument("--pg", default=PG_ADMIN)
    args = parser.parse_args()
    reason = postgres_reason(args.pg)
    if reason is not None:
        print(reason)
        raise SystemExit(2)
    base = (
        args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    )
    print(
        f"network soak: {args.schedules} schedules of {args.seconds:.0f} s, "
        f"{args.offices} offices, seeds {base}..{base + args.schedules - 1} "
        f"({os.cpu_count()} CPUs)"
    )
    results: list[Result] = []
    started = time.monotonic()
    for index in range(args.schedules):
        with tempfile.TemporaryDirectory(prefix="sijill-soak-") as work:
            result = run_schedule(
                base + index,
                Path(work),
                duration=args.seconds,
                offices=args.offices,
                admin=args.pg,
            )
        results.append(result)
        if result.problems and not args.keep_going:
            break
    faults = sum(sum(r.faults.values()) for r in results)
    failed = [r.seed for r in results if r.problems]
    print(
        f"\nnetwork soak: {len(results)} schedules in {time.monotonic() - started:.0f} s, "
        f"{faults} faults injected, {sum(r.entries for r in results)} entries checked, "
        f"{sum(r.notices for r in results)} notices, "
        f"losses {sum(r.losses for r in results)}, "
        f"duplicates {sum(r.duplicates for r in results)}, "
        f"failed seeds {failed or 'none'}"
    )
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
