"""The demo network is built through the use cases and leaves a verifiable journal."""

from __future__ import annotations

from datetime import date

from sijill.demo import PILOT_COMMUNES, build_demo
from sijill.domain.offices import SYSTEM
from sijill.services import journal, queries
from sijill.services.context import Registry


def test_the_pilot_network_is_six_offices_with_closed_past_registers(registry: Registry) -> None:
    report = build_demo(registry, today=date(2026, 11, 25), first_year=2024, scale=0.1)
    offices = queries.list_offices(registry)
    assert [o["code"] for o in offices] == sorted([*PILOT_COMMUNES, "C-FR-PARIS"])
    assert {o["setting"] for o in offices} == {"urban", "rural", None}
    assert report.births > 20 and report.deaths > 5
    assert sum(o["acts"] for o in offices) == report.births + report.deaths
    registers = queries.list_registers(registry, office="03.231.01.0")
    closed = {(r["year"], r["kind"]) for r in registers if r["closed_at"]}
    assert closed == {(2024, "birth"), (2024, "death"), (2025, "birth"), (2025, "death")}
    assert all(r.ok for r in journal.verify_journal(registry, actor=SYSTEM))
