"""The journal: append-only, hash-chained, signed; the tables are rebuilt from it."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select, text, update

from sijill.domain.errors import IntegrityAlarm
from sijill.domain.offices import SYSTEM, Actor
from sijill.search.index import indexed_tokens
from sijill.services import acts, drafts, journal
from sijill.services.context import Registry
from sijill.store import tables as t
from sijill.store.engine import make_engine
from sijill.store.schema import upgrade
from tests.builders import RABAT, birth, marriage, open_office, signed_birth


def _populate(reg: Registry) -> None:
    fes, rabat = open_office(reg), open_office(reg, RABAT)
    for office in (fes, rabat):
        for _ in range(3):
            ref = signed_birth(reg, office)
        acts.add_mention(
            reg, actor=office.officer, ref=str(ref), data=marriage(reg.now().date())
        )
        cancelled = drafts.register_birth(
            reg, actor=office.clerk, office=office.code, data=birth(reg.now().date())
        )
        drafts.cancel_draft(
            reg,
            actor=office.clerk,
            office=office.code,
            draft_id=cancelled,
            reason="doublon",
        )
    drafts.submit_predeclaration(
        reg,
        actor=Actor("chu", "hospital"),
        office=fes.code,
        kind="birth",
        sender_kind="hospital",
        sender_name="CHU Fès",
        sender_ref="R-1",
        data={"sex": "F"},
    )


def _snapshot(engine: Engine) -> dict[str, list[tuple[Any, ...]]]:
    # The name index has a shape of its own on each database: compared by its tokens.
    with engine.connect() as conn:
        tables = {
            name: sorted(
                (
                    tuple(str(v) for v in row)
                    for row in conn.execute(select(t.metadata.tables[name]))
                ),
                key=repr,
            )
            for name in t.PROJECTIONS
            if name != t.NAME_INDEX
        }
        tokens = indexed_tokens(conn)
    tables[t.NAME_INDEX] = sorted((a, tuple(sorted(v))) for a, v in tokens.items())
    return tables


def _tamper(engine: Engine, office: str, seq: int, **values: Any) -> None:
    """Change a journal row behind the registry's back, as an intruder with SQL would."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("ALTER TABLE journal DISABLE TRIGGER journal_append_only")
            )
        else:
            conn.execute(text("DROP TRIGGER journal_no_update"))
        conn.execute(
            update(t.journal)
            .where(t.journal.c.office_code == office, t.journal.c.seq == seq)
            .values(**values)
        )


def test_every_change_writes_one_journal_entry_in_its_own_transaction(
    registry: Registry,
) -> None:
    office = open_office(registry)  # opened + 3 staff appointed
    signed_birth(registry, office)  # drafted + signed
    with registry.engine.connect() as conn:
        types = (
            conn.execute(
                select(t.journal.c.event_type)
                .where(t.journal.c.office_code == office.code)
                .order_by(t.journal.c.seq)
            )
            .scalars()
            .all()
        )
    assert types == [
        "OfficeOpened",
        "StaffAppointed",
        "StaffAppointed",
        "StaffAppointed",
        "DraftCreated",
        "ActSigned",
    ]


def test_an_intact_journal_verifies(registry: Registry) -> None:
    _populate(registry)
    reports = journal.verify_journal(registry, actor=SYSTEM)
    assert [r.ok for r in reports] == [True, True]
    assert all(r.entries > 8 for r in reports)


def test_changing_one_byte_of_a_payload_is_detected_at_that_entry(
    registry: Registry,
) -> None:
    _populate(registry)
    office = "03.231.01.0"
    with registry.engine.connect() as conn:
        payload = bytes(
            conn.execute(
                select(t.journal.c.payload).where(
                    t.journal.c.office_code == office, t.journal.c.seq == 6
                )
            ).scalar_one()
        )
    altered = payload.replace("يوسف".encode(), "يونس".encode(), 1)
    assert altered != payload
    _tamper(registry.engine, office, 6, payload=altered)
    reports = {r.office: r for r in journal.verify_journal(registry, actor=SYSTEM)}
    assert reports[office].broken_at == 6
    assert "altered" in (reports[office].reason or "")
    assert reports[RABAT].ok


