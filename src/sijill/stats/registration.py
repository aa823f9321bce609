"""How births and deaths reach the register: late registrations, timeliness, trends."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Connection, case, func, select

from sijill.domain.messages import render
from sijill.domain.rules import DECLARATION_DELAY_DAYS
from sijill.stats import places
from sijill.stats import sql as q
from sijill.stats.model import TOTAL, Row, Tabulation
from sijill.stats.scope import Scope
from sijill.store import tables as t

KINDS = ("birth", "death")


def _total_names() -> tuple[str, str]:
    return render("stats.col.total", "ar"), render("stats.col.total", "fr")


def late_registrations(conn: Connection, scope: Scope, kind: str) -> Tabulation:
    """Acts registered on a declaratory judgment: year of occurrence × year of
    registration (the register's year), for registers of the scope's years."""
    query = (
        select(q.event_year.label("occurred"), q.acts.c.year, func.count().label("n"))
        .where(
            q.acts.c.kind == kind,
            q.judged,
            q.registered_in(scope),
            q.in_place(q.acts.c.office_code, scope.place),
        )
        .group_by(q.event_year, q.acts.c.year)
    )
    cells: dict[int, dict[str, int]] = defaultdict(dict)
    for row in conn.execute(query):
        cells[int(row.occurred)][str(row.year)] = int(row.n)
    years = [str(y) for y in range(scope.first, scope.last + 1)]
    rows = [
        _sum_row(str(occurred), (str(occurred), str(occurred)), cells[occurred], years)
        for occurred in sorted(cells)
    ]
    column_totals = {y: sum(cells[o].get(y, 0) for o in cells) for y in years}
    rows.append(_sum_row(TOTAL, _total_names(), column_totals, years))
    return Tabulation(
        f"late.{kind}s",
        scope,
        "year_of_occurrence",
        (*years, TOTAL),
        rows,
        ("late", "registration_place"),
    )


def _sum_row(
    key: str, names: tuple[str, str], found: dict[str, int], years: list[str]
) -> Row:
    values: dict[str, int | float | None] = {y: found.get(y, 0) for y in years}
    values[TOTAL] = sum(found.get(y, 0) for y in years)
    return Row(key, names[0], names[1], values)


TIMELINESS_COLUMNS = (
    "births",
    "births_on_time",
    "births_share",
    "deaths",
    "deaths_on_time",
    "deaths_share",
)


def timeliness(conn: Connection, scope: Scope, *, by: str) -> Tabulation:
    """Events of the scope's years registered within the legal 30 days, per office
    (``by="office"``) or per region; signed acts only (a digitized act's signature
    date is not its registration date)."""
    on_time = case((q.registration_delay() <= DECLARATION_DELAY_DAYS, 1), else_=0)
    query = (
        select(
            q.acts.c.office_code,
            q.acts.c.kind,
            func.count().label("n"),
            func.sum(on_time).label("on_time"),
        )
        .where(
            q.acts.c.kind.in_(KINDS),
            q.acts.c.status == "signed",
            q.in_years(scope),
            q.in_place(q.acts.c.office_code, scope.place),
        )
        .group_by(q.acts.c.office_code, q.acts.c.kind)
    )
    cells: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in conn.execute(query):
        key = (
            row.office_code
            if by == "office"
            else places.place_key(row.office_code, "region")
        )
        cells[key][f"{row.kind}s"] += int(row.n)
        cells[key][f"{row.kind}s_on_time"] += int(row.on_time or 0)
    grand: dict[str, int] = defaultdict(int)
    names_of = _office_names(conn) if by == "office" else {}
    rows = []
    for key in sorted(cells, key=lambda k: (k in (places.ABROAD, places.UNKNOWN), k)):
        for column, n in cells[key].items():
            grand[column] += n
        names = (
            names_of.get(key, (key, key))
            if by == "office"
            else places.place_names(key, "region")
        )
        rows.append(_timeliness_row(key, names, cells[key]))
    rows.append(_timeliness_row(TOTAL, _total_names(), grand))
    return Tabulation(
        f"timeliness.{by}",
        scope,
        by,
        TIMELINESS_COLUMNS,
        rows,
        ("timeliness",),
        shares=frozenset({"births_share", "deaths_share"}),
        extra={"days": DECLARATION_DELAY_DAYS},
    )


def _timeliness_row(key: str, names: tuple[str, str], found: dict[str, int]) -> Row:
    values: dict[str, int | float | None] = {}
    for kind in ("births", "deaths"):
        n, on_time = found.get(kind, 0), found.get(f"{kind}_on_time", 0)
        values[kind] = n
        values[f"{kind}_on_time"] = on_time
        values[f"{kind}_share"] = round(on_time / n, 4) if n else None
    return Row(key, names[0], names[1], values)


def _office_names(conn: Connection) -> dict[str, tuple[str, str]]:
    found = conn.execute(
        select(t.offices.c.code, t.offices.c.name_ar, t.offices.c.name_fr)
    )
    return {row.code: (row.name_ar, row.name_fr) for row in found}


TREND_COLUMNS = ("births", "births_M", "births_F", "late_births", "deaths")


def trends(conn: Connection, scope: Scope) -> Tabulation:
    """Births (by sex, and registered late) and deaths, year by year of occurrence."""
    late = case((q.judged, 1), else_=0)
    query = (
        select(
            q.event_year.label("year"),
            q.acts.c.kind,
            q.acts.c.sex,
            func.count().label("n"),
            func.sum(late).label("late"),
        )
        .where(
            q.acts.c.kind.in_(KINDS),
            q.in_years(scope),
            q.in_place(q.acts.c.office_code, scope.place),
        )
        .group_by(q.event_year, q.acts.c.kind, q.acts.c.sex)
    )
    cells: dict[str, dict[str, int]] = {
        str(y): dict.fromkeys(TREND_COLUMNS, 0)
        for y in range(scope.first, scope.last + 1)
    }
    for row in conn.execute(query):
        slot = cells[str(int(row.year))]
        if row.kind == "birth":
            slot["births"] += int(row.n)
            slot[f"births_{row.sex}"] += int(row.n)
            slot["late_births"] += int(row.late or 0)
        else:
            slot["deaths"] += int(row.n)
    rows = [Row(y, y, y, dict(values)) for y, values in cells.items()]
    return Tabulation(
        "trends", scope, "year", TREND_COLUMNS, rows, ("trends", "registration_place")
    )
