"""The UN core tabulations of live births and deaths, each one SQL aggregation.

The database groups and counts (by month, sex, place code, age in completed years);
Python only names the rows and folds ages into the UN groups and communes into their
urban or rural setting — a few hundred aggregated rows at most.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection, func, select

from sijill.domain.messages import render
from sijill.stats import places
from sijill.stats import sql as q
from sijill.stats.model import TOTAL, Row, Tabulation
from sijill.stats.scope import Scope

SEX_COLUMNS = ("M", "F", TOTAL)
Counts = dict[str, dict[str, int]]
Names = Callable[[str], tuple[str, str]]


def _by_sex(
    name: str,
    scope: Scope,
    dimension: str,
    counts: Counts,
    order: Iterable[str],
    names: Names,
    notes: tuple[str, ...] = (),
) -> Tabulation:
    """A table of rows × (M, F, total) with a total row; rows with no event dropped,
    except the fixed categories listed in ``order`` (months, age groups)."""
    rows = []
    totals = {"M": 0, "F": 0}
    for key in order:
        found = counts.get(key, {})
        ar, fr = names(key)
        m, f = found.get("M", 0), found.get("F", 0)
        totals["M"] += m
        totals["F"] += f
        rows.append(Row(key, ar, fr, {"M": m, "F": f, TOTAL: m + f}))
    rows.append(
        Row(
            TOTAL,
            render("stats.col.total", "ar"),
            render("stats.col.total", "fr"),
            {**totals, TOTAL: totals["M"] + totals["F"]},
        )
    )
    return Tabulation(name, scope, dimension, SEX_COLUMNS, rows, notes)


def _count(conn: Connection, key: Any, *where: Any) -> Counts:
    """{key: {sex: count}} for acts meeting ``where``, grouped in the database."""
    query = (
        select(key.label("key"), q.acts.c.sex, func.count().label("n"))
        .where(*where)
        .group_by(key, q.acts.c.sex)
    )
    counts: Counts = defaultdict(dict)
    for row in conn.execute(query):
        slot = counts[_key(row.key)]
        slot[row.sex] = slot.get(row.sex, 0) + int(row.n)
    return counts


def _key(value: object) -> str:
    if value is None:
        return places.UNKNOWN
    if isinstance(value, float | int):
        return str(int(value))
    return str(value)


def _fold(counts: Counts, into: Callable[[str], str]) -> Counts:
    folded: Counts = defaultdict(dict)
    for key, by_sex in counts.items():
        slot = folded[into(key)]
        for sex, n in by_sex.items():
            slot[sex] = slot.get(sex, 0) + n
    return folded


def _month_names(key: str) -> tuple[str, str]:
    return render(f"stats.row.month.{key}", "ar"), render(
        f"stats.row.month.{key}", "fr"
    )


def _sorted_places(counts: Counts) -> list[str]:
    return sorted(counts, key=lambda k: (k in (places.ABROAD, places.UNKNOWN), k))


def _place_table(
    conn: Connection,
    name: str,
    scope: Scope,
    kind: str,
    code: Any,
    notes: tuple[str, ...] = (),
) -> Tabulation:
    level = scope.place.below
    counts = _fold(
        _count(
            conn,
            q.code_at(code, level),
            q.acts.c.kind == kind,
            q.in_years(scope),
            q.in_place(code, scope.place),
        ),
        lambda k: places.place_key(k, level),
    )
    return _by_sex(
        name,
        scope,
        level,
        counts,
        _sorted_places(counts),
        lambda k: places.place_names(k, level),
        notes,
    )


# --- live births -----------------------------------------------------------------


def births_by_month(conn: Connection, scope: Scope) -> Tabulation:
    """Live births by month of occurrence and sex."""
    counts = _count(
        conn,
        q.event_month,
        q.acts.c.kind == "birth",
        q.in_years(scope),
        q.in_place(q.occurrence_code(), scope.place),
    )
    months = [str(m) for m in range(1, 13)]
    return _by_sex(
        "births.month", scope, "month", counts, months, _month_names, ("occurrence",)
    )


def births_by_occurrence(conn: Connection, scope: Scope) -> Tabulation:
    """Live births by place of occurrence (the level below the scope's place) and sex."""
    return _place_table(
        conn, "births.occurrence", scope, "birth", q.occurrence_code(), ("occurrence",)
    )


def births_by_registration(conn: Connection, scope: Scope) -> Tabulation:
    """Live births by the place of the office that registered them (residence proxy)."""
    return _place_table(
        conn,
        "births.registration",
        scope,
        "birth",
        q.acts.c.office_code,
        ("residence",),
    )


def births_by_setting(conn: Connection, scope: Scope) -> Tabulation:
    """Live births by the urban or rural setting of their commune of occurrence."""
    code = q.occurrence_code()
    counts = _fold(
        _count(
            conn,
            q.code_at(code, "commune"),
            q.acts.c.kind == "birth",
            q.in_years(scope),
            q.in_place(code, scope.place),
        ),
        lambda k: places.setting_of(places.place_key(k, "commune")),
    )
    order = [
        k for k in ("urban", "rural", places.ABROAD, places.UNKNOWN) if k in counts
    ]
    return _by_sex(
        "births.setting",
        scope,
        "setting",
        counts,
        order,
        lambda k: (render(f"stats.row.{k}", "ar"), render(f"stats.row.{k}", "fr")),
        ("occurrence",),
    )


def births_by_mother_age(conn: Connection, scope: Scope) -> Tabulation:
    """Live births by age group of the mother at the birth, and sex."""
    counts = _fold(
        _count(
            conn,
            q.mother_age(),
            q.acts.c.kind == "birth",
            q.in_years(scope),
            q.in_place(q.occurrence_code(), scope.place),
        ),
        lambda k: places.age_group(
            None if k == places.UNKNOWN else int(k), places.MOTHER_AGES
        ),
    )
    return _by_sex(
        "births.mother_age",
        scope,
        "age_group",
        counts,
        places.group_keys(places.MOTHER_AGES),
        places.group_names,
        ("mother_age", "birth_order"),
    )


# --- deaths ------------------------------------------------------------------------


def deaths_by_month(conn: Connection, scope: Scope) -> Tabulation:
    """Deaths by month of occurrence and sex."""
    counts = _count(
        conn,
        q.event_month,
        q.acts.c.kind == "death",
        q.in_years(scope),
        q.in_place(q.acts.c.office_code, scope.place),
    )
    months = [str(m) for m in range(1, 13)]
    return _by_sex(
        "deaths.month", scope, "month", counts, months, _month_names, ("death_place",)
    )


def deaths_by_age(conn: Connection, scope: Scope) -> Tabulation:
    """Deaths by age group at death (from the birth date when the act gives it) and sex."""
    counts = _fold(
        _count(
            conn,
            q.deceased_age(),
            q.acts.c.kind == "death",
            q.in_years(scope),
            q.in_place(q.acts.c.office_code, scope.place),
        ),
        lambda k: places.age_group(
            None if k == places.UNKNOWN else int(k), places.DEATH_AGES
        ),
    )
    return _by_sex(
        "deaths.age",
        scope,
        "age_group",
        counts,
        places.group_keys(places.DEATH_AGES),
        places.group_names,
        ("death_age", "death_place"),
    )


def deaths_by_place(conn: Connection, scope: Scope) -> Tabulation:
    """Deaths by place (the office that registered them) and sex."""
    return _place_table(
        conn, "deaths.place", scope, "death", q.acts.c.office_code, ("death_place",)
    )
