"""Duplicates found in batch, the queue where people decide on them, and quality figures.

A decision is recorded and audited; it never merges or changes an act. When two acts
are the same person, the legal path is a correction or annulment mention ordered by
a court judgment, written on the act by its officer.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, insert, select, update

from sijill.domain.errors import Conflict, InvalidInput, NotFound, Violation
from sijill.domain.offices import Actor
from sijill.search.dedup import PROBABLE, find_duplicates, office_persons
from sijill.search.tables import duplicate_reviews
from sijill.services.authz import STAFF, authorize
from sijill.services.context import Registry
from sijill.services.provinces import province_offices
from sijill.store import tables as t

DECISIONS = ("same", "not_same")
LEGAL_PATH = (
    "same person: ask the court for a judgment ordering a correction or an "
    "annulment mention; nothing is merged"
)


def _scope(actor: Actor, office: str | None) -> str | None:
    return office or (actor.office if actor.role in STAFF else None)


def queue_duplicates(
    reg: Registry,
    *,
    actor: Actor,
    office: str | None = None,
    threshold: float = PROBABLE,
) -> int:
    """Run batch detection over ``office`` (or every office) and queue new pairs."""
    if not 0.0 < threshold <= 1.0:
        raise InvalidInput(
            [Violation("threshold", "search.number_range", {"min": 0, "max": 1})]
        )
    scope = _scope(actor, office)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", scope)
        pairs = find_duplicates(office_persons(uow.conn, scope), threshold=threshold)
        known = {
            (r.left_ref, r.right_ref)
            for r in uow.conn.execute(
                select(duplicate_reviews.c.left_ref, duplicate_reviews.c.right_ref)
            )
        }
        new = [p for p in pairs if tuple(sorted((p.left, p.right))) not in known]
        for pair in new:
            left, right = sorted((pair.left, pair.right))
            uow.conn.execute(
                insert(duplicate_reviews).values(
                    review_id=reg.new_id(),
                    office_code=scope,
                    left_ref=left,
                    right_ref=right,
                    probability=pair.probability,
                    weight=pair.weight,
                    reasons=pair.reasons,
                    status="pending",
                    found_at=uow.now,
                )
            )
        uow.audit(
            actor,
            "duplicates.detect",
            office=scope,
            detail={"threshold": threshold, "pairs": len(pairs), "queued": len(new)},
        )
    return len(new)


def review_queue(
    reg: Registry, *, actor: Actor, office: str | None = None, status: str = "pending"
) -> list[dict[str, Any]]:
    """The queued pairs, each with both acts side by side and the reasons."""
    scope = _scope(actor, office)
    uow, _ = reg.unit_of_work()
    with uow:
        query = select(duplicate_reviews).where(duplicate_reviews.c.status == status)
        if actor.role == "supervisor":  # the pairs found in the offices of the province
            _, codes = province_offices(uow, actor, "duplicates.read", None)
            query = query.where(duplicate_reviews.c.office_code.in_(codes or []))
        if actor.role != "supervisor" or scope is not None:
            authorize(uow, actor, "duplicates.read", scope)
        if scope is not None:
            query = query.where(duplicate_reviews.c.office_code == scope)
        rows = uow.conn.execute(query.order_by(duplicate_reviews.c.weight.desc())).all()
        refs = {r.left_ref for r in rows} | {r.right_ref for r in rows}
        acts = {
            a.ref: a
            for a in uow.conn.execute(select(t.acts).where(t.acts.c.ref.in_(refs)))
        }
        uow.audit(actor, "duplicates.read", office=scope, detail={"count": len(rows)})
    return [
        {
            **r._asdict(),
            "left": _side(acts.get(r.left_ref)),
            "right": _side(acts.get(r.right_ref)),
        }
        for r in rows
    ]


def _side(act: Any) -> dict[str, Any]:
    if act is None:
        return {}
    data = act.data
    return {
        "ref": act.ref,
        "name_ar": f"{act.first_name_ar} {act.family_name_ar}",
        "name_lat": f"{act.first_name_lat} {act.family_name_lat}",
        "sex": act.sex,
        "birth_date": act.event_date.isoformat(),
        "father": (data.get("father") or {}).get("first_name_ar", ""),
        "mother": (data.get("mother") or {}).get("first_name_ar", ""),
        "commune": data.get("birth_commune", ""),
    }


def decide(
    reg: Registry,
    *,
    actor: Actor,
    review_id: str,
    decision: str,
    note: str | None = None,
) -> str:
    """Record whether a queued pair is the same person; returns what follows from it."""
    if decision not in DECISIONS:
        raise InvalidInput(
            [Violation("decision", "choice", {"choices": ", ".join(DECISIONS)})]
        )
    uow, _ = reg.unit_of_work()
    with uow:
        row = uow.conn.execute(
            select(duplicate_reviews).where(duplicate_reviews.c.review_id == review_id)
        ).first()
        if row is None:
            raise NotFound("duplicates.unknown_review", {"id": review_id})
        # At an office its officer decides; across offices, the ministry.
        action = "mention.add" if row.office_code else "journal.verify"
        authorize(uow, actor, action, row.office_code, target=review_id)
        if row.status != "pending":
            raise Conflict(
                "duplicates.decided", {"id": review_id, "status": row.status}
            )
        uow.conn.execute(
            update(duplicate_reviews)
            .where(duplicate_reviews.c.review_id == review_id)
            .values(
                status=decision,
                decided_by=actor.username,
                decided_at=uow.now,
                note=(note or "")[:500] or None,
            )
        )
        uow.audit(
            actor,
            "duplicates.decide",
            office=row.office_code,
            target=review_id,
            detail={"decision": decision, "pair": [row.left_ref, row.right_ref]},
        )
    return LEGAL_PATH if decision == "same" else "not the same person: recorded"


def quality_figures(
    reg: Registry, *, actor: Actor, office: str | None = None
) -> list[dict[str, Any]]:
    """Per office: births, completeness, timeliness, suspected and confirmed duplicates."""
    scope = _scope(actor, office)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", scope)
        query = select(
            t.acts.c.office_code, t.acts.c.event_date, t.acts.c.signed_at, t.acts.c.data
        ).where(t.acts.c.kind == "birth")
        if scope is not None:
            query = query.where(t.acts.c.office_code == scope)
        figures: dict[str, dict[str, Any]] = {}
        for row in uow.conn.execute(query):
            _count(figures.setdefault(row.office_code, _blank(row.office_code)), row)
        reviews = select(
            duplicate_reviews.c.office_code, duplicate_reviews.c.status, func.count()
        ).group_by(duplicate_reviews.c.office_code, duplicate_reviews.c.status)
        for code, status, count in uow.conn.execute(reviews):
            if code in figures:
                key = (
                    "confirmed_duplicates"
                    if status == "same"
                    else "suspected_duplicates"
                )
                figures[code][key] += count if status != "not_same" else 0
        uow.audit(actor, "quality.read", office=scope, personal=False)
    return [_shares(f) for _, f in sorted(figures.items())]


_COMPLETENESS = ("father", "birth_time", "first_name_lat", "first_name_tfng")


def _blank(office: str) -> dict[str, Any]:
    return {
        "office": office,
        "births": 0,
        "on_time": 0,
        "suspected_duplicates": 0,
        "confirmed_duplicates": 0,
        **{f"with_{f}": 0 for f in _COMPLETENESS},
    }


def _count(figure: dict[str, Any], row: Any) -> None:
    data = row.data
    figure["births"] += 1
    signed = date.fromisoformat(row.signed_at[:10])
    figure["on_time"] += (signed - row.event_date).days <= 30
    figure["with_father"] += bool(data.get("father"))
    figure["with_birth_time"] += bool(data.get("birth_time"))
    child = data.get("child") or {}
    figure["with_first_name_lat"] += bool(child.get("first_name_lat"))
    figure["with_first_name_tfng"] += bool(child.get("first_name_tfng"))


def _shares(figure: dict[str, Any]) -> dict[str, Any]:
    births = max(figure["births"], 1)
    out = dict(figure)
    out["timeliness"] = round(figure["on_time"] / births, 4)
    for f in _COMPLETENESS:
        out[f"completeness_{f}"] = round(figure[f"with_{f}"] / births, 4)
    return out
