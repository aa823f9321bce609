"""The audit log is a hash chain with signed checkpoints: any change, deletion or
insertion made directly in the database is detected by ``sijill audit verify``."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select, text

from sijill.domain.offices import SYSTEM
from sijill.services import audit, queries
from sijill.services.context import Registry
from sijill.store import audit as store_audit
from sijill.store import tables as t
from tests.builders import open_office, signed_birth


def _busy_registry(registry: Registry) -> str:
    office = open_office(registry)
    ref = str(signed_birth(registry, office))
    for _ in range(3):
        queries.get_act(registry, actor=office.clerk, ref=ref)
    return ref


def _unguarded(conn: Connection, table: str = "audit_log") -> None:
    """What someone with write access to the database can do: lift the guard."""
    if conn.dialect.name == "postgresql":
        conn.execute(text(f"DROP TRIGGER {table}_append_only ON {table}"))
    else:
        for verb in ("update", "delete"):
            conn.execute(text(f"DROP TRIGGER {table}_no_{verb}"))


def _rules(registry: Registry) -> list[tuple[int | None, str]]:
    report = audit.verify_audit(registry, actor=SYSTEM)
    return [(p.seq, p.rule) for p in report.problems]


def _entries(registry: Registry) -> list[Any]:
    with registry.engine.connect() as conn:
        return list(conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq)))


def test_every_audit_entry_is_chained_to_the_one_before(registry: Registry) -> None:
    _busy_registry(registry)
    entries = _entries(registry)
    assert [e.seq for e in entries] == list(range(1, len(entries) + 1))
    assert all(b.prev_hash == a.entry_hash for a, b in itertools.pairwise(entries))
    report = audit.verify_audit(registry, actor=SYSTEM)
    assert report.ok and report.entries == len(entries)


def test_a_changed_entry_is_detected(registry: Registry) -> None:
    _busy_registry(registry)
    read = next(e for e in _entries(registry) if e.action == "act.read")
    with registry.engine.begin() as conn:
        _unguarded(conn)
        conn.execute(
            text("UPDATE audit_log SET username = 'nobody' WHERE seq = :s"),
            {"s": read.seq},
        )
    assert (read.seq, "audit.changed") in _rules(registry)


def test_a_deleted_entry_is_detected(registry: Registry) -> None:
    _busy_registry(registry)
    read = [e for e in _entries(registry) if e.action == "act.read"][1]
    with registry.engine.begin() as conn:
        _unguarded(conn)
        conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": read.seq})
    rules = _rules(registry)
    assert (read.seq, "audit.missing") in rules
    assert (read.seq + 1, "audit.link") in rules


def test_a_deleted_last_entry_is_detected(registry: Registry) -> None:
    _busy_registry(registry)
    last = _entries(registry)[-1]
    with registry.engine.begin() as conn:
        _unguarded(conn)
        conn.execute(text("DELETE FROM audit_log WHERE seq = :s"), {"s": last.seq})
    assert (last.seq, "audit.head") in _rules(registry)


def test_an_inserted_entry_is_detected(registry: Registry) -> None:
    _busy_registry(registry)
    forged = _entries(registry)[0]._asdict()
    forged.update(audit_id="forged", seq=None, username="someone.else")
    with registry.engine.begin() as conn:
        conn.execute(t.audit_log.insert().values(**forged))
    assert (None, "audit.unchained") in _rules(registry)


def test_an_entry_appended_with_a_correct_hash_is_detected_by_the_head(
    registry: Registry,
) -> None:
    _busy_registry(registry)
    last = store_audit.entry_from_row(_entries(registry)[-1])
    import dataclasses

    forged = dataclasses.replace(
        last, seq=last.seq + 1, prev_hash=last.digest(), audit_id="forged"
    )
    with registry.engine.begin() as conn:
        conn.execute(
            t.audit_log.insert().values(
                **{
                    k: v for k, v in dataclasses.asdict(forged).items() if k != "detail"
                },
                detail=forged.detail,
                entry_hash=forged.digest(),
            )
        )
    assert (last.seq, "audit.head") in _rules(registry)


def test_a_chain_recomputed_after_a_change_breaks_its_signed_checkpoint(
    registry: Registry,
) -> None:
    _busy_registry(registry)
    sealed = audit.checkpoint_audit(registry, actor=SYSTEM)
    assert sealed is not None
    # The forger rewrites an entry and recomputes every hash and the head after it:
    # only the signature, which needs the office key, gives him away.
    with registry.engine.begin() as conn:
        _unguarded(conn)
        rows = list(conn.execute(select(t.audit_log).order_by(t.audit_log.c.seq)))
        prev = store_audit.GENESIS
        for row in rows:
            entry = store_audit.entry_from_row(row)
            if entry.action == "act.sign":
                entry = type(entry)(**{**entry.__dict__, "username": "nobody"})
            entry = type(entry)(**{**entry.__dict__, "prev_hash": prev})
            prev = entry.digest()
            conn.execute(
                text(
                    "UPDATE audit_log SET username = :u, prev_hash = :p, "
                    "entry_hash = :h WHERE seq = :s"
                ),
                {"u": entry.username, "p": entry.prev_hash, "h": prev, "s": entry.seq},
            )
        conn.execute(text("UPDATE audit_head SET last_hash = :h"), {"h": prev})
    assert _rules(registry) == [(sealed, "audit.checkpoint_mismatch")]


def test_a_forged_checkpoint_signature_is_detected(registry: Registry) -> None:
    _busy_registry(registry)
    sealed = audit.checkpoint_audit(registry, actor=SYSTEM)
    with registry.engine.begin() as conn:
        _unguarded(conn, "audit_checkpoints")
        conn.execute(
            text("UPDATE audit_checkpoints SET signature = :s"), {"s": b"\0" * 64}
        )
    assert (sealed, "audit.checkpoint_signature") in _rules(registry)


def test_checkpoints_are_signed_periodically_by_the_office_key(
    registry: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_audit, "CHECKPOINT_EVERY", 4)
    office = open_office(registry)
    _busy_registry_again = signed_birth(registry, office)
    for _ in range(5):
        queries.get_act(registry, actor=office.clerk, ref=str(_busy_registry_again))
    with registry.engine.connect() as conn:
        points = list(conn.execute(select(t.audit_checkpoints)))
    assert len(points) >= 2
    assert {p.signer for p in points} == {office.code}
    assert {p.public_key for p in points} == {
        registry.keys.signer(office.code).public_key_hex
    }
    assert audit.verify_audit(registry, actor=SYSTEM).ok


def test_every_access_records_its_purpose(registry: Registry) -> None:
    ref = _busy_registry(registry)
    reads = [e for e in _entries(registry) if e.target == ref]
    assert {(e.action, e.purpose) for e in reads} == {
        ("act.sign", "registration"),
        ("act.read", "service"),
    }
    assert not any(e.confidential for e in reads)


# --- querying the audit ---------------------------------------------------------


def test_the_ministry_queries_the_audit_by_person_actor_and_time(
    registry: Registry,
) -> None:
    from sijill.domain.offices import Actor

    ref = _busy_registry(registry)
    ministry = Actor("inspector", "ministry", None)
    about = audit.query_audit(registry, actor=ministry, person=ref)
    assert [(r["action"], r["username"]) for r in about] == [
        ("act.sign", "officer.03231010"),
        ("act.read", "clerk.03231010"),
        ("act.read", "clerk.03231010"),
        ("act.read", "clerk.03231010"),
    ]
    civil_id = queries.get_act(registry, actor=ministry, ref=ref).civil_id
    assert civil_id is not None
    by_id = audit.query_audit(registry, actor=ministry, person=civil_id)
    # ... and the ministry's own query and read, which are audited too
    assert [r["action"] for r in by_id][4:] == ["audit.query", "act.read"]
    by_clerk = audit.query_audit(registry, actor=ministry, username="clerk.03231010")
    assert {r["action"] for r in by_clerk} == {"act.read", "draft.create"}
    assert audit.query_audit(registry, actor=ministry, since="2026-11-26") == []
    today = audit.query_audit(registry, actor=ministry, until="2026-11-25")
    assert len(today) > 5
    queried = [e for e in _entries(registry) if e.action == "audit.query"]
    assert queried and all(e.username == "inspector" for e in queried)


def test_a_clerk_may_not_query_the_audit(registry: Registry) -> None:
    from sijill.domain.errors import Forbidden

    office = open_office(registry)
    with pytest.raises(Forbidden):
        audit.query_audit(registry, actor=office.clerk)
    with pytest.raises(Forbidden):
        audit.verify_audit(registry, actor=office.officer)


def test_a_bad_date_names_the_field(registry: Registry) -> None:
    from sijill.domain.errors import InvalidInput
    from sijill.domain.offices import Actor

    with pytest.raises(InvalidInput) as refused:
        audit.query_audit(registry, actor=Actor("m", "ministry"), since="yesterday")
    assert [(v.field, v.rule) for v in refused.value.violations] == [
        ("since", "date.format")
    ]


def test_an_actor_opening_many_acts_outside_their_office_is_reported(
    registry: Registry,
) -> None:
    from datetime import date

    from sijill.domain.offices import Actor

    ref = _busy_registry(registry)
    curious = Actor("curious", "ministry", None)
    for _ in range(4):
        queries.get_act(registry, actor=curious, ref=ref)
    ministry = Actor("inspector", "ministry", None)
    found = audit.unusual_access(
        registry, actor=ministry, day=date(2026, 11, 25), threshold=3
    )
    # The clerk read three acts of his own office: not unusual.
    assert [(u.username, u.acts_outside) for u in found] == [("curious", 4)]
    assert (
        audit.unusual_access(
            registry, actor=ministry, day=date(2026, 11, 24), threshold=3
        )
        == []
    )


def test_entries_written_before_the_chain_are_chained_by_the_migration(
    database_url: str, tmp_path: Any
) -> None:
    """A registry that ran before revision 0007 keeps its audit log, now chained."""
    import sqlalchemy as sa
    from alembic import command

    from sijill.store.engine import make_engine
    from sijill.store.keys import KeyStore
    from sijill.store.schema import alembic_config, upgrade

    engine = make_engine(database_url)
    with engine.begin() as conn:
        config = alembic_config(engine)
        config.attributes["connection"] = conn
        command.downgrade(config, "0010")
    before = sa.table(
        "audit_log",
        *(sa.column(name) for name in _OLD_COLUMNS),
        sa.column("detail", sa.JSON),
    )
    with engine.begin() as conn:
        for i in range(3):
            conn.execute(
                sa.insert(before).values(
                    audit_id=f"old-{i}",
                    at=f"2025-01-0{i + 1}T09:00:00.000000Z",
                    username="clerk.fes",
                    role="clerk",
                    actor_office="03.231.01.0",
                    action="act.read",
                    office_code="03.231.01.0",
                    target=f"03.231.01.0/2024/N/{i + 1}",
                    personal_data=True,
                    outcome="ok",
                    detail={"count": i},
                )
            )
    upgrade(engine)
    reg = Registry(engine=engine, keys=KeyStore(tmp_path / "keys"))
    rows = _entries(reg)
    assert [(r.seq, r.audit_id, r.purpose) for r in rows] == [
        (1, "old-0", "service"),
        (2, "old-1", "service"),
        (3, "old-2", "service"),
    ]
    assert audit.verify_audit(reg, actor=SYSTEM).ok
    with pytest.raises(Exception, match="append-only"), engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_log"))
    engine.dispose()


_OLD_COLUMNS = (
    "audit_id",
    "at",
    "username",
    "role",
    "actor_office",
    "action",
    "office_code",
    "target",
    "personal_data",
    "outcome",
)


def test_a_database_error_does_not_carry_the_personal_data_it_was_given(
    engine: Engine,
) -> None:
    """What fails in the database reaches logs and tracebacks without the values."""
    from sqlalchemy import insert
    from sqlalchemy.exc import IntegrityError

    row = {
        "failure_id": "same",
        "username": "fatima.zahra.bennani",
        "at": "2026-11-25T09:00:00Z",
    }
    with engine.begin() as conn:
        conn.execute(insert(t.login_failures).values(**row))
    with pytest.raises(IntegrityError) as failed, engine.begin() as conn:
        conn.execute(insert(t.login_failures).values(**row))
    assert "fatima" not in str(failed.value)
    assert "login_failures" in str(failed.value)


def test_a_queued_entry_cannot_be_changed_and_is_chained_whole(
    registry: Registry,
) -> None:
    uow, _ = registry.unit_of_work()
    with uow:
        uow.audit(
            SYSTEM,
            "order.place",
            office=None,
            target="CMD-QUEUED-1",
            personal=False,
            detail={"order": "CMD-QUEUED-1"},
            queued=True,
        )
    with pytest.raises(Exception, match="append-only"), registry.engine.begin() as conn:
        conn.execute(text("UPDATE audit_queue SET target = 'CMD-OTHER'"))
    with registry.engine.begin() as conn:
        assert store_audit.chain_queued(conn, registry.keys) == 1
        assert conn.execute(select(t.audit_queue)).all() == []
    (entry,) = [r for r in _entries(registry) if r.action == "order.place"]
    assert (entry.target, entry.detail) == ("CMD-QUEUED-1", {"order": "CMD-QUEUED-1"})
    assert audit.verify_audit(registry, actor=SYSTEM).ok
