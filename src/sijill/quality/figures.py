"""Data-quality figures, grouped by office, province, digitization batch or keyer.

For each group: the signed acts and how complete and timely they are, the suspected
and confirmed duplicates among them, and for digitized registers what the keying
went through — acts keyed, validation failures by rule, double-keying
disagreements per field and their rate. One pass over each table; nothing is
written but the audit entry.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, select

from sijill.digitize.tables import batch_acts, batches, disagreements, legacy_acts
from sijill.digitize.tables import keyings as keyed
from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.offices import Actor
from sijill.search.tables import duplicate_reviews
from sijill.services.authz import authorize
from sijill.services.context import Registry
from sijill.store import tables as t

GROUPS = ("office", "province", "batch", "keyer")
COMPLETENESS = ("father", "birth_time", "first_name_lat", "first_name_tfng")
ON_TIME_DAYS = 30  # a birth declared within 30 days needs no judgment


@dataclass
class Figures:
    """What is counted for one group; ``as_dict`` gives the shares."""

    group: str
    acts: int = 0
    births: int = 0
    registered_live: int = 0
    on_time: int = 0
    present: Counter[str] = field(default_factory=Counter)
    suspected_duplicates: int = 0
    confirmed_duplicates: int = 0
    keyed: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    disagreements: Counter[str] = field(default_factory=Counter)

    def as_dict(self) -> dict[str, Any]:
        births, keyed_acts = max(self.births, 1), max(self.keyed, 1)
        return {
            "group": self.group,
            "acts": self.acts,
            "births": self.births,
            "timeliness": _share(self.on_time, self.registered_live),
            **{
                f"completeness_{f}": _share(self.present[f], births)
                for f in COMPLETENESS
            },
            "suspected_duplicates": self.suspected_duplicates,
            "confirmed_duplicates": self.confirmed_duplicates,
            "keyed": self.keyed,
            "validation_failures": dict(sorted(self.failures.items())),
            "disagreements": dict(sorted(self.disagreements.items())),
            "disagreement_rate": {
                f: round(n / keyed_acts, 6)
                for f, n in sorted(self.disagreements.items())
            },
        }


def _share(count: int, total: int) -> float | None:
    return round(count / total, 4) if total else None


def quality_report(
    reg: Registry, *, actor: Actor, by: str = "office", office: str | None = None
) -> list[dict[str, Any]]:
    """Data-quality figures per office, province, digitization batch or keyer."""
    if by not in GROUPS:
        raise InvalidInput([Violation("by", "choice", {"choices": ", ".join(GROUPS)})])
    scope = office or actor.office
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "quality.read", scope)
        figures = Tally(uow.conn, by, scope).figures()
        uow.audit(
            actor, "quality.read", office=scope, personal=False, detail={"by": by}
        )
    return [f.as_dict() for _, f in sorted(figures.items())]


class Tally:
    """One pass over acts, duplicates and the digitization workspace of a scope: one
    office, several (``within``: a province's), or every office."""

    def __init__(
        self,
        conn: Connection,
        by: str,
        scope: str | None,
        within: Collection[str] | None = None,
    ) -> None:
        self.conn, self.by = conn, by
        self.within = set(within) if within is not None else None
        if scope is not None:
            self.within = {scope}
        self.found: dict[str, Figures] = {}
        self.provinces = {
            o.code: o.province_code or "-"
            for o in conn.execute(select(t.offices.c.code, t.offices.c.province_code))
        }
        self.batch_offices = {
            b.batch_id: b.office_code
            for b in conn.execute(select(batches.c.batch_id, batches.c.office_code))
            if self.within is None or b.office_code in self.within
        }

    def figures(self) -> dict[str, Figures]:
        groups_of_ref = self._acts()
        self._duplicates(groups_of_ref)
        self._keying()
        return self.found

    def _get(self, group: str) -> Figures:
        return self.found.setdefault(group, Figures(group))

    def _groups(
        self, office: str, batch: str | None, keyers: Iterable[str]
    ) -> list[str]:
        if self.by == "office":
            return [office]
        if self.by == "province":
            return [self.provinces.get(office, "-")]
        if self.by == "batch":
            return [batch] if batch else []
        return sorted(set(keyers))

    def _acts(self) -> dict[str, list[str]]:
        a = t.acts.c
        query = select(
            a.office_code, a.ref, a.kind, a.event_date, a.signed_at, a.data,
            legacy_acts.c.batch_id, legacy_acts.c.keyers,
        ).outerjoin(
            legacy_acts,
            (legacy_acts.c.office_code == a.office_code)
            & (legacy_acts.c.act_id == a.act_id),
        )  # fmt: skip
        if self.within is not None:
            query = query.where(a.office_code.in_(sorted(self.within)))
        groups_of_ref: dict[str, list[str]] = {}
        for row in self.conn.execute(query):
            groups = self._groups(row.office_code, row.batch_id, row.keyers or [])
            groups_of_ref[row.ref] = groups
            for group in groups:
                _count_act(self._get(group), row)
        return groups_of_ref

    def _duplicates(self, groups_of_ref: dict[str, list[str]]) -> None:
        r = duplicate_reviews.c
        query = select(r.left_ref, r.right_ref, r.status).where(r.status != "not_same")
        for left, right, status in self.conn.execute(query):
            groups = set(groups_of_ref.get(left, [])) | set(
                groups_of_ref.get(right, [])
            )
            for group in groups:
                figure = self._get(group)
                if status == "same":
                    figure.confirmed_duplicates += 1
                else:
                    figure.suspected_duplicates += 1

    def _keying(self) -> None:
        if self.by == "keyer":
            self._keying_per_keyer()
            return
        for batch, failures in self.conn.execute(
            select(batch_acts.c.batch_id, batch_acts.c.failures)
        ):
            for group in self._batch_groups(batch):
                figure = self._get(group)
                figure.keyed += 1
                figure.failures.update(_rules(failures))
        for batch, name in self._differing():
            for group in self._batch_groups(batch):
                self._get(group).disagreements[name] += 1

    def _keying_per_keyer(self) -> None:
        for batch, keyer in self.conn.execute(select(keyed.c.batch_id, keyed.c.keyer)):
            if batch in self.batch_offices:
                self._get(keyer).keyed += 1
        for batch, keyers, failures in self.conn.execute(
            select(batch_acts.c.batch_id, batch_acts.c.keyers, batch_acts.c.failures)
        ):
            if batch in self.batch_offices:
                for keyer in set(keyers or []):
                    self._get(keyer).failures.update(_rules(failures))
        d = disagreements.c
        query = select(d.batch_id, d.field, d.first_keyer, d.second_keyer).where(
            d.first_value != d.second_value
        )
        for batch, name, first, second in self.conn.execute(query):
            if batch in self.batch_offices:
                for keyer in {first, second}:
                    self._get(keyer).disagreements[name] += 1

    def _batch_groups(self, batch: str) -> list[str]:
        office = self.batch_offices.get(batch)
        if office is None:
            return []
        return self._groups(office, batch, [])

    def _differing(self) -> Iterable[tuple[str, str]]:
        d = disagreements.c
        query = select(d.batch_id, d.field).where(d.first_value != d.second_value)
        return ((b, f) for b, f in self.conn.execute(query))


def _rules(failures: Any) -> list[str]:
    return [f"{f['field']}: {f['rule']}" for f in failures or []]


def _count_act(figure: Figures, row: Any) -> None:
    figure.acts += 1
    if row.batch_id is None:  # a legacy act was not registered late by its office
        figure.registered_live += 1
        signed = date.fromisoformat(str(row.signed_at)[:10])
        figure.on_time += (signed - row.event_date).days <= ON_TIME_DAYS
    if row.kind != "birth":
        return
    data = row.data
    child = data.get("child") or {}
    figure.births += 1
    figure.present["father"] += bool(data.get("father"))
    figure.present["birth_time"] += bool(data.get("birth_time"))
    figure.present["first_name_lat"] += bool(child.get("first_name_lat"))
    figure.present["first_name_tfng"] += bool(child.get("first_name_tfng"))
