"""Checking the journal and rebuilding the current state from it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection, Engine, delete, insert, select, text

from sijill.domain.errors import IntegrityAlarm
from sijill.domain.journal import ChainReport
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import projection
from sijill.store import tables as t
from sijill.store.journal import decode, entries, journal_offices, verify_office


def _trusted_key(reg: Registry, office: str) -> str | None:
    return reg.keys.signer(office).public_key_hex if reg.keys.has(office) else None


def _verify_all(
    reg: Registry, conn: Connection, offices: list[str]
) -> list[ChainReport]:
    return [verify_office(conn, code, _trusted_key(reg, code)) for code in offices]


def _raise_if_broken(reports: list[ChainReport]) -> None:
    for report in reports:
        if not report.ok:
            raise IntegrityAlarm(
                "journal.broken",
                {
                    "office": report.office,
                    "seq": report.broken_at,
                    "reason": report.reason,
                },
            )


def verify_journal(
    reg: Registry, *, actor: Actor, office: str | None = None
) -> list[ChainReport]:
    """Walk every office's chain (or one office's): links, hashes, signatures, head."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "journal.verify", office)
        reports = _verify_all(
            reg, uow.conn, [office] if office else journal_offices(uow.conn)
        )
        uow.audit(
            actor,
            "journal.verify",
            office=office,
            personal=False,
            detail={
                "offices": len(reports),
                "broken": [r.office for r in reports if not r.ok],
            },
        )
    return reports


@dataclass(frozen=True)
class RebuildReport:
    """How many entries each office's replay applied."""

    entries: dict[str, int]


def _replay(source: Connection, target: Connection) -> RebuildReport:
    """Apply every office's entries in order; the chains must have been verified."""
    counts: dict[str, int] = {}
    for office in journal_offices(source):
        counts[office] = 0
        for entry in entries(source, office):
            projection.apply(target, office, decode(entry))
            counts[office] += 1
    return RebuildReport(counts)


def _clear_projections(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.execute(text("TRUNCATE " + ", ".join(t.projections("postgresql"))))
        return
    # SQLite has no TRUNCATE; the append-only triggers are lifted for this one
    # transaction and put back before it commits.
    triggers = conn.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' "
            "AND tbl_name IN ('acts', 'mentions')"
        )
    ).all()
    for name, _sql in triggers:
        conn.execute(text(f"DROP TRIGGER {name}"))
    for table in t.projections("sqlite"):
        conn.execute(delete(t.metadata.tables[table]))
    for _name, sql in triggers:
        conn.execute(text(sql))


def rebuild_state(reg: Registry, *, actor: Actor) -> RebuildReport:
    """Rebuild every current-state table from the verified journal, in one transaction.

    Every chain is checked first; a broken one stops the rebuild before anything is
    touched.
    """
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "journal.rebuild", None)
        _raise_if_broken(_verify_all(reg, uow.conn, journal_offices(uow.conn)))
        _clear_projections(uow.conn)
        result = _replay(uow.conn, uow.conn)
        projection.cursors_to_heads(uow.conn)
        uow.audit(
            actor, "journal.rebuild", office=None, personal=False, detail=result.entries
        )
    return result


def rebuild_into(reg: Registry, target: Engine) -> RebuildReport:
    """Copy ``source``'s journal into the empty, migrated ``target`` and replay it there.

    This is how an office whose disk was lost is rebuilt, and how an auditor checks
    that the tables of a registry are exactly what its journal says.
    """
    with reg.engine.connect() as src, target.begin() as dst:
        if dst.execute(select(t.offices.c.code).limit(1)).first() is not None:
            raise IntegrityAlarm(
                "journal.broken",
                {"office": "-", "seq": 0, "reason": "the target database is not empty"},
            )
        for table in (t.journal, t.journal_heads, t.projection_cursors):
            rows = src.execute(select(table)).mappings()
            while batch := rows.fetchmany(1000):
                dst.execute(insert(table), [dict(r) for r in batch])
        _raise_if_broken(_verify_all(reg, dst, journal_offices(dst)))
        replayed = _replay(dst, dst)
        projection.cursors_to_heads(dst)
        return replayed
