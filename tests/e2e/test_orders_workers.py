"""The centre served by several worker processes (``sijill serve --workers 2``): the
orders they accept are processed by processes of their own, at the lowest CPU
priority, which stop with the server; the audit entries of the acceptances are
chained behind them.
"""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest
from sqlalchemy import func, select

from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.keys import KeyStore
from sijill.store.schema import upgrade
from sijill.sync import centre as central
from tests.e2e.faults import (
    CentreServer,
    free_port,
    postgres_database,
    postgres_reason,
    wait_for,
)
from tests.integration.test_orders import order_body

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(300)]


def niced_children(pid: int) -> list[int]:
    """The processes ``pid`` started that run below the normal priority."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    return [int(c) for c in children if os.getpriority(os.PRIO_PROCESS, int(c)) > 0]


def test_orders_accepted_by_two_workers_are_processed_by_processes_of_their_own(
    tmp_path: Path,
) -> None:
    reason = postgres_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run this end-to-end test: {reason}")
        pytest.skip(reason)
    with postgres_database() as url:
        engine = make_engine(url)
        upgrade(engine)
        centre = Registry(engine=engine, keys=KeyStore(tmp_path / "centre" / "keys"))
        central.open_centre(centre)
        server = CentreServer(url, tmp_path / "centre", free_port())
        server.argv += ["--workers", "2"]
        server.start()
        processors: list[int] = []
        try:
            server.wait_ready()
            assert server.process is not None
            pid = server.process.pid
            processors = wait_for("the processors", lambda: niced_children(pid), 60)
            with httpx.Client(base_url=server.url, timeout=30) as http:
                placed = http.post("/api/orders", json=order_body("workers-0001"))
                assert placed.status_code == 201, placed.text
                assert placed.json()["status"] == "received"
                again = http.post("/api/orders", json=order_body("workers-0001"))
                assert again.json()["number"] == placed.json()["number"]
                number = placed.json()["number"]
                # No act is held here: the processor rejects it, with the reason.
                tracked = wait_for(
                    "the order processed",
                    lambda: (
                        (answer := http.get(f"/api/orders/{number}").json())["status"]
                        != "received"
                        and answer
                    ),
                    60,
                )
            assert tracked["status"] == "rejected"
            assert tracked["reason"] == "order.no_match"
            assert [s["status"] for s in tracked["steps"]] == ["received", "rejected"]
        finally:
            server.stop()
        wait_for(
            "the processors stopped",
            lambda: not any(_alive(pid) for pid in processors),
            15,
        )
        with engine.connect() as conn:  # the pool's connections are closed just after
            actions = dict(
                conn.execute(
                    select(t.audit_log.c.action, func.count())
                    .where(t.audit_log.c.target == number)
                    .group_by(t.audit_log.c.action)
                ).all()
            )
            queued = conn.execute(select(func.count()).select_from(t.audit_queue))
            assert queued.scalar_one() == 0
        engine.dispose()
        assert actions["order.place"] == actions["order.resend"] == 1


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"
