"""The rules a declaration must meet on the day it is registered."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sijill.domain.acts import BirthDeclaration, DeathDeclaration, Declaration, Parent
from sijill.domain.errors import InvalidInput, Violation
from sijill.domain.names import first_name_violations

DECLARATION_DELAY_DAYS = 30
EARLIEST_DATE = date(1900, 1, 1)
MIN_PARENT_AGE = 12
MAX_MOTHER_AGE = 60


@dataclass(frozen=True)
class Assessment:
    """What the rules found: provisional flags the act will carry (contested names)."""

    provisional: tuple[Violation, ...] = ()


def _years_between(earlier: date, later: date) -> int:
    years = later.year - earlier.year
    return years - ((later.month, later.day) < (earlier.month, earlier.day))


def _check_event(
    found: list[Violation],
    field: str,
    event: date,
    at: datetime,
    decl: Declaration,
) -> None:
    if event > at.date():
        found.append(Violation(field, "date.future"))
    elif event < EARLIEST_DATE:
        found.append(
            Violation(field, "date.too_old", {"min": EARLIEST_DATE.isoformat()})
        )
    days = (at.date() - event).days
    if days > DECLARATION_DELAY_DAYS and decl.judgment is None:
        found.append(
            Violation("judgment", "declaration.late_needs_judgment", {"days": days})
        )
    if decl.judgment is not None and decl.judgment.date > at.date():
        found.append(Violation("judgment.date", "judgment.date_after_registration"))


def _check_parent(
    found: list[Violation],
    field: str,
    parent: Parent | None,
    child: date,
    *,
    mother: bool,
) -> None:
    if parent is None or parent.birth_date is None:
        return
    if (
        parent.birth_date > child
        or _years_between(parent.birth_date, child) < MIN_PARENT_AGE
    ):
        found.append(
            Violation(
                f"{field}.birth_date", "parent.too_young", {"min_age": MIN_PARENT_AGE}
            )
        )
    elif mother and _years_between(parent.birth_date, child) > MAX_MOTHER_AGE:
        found.append(
            Violation(
                f"{field}.birth_date", "parent.too_old", {"max_age": MAX_MOTHER_AGE}
            )
        )


def assess_birth(
    decl: BirthDeclaration,
    *,
    at: datetime,
    place_names: frozenset[str] = frozenset(),
) -> Assessment:
    """Check a birth declaration registered at ``at``; raise InvalidInput if it fails.

    A first name that breaks decree 2.22.04 while the family contests the refusal is
    accepted provisionally: the broken rules come back as flags instead of errors.
    """
    found: list[Violation] = []
    _check_event(found, "birth_date", decl.birth_date, at, decl)
    if decl.birth_date == at.date() and decl.birth_time > at.time():
        found.append(Violation("birth_time", "date.future"))
    _check_parent(found, "father", decl.father, decl.birth_date, mother=False)
    _check_parent(found, "mother", decl.mother, decl.birth_date, mother=True)
    families = [
        decl.child.family_name_ar,
        decl.child.family_name_lat,
        decl.mother.names.family_name_ar,
        decl.mother.names.family_name_lat,
    ]
    if decl.father is not None:
        families += [
            decl.father.names.family_name_ar,
            decl.father.names.family_name_lat,
        ]
    names: list[Violation] = []
    for field, value in (
        ("child.first_name_ar", decl.child.first_name_ar),
        ("child.first_name_lat", decl.child.first_name_lat),
    ):
        names += first_name_violations(
            field, value, family_names=families, place_names=place_names
        )
    if names and not decl.first_name_contested:
        found += names
    if found:
        raise InvalidInput(found)
    return Assessment(provisional=tuple(names))


def assess_death(decl: DeathDeclaration, *, at: datetime) -> Assessment:
    """Check a death declaration registered at ``at``; raise InvalidInput if it fails."""
    found: list[Violation] = []
    _check_event(found, "death_date", decl.death_date, at, decl)
    if decl.death_date == at.date() and decl.death_time > at.time():
        found.append(Violation("death_time", "date.future"))
    if decl.birth_date is not None:
        if decl.birth_date > decl.death_date:
            found.append(Violation("death_date", "death.before_birth"))
        elif decl.birth_date < EARLIEST_DATE.replace(year=1850):
            found.append(Violation("birth_date", "date.too_old", {"min": "1850-01-01"}))
    if found:
        raise InvalidInput(found)
    return Assessment()


def assess(
    decl: Declaration, *, at: datetime, place_names: frozenset[str] = frozenset()
) -> Assessment:
    """Check a declaration of either kind on the day it is registered."""
    if isinstance(decl, BirthDeclaration):
        return assess_birth(decl, at=at, place_names=place_names)
    return assess_death(decl, at=at)
