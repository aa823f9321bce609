"""Yearly registers: numbers never reused nor skipped; closed on 31 December."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from sijill.domain.errors import Conflict
from sijill.domain.identifiers import ActRef
from sijill.services import acts, drafts, queries
from sijill.services.context import Registry
from sijill.store import tables as t
from tests.builders import birth, death, marriage, open_office, signed_birth
from tests.fakes import FakeClock


def test_acts_are_numbered_in_sequence_per_register(registry: Registry) -> None:
    office = open_office(registry)
    births = [signed_birth(registry, office).number for _ in range(3)]
    draft = drafts.register_death(
        registry,
        actor=office.clerk,
        office=office.code,
        data=death(registry.now().date()),
    )
    died = acts.sign_act(
        registry, actor=office.officer, office=office.code, draft_id=draft
    )
    assert births == [1, 2, 3]
    assert (died.kind, died.number) == ("death", 1)


def test_a_new_year_opens_a_new_register_numbered_from_one(
    registry: Registry, clock: FakeClock
) -> None:
    clock.set(2025, 12, 30)
    office = open_office(registry)
    assert str(signed_birth(registry, office, days_old=1)).endswith("/2025/N/1")
    clock.set(2026, 1, 2)
    assert str(signed_birth(registry, office, days_old=4)).endswith("/2026/N/1")


def test_two_officers_signing_at_the_same_instant_get_distinct_consecutive_numbers(
    registry: Registry,
) -> None:
    office = open_office(registry)
    per_signer = 12
    pending = [
        drafts.register_birth(
            registry,
            actor=office.clerk,
            office=office.code,
            data=birth(registry.now().date()),
        )
        for _ in range(2 * per_signer)
    ]
    barrier = threading.Barrier(2)
    signed: list[ActRef] = []
    failures: list[BaseException] = []

    def sign(actor_drafts: list[str], actor: object) -> None:
        try:
            for draft in actor_drafts:
                barrier.wait(timeout=30)
                signed.append(
                    acts.sign_act(
                        registry,
                        actor=actor,
                        office=office.code,  # type: ignore[arg-type]
                        draft_id=draft,
                    )
                )
        except BaseException as error:  # reported below, in the test's own thread
            failures.append(error)
            barrier.abort()

    threads = [
        threading.Thread(target=sign, args=(pending[:per_signer], office.officer)),
        threading.Thread(target=sign, args=(pending[per_signer:], office.delegate)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    assert sorted(ref.number for ref in signed) == list(range(1, 2 * per_signer + 1))
    with registry.engine.connect() as conn:
        numbers = (
            conn.execute(select(t.acts.c.number).order_by(t.acts.c.number))
            .scalars()
            .all()
        )
        seqs = (
            conn.execute(
                select(t.journal.c.seq)
                .where(t.journal.c.office_code == office.code)
                .order_by(t.journal.c.seq)
            )
            .scalars()
            .all()
        )
    assert numbers == list(range(1, 2 * per_signer + 1))
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_register_cannot_be_closed_before_31_december(
    registry: Registry, clock: FakeClock
) -> None:
    clock.set(2026, 12, 30)
    office = open_office(registry)
    with pytest.raises(Conflict) as refused:
        acts.close_register(
            registry, actor=office.officer, office=office.code, year=2026, kind="birth"
        )
    assert refused.value.rule == "register.close_too_early"


def test_a_closed_register_takes_no_new_act_but_its_acts_take_mentions(
    registry: Registry, clock: FakeClock
) -> None:
    clock.set(2026, 12, 31, hour=8)
    office = open_office(registry)
    ref = signed_birth(registry, office, days_old=2)
    pending = drafts.register_birth(
        registry,
        actor=office.clerk,
        office=office.code,
        data=birth(registry.now().date()),
    )
    clock.set(2026, 12, 31, hour=17)
    last = acts.close_register(
        registry, actor=office.officer, office=office.code, year=2026, kind="birth"
    )
    assert last == 1
    with pytest.raises(Conflict) as refused:
        acts.sign_act(
            registry, actor=office.officer, office=office.code, draft_id=pending
        )
    assert refused.value.rule == "register.closed"
    with pytest.raises(Conflict):
        acts.close_register(
            registry, actor=office.officer, office=office.code, year=2026, kind="birth"
        )
    clock.set(2027, 3, 1)
    acts.add_mention(
        registry,
        actor=office.officer,
        ref=str(ref),
        data=marriage(registry.now().date() - timedelta(days=3)),
    )
    view = queries.get_act(registry, actor=office.officer, ref=str(ref))
    assert [m["kind"] for m in view.mentions] == ["marriage"]
    registers = queries.list_registers(registry, office=office.code)
    assert [
        (r["year"], r["kind"], r["last_number"], r["closed_at"] is not None)
        for r in registers
    ] == [(2026, "birth", 1, True)]