def test_a_forged_signature_is_detected(registry: Registry) -> None:
    _populate(registry)
    _tamper(registry.engine, RABAT, 3, signature=b"\x00" * 64)
    report = journal.verify_journal(registry, actor=SYSTEM, office=RABAT)[0]
    assert (report.broken_at, report.reason) == (3, report.reason)
    assert "signature" in (report.reason or "")


def test_a_removed_entry_is_detected(registry: Registry) -> None:
    _populate(registry)
    with registry.engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("ALTER TABLE journal DISABLE TRIGGER journal_append_only")
            )
        else:
            conn.execute(text("DROP TRIGGER journal_no_delete"))
        last = conn.execute(
            select(t.journal_heads.c.last_seq).where(
                t.journal_heads.c.office_code == RABAT
            )
        ).scalar_one()
        conn.execute(
            t.journal.delete().where(
                t.journal.c.office_code == RABAT, t.journal.c.seq == last
            )
        )
    report = journal.verify_journal(registry, actor=SYSTEM, office=RABAT)[0]
    assert report.broken_at == last
    assert "removed" in (report.reason or "")


def test_the_tables_rebuilt_from_the_journal_are_identical(registry: Registry) -> None:
    _populate(registry)
    before = _snapshot(registry.engine)
    report = journal.rebuild_state(registry, actor=SYSTEM)
    assert sum(report.entries.values()) > 20
    assert _snapshot(registry.engine) == before


def test_a_lost_office_is_rebuilt_into_an_empty_database(
    registry: Registry, tmp_path: Path
) -> None:
    _populate(registry)
    target = make_engine(f"sqlite:///{tmp_path / 'rebuilt.db'}")
    upgrade(target)
    journal.rebuild_into(registry, target)
    assert _snapshot(target) == _snapshot(registry.engine)
    target.dispose()


def test_a_broken_journal_stops_the_rebuild_before_anything_changes(
    registry: Registry,
) -> None:
    _populate(registry)
    before = _snapshot(registry.engine)
    _tamper(registry.engine, "03.231.01.0", 2, prev_hash="f" * 64)
    with pytest.raises(IntegrityAlarm) as alarm:
        journal.rebuild_state(registry, actor=SYSTEM)
    assert alarm.value.params["seq"] == 2
    assert _snapshot(registry.engine) == before


def test_a_key_that_is_not_the_offices_own_is_detected(
    registry: Registry, tmp_path: Path
) -> None:
    office = open_office(registry)
    signed_birth(registry, office)
    other = Registry(
        engine=registry.engine,
        keys=type(registry.keys)(tmp_path / "other-keys"),
        clock=registry.clock,
    )
    other.keys.create(office.code)
    report = journal.verify_journal(other, actor=SYSTEM, office=office.code)[0]
    assert report.broken_at == 1 and "not the office's key" in (report.reason or "")


@pytest.mark.parametrize("table", ["acts", "mentions", "journal", "audit_log"])
def test_the_database_refuses_to_update_or_delete_append_only_rows(
    registry: Registry, table: str
) -> None:
    office = open_office(registry)
    ref = signed_birth(registry, office)
    acts.add_mention(
        registry,
        actor=office.officer,
        ref=str(ref),
        data=marriage(registry.now().date() - timedelta(days=1)),
    )
    for statement in (
        f"UPDATE {table} SET office_code = office_code",
        f"DELETE FROM {table}",
    ):
        if table == "audit_log":
            statement = statement.replace("office_code = office_code", "role = role")
        with (
            pytest.raises(Exception, match="append-only"),
            registry.engine.begin() as conn,
        ):
            conn.execute(text(statement))
