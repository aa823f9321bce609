"""Digitization survives kill -9: reconcile and load, killed at random points, resumed."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Table, func, select

from sijill.digitize.batches import import_keyed_file
from sijill.digitize.load import load_accepted_batch
from sijill.digitize.reconcile import reconcile_batch
from sijill.digitize.tables import batch_acts, legacy_acts
from sijill.domain.offices import SYSTEM
from sijill.services import journal
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.synthetic.keyed import Keying
from tests.builders import FES
from tests.e2e.conftest import SIJILL, registry_at
from tests.integration.test_digitize import (
    BATCH,
    accepted,
    adjudicate_all,
    digitization_team,
    keyed_files,
    spec,
)

pytestmark = pytest.mark.e2e
COUNT = 1500


def _state(reg: Registry) -> tuple[list[Any], list[Any]]:
    with reg.engine.connect() as conn:
        acts = conn.execute(
            select(t.acts.c.act_id, t.acts.c.ref, t.acts.c.data).order_by(t.acts.c.ref)
        ).all()
        provenance = conn.execute(
            select(
                legacy_acts.c.act_id, legacy_acts.c.page, legacy_acts.c.line
            ).order_by(legacy_acts.c.act_id)
        ).all()
    return [tuple(a) for a in acts], [tuple(p) for p in provenance]


def _killed_until_done(
    data_dir: Path, rng: random.Random, written: Callable[[], int], *args: str
) -> int:
    """Run a command, kill -9 it at random moments once it has committed some of its
    work (``written`` grew), run it again until it finishes."""
    env = {**os.environ, "SIJILL_DATA_DIR": str(data_dir), "COLUMNS": "200"}
    kills = 0
    while True:
        before = written()
        process = subprocess.Popen(
            [SIJILL, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        if kills < 4:
            while process.poll() is None and written() == before:
                time.sleep(0.01)
            time.sleep(rng.uniform(0, 0.1))
            if process.poll() is None:
                process.send_signal(signal.SIGKILL)
                process.wait()
                assert process.stderr is not None
                process.stderr.close()
                kills += 1
                continue
        _, err = process.communicate(timeout=120)
        assert process.returncode == 0, err.decode()
        return kills


def _rows(reg: Registry, table: Table) -> Callable[[], int]:
    def count() -> int:
        with reg.engine.connect() as conn:
            return int(
                conn.execute(select(func.count()).select_from(table)).scalar_one()
            )

    return count


def _prepared(data_dir: Path) -> tuple[Registry, Any, list[Any]]:
    data_dir.mkdir()
    reg = registry_at(data_dir)
    team = digitization_team(reg)
    acts = list(Keying(11, office=FES, year=1962, error_rate=0.005).acts(COUNT))
    for path in keyed_files(data_dir, acts):
        import_keyed_file(reg, actor=team.first, spec=spec(last_page=100), path=path)
    return reg, team, acts


def test_killed_reconciliation_and_load_resume_to_the_same_acts(tmp_path: Path) -> None:
    rng = random.Random(2859)
    reference, team, acts = _prepared(tmp_path / "reference")
    reconcile_batch(reference, actor=team.officer, batch_id=BATCH)
    adjudicate_all(reference, team, acts)
    accepted(reference, team)
    load_accepted_batch(reference, actor=team.officer, batch_id=BATCH)

    killed, team, acts = _prepared(tmp_path / "killed")
    officer = ("--as", "officer.fes")
    kills = _killed_until_done(
        tmp_path / "killed",
        rng,
        _rows(killed, batch_acts),
        "digitize",
        "reconcile",
        BATCH,
        "--chunk",
        "50",
        *officer,
    )
    adjudicate_all(killed, team, acts)
    accepted(killed, team)
    kills += _killed_until_done(
        tmp_path / "killed",
        rng,
        _rows(killed, legacy_acts),
        "digitize",
        "load",
        BATCH,
        "--chunk",
        "25",
        *officer,
    )
    assert kills > 0
    assert _state(killed) == _state(reference)
    assert len(_state(killed)[0]) == COUNT
    assert all(r.ok for r in journal.verify_journal(killed, actor=SYSTEM))
    for reg in (reference, killed):
        reg.engine.dispose()
