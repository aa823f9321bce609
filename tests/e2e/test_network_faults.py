"""The office network under faults, with real processes on loopback.

A central registry (``sijill serve --role central``) on a PostgreSQL database of its
own, three offices on SQLite, a ``sijill sync`` agent per office behind a proxy that
cuts, stalls, delays and duplicates; agents, the centre and the proxy killed at random
moments; genuine batches replayed and forged ones sent. After each schedule every
office must be at the centre exactly once, entry by entry, with every notice applied
exactly once, every chain verifying and no alarm but those of the forged batches.

Each schedule is drawn from a seed, printed; ``SIJILL_FAULT_SEED=N`` replays the
schedules N, N+1, ...; ``SIJILL_FAULT_SCHEDULES`` and ``SIJILL_FAULT_SECONDS`` make the
run longer (``bench/soak_network.py`` runs many).
"""

from __future__ import annotations

import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from sijill.services import acts, drafts
from sijill.store import tables as t
from sijill.sync import centre as central
from tests.builders import birth, death
from tests.e2e.faults import (
    MIN_FAULTS,
    NAMES_M,
    Network,
    need_postgres,
    postgres_database,
    run_schedule,
)

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(600)]


@pytest.fixture(scope="module")
def pg() -> None:
    need_postgres("the network fault tests")


def test_every_entry_and_notice_survives_killed_processes_and_a_bad_link(
    pg: None, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = int(
        os.environ.get("SIJILL_FAULT_SEED") or random.SystemRandom().randrange(10**6)
    )
    schedules = int(os.environ.get("SIJILL_FAULT_SCHEDULES", "2"))
    seconds = float(os.environ.get("SIJILL_FAULT_SECONDS", "20"))
    results = []
    with capsys.disabled():
        print(f"\nnetwork faults: base seed {base} (SIJILL_FAULT_SEED={base} replays)")
        for index in range(schedules):
            results.append(
                run_schedule(
                    base + index,
                    tmp_path / f"schedule-{index}",
                    duration=seconds,
                    offices=3,
                    say=print,
                )
            )
        entries = sum(r.entries for r in results)
        print(
            f"network faults: {len(results)} schedules, "
            f"{sum(sum(r.faults.values()) for r in results)} faults injected, "
            f"{entries} entries checked, {sum(r.notices for r in results)} notices, "
            f"losses {sum(r.losses for r in results)}, "
            f"duplicates {sum(r.duplicates for r in results)}"
        )
    for result in results:
        assert result.problems == [], f"seed {result.seed}: {result.problems}"
        assert (result.losses, result.duplicates) == (0, 0)
        # The schedule really did something: traffic, routed notices, faults of
        # each family, and checked every entry it made.
        assert (
            result.expected.births > 10 and result.entries > 3 * result.expected.births
        )
        assert result.notices == result.expected.notices > 0
        assert result.expected.notices_applied == result.notices
        assert sum(result.faults.values()) >= MIN_FAULTS
        assert result.faults["forged batches"] == 2
        assert sum(result.expected.alarms.values()) == 2


def test_a_death_known_by_names_and_birth_date_is_routed_by_the_real_centre(
    pg: None, tmp_path: Path
) -> None:
    # Found on PostgreSQL only: routing compared the DATE column with a string, the
    # centre refused the death entry and the office's sync stopped there for good.
    with postgres_database() as url:
        net = Network(tmp_path, url, 2, seed=0)
        try:
            net.server.start()
            net.server.wait_ready()
            net.proxy.start()
            fes, rabat = net.offices
            born = fes.reg.now().date() - timedelta(days=9)
            draft = drafts.register_birth(
                fes.reg, actor=fes.staff.clerk, office=fes.code, data=birth(born)
            )
            ref = acts.sign_act(
                fes.reg, actor=fes.staff.officer, office=fes.code, draft_id=draft
            )
            data = death(
                rabat.reg.now().date() - timedelta(days=1),  # 06:10 is never ahead
                deceased=NAMES_M,
                sex="M",
                birth_date=born.isoformat(),  # no birth act reference: names and date
            )
            draft = drafts.register_death(
                rabat.reg, actor=rabat.staff.clerk, office=rabat.code, data=data
            )
            acts.sign_act(
                rabat.reg, actor=rabat.staff.officer, office=rabat.code, draft_id=draft
            )
            net.sync_once_all([fes])  # the birth is at the centre first
            net.applied()
            net.sync_once_all([rabat])  # then the death, routed by names and date
            net.applied()
            net.sync_once_all([fes])  # which Fès takes delivery of
            net.sync_once_all([fes])  # and reports so
            net.applied()  # as the centre's projector applies
            assert [o.head() for o in net.offices] == [
                net.held(o.code) for o in net.offices
            ]
            with net.centre.engine.connect() as conn:
                states = central.notice_states(conn)
                alarms = conn.execute(select(t.alarms.c.detail)).scalars().all()
            assert alarms == []
            assert [(n["target_ref"], n["state"]) for n in states] == [
                (str(ref), "delivered")
            ]
        finally:
            net.close()
