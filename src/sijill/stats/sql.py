"""The SQL expressions the tabulations group by, the same on SQLite and PostgreSQL.

The fields of the declaration they need are plain columns of ``acts`` that the
database derives from ``acts.data`` (generated columns, migration 0012), so no JSON is
parsed while tabulating. Dates of the declaration are ISO strings, so a year, month or
day is a fixed slice of the text.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Integer, and_, case, cast, extract, func, or_
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from sijill.stats.scope import PREFIX, Place, Scope
from sijill.store import geography
from sijill.store import tables as t

acts = t.acts
event_year = extract("year", acts.c.event_date)
event_month = extract("month", acts.c.event_date)
# Registered on a declaratory judgment (the declaration names the judgment's number).
judged: ColumnElement[bool] = acts.c.judged


class registration_delay(FunctionElement[int]):
    """Days from the event to the signature of its act (signed_at is ISO, in UTC)."""

    type = Integer()
    inherit_cache = True
    name = "registration_delay"


@compiles(registration_delay, "postgresql")
def _delay_pg(_element: Any, _compiler: SQLCompiler, **_kw: Any) -> str:
    return "(CAST(substr(acts.signed_at, 1, 10) AS date) - acts.event_date)"


@compiles(registration_delay, "sqlite")
def _delay_sqlite(_element: Any, _compiler: SQLCompiler, **_kw: Any) -> str:
    return (
        "CAST(julianday(substr(acts.signed_at, 1, 10)) - julianday(acts.event_date) "
        "AS INTEGER)"
    )


def occurrence_code() -> ColumnElement[str]:
    """Where a birth happened: its commune of birth, else the office that registered it."""
    return func.coalesce(acts.c.birth_commune, acts.c.office_code)


def code_at(code: ColumnElement[str], level: str) -> ColumnElement[str]:
    """The code of the region or province a code lies in; for communes the code
    itself (arrondissements and annexes are folded into their commune afterwards,
    since commune codes do not all have the same length)."""
    if level == "commune":
        return code
    return func.substr(code, 1, PREFIX[level])


def in_place(code: ColumnElement[str], place: Place) -> ColumnElement[bool]:
    """``code`` lies in ``place`` (always true for the whole country)."""
    if place.code is None:
        return code.is_not(None)
    if place.level == "commune":
        return or_(
            code.in_(geography.parts_of(place.code)), code.like(f"{place.code}-%")
        )
    return code_at(code, place.level) == place.code


def in_years(scope: Scope) -> ColumnElement[bool]:
    """The event happened in the scope's years (a range the event_date index serves)."""
    return and_(
        acts.c.event_date >= date(scope.first, 1, 1),
        acts.c.event_date <= date(scope.last, 12, 31),
    )


def registered_in(scope: Scope) -> ColumnElement[bool]:
    """The act was entered in a register of the scope's years."""
    return and_(acts.c.year >= scope.first, acts.c.year <= scope.last)


def age_at_event(birth_date: ColumnElement[Any]) -> ColumnElement[int]:
    """Completed years between an ISO birth date in the declaration and the event."""
    born_year = cast(func.substr(birth_date, 1, 4), Integer)
    born_day = cast(func.substr(birth_date, 6, 2), Integer) * 100 + cast(
        func.substr(birth_date, 9, 2), Integer
    )
    event_day = event_month * 100 + extract("day", acts.c.event_date)
    not_yet = case((event_day < born_day, 1), else_=0)
    return event_year - born_year - not_yet


def mother_age() -> ColumnElement[int]:
    return age_at_event(acts.c.mother_birth_date)


def deceased_age() -> ColumnElement[int]:
    return age_at_event(acts.c.birth_date)


def signed_here(kind: str) -> ColumnElement[bool]:
    """Acts of ``kind`` signed in the electronic register, whose signature date is
    their registration date (a digitized legacy act was signed on paper, long ago)."""
    return and_(acts.c.kind == kind, acts.c.status == "signed")
