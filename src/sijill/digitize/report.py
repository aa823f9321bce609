"""What a batch went through, and the quality figures of offices and keyers."""

from __future__ import annotations

from collections import Counter
from typing import Any

from sqlalchemy import Connection, func, select

from sijill.digitize.batches import load_batch
from sijill.digitize.quality import inspection_state
from sijill.digitize.tables import (
    batch_acts,
    batch_files,
    batches,
    disagreements,
    keyings,
    legacy_acts,
    samples,
    verdicts,
)
from sijill.domain.keying import FIELDS, normalize
from sijill.domain.offices import Actor
from sijill.services.authz import authorize
from sijill.services.context import Registry


def _keyer_figures(conn: Connection, batch_id: str) -> dict[str, dict[str, int]]:
    """Per keyer: acts keyed, disagreements taken part in, fields found wrong."""
    figures: dict[str, dict[str, int]] = {}
    for keyer, count in conn.execute(
        select(keyings.c.keyer, func.count())
        .where(keyings.c.batch_id == batch_id)
        .group_by(keyings.c.keyer)
    ):
        figures[keyer] = {"acts": int(count), "disagreements": 0, "errors": 0}
    for d in conn.execute(
        select(disagreements).where(disagreements.c.batch_id == batch_id)
    ):
        for keyer, value in (
            (d.first_keyer, d.first_value),
            (d.second_keyer, d.second_value),
        ):
            mine = figures.setdefault(
                keyer, {"acts": 0, "disagreements": 0, "errors": 0}
            )
            if d.first_value != d.second_value:
                mine["disagreements"] += 1
            if d.decided_by is not None and normalize(value) != (d.decided_value or ""):
                mine["errors"] += 1
    return figures


def batch_report(reg: Registry, *, actor: Actor, batch_id: str) -> dict[str, Any]:
    """Counts, disagreements per field and keyer, adjudications, failures, verdicts."""
    uow, _ = reg.unit_of_work()
    with uow:
        conn = uow.conn
        batch = load_batch(conn, batch_id)
        authorize(uow, actor, "digitize.report", batch.office_code, target=batch_id)
        acts = int(
            conn.execute(
                select(func.count()).where(batch_acts.c.batch_id == batch_id)
            ).scalar_one()
        )
        per_field: Counter[str] = Counter()
        adjudicated: Counter[str] = Counter()
        waiting = 0
        for field, decided_by, first, second in conn.execute(
            select(
                disagreements.c.field,
                disagreements.c.decided_by,
                disagreements.c.first_value,
                disagreements.c.second_value,
            ).where(disagreements.c.batch_id == batch_id)
        ):
            if first != second:
                per_field[field] += 1
            if decided_by is None:
                waiting += 1
            else:
                adjudicated[decided_by] += 1
        failures: Counter[str] = Counter()
        failing: list[dict[str, Any]] = []
        for page, line, found in conn.execute(
            select(batch_acts.c.page, batch_acts.c.line, batch_acts.c.failures).where(
                batch_acts.c.batch_id == batch_id
            )
        ):
            for f in found or []:
                failures[f"{f['field']}: {f['rule']}"] += 1
                if len(failing) < 50:
                    failing.append({"page": page, "line": line, **f})
        files = [
            {
                "file": f.name,
                "encoding": f.encoding,
                "rows": f.rows,
                "skipped": len(f.skipped),
                "round": f.round,
            }
            for f in conn.execute(
                select(batch_files).where(batch_files.c.batch_id == batch_id)
            )
        ]
        rounds = [
            _verdict(conn, v)
            for v in conn.execute(
                select(verdicts)
                .where(verdicts.c.batch_id == batch_id)
                .order_by(verdicts.c.round)
            )
        ]
        loaded = int(
            conn.execute(
                select(func.count()).where(legacy_acts.c.batch_id == batch_id)
            ).scalar_one()
        )
        state = inspection_state(conn, batch.office_code, batch.team)
        per_keyer = _keyer_figures(conn, batch_id)
        uow.audit(
            actor,
            "digitize.report",
            office=batch.office_code,
            target=batch_id,
            personal=False,
        )
    return {
        "batch": batch_id,
        "office": batch.office_code,
        "kind": batch.kind,
        "year": batch.year,
        "pages": [batch.first_page, batch.last_page],
        "team": batch.team,
        "status": batch.status,
        "round": batch.round,
        "files": files,
        "acts": acts,
        "disagreements": {
            "total": sum(per_field.values()),
            "open": waiting,
            "per_field": {
                f: {"count": per_field[f], "rate": _rate(per_field[f], acts)}
                for f in FIELDS[batch.kind]
                if per_field[f]
            },
        },
        "keyers": per_keyer,
        "adjudications": dict(adjudicated),
        "validation_failures": {"per_rule": dict(failures), "first": failing},
        "sampling": rounds,
        "inspection": {
            "severity": state.severity,
            "score": state.score,
            "discontinued": state.discontinued,
        },
        "loaded": loaded,
    }


