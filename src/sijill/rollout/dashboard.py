"""Where the roll-out stands, for the ministry: one use case read by CLI, page and API.

Per province, the offices of the official list and how many are in service; per office
onboarded, its last contact with the centre, its sync backlog, the share of its legacy
registers digitized, and the notices and document orders overdue.
Everything is counted in the database, so it costs the same for six offices and 2,172.
"""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import Any

from sqlalchemy import Connection, func, select, text

from sijill.domain.offices import Actor
from sijill.domain.orders import SERVICE_TARGET_DAYS, TERMINAL
from sijill.orders.tables import orders
from sijill.services.authz import authorize
from sijill.services.context import Registry, stamp
from sijill.store import geography
from sijill.store import tables as t
from sijill.sync.centre import NOTICE_STATE, NOTICES_JOINED

OVERDUE_DAYS = 30


def rollout_status(
    reg: Registry,
    *,
    actor: Actor,
    province: str | None = None,
    overdue_days: int = OVERDUE_DAYS,
) -> dict[str, Any]:
    """The roll-out per province and per office (authorized, audited)."""
    uow, now = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "rollout.status", None)
        uow.audit(
            actor,
            "rollout.status",
            office=None,
            personal=False,
            detail={"province": province},
        )
    limit = stamp(now - timedelta(days=overdue_days))
    with reg.engine.connect() as conn:
        rows = [r._asdict() for r in conn.execute(select(t.onboardings))]
        links = _links(conn)
        overdue = _notices_overdue(conn, limit)
        digitized = _digitized_registers(conn)
        orders = orders_overdue(conn, stamp(now - timedelta(days=SERVICE_TARGET_DAYS)))
    if province is not None:
        rows = [r for r in rows if r["province_code"] == province]
    offices = [
        _office_line(r, links, overdue, digitized, orders)
        for r in sorted(rows, key=lambda r: r["office_code"])
    ]
    provinces = _provinces(rows, province)
    return {
        "provinces": provinces,
        "offices": offices,
        "totals": {
            "official": sum(p["offices"] for p in provinces),
            "onboarded": sum(o["state"] == "in service" for o in offices),
            "in_progress": sum(o["state"] == "onboarding" for o in offices),
            "closed": sum(o["state"] == "closed" for o in offices),
        },
    }


def orders_overdue(conn: Connection, limit: str) -> dict[str, int]:
    """Orders for documents still open past the service target, per holding office."""
    found = conn.execute(
        select(orders.c.office_code, func.count())
        .where(
            orders.c.status.not_in(sorted(TERMINAL)),
            orders.c.created_at < limit,
            orders.c.office_code.is_not(None),
        )
        .group_by(orders.c.office_code)
    ).all()
    return {str(office): int(count) for office, count in found}


def _links(conn: Connection) -> dict[str, dict[str, Any]]:
    found = conn.execute(
        text(
            "SELECT s.office_code AS office, s.last_contact, "
            "COALESCE(s.reported_head, 0) AS reported, COALESCE(h.last_seq, 0) AS held "
            "FROM sync_status s "
            "LEFT JOIN journal_heads h ON h.office_code = s.office_code"
        )
    ).mappings()
    return {r["office"]: dict(r) for r in found}


def _notices_overdue(conn: Connection, limit: str) -> dict[str, int]:
    found = conn.execute(
        text(
            f"SELECT n.target_office, COUNT(*) {NOTICES_JOINED} "
            f"WHERE {NOTICE_STATE} IN ('issued', 'delivered') AND n.issued_at < :limit "
            "GROUP BY n.target_office"
        ),
        {"limit": limit},
    ).all()
    return {str(office): int(count) for office, count in found}


def _digitized_registers(conn: Connection) -> dict[str, int]:
    """Per office, the yearly registers of which digitized acts are loaded."""
    found = conn.execute(
        text(
            "SELECT d.office_code, COUNT(*) FROM (SELECT DISTINCT office_code, year, "
            "kind FROM acts WHERE status = 'digitized') d GROUP BY d.office_code"
        )
    ).all()
    return {str(office): int(count) for office, count in found}


def _office_line(
    row: dict[str, Any],
    links: dict[str, dict[str, Any]],
    overdue: dict[str, int],
    digitized: dict[str, int],
    orders: dict[str, int],
) -> dict[str, Any]:
    code = row["office_code"]
    link = links.get(code, {})
    # Two paper registers a year (births, deaths) from the first year kept.
    legacy = 2 * max(0, int(row["started_at"][:4]) - int(row["legacy_from"]))
    done = min(digitized.get(code, 0), legacy)
    if row["closed_at"]:
        state = "closed"
    elif row["completed_at"]:
        state = "in service"
    else:
        state = "onboarding"
    place = geography.lookup(code)
    return {
        "office": code,
        "name_ar": place.name_ar if place else code,
        "name_fr": place.name_fr if place else code,
        "province": row["province_code"],
        "state": state,
        "merged_into": row["merged_into"],
        "onboarded_at": row["completed_at"],
        "last_step": row["last_step"],
        "last_contact": link.get("last_contact"),
        "backlog": max(0, int(link.get("reported") or 0) - int(link.get("held") or 0)),
        "digitized_registers": done,
        "legacy_registers": legacy,
        "digitized_share": done / legacy if legacy else 0.0,
        "notices_overdue": overdue.get(code, 0),
        "orders_overdue": orders.get(code, 0),
    }


def _provinces(rows: list[dict[str, Any]], only: str | None) -> list[dict[str, Any]]:
    official = Counter(c.province_code for c in geography.communes())
    onboarded = Counter(
        r["province_code"] for r in rows if r["completed_at"] and not r["closed_at"]
    )
    started = Counter(r["province_code"] for r in rows if not r["completed_at"])
    names = geography.provinces()
    return [
        {
            "code": code,
            "name_ar": names[code].name_ar if code in names else code,
            "name_fr": names[code].name_fr if code in names else code,
            "offices": official[code],
            "onboarded": onboarded[code],
            "in_progress": started[code],
        }
        for code in sorted(official)
        if only is None or code == only
    ]
