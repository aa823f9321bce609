"""Orders by post with real processes: the centre (``sijill serve --role central`` on
PostgreSQL), two offices on SQLite with their ``sijill sync`` agents running, the
office's officer at the ``sijill`` command and the post's system on the JSON API.

An order placed remotely at the centre for an act held by Fès travels as a notice to
Fès, is produced, signed and posted there, is carried by the post and delivered
against ID; another comes back to Fès and is recorded as returned. The centre learns
of each step of the office through the journal the agent pushes.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import select

from sijill.auth import tokens
from sijill.domain.offices import SYSTEM
from sijill.store import tables as t
from tests.builders import days_ago, signed_birth
from tests.e2e.faults import (
    SIJILL,
    Network,
    Office,
    postgres_database,
    postgres_reason,
    wait_for,
)
from tests.integration.test_orders import order_body as an_order

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.timeout(600)]


@pytest.fixture
def net(tmp_path: Path) -> Iterator[Network]:
    reason = postgres_reason()
    if reason is not None:
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the end-to-end order test: {reason}")
        pytest.skip(reason)
    with postgres_database() as url:
        network = Network(tmp_path, url, 2, seed=0)
        try:
            network.start()
            yield network
        finally:
            network.close()


def officer(office: Office, *args: str) -> str:
    """The office's officer at the real ``sijill`` command."""
    done = subprocess.run(
        [
            SIJILL,
            "--data-dir",
            str(office.directory),
            *args,
            "--office",
            office.code,
            "--as",
            office.staff.officer.username,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "COLUMNS": "200"},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def routed_to(office: Office) -> list[str]:
    with office.reg.engine.connect() as conn:
        rows = conn.execute(
            select(t.office_notices.c.mention).where(
                t.office_notices.c.office_code == office.code,
                t.office_notices.c.kind == "order",
            )
        ).scalars()
        return [m["order_id"] for m in rows]


def status_of(http: httpx.Client, number: str) -> str:
    return str(http.get(f"/api/orders/{number}").json()["status"])


def test_orders_placed_remotely_are_delivered_or_returned_through_the_network(
    net: Network,
) -> None:
    fes, rabat = net.offices
    born = days_ago(fes.reg)
    signed_birth(fes.reg, fes.staff, born=born)  # Youssef El Idrissi, held by Fès
    wait_for("the act at the centre", lambda: _held_at_centre(net, f"{fes.code}/"))

    def order_body(key: str, **changes: Any) -> dict[str, Any]:
        return an_order(key, subject__birth_date=born.isoformat(), **changes)

    post_token = tokens.issue_token(
        net.centre, actor=SYSTEM, name="Barid Al-Maghrib", role="post_operator"
    )
    post = {"authorization": f"Bearer {post_token}"}
    with httpx.Client(base_url=net.server.url, timeout=30) as http:
        delivered = http.post("/api/orders", json=order_body("e2e-delivered-1"))
        returned = http.post(
            "/api/orders",
            json=order_body("e2e-returned-1", kind="full_copy", copies=2),
        )
        assert delivered.status_code == returned.status_code == 201, delivered.text
        again = http.post("/api/orders", json=order_body("e2e-delivered-1"))
        assert again.json()["number"] == delivered.json()["number"]
        assert delivered.json()["status"] == returned.json()["status"] == "received"
        # The centre's processor matches and routes them just after answering.
        for number in (delivered.json()["number"], returned.json()["number"]):
            wait_for(
                f"order {number} routed",
                lambda number=number: status_of(http, number) == "routed",
            )
        one, two = (
            http.get(f"/api/orders/{answer.json()['number']}").json()
            for answer in (delivered, returned)
        )
        assert one["office"] == two["office"] == fes.code

        # The Fès agent takes delivery of both orders; Rabat gets none.
        wait_for("the orders at Fès", lambda: len(routed_to(fes)) == 2)
        assert routed_to(rabat) == []
        ids = routed_to(fes)
        for order_id in ids:
            officer(fes, "order", "produce", order_id)
            officer(fes, "order", "post", order_id)
        for order in (one, two):
            wait_for(
                f"{order['number']} posted at the centre",
                lambda order=order: status_of(http, order["number"]) == "posted",
            )

        # The post sees envelopes, never the act.
        listed = http.get("/api/envelopes", headers=post).json()
        assert {e["tracking_number"] for e in listed} == {
            one["tracking_number"],
            two["tracking_number"],
        }
        assert born.isoformat() not in str([e["address"] for e in listed])
        assert "Youssef" not in str(listed)

        def record(tracking: str, status: str, **extra: str) -> httpx.Response:
            return http.post(
                f"/api/envelopes/{tracking}/status",
                json={"status": status, **extra},
                headers=post,
            )

        for status in ("picked_up", "in_transit", "at_post_office"):
            assert record(one["tracking_number"], status).status_code == 200
        assert record(one["tracking_number"], "picked_up").status_code == 409
        wrong_id = record(one["tracking_number"], "delivered", id_number="ZZ999999")
        assert wrong_id.status_code == 422
        assert (
            record(one["tracking_number"], "delivered", id_number="C123456").status_code
            == 200
        )
        assert status_of(http, one["number"]) == "delivered"

        for status in ("picked_up", "at_post_office", "failed_attempt"):
            assert record(two["tracking_number"], status).status_code == 200
        assert record(two["tracking_number"], "returned_to_sender").status_code == 200
        returned_id = next(i for i in ids if _number_of(fes, i) == two["number"])
        officer(fes, "order", "return", returned_id)
        wait_for(
            "the return at the centre",
            lambda: status_of(http, two["number"]) == "returned",
        )

        steps_one = [
            s["status"]
            for s in http.get(f"/api/orders/{one['number']}").json()["steps"]
        ]
        steps_two = [
            s["status"]
            for s in http.get(f"/api/orders/{two['number']}").json()["steps"]
        ]
    assert steps_one == [
        "received",
        "matched",
        "routed",
        "produced",
        "posted",
        "picked_up",
        "in_transit",
        "at_post_office",
        "delivered",
    ]
    assert steps_two[-3:] == ["failed_attempt", "returned_to_sender", "returned"]
    with fes.reg.engine.connect() as conn:
        issued = conn.execute(select(t.journal.c.event_type)).scalars().all()
    assert issued.count("DocumentIssued") == 3  # one extract, a full copy twice
    assert issued.count("OrderProduced") == issued.count("OrderPosted") == 2
    assert issued.count("EnvelopeReturned") == 1


def _held_at_centre(net: Network, prefix: str) -> bool:
    with net.centre.engine.connect() as conn:
        return (
            conn.execute(
                select(t.acts.c.ref).where(t.acts.c.ref.startswith(prefix))
            ).first()
            is not None
        )


def _number_of(office: Office, order_id: str) -> str:
    from sijill.orders.tables import envelopes

    with office.reg.engine.connect() as conn:
        return str(
            conn.execute(
                select(envelopes.c.number).where(envelopes.c.order_id == order_id)
            ).scalar_one()
        )