def _rate(count: int, total: int) -> float:
    return round(count / total, 6) if total else 0.0


def _verdict(conn: Connection, v: Any) -> dict[str, Any]:
    found: Counter[str] = Counter()
    reviewed = 0
    for (errors,) in conn.execute(
        select(samples.c.errors).where(
            samples.c.batch_id == v.batch_id, samples.c.round == v.round
        )
    ):
        if errors is not None:
            reviewed += 1
            found.update(errors)
    return {
        "round": v.round,
        "plan": {
            "severity": v.severity,
            "letter": v.letter,
            "lot_size": v.lot_size,
            "sample_size": v.sample_size,
            "accept": v.accept,
            "reject": v.accept + 1,
            "aql": v.aql,
        },
        "reviewed": reviewed,
        "nonconforming": v.nonconforming,
        "verdict": v.verdict,
        "accuracy_per_field": {
            f: round(1 - found[f] / reviewed, 6) for f in sorted(found)
        }
        if reviewed
        else {},
    }


def quality_figures(
    reg: Registry, *, actor: Actor, office: str | None = None
) -> dict[str, Any]:
    """Per office and per keyer: acts keyed and loaded, disagreements, errors, lots."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "digitize.quality", office)
        query = select(batches)
        if office is not None:
            query = query.where(batches.c.office_code == office)
        offices: dict[str, dict[str, Any]] = {}
        keyers: dict[str, dict[str, Any]] = {}
        for batch in uow.conn.execute(query):
            mine = offices.setdefault(
                batch.office_code,
                {
                    "batches": 0,
                    "acts": 0,
                    "loaded": 0,
                    "disagreements": 0,
                    "accepted": 0,
                    "rejected": 0,
                },
            )
            mine["batches"] += 1
            mine["acts"] += batch.acts
            mine["loaded"] += batch.acts if batch.status == "loaded" else 0
            for v in uow.conn.execute(
                select(verdicts.c.verdict).where(verdicts.c.batch_id == batch.batch_id)
            ):
                if v.verdict in ("accepted", "rejected"):
                    mine[v.verdict] += 1
            for keyer, figures in _keyer_figures(uow.conn, batch.batch_id).items():
                total = keyers.setdefault(
                    keyer, {"acts": 0, "disagreements": 0, "errors": 0}
                )
                for k, n in figures.items():
                    total[k] += n
                mine["disagreements"] += figures["disagreements"]
        uow.audit(actor, "digitize.quality", office=office, personal=False)
    for per_office in offices.values():
        # each disagreement is counted once for each of its two keyers
        per_office["disagreements"] //= 2
        per_office["disagreement_rate"] = _rate(
            per_office["disagreements"], per_office["acts"]
        )
    for per_keyer in keyers.values():
        per_keyer["error_rate"] = _rate(per_keyer["errors"], per_keyer["acts"])
    return {"offices": offices, "keyers": keyers}
