"""The search use case: acts by name in either script, date, place, sex, parents,
reference or civil identifier; ranked, with the reason for each match; audited.

At an office a member of staff searches the office's own acts; the ministry and the
system operator search one office or the whole country.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any, NamedTuple

from sijill.domain.namekeys import MAYBE
from sijill.domain.offices import Actor
from sijill.search.criteria import CANDIDATES, Criteria, read_criteria
from sijill.search.index import reindex
from sijill.search.query import find_candidates, read_acts
from sijill.search.ranking import best_match, parent_names, person_names
from sijill.services.authz import STAFF, authorize
from sijill.services.context import Registry


@dataclass(frozen=True)
class Hit:
    """One act found, its score in [0, 1] and the reason for each criterion it met."""

    ref: str
    office: str
    kind: str
    sex: str
    event_date: date
    first_name_ar: str
    family_name_ar: str
    first_name_lat: str
    family_name_lat: str
    civil_id: str | None
    score: float
    reasons: list[str]

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "event_date": self.event_date.isoformat()}


@dataclass(frozen=True)
class SearchResult:
    """One page of hits, best first; ``truncated`` when more acts met the criteria."""

    hits: list[Hit]
    total: int
    truncated: bool
    page: int
    page_size: int

    def as_dict(self) -> dict[str, Any]:
        return {**self.__dict__, "hits": [h.as_dict() for h in self.hits]}


def search_acts(
    reg: Registry,
    *,
    actor: Actor,
    name: str | None = None,
    father: str | None = None,
    mother: str | None = None,
    sex: str | None = None,
    kind: str | None = None,
    date_from: str | date | None = None,
    date_to: str | date | None = None,
    place: str | None = None,
    ref: str | None = None,
    civil_id: str | None = None,
    office: str | None = None,
    page: int | str = 1,
    page_size: int | str = 20,
) -> SearchResult:
    """Find signed acts; names match across scripts and spellings ("Moh*" a prefix)."""
    criteria = read_criteria(
        {
            "name": name,
            "father": father,
            "mother": mother,
            "sex": sex,
            "kind": kind,
            "date_from": date_from,
            "date_to": date_to,
            "place": place,
            "ref": ref,
            "civil_id": civil_id,
            "office": office,
            "page": page,
            "page_size": page_size,
        }
    )
    scope = criteria.office or (actor.office if actor.role in STAFF else None)
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", scope)
        rows = find_candidates(
            uow.conn,
            criteria,
            scope,
            today=reg.now().date(),
            reads="parents" if criteria.names.keys() - {"name"} else "names",
        )
        ranked = _ranked(criteria, list(rows[:CANDIDATES]))
        start = (criteria.page - 1) * criteria.page_size
        shown = ranked[start : start + criteria.page_size]
        # Ranking read the candidates' names only; the page shown is read whole.
        acts = read_acts(uow.conn, [r.row for r in shown])
        hits = [_hit(criteria, r, act) for r, act in zip(shown, acts, strict=True)]
        uow.audit(
            actor,
            "act.search",
            office=scope,
            detail={
                "criteria": criteria.summary(),
                "found": len(ranked),
                "shown": [h.ref for h in hits],
            },
        )
    return SearchResult(
        hits=hits,
        total=len(ranked),
        truncated=len(rows) > CANDIDATES,
        page=criteria.page,
        page_size=criteria.page_size,
    )


class Ranked(NamedTuple):
    """A candidate that matches: its score, the reason for each name, its row."""

    score: float
    reasons: list[str]
    row: Any


def _ranked(criteria: Criteria, rows: list[Any]) -> list[Ranked]:
    """The candidates that match, best first; equal scores newest first (the rows
    came newest first)."""
    found = [r for r in (_scored(criteria, row) for row in rows) if r is not None]
    return sorted(found, key=lambda r: -r.score)


def _scored(criteria: Criteria, row: Any) -> Ranked | None:
    # How well the row's names match those asked (None: not at all), and why.
    scores: list[float] = []
    reasons: list[str] = []
    for field, words in criteria.names.items():
        names = person_names(row) if field == "name" else parent_names(field, row.data)
        score, why = best_match(words, names)
        scores.append(score)
        reasons.append(f"{field}: {why}")
    if scores and min(scores) < MAYBE - 0.1:
        return None  # met a key by chance (Ali through Alaoui's skeleton), not the name
    score = round(sum(scores) / len(scores), 3) if scores else 1.0
    return Ranked(score, reasons, row)


def _hit(criteria: Criteria, ranked: Ranked, act: Any) -> Hit:
    return Hit(
        ref=act.ref,
        office=act.office_code,
        kind=act.kind,
        sex=act.sex,
        event_date=act.event_date,
        first_name_ar=act.first_name_ar,
        family_name_ar=act.family_name_ar,
        first_name_lat=act.first_name_lat,
        family_name_lat=act.family_name_lat,
        civil_id=act.civil_id,
        score=ranked.score,
        reasons=ranked.reasons + _other_reasons(criteria, act),
    )


def _other_reasons(criteria: Criteria, row: Any) -> list[str]:
    out = []
    if criteria.ref is not None:
        out.append(f"act reference {row.ref}")
    if criteria.civil_id is not None:
        out.append(f"civil identifier {row.civil_id}")
    if criteria.date_from or criteria.date_to:
        out.append(f"date {row.event_date.isoformat()} in range")
    if criteria.place is not None:
        out.append(f"registered at {row.office_code} ({criteria.place})")
    if criteria.sex is not None:
        out.append(f"sex {row.sex}")
    return out


def reindex_names(reg: Registry, *, actor: Actor, office: str | None = None) -> int:
    """Recompute the name keys of every signed act (of ``office``); acts are untouched."""
    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "journal.rebuild", office)
        count = reindex(uow.conn, office)
        uow.audit(
            actor,
            "names.reindex",
            office=office,
            personal=False,
            detail={"acts": count},
        )
    return count


def draft_duplicates(
    reg: Registry, *, actor: Actor, office: str, draft_id: str
) -> list[Any]:
    """Signed acts that are probably the person a birth draft declares (a warning only).

    Shown to the officer before he signs; the decision stays his.
    """
    from sijill.search.dedup import probable_duplicates
    from sijill.services.drafts import open_draft

    uow, _ = reg.unit_of_work()
    with uow:
        authorize(uow, actor, "act.read", office, target=draft_id)
        row = open_draft(uow.conn, office, draft_id)
        found = probable_duplicates(uow.conn, row.data) if row.kind == "birth" else []
        uow.audit(
            actor,
            "draft.duplicates",
            office=office,
            target=draft_id,
            detail={"candidates": len(found)},
        )
    return found
