"""Any change to any field of any audit entry, any deletion or reordering, is detected."""

from __future__ import annotations

import dataclasses

from hypothesis import given
from hypothesis import strategies as st

from sijill.domain.audit import GENESIS, AuditEntry, walk_audit


def _chain(n: int) -> list[AuditEntry]:
    entries, prev = [], GENESIS
    for seq in range(1, n + 1):
        entry = AuditEntry(
            seq=seq,
            prev_hash=prev,
            audit_id=f"id-{seq}",
            at=f"2026-11-25T09:00:{seq:02d}.000000Z",
            username="clerk.fes",
            role="clerk",
            actor_office="03.231.01.0",
            action="act.read",
            office_code="03.231.01.0",
            target=f"03.231.01.0/2026/N/{seq}",
            personal_data=True,
            outcome="ok",
            purpose="service",
            confidential=False,
            detail={"count": seq},
        )
        entries.append(entry)
        prev = entry.digest()
    return entries


def _walk(entries: list[AuditEntry], hashes: dict[int, str], head: tuple[int, str]):  # type: ignore[no-untyped-def]
    return walk_audit(entries, hashes, [], [], head)


CHANGES = {
    "username": "someone.else",
    "role": "ministry",
    "actor_office": None,
    "action": "act.sign",
    "office_code": "04.421.01.0",
    "target": "04.421.01.0/2026/N/9",
    "personal_data": False,
    "outcome": "denied",
    "purpose": "investigation",
    "confidential": True,
    "at": "2020-01-01T00:00:00.000000Z",
    "detail": {"count": -1},
}


def test_an_untouched_chain_holds() -> None:
    entries = _chain(5)
    hashes = {e.seq: e.digest() for e in entries}
    assert _walk(entries, hashes, (5, hashes[5])).ok


@given(
    n=st.integers(1, 8),
    data=st.data(),
    field=st.sampled_from(sorted(CHANGES)),
)
def test_changing_any_field_of_any_entry_is_detected(
    n: int, data: st.DataObject, field: str
) -> None:
    entries = _chain(n)
    hashes = {e.seq: e.digest() for e in entries}
    i = data.draw(st.integers(0, n - 1))
    entries[i] = dataclasses.replace(entries[i], **{field: CHANGES[field]})
    report = _walk(entries, hashes, (n, hashes[n]))
    assert (entries[i].seq, "audit.changed") in [
        (p.seq, p.rule) for p in report.problems
    ]


@given(n=st.integers(2, 8), data=st.data())
def test_deleting_any_entry_is_detected(n: int, data: st.DataObject) -> None:
    entries = _chain(n)
    hashes = {e.seq: e.digest() for e in entries}
    i = data.draw(st.integers(0, n - 1))
    gone = entries.pop(i)
    del hashes[gone.seq]
    assert not _walk(entries, hashes, (n, _chain(n)[-1].digest())).ok
